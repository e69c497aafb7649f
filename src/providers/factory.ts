import type { ResolvedProviderEntry } from '../config/providers.schema.ts';
import { createA1111Provider } from './a1111/a1111-provider.ts';
import { createBedrockProvider } from './bedrock/bedrock-provider.ts';
import { createComfyUIProvider } from './comfyui/comfyui-provider.ts';
import type { ProviderHttpOptions } from './http.ts';
import { createOpenAIProvider } from './openai/openai-provider.ts';
import type { ImageProvider } from './spec.ts';
import { createStabilityProvider } from './stability/stability-provider.ts';

/**
 * Builds the adapter of one configured provider entry (the composition root calls this once per
 * entry). `fetch` replaces the global fetch of the HTTP adapters; Bedrock goes through the AWS SDK.
 * Throws (a plain Error naming the file and field) when a ComfyUI workflow template is invalid.
 */
export function createImageProvider(
  entry: ResolvedProviderEntry,
  options: ProviderHttpOptions = {},
): ImageProvider {
  switch (entry.kind) {
    case 'openai':
      return createOpenAIProvider(entry, options);
    case 'stability':
      return createStabilityProvider(entry, options);
    case 'bedrock':
      return createBedrockProvider(entry);
    case 'comfyui':
      return createComfyUIProvider(entry, options);
    case 'a1111':
      return createA1111Provider(entry, options);
  }
}

/**
 * The kinds whose every vendor request is a POST carrying the guarded call's own signal, so the
 * limiter's `pacedFetch` can pace each request as it leaves. The others are paced when their call
 * is granted: Bedrock goes through the AWS SDK, and the self-hosted servers' adapters derive
 * signals of their own for polling.
 */
const PACES_OWN_REQUESTS: ReadonlySet<ResolvedProviderEntry['kind']> = new Set(['openai', 'stability']);

export function pacesOwnRequests(kind: ResolvedProviderEntry['kind']): boolean {
  return PACES_OWN_REQUESTS.has(kind);
}
