import assert from 'node:assert/strict';
import { channel } from 'node:diagnostics_channel';
import { describe, test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import type { ImageCall, ImageProvider, ImageResult } from '../spec.ts';
import { CallLimiter } from './call-limiter.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { guardProvider } from './guarded-provider.ts';

const flush = () => new Promise((resolve) => setImmediate(resolve));

/** Moves the mocked clock one millisecond at a time, letting granted calls record the time. */
async function advance(t: { mock: { timers: { tick(ms: number): void } } }, ms: number) {
  for (let step = 0; step < ms; step += 1) {
    await flush();
    t.mock.timers.tick(1);
  }
  await flush();
}

/** Acquires `count` slots and records when (in mocked ms) each was granted. */
function acquireAll(limiter: CallLimiter, count: number, signal = new AbortController().signal) {
  const granted: number[] = [];
  const releases: (() => void)[] = [];
  for (let index = 0; index < count; index += 1) {
    limiter.acquire(signal).then((release) => {
      granted.push(Date.now());
      releases.push(release);
    });
  }
  return { granted, releases };
}

describe('CallLimiter', () => {
  test('lets at most N calls start in any window of a second (plus slack), a tenth of an interval apart', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ requestsPerSecond: 10, maxConcurrency: 100 });
    const { granted } = acquireAll(limiter, 22);
    await advance(t, 2100);
    const tens = (from: number) => Array.from({ length: 10 }, (_, index) => from + index * 10);
    // The vendor counts 10 in any second: 10 go at once (10 ms apart), the next 10 once the first
    // 10 are a second and 5 ms old, each paired with the call ten before it.
    assert.deepEqual(granted, [...tens(0), ...tens(1005), 2010, 2020]);
    for (let index = 10; index < granted.length; index += 1) {
      assert.ok((granted[index] ?? 0) - (granted[index - 10] ?? 0) >= 1005);
    }
  });

  test('a late start is not caught up: the windows after it move with it', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ requestsPerSecond: 2, maxConcurrency: 100 });
    const first = acquireAll(limiter, 2);
    await advance(t, 300);
    assert.deepEqual(first.granted, [0, 50]);
    // Idle until 1500: the next two find the window free and start at once, 50 ms apart.
    await advance(t, 1200);
    const second = acquireAll(limiter, 3);
    await advance(t, 1200);
    assert.deepEqual(second.granted, [1500, 1550, 2505]);
  });

  test('holds calls beyond the concurrency cap until one is released', async () => {
    const limiter = new CallLimiter({ maxConcurrency: 2 });
    const { granted, releases } = acquireAll(limiter, 3);
    await flush();
    assert.equal(granted.length, 2);
    assert.equal(limiter.state().waiting, 1);
    releases[0]?.();
    releases[0]?.(); // a second release of the same slot changes nothing
    await flush();
    assert.equal(granted.length, 3);
    assert.equal(limiter.state().inFlight, 2);
  });

  test('a lone hinted 429 delays only its call; a cluster pauses every caller and lowers the pace', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ requestsPerSecond: 10, maxConcurrency: 100 });
    const first = acquireAll(limiter, 6);
    await advance(t, 60);
    assert.deepEqual(first.granted, [0, 10, 20, 30, 40, 50]);
    assert.equal(limiter.penalize(2000), 2000, 'the rejected call waits its hint');
    assert.equal(limiter.state().pausedUntil, null, 'the others do not stop');
    assert.equal(limiter.state().requestsPerSecond, 10, 'the configured pace stands');
    assert.equal(limiter.pace().windowSlackMs, 10, 'the window widens by a step');
    limiter.penalize(2000);
    limiter.penalize(2000);
    assert.ok(
      Math.abs((limiter.state().requestsPerSecond ?? 0) - 5.7) < 1e-9,
      'below the 6 calls/s observed',
    );
    const later = acquireAll(limiter, 1);
    await advance(t, 1999);
    assert.equal(later.granted.length, 0, 'nobody starts during the pause');
    await advance(t, 1);
    assert.deepEqual(later.granted, [2060]);
    assert.equal(limiter.state().rateLimitedCalls, 3);
    for (let step = 0; step < 10; step += 1) limiter.penalize(1000);
    assert.equal(limiter.pace().windowSlackMs, 30, 'up to 3 % of the window');
  });

  test('a 429 on sparse traffic pauses without lowering the pace', () => {
    const limiter = new CallLimiter({ maxConcurrency: 4 });
    limiter.penalize(undefined);
    const state = limiter.state();
    assert.equal(state.requestsPerSecond, null);
    assert.ok(state.pausedUntil, 'paused for the blind backoff');
  });

  test('a waiting call whose signal aborts is dropped with its reason', async () => {
    const limiter = new CallLimiter({ maxConcurrency: 1 });
    const held = await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new AppError('canceled', 'job canceled', { retryable: false }));
    await assert.rejects(waiting, { code: 'canceled', message: 'job canceled' });
    assert.equal(limiter.state().waiting, 0);
    held();
  });
});

/** What undici announces when it has written a request's body to the socket. */
function announceBodyWritten(init?: RequestInit) {
  const headers = [...new Headers(init?.headers)].flat();
  channel('undici:request:bodySent').publish({ request: { headers } });
}

describe('pacing requests as they leave (pacedFetch)', () => {
  /** A vendor stand-in that records when (in mocked ms) each request reached it. */
  function vendor(headers: Record<string, string> = {}) {
    const sent: { at: number; method: string }[] = [];
    const fetchFunction = async (_input: string | URL | Request, init?: RequestInit) => {
      sent.push({ at: Date.now(), method: init?.method ?? 'GET' });
      return new Response('{}', { headers });
    };
    return { sent, fetchFunction };
  }

  /** A provider that waits `prepareMs[i]` (its own work: reading an input image…) before call i's requests. */
  function pacedProvider(send: typeof fetch, prepareMs: number[], requestsPerCall = 1): ImageProvider {
    let calls = 0;
    const provider = fakeProvider([
      async (signal) => {
        const wait = prepareMs[calls] ?? 0;
        calls += 1;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (let index = 0; index < requestsPerCall; index += 1) {
          await send('http://vendor.test/v1/images/generations', { method: 'POST', signal });
        }
        return { images: [], warnings: [], model: 'm' };
      },
    ]);
    return provider;
  }

  test('the pace holds where the vendor counts it: when requests leave, not when calls are granted', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limits = { requests_per_second: 1, max_concurrency: 4, timeout_ms: 60_000 };
    const limiter = new CallLimiter({ requestsPerSecond: 1, maxConcurrency: 4 });
    const { sent, fetchFunction } = vendor();
    // The first call spends 800 ms preparing; paced at its grant, the second call (granted a
    // window later) would leave only 205 ms after it.
    const provider = pacedProvider(limiter.pacedFetch(fetchFunction), [800, 0]);
    const guarded = guardProvider(provider, { limits, limiter, pacedByAdapter: true });
    const signal = new AbortController().signal;
    const calls = [guarded.generate(call, signal), guarded.generate(call, signal)];
    await advance(t, 1900);
    await Promise.all(calls);
    assert.deepEqual(
      sent.map((request) => request.at),
      [0, 1005],
    );
  });

  test('a call that sends two requests takes two turns; GETs and unguarded requests go straight out', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limits = { requests_per_second: 1, max_concurrency: 4, timeout_ms: 60_000 };
    const limiter = new CallLimiter({ requestsPerSecond: 1, maxConcurrency: 4 });
    const { sent, fetchFunction } = vendor();
    const paced = limiter.pacedFetch(fetchFunction);
    const guarded = guardProvider(pacedProvider(paced, [0], 2), { limits, limiter, pacedByAdapter: true });
    const done = guarded.generate(call, new AbortController().signal);
    await advance(t, 10);
    await paced('http://vendor.test/v1/models', { method: 'GET' });
    await paced('http://vendor.test/v1/images/generations', { method: 'POST' });
    await advance(t, 1000);
    await done;
    assert.deepEqual(sent, [
      { at: 0, method: 'POST' },
      { at: 10, method: 'GET' },
      { at: 10, method: 'POST' },
      { at: 1005, method: 'POST' },
    ]);
  });

  test('nobody leaves while the previous request is still on its way out; its window counts from its write', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limits = { requests_per_second: 2, max_concurrency: 4, timeout_ms: 60_000 };
    const limiter = new CallLimiter({ requestsPerSecond: 2, maxConcurrency: 4 });
    const written: number[] = [];
    // The first request's connection takes 300 ms to open; its body is written then.
    let requests = 0;
    const slowConnect = async (_input: string | URL | Request, init?: RequestInit) => {
      requests += 1;
      if (requests === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      announceBodyWritten(init);
      written.push(Date.now());
      return new Response('{}');
    };
    const guarded = guardProvider(pacedProvider(limiter.pacedFetch(slowConnect), []), {
      limits,
      limiter,
      pacedByAdapter: true,
    });
    const signal = new AbortController().signal;
    const calls = [0, 1, 2].map(() => guarded.generate(call, signal));
    await advance(t, 1400);
    await Promise.all(calls);
    // Two a second: the second waits for the first to be written (300), the third for a window
    // (1005 ms) after the first's write, not its turn.
    assert.deepEqual(written, [300, 350, 1305]);
  });

  test('a request that fails before it is written gives its turn back', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ requestsPerSecond: 10, maxConcurrency: 4 });
    let requests = 0;
    const refusedOnce = async (_input: string | URL | Request, init?: RequestInit) => {
      requests += 1;
      if (requests === 1) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
      announceBodyWritten(init);
      return new Response('{}');
    };
    const paced = limiter.pacedFetch(refusedOnce);
    const guarded = guardProvider(pacedProvider(paced, []), {
      limits: { requests_per_second: 10, max_concurrency: 4, timeout_ms: 60_000 },
      limiter,
      pacedByAdapter: true,
    });
    const signal = new AbortController().signal;
    const failing = assert.rejects(guarded.generate(call, signal), /fetch failed/);
    const next = guarded.generate(call, signal);
    await advance(t, 20);
    await failing;
    await next;
    assert.equal(requests, 2);
  });

  test('a vendor saying "0 remaining" pauses every caller until its reset, counted from when the call left', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limits = { max_concurrency: 4, timeout_ms: 60_000 };
    const limiter = new CallLimiter({ maxConcurrency: 4 });
    const { sent, fetchFunction } = vendor({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '500ms',
    });
    const guarded = guardProvider(pacedProvider(limiter.pacedFetch(fetchFunction), []), {
      limits,
      limiter,
      pacedByAdapter: true,
    });
    const signal = new AbortController().signal;
    await guarded.generate(call, signal);
    const second = guarded.generate(call, signal);
    await advance(t, 499);
    assert.equal(sent.length, 1, 'nobody leaves before the reset');
    await advance(t, 1);
    await second;
    assert.deepEqual(
      sent.map((request) => request.at),
      [0, 500],
    );
  });

  test('an answer that arrives after the reset it names pauses nobody', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ maxConcurrency: 4 });
    const slowVendor = async (_input: string | URL | Request, init?: RequestInit) => {
      announceBodyWritten(init);
      await new Promise((resolve) => setTimeout(resolve, 800));
      return new Response('{}', {
        headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '500ms' },
      });
    };
    const guarded = guardProvider(pacedProvider(limiter.pacedFetch(slowVendor), []), {
      limits: { max_concurrency: 4, timeout_ms: 60_000 },
      limiter,
      pacedByAdapter: true,
    });
    const first = guarded.generate(call, new AbortController().signal);
    await advance(t, 800);
    await first;
    assert.equal(limiter.state().pausedUntil, null);
  });
});

describe('CircuitBreaker', () => {
  test('opens after the threshold, lets one probe through after the cooldown, closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000, now: () => now });
    breaker.recordFailure('500');
    assert.equal(breaker.snapshot().state, 'closed');
    breaker.recordFailure('500');
    assert.equal(breaker.snapshot().state, 'open');
    assert.equal(breaker.tryAcquire(), false);
    assert.equal(breaker.msUntilRetry(), 1000);
    now = 1000;
    assert.equal(breaker.isAvailable(), true);
    assert.equal(breaker.tryAcquire(), true, 'the probe');
    assert.equal(breaker.tryAcquire(), false, 'only one probe at a time');
    breaker.recordFailure('500 again');
    assert.equal(breaker.snapshot().state, 'open', 'a failed probe opens it again');
    now = 2000;
    assert.equal(breaker.tryAcquire(), true);
    breaker.recordSuccess();
    assert.equal(breaker.snapshot().state, 'closed');
    assert.equal(breaker.snapshot().lastFailure, '500 again');
  });
});

function fakeProvider(answers: ((signal: AbortSignal) => Promise<ImageResult>)[]): ImageProvider & {
  calls: number;
} {
  const provider = {
    id: 'fake',
    kind: 'fake',
    defaultModel: 'm',
    models: ['m'],
    calls: 0,
    capabilities: {
      maxImagesPerCall: 1,
      seeds: true,
      negativePrompt: true,
      layouts: false,
      imageInput: false,
      formats: ['png'] as const,
      maxSide: 2048,
    },
    generate: (_call: ImageCall, signal: AbortSignal) => {
      const answer = answers[provider.calls] ?? answers[answers.length - 1];
      provider.calls += 1;
      if (!answer) throw new Error('no answer scripted');
      return answer(signal);
    },
    checkHealth: async () => ({ ok: true, checkedAt: new Date().toISOString() }),
  };
  return provider;
}

const call: ImageCall = {
  prompt: 'p',
  negativePrompt: '',
  model: 'm',
  width: 64,
  height: 64,
  format: 'png',
  seeds: [1],
  layout: null,
};
const ok = async (): Promise<ImageResult> => ({ images: [], warnings: [], model: 'm' });
const limits = { max_concurrency: 2, timeout_ms: 50 };

describe('guardProvider', () => {
  test('a 429 slows the provider down and the call goes through after the pause', async () => {
    const provider = fakeProvider([
      async () => {
        throw new AppError('rate_limited', '429', { retryAfterMs: 5 });
      },
      ok,
    ]);
    const guarded = guardProvider(provider, { limits: { ...limits, timeout_ms: 5000 } });
    await guarded.generate(call, new AbortController().signal);
    assert.equal(provider.calls, 2);
    assert.equal(guarded.guardState().calls.rateLimitedCalls, 1);
  });

  test('a call past its deadline is aborted and fails as provider_unavailable', async () => {
    let sawAbort = false;
    const provider = fakeProvider([
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          }),
        ),
    ]);
    const guarded = guardProvider(provider, { limits });
    await assert.rejects(guarded.generate(call, new AbortController().signal), {
      code: 'provider_unavailable',
      message: /did not answer within 50 ms/,
    });
    assert.ok(sawAbort, 'the adapter saw the deadline');
  });

  test('failures open the circuit; refusals do not count', async () => {
    const provider = fakeProvider([
      async () => {
        throw new AppError('provider_rejected', 'filtered', { retryable: false });
      },
      async () => {
        throw new AppError('provider_unavailable', '502');
      },
    ]);
    const guarded = guardProvider(provider, {
      limits,
      breaker: new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 }),
    });
    const signal = new AbortController().signal;
    await assert.rejects(guarded.generate(call, signal), { code: 'provider_rejected' });
    assert.equal(guarded.isAvailable(), true);
    await assert.rejects(guarded.generate(call, signal), { code: 'provider_unavailable', message: '502' });
    assert.equal(guarded.isAvailable(), false);
    await assert.rejects(guarded.generate(call, signal), { message: /circuit is open/ });
    assert.equal(provider.calls, 2, 'an open circuit sends nothing');
  });
});
