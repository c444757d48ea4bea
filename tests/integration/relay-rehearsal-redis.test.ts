/**
 * Issue 19: exactly one rehearsal feed per room across relay processes on one Redis (two real
 * relay processes, `npm start` with LIVESHELF_REDIS_URL, on a redis-server this file starts).
 * A rush asked on one relay arrives once, not twice; a steady pace arrives at one rate; when
 * the relay holding the feed's lock is killed, the other takes the feed over after the lock
 * expires and the orders go on at one rate; rehearsal.end on the survivor gives every count back;
 * the report and the sales CSV after it show the live sale alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { ADMIN, api } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const dirs: string[] = [];
const relays: RelayProcess[] = [];
let redis: TestRedis;
let client: Redis;

async function relay(): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-rehearsal-redis-'));
  dirs.push(dataDir);
  const r = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_REHEARSAL_LOCK_MS: '2000' } });
  relays.push(r);
  return r;
}

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.url);
});

afterAll(async () => {
  client?.disconnect();
  for (const r of relays) await r.kill();
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function room(url: string) {
  const res = await api(url, '/api/rooms', { token: ADMIN, body: { title: '彩排', currency: 'CNY', locale: 'zh-CN' } });
  expect(res.status).toBe(201);
  const created = res.json as { room: { id: string }; tokens: { host: string } };
  const add = await api(url, `/api/rooms/${created.room.id}/commands`, { token: created.tokens.host, body: { id: 'add', type: 'product.add', product: { sku: 'POM', name: '会理石榴', priceMinor: 5990, stock: null } } });
  expect(add.status).toBe(200);
  return { roomId: created.room.id, host: created.tokens.host };
}

const command = (url: string, r: { roomId: string; host: string }, body: Record<string, unknown>) => api(url, `/api/rooms/${r.roomId}/commands`, { token: r.host, body });
const state = async (url: string, r: { roomId: string; host: string }) => (await api(url, `/api/rooms/${r.roomId}`, { token: r.host })).json as RoomState;
const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** The simulated sales of the room, as GET …/sales lists (and marks) them. */
async function practiceSales(url: string, r: { roomId: string; host: string }): Promise<{ id: string; at: number }[]> {
  const listed = (await api(url, `/api/rooms/${r.roomId}/sales?limit=10000`, { token: r.host })).json;
  return listed.sales.filter((s: { rehearsal?: boolean; source: string }) => s.rehearsal && s.source === 'rehearsal');
}
/** The feed instance that sent a sale: its id's prefix (rh-<hex>-<n>). */
const feedOf = (id: string) => id.split('-').slice(0, 2).join('-');

describe('the rehearsal feed on two relays, one Redis', () => {
  it('a rush of 200 in 3 s asked on B arrives once, from one feed, seen by both relays', async () => {
    const a = await relay();
    const b = await relay();
    const r = await room(a.url);
    expect((await command(b.url, r, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 0, rushOrders: 200, rushSeconds: 3 })).json).toMatchObject({ ok: true });
    // A learns of the rehearsal too (it polls the announced rooms every second) but cannot take the lock.
    await sleep(5000);
    const sales = await practiceSales(a.url, r);
    expect(sales).toHaveLength(200);
    expect(new Set(sales.map((s) => feedOf(s.id))).size).toBe(1);
    expect((await state(a.url, r)).totals.orders).toBe(200);
    expect((await command(a.url, r, { id: 'end', type: 'rehearsal.end' })).json).toMatchObject({ ok: true });
    expect((await state(b.url, r)).totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
    await sleep(1500);
    expect(await client.exists(`ls:{${r.roomId}}:rehearsal-feed`)).toBe(0);
    // A live sale after it: the report and the sales CSV, read on either relay, show it alone.
    const pom = (await state(a.url, r)).products[0]!.id;
    expect((await command(b.url, r, { id: 'live', type: 'sale.record', productId: pom, quantity: 2 })).json).toMatchObject({ ok: true });
    const report = (await api(a.url, `/api/rooms/${r.roomId}/report`, { token: r.host })).json;
    expect(report.totals).toMatchObject({ orders: 1, units: 2, revenueMinor: 2 * 5990 });
    expect(report.sources).toEqual([{ source: 'api', name: 'api', orders: 1, units: 2, revenueMinor: 2 * 5990 }]);
    const csv = (await api(b.url, `/api/rooms/${r.roomId}/sales?format=csv`, { token: r.host })).text;
    expect(csv.trim().split('\r\n')).toHaveLength(2);
  });

  it('600 a minute arrive at one rate, not two; the holder killed, the other relay takes the feed over at the same rate', async () => {
    while (relays.length < 2) await relay();
    const [a, b] = relays as [RelayProcess, RelayProcess];
    const r = await room(a.url);
    const t0 = Date.now();
    expect((await command(a.url, r, { id: 'start', type: 'rehearsal.start', ordersPerMinute: 600 })).json).toMatchObject({ ok: true });
    await sleep(4000);
    const first = await practiceSales(b.url, r);
    const rate1 = first.filter((s) => s.at >= t0 && s.at < t0 + 4000).length / 4;
    // 10 a second from one feed (20 from two); Poisson over 4 s: sd ≈ 1.6 a second.
    expect(rate1).toBeGreaterThan(5);
    expect(rate1).toBeLessThan(15);
    expect(new Set(first.map((s) => feedOf(s.id))).size).toBe(1);

    const owner = await client.get(`ls:{${r.roomId}}:rehearsal-feed`);
    const holder = [a, b].find((x) => owner?.startsWith(`${x.child.pid}-`));
    expect(holder).toBeDefined();
    const survivor = holder === a ? b : a;
    await holder!.kill('SIGKILL');
    const killedAt = Date.now();
    // The lock expires (2 s), the survivor's next poll (≤ 1 s) takes it over.
    await sleep(7000);
    const all = await practiceSales(survivor.url, r);
    const feeds = [...new Set(all.map((s) => feedOf(s.id)))];
    expect(feeds).toHaveLength(2);
    const taken = all.filter((s) => feedOf(s.id) === feeds[1]);
    const takenFrom = Math.min(...taken.map((s) => s.at));
    expect(takenFrom - killedAt).toBeLessThan(4000);
    const window = all.filter((s) => s.at >= takenFrom + 500 && s.at < takenFrom + 3500).length / 3;
    expect(window).toBeGreaterThan(4);
    expect(window).toBeLessThan(16);
    expect(await client.get(`ls:{${r.roomId}}:rehearsal-feed`)).toMatch(new RegExp(`^${survivor.child.pid}-`));

    expect((await command(survivor.url, r, { id: 'end', type: 'rehearsal.end' })).json).toMatchObject({ ok: true });
    await sleep(500);
    expect((await state(survivor.url, r)).totals).toEqual({ sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 });
  });
});
