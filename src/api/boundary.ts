import type { Context, MiddlewareHandler } from 'hono';
import { type AppError, type FieldIssue, invalidRequest } from '../domain/errors.ts';
import { readMultipart } from './multipart.ts';

/**
 * The one check every request passes before any route sees it: text that PostgreSQL, Skia or a
 * file system cannot hold (a NUL, a lone UTF-16 surrogate) and JSON nested deeper than anything
 * Vitrine reads are refused as a 400 naming the field — in the path, the query, a JSON body or a
 * multipart form field. Routes then validate shapes with their schemas as before.
 */

/** Deeper JSON than this is refused (metadata is the deepest free-form field; 32 is plenty). */
export const MAX_JSON_DEPTH = 32;
/** Query values longer than this are refused (a search text, a cursor, an id). */
const MAX_QUERY_VALUE_CHARS = 4096;

/** Why `text` cannot be stored as it is, or null. */
export function unsafeTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (!text.isWellFormed()) return 'contains a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** The first problem in a parsed JSON value: a bad string or key, or nesting past `MAX_JSON_DEPTH`. */
export function jsonProblem(value: unknown): FieldIssue | null {
  // Iterative, so a hostile depth cannot overflow our own stack either.
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = unsafeTextProblem(current);
      if (problem) return { field: fieldName(path), message: problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= MAX_JSON_DEPTH) {
      return { field: fieldName(path), message: `is nested deeper than ${MAX_JSON_DEPTH} levels` };
    }
    if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--)
        stack.push({ value: current[index], path: [...path, String(index)] });
      continue;
    }
    const entries = Object.entries(current as Record<string, unknown>);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, item] = entries[index]!;
      const problem = unsafeTextProblem(key);
      if (problem) return { field: fieldName(path), message: `has a key that ${problem}` };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

function fieldName(path: readonly string[]): string {
  if (path.length === 0) return 'body';
  const name = path.join('.');
  return name.length > 200 ? `${name.slice(0, 200)}…` : name;
}

function refuse(issue: FieldIssue): AppError {
  return invalidRequest(`Invalid request: ${issue.field}: ${issue.message}`, [issue]);
}

/** Path and query: before authentication (cheap, and nothing is read). */
export function checkRequestLine(): MiddlewareHandler {
  return async function checkPathAndQuery(c, next) {
    const url = new URL(c.req.url);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      throw refuse({ field: 'path', message: 'is not valid percent-encoded UTF-8' });
    }
    const pathProblem = unsafeTextProblem(path);
    if (pathProblem) throw refuse({ field: 'path', message: pathProblem });
    for (const [name, value] of url.searchParams) {
      const problem = unsafeTextProblem(name) ?? unsafeTextProblem(value);
      if (problem) throw refuse({ field: name || 'query', message: problem });
      if (value.length > MAX_QUERY_VALUE_CHARS)
        throw refuse({ field: name, message: `is longer than ${MAX_QUERY_VALUE_CHARS} characters` });
    }
    await next();
  };
}

/**
 * JSON bodies and multipart text fields: after authentication and the body-size limit. The parsed
 * body is cached by Hono, so the route's own validator reads the same value without parsing again.
 */
export function checkRequestBody(): MiddlewareHandler {
  return async function checkBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const type = c.req.header('content-type') ?? '';
    if (/^application\/(.+\+)?json/i.test(type)) await checkJson(c);
    else if (/^multipart\/form-data/i.test(type)) await checkForm(c);
    await next();
  };
}

async function checkJson(c: Context): Promise<void> {
  const text = await c.req.text();
  // An empty body is for the route to judge (some POSTs take none).
  if (text.trim() === '') return;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidRequest('The body is not valid JSON', [{ field: 'body', message: 'is not valid JSON' }]);
  }
  const issue = jsonProblem(body);
  if (issue) throw refuse(issue);
  // The route's validator reads this instead of parsing the text again.
  c.req.bodyCache.json = Promise.resolve(body);
}

async function checkForm(c: Context): Promise<void> {
  const form = await readMultipart(c);
  for (const [name, value] of form) {
    const nameProblem = unsafeTextProblem(name);
    if (nameProblem) throw refuse({ field: 'body', message: `has a field name that ${nameProblem}` });
    if (typeof value !== 'string') continue;
    const problem = unsafeTextProblem(value);
    if (problem) throw refuse({ field: name, message: problem });
  }
}
