import { useEffect, useState } from 'preact/hooks';
import { request } from './api.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';

interface FailedJob {
  id: string;
  error: { code: string; message: string } | null;
  metadata: { batch_row?: number; batch_key?: string } | null;
}

const SHOWN = 20;

/**
 * Why rows failed while running (not at import): the batch's failed jobs, each by its line and key
 * with the error its last attempt ended with. Read again whenever the failed count changes.
 */
export function BatchFailures({ batchId, failed }: { batchId: string; failed: number }) {
  const [jobs, setJobs] = useState<FailedJob[]>([]);
  useEffect(() => {
    if (failed === 0) {
      setJobs([]);
      return;
    }
    let current = true;
    const query = `batch_id=${encodeURIComponent(batchId)}&status=failed&limit=${SHOWN}`;
    request<{ data: FailedJob[] }>('GET', `/v1/jobs?${query}`).then(
      (page) => current && setJobs(page.data),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [batchId, failed]);
  if (jobs.length === 0) return null;
  const byLine = [...jobs].sort((a, b) => (a.metadata?.batch_row ?? 0) - (b.metadata?.batch_row ?? 0));
  return (
    <div class="invalid-rows failed-rows">
      <h3 id="failed-rows">{t('batch.failedList')}</h3>
      <ul aria-labelledby="failed-rows">
        {byLine.map((job) => (
          <li key={job.id}>
            <strong>{format('batch.lineOf', { n: job.metadata?.batch_row ?? '?' })}</strong>
            {job.metadata?.batch_key && <> ({job.metadata.batch_key})</>}:{' '}
            {job.error?.message ?? job.error?.code}
          </li>
        ))}
      </ul>
      {failed > jobs.length && <p class="hint">{t('batch.failedMore')}</p>}
    </div>
  );
}
