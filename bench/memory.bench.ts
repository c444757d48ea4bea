/**
 * Relay memory per room held (prints figures; not a test). An in-process relay with SQLite
 * (the factory `npm start` uses) takes N rooms of 10 products each through the HTTP API, one
 * sale each; the JS heap after a full GC is read with the rooms held, then after the idle
 * sweep dropped them (roomIdleMs), then after every room was read again.
 * Run: node --expose-gc --import tsx bench/memory.bench.ts [--rooms 1000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApplication } from '../overlay/relay/app.js';
import { SqliteRoomStore } from '../overlay/relay/sqlite-store.js';
import { BENCH_ADMIN, json } from './bench-support.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with node --expose-gc --import tsx bench/memory.bench.ts');
  process.exit(2);
}
const i = process.argv.indexOf('--rooms');
const ROOMS = i > 0 ? Number(process.argv[i + 1]) : 1000;
// Long enough that no room leaves memory while the others are being filled.
const IDLE_MS = 30_000;
const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-mem-'));
const relay = createApplication({
  store: new SqliteRoomStore({ path: join(dataDir, 'liveshelf.sqlite'), synchronous: 'NORMAL' }),
  clock: { now: () => Date.now() },
  logger: pino({ level: 'silent' }),
  config: { publicUrl: 'http://127.0.0.1', adminToken: BENCH_ADMIN, rateLimit: { perSecond: 1e6, burst: 1e6 }, roomIdleMs: IDLE_MS },
});
const url = await relay.listen(0, '127.0.0.1');
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};
console.log(`LiveShelf relay memory bench — ${ROOMS} rooms × 10 products, ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
const base = heapMb();
const rooms: { id: string; host: string }[] = [];
const tFill = performance.now();
for (let k = 0; k < ROOMS; k++) {
  const created = await json(url, '/api/rooms', BENCH_ADMIN, { title: `直播间 ${k}`, currency: 'CNY', locale: 'zh-CN' });
  const id: string = created.room.id;
  const host: string = created.tokens.host;
  let first = '';
  for (let p = 0; p < 10; p++) {
    const r = await json(url, `/api/rooms/${id}/commands`, host, { id: `add-${p}`, type: 'product.add', product: { sku: `SKU-${p}`, name: `永胜软籽石榴 ${p} 号`, priceMinor: 5990 + p, originalPriceMinor: 7990, unit: '5 kg box', stock: 1000, origin: '云南永胜', tagline: '现摘现发' } });
    first ||= r.result.productId;
  }
  await json(url, `/api/rooms/${id}/commands`, host, { id: 'sale-1', type: 'sale.record', productId: first });
  rooms.push({ id, host });
}
const fillS = (performance.now() - tFill) / 1000;
const held = heapMb();
console.log(`  ${relay.hub.size} rooms held: JS heap ${held.toFixed(1)} MB (${base.toFixed(1)} MB before), ${(((held - base) * 1024) / ROOMS).toFixed(1)} KB per room (filled in ${fillS.toFixed(1)} s)`);
const t0 = performance.now();
while (relay.hub.size > 0 && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
const dropped = heapMb();
console.log(`  after the idle sweep (${IDLE_MS} ms idle): ${relay.hub.size} rooms held, JS heap ${dropped.toFixed(1)} MB`);
const t1 = performance.now();
for (const r of rooms) await json(url, `/api/rooms/${r.id}`, r.host);
console.log(`  every room read again: ${((performance.now() - t1) / ROOMS).toFixed(2)} ms per room (load from SQLite + GET), JS heap ${heapMb().toFixed(1)} MB`);
await relay.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
