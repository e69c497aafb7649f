import { useEffect, useState } from 'preact/hooks';
import { request } from './api.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';

interface Counts {
  pending: number;
  succeeded: number;
  failed: number;
}

interface Publication {
  id: string;
  destination: string;
  destination_name: string;
  target: string;
  error_code: string | null;
  last_status_code: number | null;
  last_error: string | null;
}

interface PublicationPage {
  data: Publication[];
  summary: Record<string, Counts>;
}

const SHOWN = 20;
const POLL_MS = 2000;

/**
 * Where the batch publishes its rows (a CMS, a bucket, the Shopify shop): per destination, how many
 * rows are published, waiting or failed, the failures with their status and answer, and a replay.
 * Read again while rows run or publications wait.
 */
export function BatchPublications({
  batchId,
  destinations,
  done,
}: {
  batchId: string;
  destinations: string[];
  done: number;
}) {
  const [page, setPage] = useState<PublicationPage | null>(null);
  const [busy, setBusy] = useState(false);
  const [round, setRound] = useState(0);
  const pending = page ? Object.values(page.summary).some((counts) => counts.pending > 0) : true;

  useEffect(() => {
    if (destinations.length === 0) return;
    let current = true;
    const load = () =>
      request<PublicationPage>(
        'GET',
        `/v1/batches/${encodeURIComponent(batchId)}/publications?status=failed&limit=${SHOWN}`,
      ).then(
        (next) => current && setPage(next),
        () => {},
      );
    load();
    const timer = pending ? setInterval(load, POLL_MS) : undefined;
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [batchId, destinations.length, done, pending, round]);

  if (destinations.length === 0 || !page) return null;
  const names = Object.keys(page.summary);
  const failed = names.reduce((sum, name) => sum + page.summary[name]!.failed, 0);
  const replay = async () => {
    setBusy(true);
    try {
      await request('POST', `/v1/batches/${encodeURIComponent(batchId)}/publications/replay`);
      setRound((value) => value + 1);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="publications">
      <h3 id="publications-heading">{t('batch.publish')}</h3>
      {names.length === 0 ? (
        <p class="hint">{t('batch.publishWaiting')}</p>
      ) : (
        <table class="counts" aria-labelledby="publications-heading">
          <thead>
            <tr>
              <th scope="col">{t('batch.destination')}</th>
              <th scope="col">{t('batch.published')}</th>
              <th scope="col">{t('batch.publishPending')}</th>
              <th scope="col">{t('batch.publishFailed')}</th>
            </tr>
          </thead>
          <tbody aria-live="polite">
            {names.map((name) => (
              <tr key={name} data-destination={name}>
                <th scope="row">{name}</th>
                <td data-testid={`published-${name}`}>{page.summary[name]!.succeeded}</td>
                <td>{page.summary[name]!.pending}</td>
                <td data-testid={`publish-failed-${name}`}>{page.summary[name]!.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.data.length > 0 && (
        <ul class="invalid-rows" aria-label={t('batch.publishFailures')}>
          {page.data.map((entry) => (
            <li key={entry.id}>
              <strong>{entry.destination_name}</strong> · {entry.error_code}
              {entry.last_status_code ? ` ${entry.last_status_code}` : ''}: {entry.last_error}
            </li>
          ))}
        </ul>
      )}
      {failed > 0 && (
        <div class="actions">
          <button type="button" class="secondary" disabled={busy} onClick={replay}>
            {format('batch.publishReplay', { n: failed })}
          </button>
        </div>
      )}
    </div>
  );
}
