import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createA1111Provider } from '../../src/providers/a1111/a1111-provider.ts';
import { createBedrockProvider } from '../../src/providers/bedrock/bedrock-provider.ts';
import { createComfyUIProvider } from '../../src/providers/comfyui/comfyui-provider.ts';
import { createOpenAIProvider } from '../../src/providers/openai/openai-provider.ts';
import type { ImageProvider } from '../../src/providers/spec.ts';
import { createStabilityProvider } from '../../src/providers/stability/stability-provider.ts';
import { FakeA1111Server } from '../fakes/a1111-server.ts';
import { FakeBedrockServer } from '../fakes/bedrock-server.ts';
import { FakeComfyUIServer } from '../fakes/comfyui-server.ts';
import type { FakeHttpServer, RecordedRequest } from '../fakes/fake-http.ts';
import { FakeOpenAIServer } from '../fakes/openai-server.ts';
import { FakeStabilityServer } from '../fakes/stability-server.ts';

/** One adapter with its fake backend, as the contract suite drives it. */
export interface ContractSubject {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  server(): FakeHttpServer;
  provider(): ImageProvider;
  /** A provider of the same kind pointed at a port nobody listens on. */
  unreachableProvider(): ImageProvider;
  seedsForBatch: readonly number[];
  /** Whether each image comes back with the seed asked for it. */
  seedsHonored: boolean;
  rateLimits: boolean;
  rateLimitHintMs?: number;
  contentFilter: boolean;
  progress: boolean;
  /** Resolves once the backend has received the generation (and is hanging on it). */
  waitForGenerationStarted(): Promise<unknown>;
  /** Resolves once the backend has seen the cancel (connection closed, or a cancel request). */
  waitForCancel(): Promise<unknown>;
}

const limits = { max_concurrency: 4, timeout_ms: 10_000 };

/** A loopback URL whose port refuses connections. */
async function refusedUrl(): Promise<string> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

function httpSubject<Server extends FakeHttpServer>(
  options: {
    name: string;
    makeServer(): Server;
    makeProvider(url: string, server: Server | undefined): ImageProvider;
    isGeneration(request: RecordedRequest): boolean;
    /** A remote cancel request, for backends that have one; else the closed connection counts. */
    isCancel?(request: RecordedRequest): boolean;
  } & Pick<
    ContractSubject,
    'seedsForBatch' | 'seedsHonored' | 'rateLimits' | 'rateLimitHintMs' | 'contentFilter' | 'progress'
  >,
): ContractSubject {
  let server: Server | undefined;
  let deadUrl = '';
  const current = () => {
    if (!server) throw new Error(`${options.name}: fake server not started`);
    return server;
  };
  return {
    ...options,
    async start() {
      server = options.makeServer();
      await server.listen();
      deadUrl = await refusedUrl();
    },
    stop: () => current().close(),
    server: current,
    provider: () => options.makeProvider(current().url, current()),
    unreachableProvider: () => options.makeProvider(deadUrl, undefined),
    waitForGenerationStarted: () => {
      const seenBefore = new Set(current().requests);
      return current().waitForRequest((request) => !seenBefore.has(request) && options.isGeneration(request));
    },
    waitForCancel: () => {
      const cancelRequest = options.isCancel;
      if (cancelRequest) {
        const seenBefore = new Set(current().requests);
        return current().waitForRequest((request) => !seenBefore.has(request) && cancelRequest(request));
      }
      return once(current(), 'aborted');
    },
  };
}

export const contractSubjects: ContractSubject[] = [
  httpSubject({
    name: 'openai',
    makeServer: () => new FakeOpenAIServer(),
    makeProvider: (url) =>
      createOpenAIProvider({ kind: 'openai', id: 'openai', api_key: 'sk-test', base_url: url, limits }),
    isGeneration: (request) => request.path === '/v1/images/generations',
    seedsForBatch: [1, 2, 3],
    seedsHonored: true,
    rateLimits: true,
    rateLimitHintMs: 1500,
    contentFilter: true,
    progress: false,
  }),
  httpSubject({
    name: 'stability',
    makeServer: () => new FakeStabilityServer(),
    makeProvider: (url) =>
      createStabilityProvider({
        kind: 'stability',
        id: 'stability',
        api_key: 'sk-stability',
        base_url: url,
        limits,
      }),
    isGeneration: (request) => request.path.startsWith('/v2beta/stable-image/generate/'),
    seedsForBatch: [21, 22],
    seedsHonored: true,
    rateLimits: true,
    rateLimitHintMs: 60_000,
    contentFilter: true,
    progress: false,
  }),
  httpSubject({
    name: 'bedrock',
    makeServer: () => new FakeBedrockServer(),
    makeProvider: (url) =>
      createBedrockProvider({
        kind: 'bedrock',
        id: 'bedrock',
        region: 'us-east-1',
        endpoint: url,
        access_key_id: 'AKIDTEST',
        secret_access_key: 'secret',
        limits,
      }),
    isGeneration: (request) => request.path.endsWith('/invoke'),
    seedsForBatch: [8, 8, 8],
    seedsHonored: true,
    rateLimits: true,
    rateLimitHintMs: 3000,
    contentFilter: true,
    progress: false,
  }),
  httpSubject({
    name: 'a1111',
    makeServer: () => new FakeA1111Server(),
    makeProvider: (url) =>
      createA1111Provider({ kind: 'a1111', id: 'a1111', url, limits }, { progressIntervalMs: 5 }),
    isGeneration: (request) => request.path === '/sdapi/v1/txt2img',
    isCancel: (request) => request.path === '/sdapi/v1/interrupt',
    seedsForBatch: [40, 41, 50],
    seedsHonored: true,
    rateLimits: true,
    rateLimitHintMs: 2000,
    contentFilter: false,
    progress: true,
  }),
  httpSubject({
    name: 'comfyui',
    makeServer: () => new FakeComfyUIServer(),
    makeProvider: (url) =>
      createComfyUIProvider({ kind: 'comfyui', id: 'comfyui', url, limits }, { historyPollIntervalMs: 5 }),
    isGeneration: (request) => request.path === '/prompt',
    isCancel: (request) => request.path === '/queue' || request.path === '/interrupt',
    seedsForBatch: [60, 61, 70],
    seedsHonored: true,
    rateLimits: true,
    rateLimitHintMs: 2000,
    contentFilter: false,
    progress: true,
  }),
];
