import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AppError } from '../../src/domain/errors.ts';
import type { ImageCall } from '../../src/providers/spec.ts';
import { withDeadline } from '../support/wait.ts';
import { contractSubjects } from './contract-subjects.ts';

/**
 * The one contract every real adapter meets, each against its protocol-faithful fake backend:
 * images with seeds, the error taxonomy, aborts, progress, health.
 */

const baseCall: ImageCall = {
  prompt: 'a ceramic mug, studio light',
  negativePrompt: 'blurry',
  model: '',
  width: 1024,
  height: 1024,
  format: 'png',
  seeds: [11],
  layout: null,
};

for (const subject of contractSubjects) {
  describe(`contract: ${subject.name}`, () => {
    before(() => subject.start());
    after(() => subject.stop());

    const generate = (call: Partial<ImageCall> = {}, signal: AbortSignal = AbortSignal.timeout(5000)) =>
      subject.provider().generate({ ...baseCall, ...call }, signal);

    it('generates the asked number of images, one seed each', async () => {
      const seeds = subject.seedsForBatch;
      const result = await generate({ seeds });
      assert.equal(result.images.length, seeds.length);
      for (const image of result.images) {
        assert.ok(image.bytes.length > 8, 'image bytes');
        assert.equal(image.format, 'png');
        assert.equal(typeof image.seed, 'number');
      }
      if (subject.seedsHonored) {
        assert.deepEqual(
          result.images.map((image) => image.seed),
          [...seeds],
        );
      }
      assert.ok(result.model.length > 0);
    });

    it('maps 429 with a retry hint to rate_limited with retryAfterMs', {
      skip: !subject.rateLimits,
    }, async () => {
      subject.server().script('rate_limit_with_hint');
      const error = await rejection(generate());
      assert.deepEqual([error.code, error.retryable], ['rate_limited', true]);
      assert.equal(error.retryAfterMs, subject.rateLimitHintMs);
    });

    it('maps 429 without a hint to rate_limited with no retryAfterMs', {
      skip: !subject.rateLimits,
    }, async () => {
      subject.server().script('rate_limit');
      const error = await rejection(generate());
      assert.deepEqual([error.code, error.retryable, error.retryAfterMs], ['rate_limited', true, undefined]);
    });

    it('maps a content filter to provider_rejected, never retried', {
      skip: !subject.contentFilter,
    }, async () => {
      subject.server().script('content_filter');
      const error = await rejection(generate());
      assert.deepEqual([error.code, error.retryable], ['provider_rejected', false]);
    });

    it('maps a server error to a retryable provider_unavailable', async () => {
      subject.server().script('server_error');
      const error = await rejection(generate());
      assert.deepEqual([error.code, error.retryable], ['provider_unavailable', true]);
    });

    it('maps a dropped connection to a retryable provider_unavailable', async () => {
      subject.server().script('drop');
      const error = await rejection(generate());
      assert.deepEqual([error.code, error.retryable], ['provider_unavailable', true]);
    });

    it('maps a malformed body to provider_response_invalid', async () => {
      subject.server().script('malformed');
      const error = await rejection(generate());
      assert.equal(error.code, 'provider_response_invalid');
    });

    it('maps an answer without an image to provider_response_invalid', async () => {
      subject.server().script('no_image');
      const error = await rejection(generate());
      assert.equal(error.code, 'provider_response_invalid');
    });

    it('stops promptly on abort, and the backend sees the cancel', async () => {
      subject.server().script('hang');
      const controller = new AbortController();
      const started = subject.waitForGenerationStarted();
      const pending = generate({}, controller.signal);
      await withDeadline(started, 3000, 'the backend to receive the call');
      const cancelSeen = subject.waitForCancel();
      controller.abort();
      const error = await withDeadline(rejection(pending), 1000, 'the abort to reject');
      assert.deepEqual([error.code, error.retryable], ['canceled', false]);
      await withDeadline(cancelSeen, 3000, 'the backend to see the cancel');
    });

    it('rejects with the signal reason when it is an AppError', async () => {
      subject.server().script('hang');
      const controller = new AbortController();
      const started = subject.waitForGenerationStarted();
      const pending = generate({}, controller.signal);
      await withDeadline(started, 3000, 'the backend to receive the call');
      const { AppError } = await import('../../src/domain/errors.ts');
      const timeout = new AppError('provider_unavailable', 'timed out after 1 ms');
      controller.abort(timeout);
      assert.equal(await withDeadline(rejection(pending), 1000, 'the abort to reject'), timeout);
    });

    it('reports progress', { skip: !subject.progress }, async () => {
      const fractions: number[] = [];
      await generate({ onProgress: (fraction) => fractions.push(fraction) });
      assert.ok(fractions.length >= 2, `progress events: ${fractions.join(', ')}`);
      assert.ok(fractions.every((fraction) => fraction >= 0 && fraction <= 1));
      assert.ok(fractions.at(-1)! > fractions[0]!);
    });

    it('checks health', async () => {
      const health = await subject.provider().checkHealth(AbortSignal.timeout(5000));
      assert.equal(health.ok, true, health.message);
      assert.ok(!Number.isNaN(Date.parse(health.checkedAt)));
    });

    it('reports an unreachable backend as unhealthy', async () => {
      const health = await subject.unreachableProvider().checkHealth(AbortSignal.timeout(5000));
      assert.equal(health.ok, false);
      assert.ok((health.message ?? '').length > 0);
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  assert.fail('expected the call to reject');
}
