import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy } from '@fastify/busboy';
import type { Context } from 'hono';
import { AppError, invalidRequest } from '../domain/errors.ts';

/** Text fields of a form are small: names, slugs, a column mapping. */
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 100;
const MAX_FILES = 4;

/**
 * Reads a multipart/form-data body as it streams in (@fastify/busboy), so a 10 MB upload is parsed
 * a network chunk at a time instead of in one blocking step, and hands it to Hono's body cache: the
 * routes' `c.req.parseBody()` then returns it without reading the body again. Any field order works.
 * The request's body-size limit still applies (it wraps the stream read here).
 */
export async function readMultipart(c: Context): Promise<FormData> {
  // Hono keeps each parsed form of the body as a promise, though its type says the value.
  const cache = c.req.bodyCache as { formData?: Promise<FormData> };
  cache.formData ??= parse(c);
  return cache.formData;
}

async function parse(c: Context): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  const body = c.req.raw.body;
  const form = new FormData();
  if (!body) return form;
  let busboy: ReturnType<typeof Busboy>;
  try {
    busboy = Busboy({
      headers: { 'content-type': type },
      limits: { fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS, files: MAX_FILES },
    });
  } catch {
    throw invalidRequest('The multipart body has no boundary', [
      { field: 'body', message: 'is not valid multipart/form-data' },
    ]);
  }
  const files: Array<Promise<void>> = [];
  let problem: AppError | null = null;
  busboy.on('field', (name, value, _nameTruncated, valueTruncated) => {
    if (valueTruncated)
      problem ??= invalidRequest(`The form field ${name} is longer than ${MAX_FIELD_BYTES} bytes`, [
        { field: name, message: `is longer than ${MAX_FIELD_BYTES} bytes` },
      ]);
    form.append(name, value);
  });
  busboy.on('file', (name, stream, filename, _encoding, mimeType) => {
    files.push(
      (async () => {
        const chunks: Uint8Array[] = [];
        for await (const chunk of stream) chunks.push(chunk as Uint8Array);
        form.append(name, new File(chunks, filename || name, { type: mimeType }));
      })(),
    );
  });
  for (const limit of ['fieldsLimit', 'filesLimit', 'partsLimit'] as const) {
    busboy.on(limit, () => {
      problem ??= invalidRequest('The form has too many fields or files', [
        { field: 'body', message: `at most ${MAX_FIELDS} fields and ${MAX_FILES} files` },
      ]);
    });
  }
  try {
    await pipeline(Readable.fromWeb(body as never), busboy);
    await Promise.all(files);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof AppError) throw cause;
    throw invalidRequest('The multipart body could not be read', [
      { field: 'body', message: `is not valid multipart/form-data (${(error as Error).message})` },
    ]);
  }
  if (problem) throw problem;
  return form;
}
