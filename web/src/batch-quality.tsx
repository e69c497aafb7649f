import { useEffect, useState } from 'preact/hooks';
import { type Job, request } from './api.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';
import { JobWarnings, QualityBadge } from './quality-badge.tsx';

type RowJob = Job & { metadata: { batch_row?: number; batch_key?: string } | null };

/** Succeeded rows read to find the unfit images; a larger batch is looked at in its manifest. */
const READ = 100;

/**
 * How many images of a finished batch passed their quality check and how many failed, then those
 * that failed, each with its line, key, score, the checks and the job's warnings: they were made,
 * but are not fit to publish as they are. Read once the batch has finished, and again if more rows
 * succeed after (a retry).
 */
export function BatchQuality(props: { batchId: string; finished: boolean; succeeded: number }) {
  const [jobs, setJobs] = useState<RowJob[]>([]);
  const [more, setMore] = useState(false);
  useEffect(() => {
    if (!props.finished || props.succeeded === 0) {
      setJobs([]);
      return;
    }
    let current = true;
    const query = `batch_id=${encodeURIComponent(props.batchId)}&status=succeeded&limit=${READ}`;
    request<{ data: RowJob[]; next_cursor?: string | null }>('GET', `/v1/jobs?${query}`).then(
      (page: { data: RowJob[]; next_cursor?: string | null }) => {
        if (!current) return;
        setJobs(page.data);
        setMore(Boolean(page.next_cursor));
      },
      () => {},
    );
    return () => {
      current = false;
    };
  }, [props.batchId, props.finished, props.succeeded]);
  if (jobs.length === 0) return null;
  const images = jobs.flatMap((job) => job.images);
  const failed = images.filter((image) => image.quality?.checks.some((check) => !check.passed)).length;
  const unchecked = images.filter((image) => !image.quality).length;
  const passed = images.length - failed - unchecked;
  const summary = (
    <p
      class={failed > 0 ? 'quality-summary failed' : 'quality-summary passed'}
      data-passed={passed}
      data-failed={failed}
    >
      {format(more ? 'batch.qualitySummaryFirst' : 'batch.qualitySummary', { passed, failed, read: READ })}
      {unchecked > 0 && ` ${format('batch.qualityUnchecked', { n: unchecked })}`}
    </p>
  );
  const unfit = jobs.filter(hasFailedCheck);
  if (unfit.length === 0) return <div class="unfit-rows">{summary}</div>;
  const byLine = [...unfit].sort((a, b) => (a.metadata?.batch_row ?? 0) - (b.metadata?.batch_row ?? 0));
  return (
    <div class="invalid-rows unfit-rows">
      {summary}
      <h3 id="unfit-rows">{t('batch.unfitList')}</h3>
      <ul aria-labelledby="unfit-rows">
        {byLine.map((job) => (
          <li key={job.id} data-job-id={job.id}>
            <strong>{format('batch.lineOf', { n: job.metadata?.batch_row ?? '?' })}</strong>
            {job.metadata?.batch_key && <> ({job.metadata.batch_key})</>}
            {job.images.map((image, index) =>
              image.quality?.checks.some((check) => !check.passed) ? (
                <div key={image.id} class="unfit-image">
                  <img src={`/v1/assets/${encodeURIComponent(image.id)}?w=96`} alt="" loading="lazy" />
                  <QualityBadge quality={image.quality} index={index} />
                </div>
              ) : null,
            )}
            <JobWarnings warnings={job.warnings} />
          </li>
        ))}
      </ul>
      {more && <p class="hint">{t('batch.unfitMore')}</p>}
    </div>
  );
}

function hasFailedCheck(job: Job): boolean {
  return job.images.some((image) => image.quality?.checks.some((check) => !check.passed));
}
