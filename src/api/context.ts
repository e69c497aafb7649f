import type { ApiKeyRecord } from '../db/api-key.repository.ts';

/** What middleware puts on each request's context. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    apiKey: ApiKeyRecord;
    /** How the request proved who it is: a picker token may not mint another one, for instance. */
    credential: 'api_key' | 'session' | 'picker_token' | 'assistant_token';
    /** With an assistant token: the shopper (and product page) it was minted for. */
    assistantGrant?: { customerId: string | null; sku: string | null };
  };
}
