import { z } from '@hono/zod-openapi';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string(),
      details: z.unknown().optional(),
      request_id: z.string().optional(),
    }),
  })
  .openapi('Error');

/** Standard error answers, added to every route's `responses`. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 422>) {
  const descriptions = {
    400: 'Invalid request: `details.issues` names each field',
    401: 'Missing or invalid API key',
    403: 'The API key lacks the scope',
    404: 'Not found',
    409: 'Conflict',
    413: 'Body over 1 MB',
    422: 'Cannot be done',
  } as const;
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: descriptions[status], content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  ) as Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }
  >;
}

export const SlugParam = z.string().min(1).max(63);
