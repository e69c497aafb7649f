import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/env.ts';
import {
  type MigrationCounts,
  migrateLocalStoreToS3,
} from '../../services/storage/storage-migration.service.ts';
import { openBlobStore } from '../../storage/open-store.ts';
import type { S3BlobStore } from '../../storage/s3.store.ts';
import { describeS3Location } from '../../storage/s3-client.ts';
import { CliError } from '../api-client.ts';
import { runCommand } from '../program.ts';
import { createProgressLine } from '../progress.ts';

/** Without a terminal, a plain progress line this often (logs of a long copy over ssh or systemd). */
const PLAIN_PROGRESS_EVERY_MS = 10_000;

export function registerStorageCommands(program: Command): void {
  const storage = program.command('storage').description('the asset store: copy it to S3');
  storage
    .command('migrate')
    .description(
      'copy the local asset store into the S3 bucket of S3_BUCKET/S3_PREFIX (resumable: run it again to go on)',
    )
    .requiredOption('--to <kind>', 'where to copy: s3')
    .option('--from <dir>', 'the local store (default: VITRINE_DATA_DIR/assets)')
    .option('--concurrency <n>', 'uploads at once', '8')
    .option('--dry-run', 'count what would be copied, upload nothing')
    .option('--json', 'print the report as JSON')
    .action((options: { to: string; from?: string; concurrency: string; dryRun?: boolean; json?: boolean }) =>
      runCommand(async () => {
        if (options.to !== 's3') throw new CliError(`--to ${options.to}: only s3 is supported`, 1);
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
          throw new CliError('--concurrency: a whole number from 1 to 64', 1);
        const config = loadConfig();
        if (!config.s3) {
          throw new CliError(
            'Say which bucket to copy to: set S3_BUCKET (and S3_PREFIX, S3_ENDPOINT, S3_FORCE_PATH_STYLE, AWS_REGION and the AWS credentials as for VITRINE_STORAGE=s3)',
            1,
          );
        }
        const from = path.resolve(options.from ?? path.join(config.dataDir, 'assets'));
        // Checked like a server start: the bucket must answer and take a write.
        const target = (await openBlobStore({ kind: 's3', s3: config.s3, urls: 'signed' })) as S3BlobStore;
        const abort = new AbortController();
        const onSignal = () => {
          process.stderr.write('\nStopping after the uploads under way…\n');
          abort.abort();
        };
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const destination = describeS3Location(config.s3);
        const progress = createProgressLine({ enabled: !options.json, label: 'copy' });
        let lastPlain = Date.now();
        const onProgress = (counts: MigrationCounts) => {
          const status = `${counts.files}/${counts.totalFiles} files · ${describeCounts(counts)}`;
          progress.update(counts.totalFiles ? counts.files / counts.totalFiles : 1, status);
          if (!options.json && !process.stderr.isTTY && Date.now() - lastPlain >= PLAIN_PROGRESS_EVERY_MS) {
            lastPlain = Date.now();
            process.stderr.write(`copy: ${status}\n`);
          }
        };
        try {
          if (!options.json)
            process.stderr.write(`${options.dryRun ? 'Dry run: ' : ''}copying ${from} to ${destination}\n`);
          const report = await migrateLocalStoreToS3(target, {
            from,
            concurrency,
            dryRun: options.dryRun,
            signal: abort.signal,
            onProgress,
          });
          progress.finish();
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ from, to: destination, ...report }, null, 2)}\n`);
          } else {
            const rate = report.seconds > 0 ? report.copiedBytes / 2 ** 20 / report.seconds : 0;
            process.stdout.write(
              `${report.files} of ${report.totalFiles} files: ${describeCounts(report)} in ${report.seconds.toFixed(1)} s (${rate.toFixed(1)} MB/s)\n`,
            );
            for (const problem of report.problems.slice(0, 20))
              process.stdout.write(`  ${problem.file}: ${problem.message}\n`);
            if (report.problems.length > 20)
              process.stdout.write(`  … and ${report.problems.length - 20} more (--json lists them all)\n`);
            if (report.stoppedEarly)
              process.stdout.write(
                `Stopped early (${report.stoppedEarly}). Run the same command again to go on.\n`,
              );
            else if (report.failed > 0)
              process.stdout.write('Run the same command again to retry the files that failed.\n');
            else if (!options.dryRun)
              process.stdout.write(
                'Done. Now set VITRINE_STORAGE=s3 (with the same S3_* variables) on every Vitrine process and restart them.\n',
              );
          }
          const complete = !report.stoppedEarly && report.failed === 0 && report.corrupt === 0;
          return complete ? 0 : 2;
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          target.close?.();
        }
      }),
    );
}

function describeCounts(counts: MigrationCounts): string {
  const parts = [
    `${counts.copied} copied (${(counts.copiedBytes / 2 ** 20).toFixed(1)} MB)`,
    `${counts.skipped} already there`,
  ];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.corrupt) parts.push(`${counts.corrupt} damaged`);
  return parts.join(', ');
}
