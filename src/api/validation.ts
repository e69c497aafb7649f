import type { Hook } from '@hono/zod-openapi';
import { invalidRequest } from '../domain/errors.ts';
import type { ApiEnv } from './context.ts';

/** Every schema failure becomes a 400 that names each field, e.g. `params.title: is required`. */
// biome-ignore lint/suspicious/noExplicitAny: the hook serves every route, whatever its input types
export const validationHook: Hook<any, ApiEnv, any, any> = (result) => {
  if (result.success) return;
  const issues = result.error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    // An unknown key is named itself, not the object holding it (which is '' → "json" at the top).
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...path, key].join('.'), message: 'is not a known field' }));
    }
    return [{ field: path.join('.') || result.target, message: issue.message }];
  });
  throw invalidRequest(
    `Invalid request: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`,
    issues,
  );
};
