import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
const mb = (n: number) => Math.round(n / 2 ** 20);
const extra = process.argv.slice(2);
const dataDir = process.env.PGMEM_DIR ?? mkdtempSync(path.join(tmpdir(), 'pgmem-'));
const opts: Record<string, unknown> = { dataDir };
const params: string[] = [];
for (const a of extra) {
  if (a.startsWith('mem=')) opts.initialMemory = Number(a.slice(4)) * 2 ** 20;
  else params.push('-c', a);
}
if (params.length) opts.startParams = [...(PGlite as any).defaultStartParams ?? [], ...params];
const t0 = performance.now();
const pg = await PGlite.create(opts);
await pg.exec('create table t (id serial primary key, body text, n int)');
for (let i = 0; i < 40; i++) await pg.query("insert into t (body, n) select repeat('x', 300), g from generate_series(1, 1000) g");
const r = await pg.query('select count(*), sum(length(body)) from t');
await pg.query('select * from t order by n desc limit 100');
const s = await pg.query("select name, setting, unit from pg_settings where name in ('shared_buffers','work_mem','wal_buffers','temp_buffers','maintenance_work_mem')");
const u = process.memoryUsage();
console.log(extra.join(' ') || 'defaults', { ms: Math.round(performance.now() - t0), rss: mb(u.rss), wasm: mb((pg as any).mod.wasmMemory.buffer.byteLength), heap: mb(u.heapUsed), settings: s.rows.map((x: any) => `${x.name}=${x.setting}${x.unit ?? ''}`).join(' ') });
process.exit(0);
