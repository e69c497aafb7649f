import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerEntrySchema, type ResolvedProviderEntry } from '../config/providers.schema.ts';
import { createImageProvider } from './factory.ts';

const entries: Record<string, unknown>[] = [
  { kind: 'openai', api_key: 'sk-x' },
  { kind: 'openai', api_key: 'sk-x', models: ['dall-e-3'] },
  { kind: 'stability', api_key: 'sk-x' },
  { kind: 'bedrock', region: 'us-east-1' },
  { kind: 'bedrock', region: 'us-east-1', models: ['stability.sd3-5-large-v1:0'] },
  { kind: 'comfyui', urls: ['http://gpu1:8188', 'http://gpu2:8188'] },
  { kind: 'a1111', url: 'http://sd:7860' },
];

describe('createImageProvider', () => {
  it('builds each kind from its config entry with defaults', () => {
    const built = entries.map((raw) => {
      const entry = providerEntrySchema.parse(raw);
      return createImageProvider({ ...entry, id: entry.kind } as ResolvedProviderEntry);
    });
    assert.deepEqual(
      built.map((provider) => [provider.kind, provider.defaultModel, provider.capabilities.maxImagesPerCall]),
      [
        ['openai', 'gpt-image-1', 10],
        ['openai', 'dall-e-3', 1],
        ['stability', 'core', 1],
        ['bedrock', 'amazon.nova-canvas-v1:0', 5],
        ['bedrock', 'stability.sd3-5-large-v1:0', 1],
        ['comfyui', 'comfyui-workflow', 4],
        ['a1111', 'loaded-checkpoint', 8],
      ],
    );
    for (const provider of built) assert.equal(provider.capabilities.layouts, false);
  });

  it('refuses a ComfyUI entry whose workflow file is missing, naming it', () => {
    const entry = providerEntrySchema.parse({
      kind: 'comfyui',
      url: 'http://gpu:8188',
      workflow: '/nonexistent/flow.json',
    });
    assert.throws(
      () => createImageProvider({ ...entry, id: 'comfyui' }),
      /\/nonexistent\/flow\.json could not be read/,
    );
  });
});
