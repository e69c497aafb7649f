import { StartupError } from '../app/startup-error.ts';
import type { Config } from '../config/env.ts';
import { createLocalBlobStore } from './local.store.ts';
import { createS3BlobStore } from './s3.store.ts';
import { createS3Client, describeS3Location } from './s3-client.ts';
import type { BlobStore } from './spec.ts';

const START_CHECK_TIMEOUT_MS = 15_000;

/**
 * The configured asset store. S3 is checked before anything else starts: the bucket must answer
 * and take a write, or the process stops with a message naming what to fix.
 */
export async function openBlobStore(storage: Config['storage']): Promise<BlobStore> {
  if (storage.kind === 'file') return createLocalBlobStore(storage.dir);
  const store = createS3BlobStore(createS3Client(storage.s3), storage.s3);
  try {
    await store.checkReachable(AbortSignal.timeout(START_CHECK_TIMEOUT_MS));
    await store.checkWritable();
  } catch (error) {
    store.client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new StartupError(
      `S3 storage (${describeS3Location(storage.s3)}) is not usable: ${reason}.\n` +
        'Check S3_ENDPOINT, S3_BUCKET, AWS_REGION and the AWS credentials (see docs/configuration.md#s3).',
      { cause: error },
    );
  }
  return store;
}
