import type { Batch } from './batch-api.ts';
import { formatDateTime } from './format.ts';
import { t } from './i18n.ts';

interface Props {
  batches: Batch[];
  openId: string | null;
  onOpen(batch: Batch): void;
}

/** Recent batches (`GET /v1/batches`, newest first): one may be reopened to follow or download it. */
export function BatchList({ batches, openId, onOpen }: Props) {
  return (
    <section class="card" aria-labelledby="recent-heading">
      <h2 id="recent-heading">{t('batch.recent')}</h2>
      {batches.length === 0 ? (
        <p class="hint">{t('batch.recentEmpty')}</p>
      ) : (
        <div class="table-scroll">
          <table class="recent">
            <thead>
              <tr>
                <th scope="col">{t('batch.created')}</th>
                <th scope="col">{t('batch.template')}</th>
                <th scope="col">{t('batch.status')}</th>
                <th scope="col">{t('batch.progress')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('batch.open')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id} aria-current={batch.id === openId ? 'true' : undefined}>
                  <td>{formatDateTime(batch.created_at)}</td>
                  <td>{batch.template}</td>
                  <td>{t(`batch.status.${batch.status}`)}</td>
                  <td>
                    {batch.counts.succeeded} / {batch.total}
                  </td>
                  <td>
                    {batch.id === openId ? (
                      <span class="hint">{t('batch.opened')}</span>
                    ) : (
                      <button
                        type="button"
                        class="link"
                        aria-label={`${t('batch.open')} ${batch.id.slice(0, 8)}`}
                        onClick={() => onOpen(batch)}
                      >
                        {t('batch.open')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
