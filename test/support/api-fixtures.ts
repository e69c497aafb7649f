import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { HttpResponse, Loose } from './http.ts';

/** Assertions and fixtures shared by the HTTP API end-to-end tests. */

const STACK_TRACE = /\n\s+at |\bat [\w.<>]+ \(|node:internal|node_modules|\.ts:\d+/;

/** Asserts the contract's error answer: status, `{error: {code, message}}`, and nothing of a stack. */
export function assertError(response: HttpResponse<Loose>, status: number, code: string) {
  assert.equal(
    response.status,
    status,
    `expected ${status} ${code}, got ${response.status}: ${response.text}`,
  );
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(typeof response.body, 'object');
  assert.deepEqual(Object.keys(response.body), ['error']);
  assert.equal(response.body.error.code, code);
  assert.equal(typeof response.body.error.message, 'string');
  assert.ok(response.body.error.message.length > 0);
  assert.doesNotMatch(response.text, STACK_TRACE, 'an error body carries no stack trace');
}

/** The fields that `details.issues` of a 400 names. */
export function issueFields(response: HttpResponse<Loose>): string[] {
  return (response.body.error.details?.issues ?? []).map((issue: { field: string }) => issue.field);
}

/**
 * POSTs `body` on a connection of its own (chunked, or with a Content-Length) and reads the answer.
 * A server that refuses a large body may close the connection once it answered; a pooled
 * connection would then fail the next test's request.
 */
export async function postOnOwnConnection(
  url: string,
  key: string,
  body: string,
  options: { chunked: boolean },
): Promise<HttpResponse<Loose>> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(options.chunked
          ? { 'transfer-encoding': 'chunked' }
          : { 'content-length': String(Buffer.byteLength(body)) }),
      },
    });
    let answered = false;
    request.on('response', (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(response.headers))
          if (typeof value === 'string') headers.set(name, value);
        resolve({ status: response.statusCode ?? 0, headers, body: JSON.parse(text), text });
      });
    });
    // The server may close the connection before it read the whole body; the answer still counts.
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    for (let at = 0; at < body.length; at += 64 * 1024) request.write(body.slice(at, at + 64 * 1024));
    request.end();
  });
}

export const hero = (title = 'Linen shirt') => ({
  template: 'product_hero',
  params: { title, price: '$49' },
});

/** A custom template with a layout of its own: a brand background and a title. */
export const bannerTemplate = {
  name: 'test_banner',
  description: 'A wide banner made by the test',
  width: 640,
  height: 320,
  params: [
    { name: 'title', required: true, max_length: 60 },
    { name: 'tagline', max_length: 80 },
  ],
  prompt_pattern: 'Wide banner for {title}, {tagline}, {brand.mood}',
  layout: {
    version: 1,
    referenceWidth: 640,
    layers: [
      { type: 'background', style: 'linear-gradient', colors: ['primary', 'secondary'] },
      { type: 'shape', shape: 'rect', box: { x: 0.05, y: 0.6, w: 0.9, h: 0.02 }, color: 'accent' },
      {
        type: 'text',
        param: 'title',
        box: { x: 0.08, y: 0.15, w: 0.84, h: 0.4 },
        maxSize: 64,
        minSize: 18,
        color: '#ffffff',
      },
      {
        type: 'text',
        param: 'tagline',
        box: { x: 0.08, y: 0.68, w: 0.84, h: 0.2 },
        maxSize: 28,
        minSize: 12,
        font: 'body',
        weight: 400,
        color: '#ffffff',
      },
    ],
  },
};
