import { useEffect, useState } from 'preact/hooks';
import { type BatchEstimate, type BatchUpload, estimateBatch } from './batch-api.ts';
import { format } from './format.ts';
import { t } from './i18n.ts';

/** Waits this long after the last change of file, template or mapping before asking again. */
const ESTIMATE_DEBOUNCE_MS = 400;

/**
 * Before Start: the whole file checked by the server (`POST /v1/estimate`, nothing stored) — the
 * cost, the number of images, and the rows it would refuse, by line.
 */
export function BatchEstimatePanel(props: { upload: BatchUpload | null }) {
  const [estimate, setEstimate] = useState<BatchEstimate | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = props.upload
    ? JSON.stringify({ ...props.upload, file: [props.upload.file.name, props.upload.file.size] })
    : null;

  useEffect(() => {
    setEstimate(null);
    setError(null);
    if (!props.upload) return;
    const upload = props.upload;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      estimateBatch(upload, controller.signal).then(setEstimate, (failure: Error) => {
        if (!controller.signal.aborted) setError(failure.message);
      });
    }, ESTIMATE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);

  if (!props.upload) return null;
  return (
    <div class="batch-estimate" aria-live="polite" data-testid="batch-estimate">
      {error ? (
        <p class="error">{error}</p>
      ) : !estimate ? (
        <p class="hint">{t('batch.estimating')}</p>
      ) : (
        <>
          <p>
            {format('batch.estimateLine', {
              cost: `$${estimate.cost_usd.toFixed(3)}`,
              images: estimate.images,
              rows: estimate.rows,
              provider: `${estimate.provider}/${estimate.model}`,
            })}
          </p>
          {estimate.invalid_rows > 0 && (
            <div class="notice">
              <p>{format('batch.estimateInvalid', { count: estimate.invalid_rows })}</p>
              <ul>
                {estimate.errors.map((issue) => (
                  <li key={`${issue.row}:${issue.message}`}>
                    {format('batch.lineOf', { n: issue.row })}: {issue.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </>
      )}
    </div>
  );
}
