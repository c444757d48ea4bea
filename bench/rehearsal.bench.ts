/**
 * The rehearsal feed's rush (issue 19; prints figures, not a test): one relay process on SQLite
 * (LIVESHELF_SYNC=FULL, what `npm start` runs), 20 products, a rush of 3,000 orders in 60 s
 * (ordersPerMinute 0), and meanwhile the host's own +1 every 200 ms over a socket: its hop
 * (sale.record sent → the overlay subscriber's first room.patch at or past the answer's
 * version) during the rush, beside the same hop on the idle relay before it. Also the rate the
 * feed achieved (its sales' times, per second) and the rate the overlay saw (totals.orders in
 * its patches). Run: npx tsx bench/rehearsal.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import { BENCH_ADMIN, connect, json, ms, pct } from './bench-support.js';

const RUSH = 3000;
const RUSH_SECONDS = 60;
const HOP_EVERY_MS = 200;

/** Arrival times of the subscriber's patches by version, and the orders they said. */
function watch(sub: Socket) {
  const arrivals: { version: number; at: number; orders?: number }[] = [];
  let wake: (() => void) | undefined;
  sub.on('room.patch', (p: { version: number; totals?: { orders: number } }) => {
    arrivals.push({ version: p.version, at: performance.now(), ...(p.totals && { orders: p.totals.orders }) });
    wake?.();
  });
  return {
    arrivals,
    /** When the subscriber first saw version ≥ v (waits for it). */
    async seen(v: number): Promise<number> {
      for (;;) {
        const hit = arrivals.find((a) => a.version >= v);
        if (hit) return hit.at;
        await new Promise<void>((r) => (wake = r));
      }
    },
  };
}

async function hops(host: Socket, seen: (v: number) => Promise<number>, productId: string, until: () => boolean, prefix: string): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; until(); i++) {
    const t = performance.now();
    const reply = await new Promise<{ ok: boolean; version: number }>((resolve) => host.emit('command', { id: `${prefix}${i}`, type: 'sale.record', productId }, resolve));
    if (reply.ok) out.push((await seen(reply.version)) - t);
    await new Promise((r) => setTimeout(r, HOP_EVERY_MS));
  }
  return out;
}

const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-rehearsal-bench-'));
const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: BENCH_ADMIN, env: { LIVESHELF_SYNC: 'FULL', LIVESHELF_RATE_PER_SECOND: '1000000' } });
try {
  const created = await json(relay.url, '/api/rooms', BENCH_ADMIN, { title: '彩排', currency: 'CNY', locale: 'zh-CN' });
  const roomId: string = created.room.id;
  const token: Record<string, string> = created.tokens;
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const r = await json(relay.url, `/api/rooms/${roomId}/commands`, token.host!, { id: `add-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 5990, stock: null, netWeightGrams: 5000 } });
    ids.push(r.result.productId);
  }
  await json(relay.url, `/api/rooms/${roomId}/commands`, token.host!, { id: 'show', type: 'card.show', productId: ids[0] });
  const host = await connect(relay.url, roomId, token.host!, { patches: true });
  const sub = await connect(relay.url, roomId, token.overlay!, { patches: true });
  const w = watch(sub);

  const idleEnd = performance.now() + 10_000;
  const idle = await hops(host, (v) => w.seen(v), ids[5]!, () => performance.now() < idleEnd, 'idle-');
  // The idle hops were live sales: 50 of them. The rush starts now.
  const liveOrders = idle.length;
  const startedAt = Date.now();
  await json(relay.url, `/api/rooms/${roomId}/commands`, token.host!, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 0, rushOrders: RUSH, rushSeconds: RUSH_SECONDS });
  const t0 = performance.now();
  const rushEnd = t0 + RUSH_SECONDS * 1000;
  const during = await hops(host, (v) => w.seen(v), ids[5]!, () => performance.now() < rushEnd, 'rush-');
  await new Promise((r) => setTimeout(r, 2000));

  const listed = await json(relay.url, `/api/rooms/${roomId}/sales?limit=10000`, token.host!);
  const sim = (listed.sales as { source: string; at: number }[]).filter((s) => s.source === 'rehearsal').map((s) => s.at);
  const perSecond = new Array<number>(RUSH_SECONDS).fill(0);
  for (const at of sim) {
    const k = Math.floor((at - startedAt) / 1000);
    if (k >= 0 && k < RUSH_SECONDS) perSecond[k]!++;
  }
  const span = (Math.max(...sim) - Math.min(...sim)) / 1000;
  // What the overlay saw: orders in its patches over the rush's window.
  const inRush = w.arrivals.filter((a) => a.orders !== undefined && a.at >= t0 && a.at <= rushEnd + 2000);
  const seenOrders = (inRush[inRush.length - 1]?.orders ?? 0) - (inRush[0]?.orders ?? 0);
  const seenSpan = ((inRush[inRush.length - 1]?.at ?? 0) - (inRush[0]?.at ?? 0)) / 1000;
  const patchGaps = inRush.slice(1).map((a, i) => a.at - inRush[i]!.at);

  await json(relay.url, `/api/rooms/${roomId}/commands`, token.host!, { id: 'end', type: 'rehearsal.end' });
  const after = await json(relay.url, `/api/rooms/${roomId}`, token.host!);
  console.log(`rehearsal rush  ${RUSH} orders in ${RUSH_SECONDS} s asked, one relay, SQLite FULL, 20 products, host +1 every ${HOP_EVERY_MS} ms meanwhile`);
  console.log(`  feed sent and counted: ${sim.length} orders over ${span.toFixed(1)} s = ${(sim.length / span).toFixed(1)}/s (asked ${(RUSH / RUSH_SECONDS).toFixed(1)}/s); per second min ${Math.min(...perSecond)} median ${pct(perSecond, 50)} max ${Math.max(...perSecond)}`);
  console.log(`  overlay saw: ${seenOrders} orders over ${seenSpan.toFixed(1)} s = ${(seenOrders / seenSpan).toFixed(1)}/s in ${inRush.length} patches (gap p50 ${ms(pct(patchGaps, 50))})`);
  console.log(`  host hop (+1 → overlay patch): idle p50 ${ms(pct(idle, 50))} p99 ${ms(pct(idle, 99))} (${idle.length}) | during the rush p50 ${ms(pct(during, 50))} p99 ${ms(pct(during, 99))} (${during.length})`);
  console.log(`  after rehearsal.end: totals.orders ${after.totals.orders} (the ${liveOrders} live +1 before the rush; the rush and the ${during.length} practice +1 taken out)`);
  host.close();
  sub.close();
} finally {
  await relay.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
