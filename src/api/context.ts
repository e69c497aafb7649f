import type { ApiKeyRecord } from '../db/api-key.repository.ts';

/** What middleware puts on each request's context. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    apiKey: ApiKeyRecord;
  };
}
