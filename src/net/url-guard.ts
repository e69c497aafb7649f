import { type FieldIssue, invalidRequest } from '../domain/errors.ts';
import { literalHostProblem } from './address-policy.ts';

/**
 * The request-time half of the SSRF guard: what can be told about a URL a user gave without any
 * lookup — not http(s), or a non-public address literal (in any notation) or `localhost`. Names
 * are judged again when connecting (safe-fetch.ts), where the resolved address is pinned.
 */
export function fetchableUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http(s) URL';
  if (allowPrivate) return null;
  const problem = literalHostProblem(url);
  return problem ? `refused: ${problem}` : null;
}

/** The issue naming `field` when `url` may not be fetched; null when it may. */
export function fetchableUrlIssue(url: string, field: string, allowPrivate: boolean): FieldIssue | null {
  const problem = fetchableUrlProblem(url, allowPrivate);
  return problem ? { field, message: problem } : null;
}

/** Throws a 400 naming `field` when `url` may not be fetched (see `fetchableUrlProblem`). */
export function assertFetchableUrl(
  url: string | null | undefined,
  field: string,
  allowPrivate: boolean,
): void {
  if (!url) return;
  const issue = fetchableUrlIssue(url, field, allowPrivate);
  if (issue) throw invalidRequest(`${field}: ${issue.message}`, [issue]);
}
