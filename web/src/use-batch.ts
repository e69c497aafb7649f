import { useEffect, useState } from 'preact/hooks';
import { request } from './api.ts';
import { type Batch, isBatchFinished } from './batch-api.ts';

export interface LiveBatch {
  batch: Batch | null;
  /** The event stream dropped; EventSource reconnects by itself. */
  reconnecting: boolean;
  error: string | null;
  /** Replaces the batch (after cancel or retry) and follows it again if it is running once more. */
  update(next: Batch): void;
}

/**
 * A batch kept current by `GET /v1/batches/{id}/events` (server-sent events, the session cookie
 * goes along same-origin): `progress` when counts change, then `done` and the stream ends.
 */
export function useBatch(id: string | null, initial: Batch | null): LiveBatch {
  const [batch, setBatch] = useState<Batch | null>(initial);
  const [reconnecting, setReconnecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Bumped when a finished batch runs again (retry), so the stream is opened anew.
  const [round, setRound] = useState(0);

  useEffect(() => {
    setBatch(initial?.id === id ? initial : null);
    setError(null);
    if (!id) return;
    if (initial?.id !== id) {
      request<Batch>('GET', `/v1/batches/${encodeURIComponent(id)}`).then(setBatch, (failure: Error) =>
        setError(failure.message),
      );
    }
  }, [id]);

  const finished = batch ? isBatchFinished(batch.status) : false;
  useEffect(() => {
    if (!id || finished) return;
    const source = new EventSource(`/v1/batches/${encodeURIComponent(id)}/events`);
    const receive = (event: MessageEvent<string>) => {
      setReconnecting(false);
      setBatch(JSON.parse(event.data) as Batch);
    };
    source.addEventListener('progress', receive);
    source.addEventListener('done', (event) => {
      receive(event);
      source.close();
    });
    source.onerror = () => setReconnecting(source.readyState !== EventSource.CLOSED);
    return () => source.close();
  }, [id, finished, round]);

  return {
    batch,
    reconnecting: reconnecting && !finished,
    error,
    update(next) {
      setBatch(next);
      if (!isBatchFinished(next.status)) setRound((value) => value + 1);
    },
  };
}
