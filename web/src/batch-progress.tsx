import { useState } from 'preact/hooks';
import { request } from './api.ts';
import { type Batch, isBatchFinished, ROW_STATUSES } from './batch-api.ts';
import { BatchFailures } from './batch-failures.tsx';
import { BatchPublications } from './batch-publications.tsx';
import { BatchQuality } from './batch-quality.tsx';
import { format } from './format.ts';
import { t } from './i18n.ts';
import type { LiveBatch } from './use-batch.ts';

const usd = (value: number) => `$${value.toFixed(3)}`;

/**
 * One batch as it runs: accepted and invalid rows (the invalid ones by line, as the server named
 * them), counts per status with a progress bar, the cost so far, cancel and retry, the downloads.
 */
export function BatchProgress({ live }: { live: LiveBatch }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { batch } = live;
  if (!batch) {
    return live.error ? (
      <p class="error" role="alert">
        {live.error}
      </p>
    ) : null;
  }
  const finished = isBatchFinished(batch.status);
  const done = batch.counts.succeeded + batch.counts.failed + batch.counts.canceled;
  const act = async (action: 'cancel' | 'retry') => {
    setBusy(true);
    setError(null);
    try {
      live.update(await request<Batch>('POST', `/v1/batches/${batch.id}/${action}`));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const base = `/v1/batches/${encodeURIComponent(batch.id)}`;

  return (
    <section class="card batch" aria-labelledby="batch-heading" data-status={batch.status}>
      <h2 id="batch-heading">
        {t('batch.current')} <code>{batch.id.slice(0, 8)}</code> · {batch.template}
      </h2>
      <dl class="batch-facts">
        <div>
          <dt>{t('batch.status')}</dt>
          <dd data-testid="batch-status">{t(`batch.status.${batch.status}`)}</dd>
        </div>
        <div>
          <dt>{t('batch.accepted')}</dt>
          <dd data-testid="batch-accepted">{batch.total}</dd>
        </div>
        <div>
          <dt>{t('batch.invalid')}</dt>
          <dd data-testid="batch-invalid">{batch.error_count}</dd>
        </div>
        <div>
          <dt>{t('batch.cost')}</dt>
          <dd>
            {usd(batch.cost_usd)}{' '}
            <span class="hint">
              ({t('batch.estimate')} {usd(batch.cost_estimate_usd)})
            </span>
          </dd>
        </div>
      </dl>
      {batch.errors.length > 0 && (
        <div role="alert" class="invalid-rows">
          <h3>{t('batch.invalidList')}</h3>
          <ul aria-label={t('batch.invalidList')}>
            {batch.errors.map((problem) => (
              <li key={problem.row}>
                <strong>{format('batch.lineOf', { n: problem.row })}</strong>: {problem.message}
              </li>
            ))}
          </ul>
          {batch.error_count > batch.errors.length && (
            <p class="hint">{format('batch.invalidMore', { n: batch.error_count - batch.errors.length })}</p>
          )}
        </div>
      )}
      <BatchFailures batchId={batch.id} failed={batch.counts.failed} />
      <BatchQuality batchId={batch.id} finished={finished} succeeded={batch.counts.succeeded} />
      <BatchPublications batchId={batch.id} destinations={batch.destinations ?? []} done={done} />
      <label for="batch-bar">{t('batch.progress')}</label>
      <progress id="batch-bar" max={Math.max(batch.total, 1)} value={done}>
        {done} / {batch.total}
      </progress>
      <table class="counts">
        <thead>
          <tr>
            <th scope="col">{t('batch.status')}</th>
            <th scope="col">{t('batch.count')}</th>
          </tr>
        </thead>
        <tbody aria-live="polite">
          {ROW_STATUSES.map((status) => (
            <tr key={status} data-status={status}>
              <th scope="row">{t(`job.${status}`)}</th>
              <td data-testid={`count-${status}`}>{batch.counts[status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint" role="status">
        {live.reconnecting
          ? t('batch.connectionLost')
          : `${t(`batch.status.${batch.status}`)} · ${done} / ${batch.total}`}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" disabled={finished || busy} onClick={() => act('cancel')}>
          {t('batch.cancel')}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={batch.counts.failed === 0 || batch.status === 'canceled' || busy}
          onClick={() => act('retry')}
        >
          {t('batch.retry')}
        </button>
        <a class="download" href={`${base}/manifest.csv`} download>
          {t('batch.manifest')}
        </a>
        <a class="download" href={`${base}/images.zip`} download>
          {t('batch.zip')}
        </a>
      </div>
    </section>
  );
}
