import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../domain/errors.ts';
import { abortError, errorFromStatus, joinUrl, parseJsonBody, sniffImageFormat } from './http.ts';
import {
  parseGoDuration,
  parseRetryAfter,
  parseRetryHintFromMessage,
  retryAfterMsFrom,
  vendorQuotaFrom,
} from './retry-hints.ts';
import { fitFreeSize, nearestAspectRatio, nearestSize, parseSize, roundToMultiple } from './sizes.ts';

const label = { providerId: 'openai', vendor: 'OpenAI' };

describe('retry hints', () => {
  it('parses Go-style durations', () => {
    assert.equal(parseGoDuration('20ms'), 20);
    assert.equal(parseGoDuration('1.8s'), 1800);
    assert.equal(parseGoDuration('6m0s'), 360_000);
    assert.equal(parseGoDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseGoDuration('soon'), undefined);
    assert.equal(parseGoDuration('5 s'), undefined);
    assert.equal(parseGoDuration(''), undefined);
  });

  it('parses retry-after as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter('2.5', now), 2500);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('later', now), undefined);
  });

  it('reads the wait from OpenAI message text', () => {
    assert.equal(
      parseRetryHintFromMessage('Rate limit reached. Please try again in 10.666s. Visit…'),
      10_666,
    );
    assert.equal(parseRetryHintFromMessage('Please try again in 6m0s.'), 360_000);
    assert.equal(parseRetryHintFromMessage('Please try again in 20ms.'), 20);
    assert.equal(parseRetryHintFromMessage('You exceeded your current quota'), undefined);
  });

  it('prefers retry-after-ms, then retry-after, then the message, then the exhausted reset header', () => {
    const headers = (entries: Record<string, string>) => new Headers(entries);
    assert.equal(
      retryAfterMsFrom(headers({ 'retry-after-ms': '150', 'retry-after': '9' }), 'try again in 3s'),
      150,
    );
    assert.equal(retryAfterMsFrom(headers({ 'retry-after': '9' }), 'try again in 3s'), 9000);
    assert.equal(retryAfterMsFrom(headers({}), 'Please try again in 3s.'), 3000);
    assert.equal(
      retryAfterMsFrom(
        headers({
          'x-ratelimit-reset-requests': '20ms',
          'x-ratelimit-remaining-requests': '5',
          'x-ratelimit-reset-tokens': '1.8s',
          'x-ratelimit-remaining-tokens': '0',
        }),
      ),
      1800,
    );
    assert.equal(
      retryAfterMsFrom(headers({ 'x-ratelimit-reset-requests': '6m0s', 'x-ratelimit-reset-tokens': '1s' })),
      360_000,
    );
    assert.equal(retryAfterMsFrom(headers({}), 'Rate limit reached'), undefined);
  });

  it('reads the request quota any answer reports, in each vendor family', () => {
    const headers = (entries: Record<string, string>) => new Headers(entries);
    assert.deepEqual(
      vendorQuotaFrom(
        headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '734ms' }),
      ),
      { remaining: 0, resetMs: 734 },
    );
    assert.deepEqual(vendorQuotaFrom(headers({ 'ratelimit-remaining': '3', 'ratelimit-reset': '2' })), {
      remaining: 3,
      resetMs: 2000,
    });
    const now = 1_700_000_000_000;
    assert.deepEqual(
      vendorQuotaFrom(headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000005' }), now),
      { remaining: 0, resetMs: 5000 },
      'a Unix time in seconds',
    );
    assert.deepEqual(vendorQuotaFrom(headers({ 'x-ratelimit-remaining': 'lots' })), {
      remaining: undefined,
      resetMs: undefined,
    });
    assert.deepEqual(vendorQuotaFrom(headers({})), {});
  });
});

describe('status mapping', () => {
  it('maps statuses onto the taxonomy', () => {
    const map = (status: number) => errorFromStatus(label, { status, message: 'm' });
    assert.deepEqual([map(429).code, map(429).retryable], ['rate_limited', true]);
    assert.deepEqual([map(402).code, map(402).retryable], ['quota_exceeded', false]);
    assert.deepEqual([map(401).code, map(401).retryable], ['provider_unavailable', false]);
    assert.match(map(401).message, /rejected our API key/);
    assert.deepEqual([map(400).code, map(400).retryable], ['invalid_request', false]);
    assert.deepEqual([map(422).code, map(422).retryable], ['invalid_request', false]);
    assert.deepEqual([map(503).code, map(503).retryable], ['provider_unavailable', true]);
    assert.equal(errorFromStatus(label, { status: 429, message: 'm', retryAfterMs: 5 }).retryAfterMs, 5);
  });

  it('carries the request id in details', () => {
    const error = errorFromStatus(label, { status: 500, message: 'boom', requestId: 'req_1' });
    assert.equal((error.details as { requestId: string }).requestId, 'req_1');
  });

  it('rejects with the abort reason when it is an AppError, else canceled', () => {
    const timeout = new AppError('provider_unavailable', 'timed out');
    const withReason = new AbortController();
    withReason.abort(timeout);
    assert.equal(abortError(withReason.signal, 'x'), timeout);
    const plain = new AbortController();
    plain.abort();
    const error = abortError(plain.signal, 'The call');
    assert.deepEqual([error.code, error.retryable], ['canceled', false]);
  });
});

describe('response parsing', () => {
  it('reports malformed JSON and schema mismatches as provider_response_invalid', async () => {
    const { z } = await import('zod');
    const schema = z.object({ data: z.array(z.object({ b64_json: z.string() })) });
    assert.throws(() => parseJsonBody(label, '{"data":', schema), { code: 'provider_response_invalid' });
    assert.throws(() => parseJsonBody(label, '{"data":[{}]}', schema), /data\.0\.b64_json/);
    assert.deepEqual(parseJsonBody(label, '{"data":[{"b64_json":"x"}],"extra":1}', schema), {
      data: [{ b64_json: 'x' }],
    });
  });

  it('sniffs image formats from magic numbers', () => {
    assert.equal(sniffImageFormat(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d])), 'png');
    assert.equal(sniffImageFormat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), 'jpeg');
    assert.equal(sniffImageFormat(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 ')), 'webp');
    assert.equal(sniffImageFormat(new TextEncoder().encode('<html>')), undefined);
  });

  it('joins base urls and paths', () => {
    assert.equal(joinUrl('http://h:1/', '/v1/x'), 'http://h:1/v1/x');
    assert.equal(joinUrl('http://h:1/api', 'v1/x'), 'http://h:1/api/v1/x');
  });
});

describe('size mapping', () => {
  const openaiSizes = ['1024x1024', '1536x1024', '1024x1536'].map(parseSize);
  it('picks the closest aspect ratio first', () => {
    assert.deepEqual(nearestSize({ width: 1200, height: 800 }, openaiSizes), { width: 1536, height: 1024 });
    assert.deepEqual(nearestSize({ width: 900, height: 1000 }, openaiSizes), { width: 1024, height: 1024 });
    assert.deepEqual(nearestSize({ width: 600, height: 1200 }, openaiSizes), { width: 1024, height: 1536 });
  });

  it('breaks ratio ties by the closest area', () => {
    const sizes = [
      { width: 512, height: 512 },
      { width: 1024, height: 1024 },
    ];
    assert.deepEqual(nearestSize({ width: 600, height: 600 }, sizes), { width: 512, height: 512 });
    assert.deepEqual(nearestSize({ width: 2000, height: 2000 }, sizes), { width: 1024, height: 1024 });
  });

  it('picks the nearest aspect ratio string', () => {
    const ratios = ['16:9', '1:1', '21:9', '2:3', '3:2', '4:5', '5:4', '9:16', '9:21'];
    assert.equal(nearestAspectRatio({ width: 1920, height: 1080 }, ratios), '16:9');
    assert.equal(nearestAspectRatio({ width: 800, height: 1000 }, ratios), '4:5');
    assert.equal(nearestAspectRatio({ width: 1000, height: 1000 }, ratios), '1:1');
    assert.equal(nearestAspectRatio({ width: 300, height: 1000 }, ratios), '9:21');
  });

  it('fits free sizes into bounds, steps and the pixel budget', () => {
    const nova = { minSide: 320, maxSide: 4096, maxPixels: 4_194_304, step: 16, maxRatio: 4 };
    assert.deepEqual(fitFreeSize({ width: 1000, height: 1000 }, nova), { width: 1008, height: 1008 });
    const big = fitFreeSize({ width: 4096, height: 4096 }, nova);
    assert.ok(big.width * big.height <= 4_194_304 && big.width % 16 === 0);
    assert.deepEqual(fitFreeSize({ width: 100, height: 200 }, nova), { width: 320, height: 640 });
    const wide = fitFreeSize({ width: 8000, height: 500 }, nova);
    assert.ok(wide.width / wide.height <= 4.1 && wide.width <= 4096 && wide.height >= 320);
    assert.equal(roundToMultiple(1001, 8), 1000);
    assert.equal(roundToMultiple(3, 8), 8);
  });
});
