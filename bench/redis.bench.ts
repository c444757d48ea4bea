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
import { BENCH_ADMIN, fanout, ms, socketThroughput } from './bench-support.js';
import { freePort, spawnRelay, type RelayProcess } from '../tests/support/relay-process.js';
import { startRedis } from '../tests/support/redis-server.js';

const ADMIN = BENCH_ADMIN;
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;







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
      const r = await socketThroughput([...set].map((r) => r.url), window, seconds);
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
