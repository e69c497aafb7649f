import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../domain/errors.ts';
import type { ImageCall, ImageProvider, ImageResult } from '../spec.ts';
import { CallLimiter } from './call-limiter.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { guardProvider } from './guarded-provider.ts';

const flush = () => new Promise((resolve) => setImmediate(resolve));

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
  test('starts calls evenly spaced at the configured pace, never in a burst', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
    const limiter = new CallLimiter({ requestsPerSecond: 10, maxConcurrency: 100 });
    const { granted } = acquireAll(limiter, 5);
    await flush();
    assert.deepEqual(granted, [0]);
    for (let step = 0; step < 4; step += 1) {
      t.mock.timers.tick(102);
      await flush();
    }
    // 10 a second less a 1.5% safety margin: 101.5 ms apart, on whole-millisecond timers.
    assert.deepEqual(granted, [0, 102, 204, 306, 408]);
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
    for (let step = 0; step < 5; step += 1) {
      t.mock.timers.tick(102);
      await flush();
    }
    assert.equal(first.granted.length, 6);
    assert.equal(limiter.penalize(2000), 2000, 'the rejected call waits its hint');
    assert.equal(limiter.state().pausedUntil, null, 'the others do not stop');
    assert.equal(limiter.state().requestsPerSecond, 10, 'the configured pace stands');
    limiter.penalize(2000);
    limiter.penalize(2000);
    assert.ok(
      Math.abs((limiter.state().requestsPerSecond ?? 0) - 5.7) < 1e-9,
      'below the 6 calls/s observed',
    );
    const later = acquireAll(limiter, 1);
    t.mock.timers.tick(1999);
    await flush();
    assert.equal(later.granted.length, 0, 'nobody starts during the pause');
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(later.granted, [2510]);
    assert.equal(limiter.state().rateLimitedCalls, 3);
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
