/**
 * The photo message of message-latency.ts for two checkouts in one process, alternated message by
 * message (A B, B A, …), so both see the same load — the fair comparison on a shared machine:
 *   node bench/assistant/message-ab.ts --messages 40 /path/to/before /path/to/after
 * Each checkout's modules are imported from its own directory (its own embedded database and
 * OpenCV); the CPU time is the whole process's during that message (libvips's threads included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { quantile, seedMessageBench } from './message-latency.ts';

const { values, positionals } = parseArgs({
  options: { messages: { type: 'string', default: '40' } },
  allowPositionals: true,
});
const messages = Number(values.messages);
if (positionals.length < 2) throw new Error('give two checkouts: before and after');

/** A checkout's service with the benchmark's catalog, customer and conversation. */
async function checkout(root: string) {
  const { createContainer } = await import(path.join(root, 'src/app/container.ts'));
  const { loadConfig } = await import(path.join(root, 'src/config/env.ts'));
  const { loadOpenCv } = await import(path.join(root, 'src/vision/opencv.ts'));
  const { buildCatalog } = await import(path.join(root, 'bench/assistant/eval-set.ts'));
  await loadOpenCv();
  const entry = buildCatalog(1, 2)[0];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vitrine-bench-ab-'));
  const container = await createContainer(
    loadConfig({}, { VITRINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    {
      roles: new Set(['api']),
    },
  );
  const { conversation, photo } = await seedMessageBench(container, entry);
  const ask = (question: string, image?: Uint8Array) =>
    container.assistant.ask(
      conversation.id,
      { question, image },
      { apiKeyId: null },
      { signal: AbortSignal.timeout(60_000) },
    );
  return {
    root,
    wall: [] as number[],
    cpu: [] as number[],
    answers: new Set<string>(),
    async message(record: boolean) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const answer = await ask('这件和我上次买的是同款吗?尺码偏大吗?', photo);
      const cpu = process.cpuUsage(cpuBefore);
      const wall = performance.now() - started;
      await ask('那 M 码呢?价格多少?');
      if (!record) return;
      this.wall.push(wall);
      this.cpu.push((cpu.user + cpu.system) / 1000);
      this.answers.add(`${answer.same_item?.verdict} / ${answer.size?.recommended}`);
    },
    async close() {
      await container.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const sides = [await checkout(path.resolve(positionals[0]!)), await checkout(path.resolve(positionals[1]!))];
const loads: number[] = [];
// Three warm-up rounds, then `messages` recorded; the order flips every round.
for (let round = 0; round < messages + 3; round += 1) {
  for (const side of round % 2 === 0 ? sides : [...sides].reverse()) await side.message(round >= 3);
  loads.push(loadavg()[0]!);
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
for (const side of sides) {
  console.log(
    `${side.root}: photo message wall p50 ${ms(quantile(side.wall, 0.5))}, p99 ${ms(quantile(side.wall, 0.99))}; CPU p50 ${ms(quantile(side.cpu, 0.5))}, p99 ${ms(quantile(side.cpu, 0.99))}; answers: ${[...side.answers].join(', ')}`,
  );
}
console.log(
  `load average (1 min) during the run: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
);
for (const side of sides) await side.close();
