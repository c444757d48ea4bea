/**
 * sale.observe through real relays (issue 13, the seller-page reader; rules in
 * shared/commands/observe.ts): the room's last reading per (page, product) is in its stored
 * state, so it survives a relay restart (SQLite) and two relay processes on one real Redis
 * agree on it while both take readings at once — every growth of the number counted once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, api, startRelay } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const SITE = 'page:buyin.jinritemai.com';
const dirs: string[] = [];
const relays: RelayProcess[] = [];
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const r of relays) await r.kill();
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function redisRelay(): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-observe-'));
  dirs.push(dataDir);
  const r = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_RATE_PER_SECOND: '100000' } });
  relays.push(r);
  return r;
}

let n = 0;
const observe = (url: string, room: string, host: string, productId: string, total: number) =>
  api(url, `/api/rooms/${room}/commands`, { token: host, body: { id: `obs-cmd-${++n}`, type: 'sale.observe', productId, source: SITE, total } });

async function roomWithProduct(url: string) {
  const created = await api(url, '/api/rooms', { token: ADMIN, body: { title: 'reader', currency: 'CNY', locale: 'zh-CN' } });
  expect(created.status).toBe(201);
  const { room, tokens } = created.json as { room: { id: string }; tokens: { host: string; sales: string } };
  const add = await api(url, `/api/rooms/${room.id}/commands`, { token: tokens.host, body: { id: 'add', type: 'product.add', product: { sku: 'PEAR', name: '砀山酥梨', priceMinor: 3990, stock: 100 } } });
  return { roomId: room.id, host: tokens.host, sales: tokens.sales, productId: add.json.result.productId as string };
}

describe('sale.observe on real relays', () => {
  it('two relays on one Redis, readings sent to both at once, shuffled and repeated: the growth is counted once', async () => {
    const a = await redisRelay();
    const b = await redisRelay();
    const { roomId, host, productId } = await roomWithProduct(a.url);
    expect((await observe(a.url, roomId, host, productId, 3210)).status).toBe(200); // the baseline
    const readings: number[] = [];
    for (let t = 3211; t <= 3260; t++) readings.push(t, t, t); // each total three times: two tabs and a resend
    readings.sort(() => Math.random() - 0.5);
    const answers = await Promise.all(readings.map((t, i) => observe(i % 2 ? a.url : b.url, roomId, host, productId, t)));
    expect(answers.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    // The last word of the page: the highest total, read again on each relay.
    await observe(a.url, roomId, host, productId, 3260);
    await observe(b.url, roomId, host, productId, 3260);
    for (const url of [a.url, b.url]) {
      const state = await api(url, `/api/rooms/${roomId}`, { token: host });
      expect(state.json.totals.sold).toBe(50);
      expect(state.json.observed).toEqual([expect.objectContaining({ source: SITE, productId, total: 3260, pending: null })]);
      expect(state.json.products[0]).toMatchObject({ sold: 50, stock: 50 });
    }
    // A third relay, started after, reads the same binding from Redis.
    const c = await redisRelay();
    expect((await observe(c.url, roomId, host, productId, 3260)).json).toMatchObject({ ok: true, duplicate: true });
    await observe(c.url, roomId, host, productId, 3262);
    const after = await api(c.url, `/api/rooms/${roomId}?totals=bySource`, { token: host });
    expect(after.json.totals).toMatchObject({ sold: 52 });
    expect(after.json.totals.bySource).toEqual(expect.arrayContaining([expect.objectContaining({ source: SITE, units: 52 })]));
  });

  it('survives a restart (SQLite): the next reading counts from the last one, a repeat counts nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-observe-sqlite-'));
    dirs.push(dataDir);
    const first = await startRelay({ dataDir });
    const { roomId, host, productId } = await roomWithProduct(first.url);
    await observe(first.url, roomId, host, productId, 12_000);
    await observe(first.url, roomId, host, productId, 12_005);
    await first.close({ keepData: true });
    const second = await startRelay({ dataDir });
    try {
      expect((await observe(second.url, roomId, host, productId, 12_005)).json).toMatchObject({ ok: true, duplicate: true });
      await observe(second.url, roomId, host, productId, 12_009);
      const state = await api(second.url, `/api/rooms/${roomId}`, { token: host });
      expect(state.json.totals.sold).toBe(9);
    } finally {
      await second.close({ keepData: true });
    }
  });

  it('refuses sale.observe from the sales token (403) and a bad total with 400 naming the field', async () => {
    const relay = await startRelay();
    try {
      const { roomId, host, sales, productId } = await roomWithProduct(relay.url);
      const bySales = await observe(relay.url, roomId, sales, productId, 1);
      expect(bySales.status).toBe(403);
      const bad = await api(relay.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'bad', type: 'sale.observe', productId, source: SITE, total: -3 } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.json)).toContain('total');
    } finally {
      await relay.close();
    }
  });
});
