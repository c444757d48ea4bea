/**
 * The report on Redis (issue 19): two relay processes (`npm start` with LIVESHELF_REDIS_URL) on
 * one real redis-server; the card changes and sales made through relay A and B are in the
 * report relay B answers (the card history is written by the commit script, read by either).
 * Real clock: the expectations come from the times the relays recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, api } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

let redis: TestRedis;
const relays: RelayProcess[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  redis = await startRedis();
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-report-redis-'));
    dirs.push(dataDir);
    relays.push(await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url } }));
  }
}, 60_000);
afterAll(async () => {
  for (const r of relays) await r.kill();
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it('a show run through both relays is reported whole by either: on-air time, units while on air, sources', async () => {
  const [a, b] = relays as [RelayProcess, RelayProcess];
  const created = (await api(a.url, '/api/rooms', { token: ADMIN, body: { title: '双进程', currency: 'CNY', locale: 'zh-CN' } })).json;
  const id = created.room.id as string;
  const host = created.tokens.host as string;
  const cmd = async (url: string, body: Record<string, unknown>) => {
    const res = await api(url, `/api/rooms/${id}/commands`, { token: host, body });
    expect(res.json.ok, JSON.stringify(res.json)).toBe(true);
    return res.json;
  };
  const p = (await cmd(a.url, { id: 'add', type: 'product.add', product: { sku: 'P', name: '石榴', priceMinor: 1000, stock: null } })).result.productId;
  await cmd(a.url, { id: 'show', type: 'card.show', productId: p });
  await cmd(b.url, { id: 's1', type: 'sale.record', productId: p, quantity: 2 });
  expect((await api(a.url, `/api/rooms/${id}/sales`, { token: created.tokens.sales, body: { orderId: 'o-1', sku: 'P' } })).json.ok).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 50));
  await cmd(b.url, { id: 'hide', type: 'card.hide' });
  await cmd(a.url, { id: 's2', type: 'sale.record', productId: p });

  const sales = (await api(b.url, `/api/rooms/${id}/sales`, { token: host })).json.sales as { id: string; at: number }[];
  const report = (await api(b.url, `/api/rooms/${id}/report`, { token: host })).json;
  expect(report.totals).toEqual({ orders: 3, units: 4, revenueMinor: 4000, refundedMinor: 0, weightGrams: 0 });
  const [row] = report.products;
  // On air from the show to the hide: at least the 50 ms waited, and the two sales in between.
  expect(row.onAirMs).toBeGreaterThanOrEqual(50);
  expect(row.onAirMs).toBeLessThan(report.to - report.from);
  expect(row.unitsWhileOnAir).toBe(3);
  expect(report.sources).toEqual([
    { source: 'api', name: 'api', orders: 2, units: 3, revenueMinor: 3000 },
    { source: 'webhook', name: 'webhook', orders: 1, units: 1, revenueMinor: 1000 },
  ]);
  expect(report.from).toBeLessThanOrEqual(Math.min(...sales.map((s) => s.at)));
  const minutes = report.timeline as { orders: number }[];
  expect(minutes.reduce((n, m) => n + m.orders, 0)).toBe(3);
  expect((await api(a.url, `/api/rooms/${id}?totals=bySource`, { token: host })).json.totals.bySource).toEqual(report.sources);
});

it('a series report on Redis finds the series rooms made through either relay (a SCAN of the rooms), and no other', async () => {
  const [a, b] = relays as [RelayProcess, RelayProcess];
  const series = `双进程系列-${Date.now()}`;
  const made: { id: string; host: string; sales: string }[] = [];
  for (const [url, s] of [[a.url, series], [b.url, series], [a.url, 'another']] as const) {
    const created = (await api(url, '/api/rooms', { token: ADMIN, body: { title: `场 ${made.length + 1}`, currency: 'CNY', locale: 'zh-CN', series: s } })).json;
    made.push({ id: created.room.id, host: created.tokens.host, sales: created.tokens.sales });
    const id = created.room.id as string;
    expect((await api(url, `/api/rooms/${id}/commands`, { token: created.tokens.host, body: { id: 'p', type: 'product.add', product: { sku: 'P', name: '梨', priceMinor: 500, stock: null } } })).json.ok).toBe(true);
    expect((await api(url, `/api/rooms/${id}/sales`, { token: created.tokens.sales, body: { orderId: 'o', sku: 'P', quantity: made.length } })).json.ok).toBe(true);
  }
  const res = await api(b.url, `/api/series/${encodeURIComponent(series)}/report`, { token: ADMIN });
  expect(res.status).toBe(200);
  expect(res.json.shows.map((s: { room: string }) => s.room).sort()).toEqual([made[0]!.id, made[1]!.id].sort());
  expect(res.json.totals).toMatchObject({ orders: 2, units: 3, revenueMinor: 1500 });
});
