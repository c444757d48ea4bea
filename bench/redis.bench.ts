/**
 * Two relay processes on one Redis (prints figures; not a test). Redis runs with the AOF and
 * an fsync per write (`appendfsync always`), so an acknowledged sale is on disk, as with
 * SQLite FULL in bench/relay.bench.ts. Each relay runs as its own process, as `npm start`
 * runs it, on loopback; the clients run here.
 *   1. durable acknowledged sales/s into one room from 10 senders spread over both relays
 *      (and, for comparison, all 10 on one relay), with p50/p99 ack latency;
 *   2. cross-process broadcast: command sent on relay A → state received by clients on
 *      relay B, p50/p99, with 1, 10 and 100 clients on B (and the same on A for comparison).
 * Run: npx tsx bench/redis.bench.ts [--seconds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandReply } from '../shared/protocol.js';
import { BENCH_ADMIN, connect, fanout, json, ms, pct, setupRoom } from './bench-support.js';
import { freePort, spawnRelay, type RelayProcess } from '../tests/support/relay-process.js';
import { startRedis } from '../tests/support/redis-server.js';

const ADMIN = BENCH_ADMIN;
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;





async function throughput(relays: RelayProcess[], window: number) {
  const { roomId, tokens, products } = await setupRoom(relays[0]!.url);
  const senders = await Promise.all(Array.from({ length: 10 }, (_, k) => connect(relays[k % relays.length]!.url, roomId, tokens.host!)));
  const lat: number[] = [];
  let acked = 0;
  let refused = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    senders.map(async (s, k) => {
      let i = 0;
      const one = () =>
        new Promise<void>((resolve) => {
          const t = performance.now();
          s.emit('command', { id: `s${k}-${i++}`, type: 'sale.record', productId: products[i % products.length] }, (r: CommandReply) => {
            if (r.ok) {
              acked++;
              lat.push(performance.now() - t);
            } else refused++;
            resolve();
          });
        });
      await Promise.all(
        Array.from({ length: window }, async () => {
          while (performance.now() < end) await one();
        }),
      );
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  for (const s of senders) s.close();
  const state = await json(relays[relays.length - 1]!.url, `/api/rooms/${roomId}`, tokens.host!);
  if (state.totals.orders !== acked) throw new Error(`counted ${state.totals.orders} but ${acked} acknowledged`);
  return { rate: acked / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), n: acked, refused };
}


const redis = await startRedis({ durable: true });
const dirs: string[] = [];
const relays: RelayProcess[] = [];
try {
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-redis-'));
    dirs.push(dataDir);
    relays.push(await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_RATE_PER_SECOND: '1000000' } }));
  }
  const [a, b] = relays as [RelayProcess, RelayProcess];
  console.log(`LiveShelf Redis bench — 2 relay processes, redis-server appendfsync=always, ${seconds}s per run, loopback, ${new Date().toISOString()}`);
  for (const [label, set] of [['over both relays', [a, b]], ['all on relay A  ', [a]]] as const) {
    for (const window of [1, 16]) {
      const r = await throughput([...set], window);
      console.log(
        `sales  10 senders ${label} × ${String(window).padStart(2)} in flight: ${r.rate.toFixed(0).padStart(6)} durable sales/s  ack p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  (n=${r.n}, refused ${r.refused})`,
      );
    }
  }
  for (const n of [1, 10, 100]) {
    const cross = await fanout(a.url, b.url, n);
    const local = await fanout(a.url, a.url, n);
    console.log(
      `broadcast command on A → ${String(n).padStart(3)} clients on B: p50 ${ms(cross.p50)}  p99 ${ms(cross.p99)}   (clients on A: p50 ${ms(local.p50)}  p99 ${ms(local.p99)}; n=${cross.n})`,
    );
  }
} finally {
  for (const r of relays) await r.kill('SIGTERM');
  await redis.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.exit(0);
