/**
 * Relay benchmark (prints figures; not a test). The relay runs as its own process, exactly as
 * `npm start` runs it, on loopback; the clients run here.
 *   1. durable acknowledged sales/s into one room from 10 concurrent senders, socket.io and
 *      HTTP, SQLite synchronous FULL vs NORMAL, with p50/p99 ack latency;
 *   2. command → broadcast received, p50/p99, with 1, 10 and 100 subscribed clients: with the
 *      subscribers in this process beside the host, and in a process of their own (as real
 *      overlays are; then the host's ack and the states are not read by one event loop).
 *   3. the command hop beside a bare socket.io rebroadcast in the same run (hop.ts, issue 16).
 * Run: npx tsx bench/relay.bench.ts [--seconds 5] [--hop-only] [--baseline <checkout of the build before>] (~30 s)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { BENCH_ADMIN, fanout, fanoutSplit, json, ms, pct, setupRoom, socketThroughput } from './bench-support.js';
import { freePort, spawnRelay, type RelayProcess } from '../tests/support/relay-process.js';
import { hopBench } from './hop.js';

const ADMIN = BENCH_ADMIN;
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;





async function httpThroughput(relay: RelayProcess) {
  const { roomId, tokens, products } = await setupRoom(relay.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 10 });
  const url = new URL(relay.url);
  const lat: number[] = [];
  let acked = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  const post = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { agent, host: url.hostname, port: url.port, path: `/api/rooms/${roomId}/commands`, method: 'POST', headers: { authorization: `Bearer ${tokens.host}`, 'content-type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: 10 }, async (_, k) => {
      let i = 0;
      while (performance.now() < end) {
        const t = performance.now();
        const status = await post(JSON.stringify({ id: `h${k}-${i++}`, type: 'sale.record', productId: products[i % products.length] }));
        if (status === 200) {
          acked++;
          lat.push(performance.now() - t);
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  return { rate: acked / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), n: acked };
}


type Sync = 'FULL' | 'FULL_INLINE' | 'NORMAL';

async function withRelay<T>(sync: Sync, fn: (r: RelayProcess) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-'));
  const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_SYNC: sync, LIVESHELF_RATE_PER_SECOND: '1000000' } });
  try {
    return await fn(relay);
  } finally {
    await relay.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`LiveShelf relay bench — ${seconds}s per run, relay in its own process, loopback, ${new Date().toISOString()}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
const hopOnly = process.argv.includes('--hop-only');
const baselineArg = process.argv.indexOf('--baseline');
if (baselineArg > 0) {
  // The hop of the build before (another checkout's relay) and this one's, in alternation, 3 rounds.
  const before = process.argv[baselineArg + 1]!;
  for (let round = 0; round < 3; round++)
    for (const n of [1, 10]) {
      const runs = [() => hopBench(n, { root: before, label: 'before' }), () => hopBench(n, { label: 'this  ' })];
      for (const run of round % 2 ? runs.reverse() : runs) await run();
    }
  process.exit(0);
}
for (const n of [1, 10]) await hopBench(n);
if (hopOnly) process.exit(0);
const only = process.argv.includes('--fanout-only');
// FULL: group fsync of the WAL off the event loop (the default); FULL_INLINE: SQLite's own
// synchronous=FULL, the fsync inside every commit (the default until 2026-12-01); NORMAL: no fsync.
for (const sync of only ? [] : (['FULL', 'FULL_INLINE', 'NORMAL'] as const)) {
  for (const window of [1, 2, 4, 16]) {
    const r = await withRelay(sync, (relay) => socketThroughput([relay.url], window, seconds));
    console.log(`socket.io  sync=${sync.padEnd(11)} 10 senders × ${String(window).padStart(2)} in flight: ${r.rate.toFixed(0).padStart(6)} durable sales/s  ack p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  (n=${r.n})`);
  }
  const h = await withRelay(sync, (relay) => httpThroughput(relay));
  console.log(`HTTP       sync=${sync.padEnd(11)} 10 senders × 1 (keep-alive): ${h.rate.toFixed(0).padStart(6)} durable sales/s  ack p50 ${ms(h.p50)}  p99 ${ms(h.p99)}  (n=${h.n})`);
}
// FULL is what ships; the other rows show what the fsync costs the broadcast, inline and not at all.
for (const [sync, n] of [['FULL', 1], ['FULL', 10], ['FULL', 100], ['FULL_INLINE', 10], ['NORMAL', 10]] as const) {
  const [f, g] = await withRelay(sync, async (relay) => [await fanout(relay.url, relay.url, n), await fanoutSplit(relay.url, relay.url, n)]);
  console.log(
    `broadcast  sync=${sync.padEnd(11)} command → all ${String(n).padStart(3)} subscribers received: p50 ${ms(f.p50)}  p99 ${ms(f.p99)}  (n=${f.n} deliveries)  |  subscribers in their own process: p50 ${ms(g!.p50)}  p99 ${ms(g!.p99)}`,
  );
}
console.log(`load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
process.exit(0);
