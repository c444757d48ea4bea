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
import type { Socket } from 'socket.io-client';
import type { CommandReply } from '../shared/protocol.js';
import { connect, json, ms, pct } from './bench-support.js';
import type { RoomState } from '../shared/domain.js';
import { freePort, spawnRelay, type RelayProcess } from '../tests/support/relay-process.js';
import { startRedis } from '../tests/support/redis-server.js';

const ADMIN = 'bench-admin';
const secondsArg = process.argv.indexOf('--seconds');
const seconds = secondsArg > 0 ? Number(process.argv[secondsArg + 1]) : 5;



async function setup(relay: RelayProcess) {
  const created = await json(relay.url, '/api/rooms', ADMIN, { title: 'bench', currency: 'CNY', locale: 'zh-CN' });
  const roomId: string = created.room.id;
  const tokens = created.tokens as Record<string, string>;
  const products: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await json(relay.url, `/api/rooms/${roomId}/commands`, tokens.host!, {
      id: `add-${i}`,
      type: 'product.add',
      product: { sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 5990 + i, stock: null },
    });
    products.push(r.result.productId);
  }
  return { roomId, tokens, products };
}


async function throughput(relays: RelayProcess[], window: number) {
  const { roomId, tokens, products } = await setup(relays[0]!);
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

/** Command sent on `from`, state received by every client connected to `to`. */
async function broadcast(from: RelayProcess, to: RelayProcess, subscribers: number, samples = 200) {
  const { roomId, tokens, products } = await setup(from);
  const host = await connect(from.url, roomId, tokens.host!);
  const subs = await Promise.all(Array.from({ length: subscribers }, () => connect(to.url, roomId, tokens.overlay!)));
  const lat: number[] = [];
  const seen = subs.map(() => new Map<number, number>());
  const waiters: (() => void)[] = [];
  subs.forEach((s, k) =>
    s.on('room.state', (st: RoomState) => {
      if (!seen[k]!.has(st.version)) seen[k]!.set(st.version, performance.now());
      for (const w of waiters.splice(0)) w();
    }),
  );
  const allSaw = (v: number) => seen.every((m) => [...m.keys()].some((x) => x >= v));
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const reply = await new Promise<CommandReply>((resolve) => host.emit('command', { id: `f${i}`, type: 'sale.record', productId: products[0] }, resolve));
    if (!reply.ok) throw new Error(reply.error.message);
    while (!allSaw(reply.version)) await new Promise<void>((resolve) => waiters.push(resolve));
    for (const m of seen) {
      const at = [...m.entries()].filter(([v]) => v >= reply.version).map(([, time]) => time);
      lat.push(Math.min(...at) - t);
    }
    // Space the commands beyond one frame so that coalescing never hides a broadcast.
    await new Promise((r) => setTimeout(r, 20));
  }
  host.close();
  for (const s of subs) s.close();
  return { p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length };
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
    const cross = await broadcast(a, b, n);
    const local = await broadcast(a, a, n);
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
