import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ChatModelConfig } from '../../config/env.ts';
import type { FetchFunction } from '../http.ts';
import { createBedrockConverseModel } from './bedrock-converse-model.ts';
import { createOpenAIChatModel } from './openai-chat-model.ts';
import type { ChatModel } from './spec.ts';

/** The adapter of the configured chat model (the composition root calls this once). */
export function createChatModel(
  config: ChatModelConfig,
  options: { fetch?: FetchFunction; bedrockClient?: BedrockRuntimeClient } = {},
): ChatModel {
  if (config.kind === 'bedrock') {
    return createBedrockConverseModel({
      id: config.id,
      region: config.region,
      endpoint: config.endpoint,
      model: config.model,
      credentials: config.credentials,
      client: options.bedrockClient,
    });
  }
  return createOpenAIChatModel({
    id: config.id,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    model: config.model,
    fetch: options.fetch,
  });
}
