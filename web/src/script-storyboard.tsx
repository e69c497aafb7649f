import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api.ts';
import { format } from './format.ts';
import { type MessageId, t } from './i18n.ts';
import { type BatchView, batchState, type RunSheet, runSheet } from './script-api.ts';

const POLL_MS = 1000;
const FINISHED = new Set(['succeeded', 'failed', 'canceled']);

/**
 * The storyboard of a render: segment by segment, each visual's first option as soon as it is
 * drawn (the run sheet is read again every second until the batch finishes); then the zip, the
 * run sheet and the slideshow video.
 */
export function Storyboard(props: { batchId: string }) {
  const { batchId } = props;
  const [sheet, setSheet] = useState<RunSheet | null>(null);
  const [batch, setBatch] = useState<BatchView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const [state, next] = await Promise.all([batchState(batchId), runSheet(batchId)]);
        if (stopped) return;
        setBatch(state);
        setSheet(next);
        if (!FINISHED.has(state.status)) timer = setTimeout(poll, POLL_MS);
      } catch (failure) {
        if (!stopped) setError(failure instanceof ApiError ? failure.message : String(failure));
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [batchId]);

  const base = `/v1/batches/${encodeURIComponent(batchId)}`;
  const finished = batch ? FINISHED.has(batch.status) : false;
  const done = batch ? batch.counts.succeeded + batch.counts.failed + batch.counts.canceled : 0;
  return (
    <section class="storyboard" aria-labelledby="storyboard-heading" aria-busy={!finished}>
      <h2 id="storyboard-heading">{t('script.storyboard')}</h2>
      {batch && (
        <p class="hint" role="status">
          {format('script.progress', { done, total: batch.total, failed: batch.counts.failed })}
        </p>
      )}
      {batch && <progress max={batch.total} value={done} aria-label={t('script.storyboard')} />}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {sheet && (
        <ol class="storyboard-rows">
          {sheet.segments.map((segment) => (
            <li key={segment.segment} class="storyboard-row" data-status={segment.status}>
              <h3>
                {String(segment.segment).padStart(2, '0')} {segment.time ?? ''} {segment.title}
              </h3>
              <ul class="storyboard-visuals">
                {segment.visuals.map((visual) => (
                  <li
                    key={visual.role}
                    class="storyboard-visual"
                    data-role={visual.role}
                    data-status={visual.status}
                  >
                    {visual.urls[0] ? (
                      <a href={visual.urls[0]} target="_blank" rel="noreferrer">
                        <img
                          src={`${visual.urls[0]}&w=384`}
                          alt={`${segment.title}: ${t(`visual.${visual.role}` as MessageId)}`}
                        />
                      </a>
                    ) : (
                      <div class="storyboard-placeholder">
                        {visual.status === 'failed' ? t('script.failedVisual') : t('script.waiting')}
                      </div>
                    )}
                    <span class="storyboard-caption">{t(`visual.${visual.role}` as MessageId)}</span>
                    {visual.error && <span class="error">{visual.error}</span>}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {finished && (
        <div class="actions downloads">
          <a class="download" href={`${base}/images.zip`} download>
            {t('script.zip')}
          </a>
          <a class="download" href={`${base}/run-sheet.csv`} download>
            {t('script.runSheet')}
          </a>
          <VideoDownload base={base} />
        </div>
      )}
    </section>
  );
}

/**
 * Asks for the slideshow (made with ffmpeg on first request, then kept), then offers it to play and
 * download from the server (the page's security policy plays only same-origin media).
 */
function VideoDownload(props: { base: string }) {
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'making' }
    | { kind: 'ready'; seconds: string }
    | { kind: 'failed'; message: string }
  >({ kind: 'idle' });
  const url = `${props.base}/video.mp4`;
  const make = async () => {
    setState({ kind: 'making' });
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { error?: { message: string } } | null;
      setState({ kind: 'failed', message: body?.error?.message ?? response.statusText });
      return;
    }
    await response.body?.cancel();
    setState({ kind: 'ready', seconds: response.headers.get('x-video-seconds') ?? '' });
  };
  if (state.kind === 'ready') {
    return (
      <span class="video-ready">
        <a class="download" href={url} download>
          {format('script.videoReady', { seconds: state.seconds })}
        </a>
        <video src={url} controls muted preload="metadata" width={180} aria-label={t('script.video')} />
      </span>
    );
  }
  return (
    <span>
      <button type="button" class="secondary" disabled={state.kind === 'making'} onClick={() => void make()}>
        {state.kind === 'making' ? t('script.videoMaking') : t('script.video')}
      </button>
      {state.kind === 'failed' && (
        <span class="error" role="alert">
          {' '}
          {state.message}
        </span>
      )}
    </span>
  );
}
