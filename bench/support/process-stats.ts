/**
 * What a benchmark needs to know about the processes it runs, beyond wall-clock time: CPU seconds
 * spent (which a shared, busy machine does not inflate the way it inflates elapsed time), memory by
 * kind, and CPU profiles of a measured phase only. Linux /proc is read for child processes; on other
 * systems their figures are absent.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface ChildStat {
  pid: number;
  cpuMs: number;
  rssBytes: number;
}

/** Direct children of `parentPid` (render processes, workers), with their CPU time and RSS. */
export function childProcesses(parentPid = process.pid): ChildStat[] {
  // The kernel lists a thread's children in /proc/PID/task/TID/children; reading only those keeps
  // the sampling cheap on a machine running hundreds of processes.
  let pids: string[];
  try {
    pids = readdirSync(`/proc/${parentPid}/task`).flatMap((thread) =>
      readFileSync(`/proc/${parentPid}/task/${thread}/children`, 'utf8').split(' ').filter(Boolean),
    );
  } catch {
    return [];
  }
  const children: ChildStat[] = [];
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces; fields start after it.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const pageSize = 4096;
      children.push({
        pid: Number(pid),
        cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
        rssBytes: Number(fields[21]) * pageSize,
      });
    } catch {
      // The process exited between the listing and the read.
    }
  }
  return children;
}

/**
 * CPU milliseconds spent by this process (all its threads, and its main thread alone: the event
 * loop) and by its children, from the call to `stop()`.
 */
export function cpuMeter() {
  const mainStart = process.cpuUsage();
  const threadStart = process.threadCpuUsage();
  const childStart = new Map(childProcesses().map((child) => [child.pid, child.cpuMs]));
  return {
    stop() {
      const main = process.cpuUsage(mainStart);
      const thread = process.threadCpuUsage(threadStart);
      const children = childProcesses().reduce(
        (sum, child) => sum + child.cpuMs - (childStart.get(child.pid) ?? 0),
        0,
      );
      return {
        mainMs: (main.user + main.system) / 1000,
        eventLoopMs: (thread.user + thread.system) / 1000,
        childrenMs: children,
      };
    },
  };
}

export interface MemorySample {
  rss: number;
  heapUsed: number;
  /** Memory outside the JS heap that V8 knows of: WebAssembly memories, Buffers. */
  external: number;
  arrayBuffers: number;
  /** The embedded database's WebAssembly memory (PGlite), when there is one. */
  wasm: number;
}

/** Samples memory every `intervalMs` and keeps the breakdown at the highest RSS. */
export function memoryPeak(options: { intervalMs: number; wasmBytes?: () => number }) {
  const sample = (): MemorySample => {
    const usage = process.memoryUsage();
    return {
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
      wasm: options.wasmBytes?.() ?? 0,
    };
  };
  const childrenRss = () => childProcesses().reduce((sum, child) => sum + child.rssBytes, 0);
  let peak = sample();
  let peakChildren = childrenRss();
  let ticks = 0;
  const timer = setInterval(() => {
    // process.memoryUsage.rss() is cheap; the full breakdown is taken only at a new peak.
    if (process.memoryUsage.rss() > peak.rss) peak = sample();
    if (++ticks % 5 === 0) peakChildren = Math.max(peakChildren, childrenRss());
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
      const last = sample();
      if (last.rss > peak.rss) peak = last;
      return { peak, peakChildrenRss: Math.max(peakChildren, childrenRss()) };
    },
  };
}

/** A CPU profile of this process between `start()` and `stop(file)` (open it in Chrome DevTools). */
export async function startCpuProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

export const toMb = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * A sampling allocation profile of this process between `start()` and `stop(file)`, counting
 * objects the garbage collector has already freed (what the collector's time goes to).
 */
export async function startAllocationProfile() {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 64 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return {
    async stop(file: string) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
