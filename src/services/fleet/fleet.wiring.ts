import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { VERSION } from '../../app/version.ts';
import { WorkerRepository } from '../../db/worker.repository.ts';
import type { ServiceDeps } from '../deps.ts';
import { FleetService } from './fleet.service.ts';
import { WorkerHeartbeat } from './worker-heartbeat.ts';

export interface FleetCapability {
  fleet: FleetService;
  /** Present in a process that runs workers. */
  heartbeat: WorkerHeartbeat | null;
}

/** A name for this worker process that an operator recognises: host, pid and a random tail. */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
}

/** The fleet: worker heartbeats (when this process runs workers) and the list every node can read. */
export function wireFleet(
  deps: Pick<ServiceDeps, 'db' | 'providers' | 'logger'>,
  options: {
    workerId: string;
    runsWorkers: boolean;
    heartbeatSeconds: number;
    staleSeconds: number;
    activity: () => { runningJobIds: string[]; finishedJobs: number };
  },
): FleetCapability {
  const workers = new WorkerRepository();
  const fleet = new FleetService(
    { db: deps.db, workers },
    {
      staleSeconds: options.staleSeconds,
      heartbeatSeconds: options.heartbeatSeconds,
      runsWorkers: options.runsWorkers,
    },
  );
  const heartbeat = options.runsWorkers
    ? new WorkerHeartbeat(
        { db: deps.db, workers, providers: deps.providers, logger: deps.logger },
        {
          worker: {
            id: options.workerId,
            host: hostname(),
            pid: process.pid,
            version: VERSION,
          },
          intervalSeconds: options.heartbeatSeconds,
          activity: options.activity,
        },
      )
    : null;
  return { fleet, heartbeat };
}
