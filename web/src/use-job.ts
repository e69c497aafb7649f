import { useEffect, useState } from 'preact/hooks';
import { type Job, request } from './api.ts';

export interface JobState {
  status: Job['status'];
  /** 0..1 over the whole job; image i is done when progress * n passes i + 1. */
  progress: number;
  job: Job | null;
}

/**
 * Follows a job through its server-sent events (`status`, `progress`, then `done` with the finished
 * job). The session cookie goes with the EventSource request, as it is same-origin.
 */
export function useJob(initial: Job): JobState {
  const [state, setState] = useState<JobState>({
    status: initial.status,
    progress: initial.progress,
    job: isFinished(initial.status) ? initial : null,
  });

  useEffect(() => {
    if (isFinished(initial.status)) return;
    const source = new EventSource(`/v1/jobs/${encodeURIComponent(initial.id)}/events`);
    let finished = false;
    source.addEventListener('status', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { status?: Job['status'] };
      if (data.status) setState((now) => ({ ...now, status: data.status! }));
    });
    source.addEventListener('progress', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as { progress: number };
      setState((now) => ({ ...now, status: 'running', progress: Math.max(now.progress, data.progress) }));
    });
    source.addEventListener('done', (event) => {
      finished = true;
      // The server ends the stream after `done`; closing first keeps EventSource from reconnecting.
      source.close();
      const job = JSON.parse((event as MessageEvent<string>).data) as Job;
      setState({ status: job.status, progress: 1, job });
    });
    source.onerror = () => {
      if (finished) return;
      // A dropped stream (server restart, proxy timeout): read the job once instead of retrying blind.
      source.close();
      request<Job>('GET', `/v1/jobs/${encodeURIComponent(initial.id)}`).then(
        (job) =>
          setState({ status: job.status, progress: job.progress, job: isFinished(job.status) ? job : null }),
        () => setState((now) => ({ ...now, status: 'failed' })),
      );
    };
    return () => source.close();
  }, [initial.id]);
  return state;
}

function isFinished(status: Job['status']): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled';
}
