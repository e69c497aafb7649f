/**
 * The added latency of an assistant message without a model, alone (section 5 of
 * bench/assistant.bench.ts, which imports it): the real service on the embedded database — upload
 * normalization, grounding, memory, storage — with a photo and with a text follow-up. Small enough
 * to profile or to run back to back against another checkout under the same load:
 *   node [--cpu-prof] bench/assistant/message-latency.ts [--messages 40]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Container, createContainer } from '../../src/app/container.ts';
import { loadConfig } from '../../src/config/env.ts';
import { loadOpenCv } from '../../src/vision/opencv.ts';
import { buildCatalog, type CatalogEntry, shopperPhoto } from './eval-set.ts';

export interface MessageLatency {
  /** Wall time of each message with a photo, in ms. */
  withPhoto: number[];
  /** CPU time of this process (all threads: libvips too) during each photo message, in ms. */
  photoCpu: number[];
  /** Wall time of each text follow-up, in ms. */
  textOnly: number[];
}

/**
 * The benchmark's catalog (the product and the one bought before), customer, conversation and
 * shopper photo, in a service the caller made (message-ab.ts passes another checkout's).
 */
export async function seedMessageBench(container: Container, entry: CatalogEntry) {
  const asset = await container.assets.upload(entry.image);
  const product = {
    attributes: {},
    images: [asset.id],
    fit: 'regular' as const,
    notes: '',
    price: null,
    currency: 'CNY',
    stock: null,
    category: 'tops',
  };
  await container.products.create({
    ...product,
    sku: 'BENCH-1',
    name: 'Bench tee',
    size_chart: { S: { chest: 100 }, M: { chest: 106 } },
  });
  await container.products.create({
    ...product,
    sku: 'BENCH-0',
    name: 'Old tee',
    size_chart: { S: { chest: 98 }, M: { chest: 104 } },
  });
  await container.products.addPurchase('bench-user', {
    sku: 'BENCH-0',
    size: 'M',
    purchased_at: new Date(),
    feedback: '',
  });
  const conversation = await container.assistant.createConversation(
    { customer_id: 'bench-user', sku: 'BENCH-1', locale: 'zh' },
    { apiKeyId: null },
  );
  return { conversation, photo: (await shopperPhoto(entry, 'busy', 77)).bytes };
}

/** `messages` photo messages and as many text follow-ups, after three of each to warm up. */
export async function measureMessages(entry: CatalogEntry, messages: number): Promise<MessageLatency> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-assistant-'));
  try {
    const container = await createContainer(
      loadConfig({}, { VITRINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
      { roles: new Set(['api']) },
    );
    try {
      const { conversation, photo } = await seedMessageBench(container, entry);
      const result: MessageLatency = { withPhoto: [], photoCpu: [], textOnly: [] };
      for (let count = 0; count < messages + 3; count += 1) {
        let started = performance.now();
        const cpuBefore = process.cpuUsage();
        await container.assistant.ask(
          conversation.id,
          { question: '这件和我上次买的是同款吗?尺码偏大吗?', image: photo },
          { apiKeyId: null },
          { signal: AbortSignal.timeout(60_000) },
        );
        const photoMs = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        started = performance.now();
        await container.assistant.ask(
          conversation.id,
          { question: '那 M 码呢?价格多少?' },
          { apiKeyId: null },
          { signal: AbortSignal.timeout(60_000) },
        );
        // The first three are warm-up (OpenCV, the tokenizer, the catalog image, PGlite's caches).
        if (count >= 3) {
          result.withPhoto.push(photoMs);
          result.photoCpu.push((cpu.user + cpu.system) / 1000);
          result.textOnly.push(performance.now() - started);
        }
      }
      return result;
    } finally {
      await container.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const quantile = (samples: number[], q: number) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

export function reportMessages(latency: MessageLatency, messages: number): void {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `\n## Added latency per message, no model (real service, embedded database, ${messages} messages each)`,
  );
  console.log(
    `with a photo (normalize, ground, store): p50 ${ms(quantile(latency.withPhoto, 0.5))}, p99 ${ms(quantile(latency.withPhoto, 0.99))}; CPU time p50 ${ms(quantile(latency.photoCpu, 0.5))}, p99 ${ms(quantile(latency.photoCpu, 0.99))}`,
  );
  console.log(
    `load average during the run: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(', ')}`,
  );
  console.log(
    `text follow-up (intents, size advice, memory, store): p50 ${ms(quantile(latency.textOnly, 0.5))}, p99 ${ms(quantile(latency.textOnly, 0.99))}`,
  );
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '40' } } });
  const messages = Number(values.messages);
  await loadOpenCv();
  reportMessages(await measureMessages(buildCatalog(1, 2)[0]!, messages), messages);
}
