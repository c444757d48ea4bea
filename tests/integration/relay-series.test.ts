/**
 * The series report (issue 19): GET /api/series/:series/report against a real relay on real
 * HTTP with SQLite and an injected clock. Three shows of "砀山酥梨节" on three days (one room put
 * in the series afterwards with room.update), a room of another series, a EUR room: the series
 * adds up exactly the three rooms' own reports, per show in the order they happened and in total;
 * the same SKU sold in two shows is one best seller; the CSV has a row per show and a total;
 * the admin token only; the usual clear 4xx.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERIES_CSV_COLUMNS } from '../../shared/series-report.js';
import { ADMIN, api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 10, 11, 0, 0);
const SERIES = '砀山酥梨节';
let now = T0;
let r: TestRelay;
const shows: CreatedRoom[] = [];
const path = (series: string, q = '') => `/api/series/${encodeURIComponent(series)}/report${q}`;

async function cmd(room: CreatedRoom, body: Record<string, unknown>) {
  const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
  expect(res.json.ok, JSON.stringify(res.json)).toBe(true);
  return res.json;
}

async function sell(room: CreatedRoom, orderId: string, sku: string, quantity: number) {
  expect((await api(r.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.sales, body: { orderId, sku, quantity } })).json.ok).toBe(true);
}

beforeAll(async () => {
  r = await startRelay({ now: () => now });
  // Created out of order: the third show's room first, and the second joins the series later.
  for (const [day, series] of [[2, SERIES], [0, SERIES], [1, undefined]] as const) {
    now = T0 + day * DAY - 60_000;
    const room = await r.createRoom({ title: `第${day + 1}场`, currency: 'CNY', locale: 'zh-CN', ...(series && { series }) });
    await cmd(room, { id: 'p', type: 'product.add', product: { sku: 'DS-PEAR-5KG', name: '砀山酥梨 5kg', priceMinor: 3990, stock: null, netWeightGrams: 5000 } });
    await cmd(room, { id: 'e', type: 'product.add', product: { sku: `EGG-${day}`, name: '土鸡蛋', priceMinor: 3500, stock: null } });
    now = T0 + day * DAY;
    for (let i = 0; i < 10 * (day + 1); i++) await sell(room, `o-${day}-${i}`, 'DS-PEAR-5KG', 1 + (i % 3));
    await sell(room, `egg-${day}`, `EGG-${day}`, 2);
    shows[day] = room;
  }
  now = T0 + 3 * DAY;
  await cmd(shows[1]!, { id: 'join', type: 'room.update', changes: { series: SERIES } });
  const other = await r.createRoom({ title: '别的系列', series: '会理石榴' });
  await cmd(other, { id: 'p', type: 'product.add', product: { sku: 'PG', name: '石榴', priceMinor: 100, stock: null } });
  await sell(other, 'x', 'PG', 1);
  const eur = await r.createRoom({ title: 'Marché', currency: 'EUR', locale: 'fr', series: 'Mixte' });
  await r.createRoom({ title: '混合', currency: 'CNY', series: 'Mixte' });
  void eur;
}, 60_000);

afterAll(() => r?.close());

describe('GET /api/series/:series/report', () => {
  it('adds up exactly the rooms of the series, each show as its own report says, in the order they happened', async () => {
    const res = await api(r.url, path(SERIES), { token: ADMIN });
    expect(res.status).toBe(200);
    const own = await Promise.all(shows.map(async (s) => (await api(r.url, `/api/rooms/${s.room.id}/report`, { token: s.tokens.host })).json));
    expect(res.json.series).toBe(SERIES);
    expect(res.json.currency).toBe('CNY');
    expect(res.json.locale).toBe('zh-CN');
    expect(res.json.shows.map((s: { room: string }) => s.room)).toEqual(shows.map((s) => s.room.id));
    expect(res.json.shows.map((s: { title: string }) => s.title)).toEqual(['第1场', '第2场', '第3场']);
    res.json.shows.forEach((s: { totals: unknown; from: number }, i: number) => {
      expect(s.totals).toEqual(own[i].totals);
      expect(s.from).toBe(own[i].from);
    });
    const sum = (k: string) => own.reduce((a, o) => a + o.totals[k], 0);
    for (const k of ['orders', 'units', 'revenueMinor', 'refundedMinor', 'weightGrams']) expect(res.json.totals[k]).toBe(sum(k));
    // 60 pear orders of 1, 2, 3 units in turn, and three orders of two eggs.
    const pearUnits = [10, 20, 30].reduce((a, n) => a + Array.from({ length: n }, (_, i) => 1 + (i % 3)).reduce((x, y) => x + y, 0), 0);
    expect(res.json.totals.orders).toBe(63);
    expect(res.json.totals.units).toBe(pearUnits + 6);
    expect(res.json.totals.weightGrams).toBe(pearUnits * 5000);
    expect(res.json.totals.revenueMinor).toBe(pearUnits * 3990 + 6 * 3500);
    // The same SKU over three shows is one best seller; the eggs of each show have their own SKU.
    expect(res.json.products[0]).toEqual({ sku: 'DS-PEAR-5KG', name: '砀山酥梨 5kg', units: pearUnits, revenueMinor: pearUnits * 3990, weightGrams: pearUnits * 5000 });
    expect(res.json.products).toHaveLength(4);
  });

  it('?format=csv: one row per show, then the total, money as decimals, with a BOM', async () => {
    const res = await fetch(`${r.url}${path(SERIES, '?format=csv')}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    const rows = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(rows.meta.fields).toEqual([...SERIES_CSV_COLUMNS]);
    expect(rows.data.map((d) => d.title)).toEqual(['第1场', '第2场', '第3场', 'total']);
    const json = (await api(r.url, path(SERIES), { token: ADMIN })).json;
    expect(rows.data[3]!.revenue).toBe((json.totals.revenueMinor / 100).toFixed(2));
    expect(rows.data[0]!.from).toBe(new Date(json.shows[0].from).toISOString());
  });

  it('answers the admin token only, and says what is wrong with the rest', async () => {
    const host = await api(r.url, path(SERIES), { token: shows[0]!.tokens.host });
    expect(host.status).toBe(401);
    expect(host.json.error.message).toMatch(/series report needs the admin token/);
    expect((await api(r.url, path(SERIES))).status).toBe(401);
    const unknown = await api(r.url, path('没有这个系列'), { token: ADMIN });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('没有这个系列');
    // 60 Chinese characters is a name (540 characters percent-encoded); 61 is one too many.
    expect((await api(r.url, path('长'.repeat(60)), { token: ADMIN })).status).toBe(404);
    const long = await api(r.url, path('长'.repeat(61)), { token: ADMIN });
    expect([long.status, long.json.error.field]).toEqual([400, 'series']);
    const blank = await api(r.url, path('  '), { token: ADMIN });
    expect([blank.status, blank.json.error.field]).toEqual([400, 'series']);
    const bad = await api(r.url, path(SERIES, '?format=xlsx'), { token: ADMIN });
    expect([bad.status, bad.json.error.field]).toEqual([400, 'format']);
    const extra = await api(r.url, path(SERIES, '?from=1'), { token: ADMIN });
    expect(extra.status).toBe(400);
  });

  it('refuses to add up two currencies (409 mixed_currencies, naming the rooms)', async () => {
    const res = await api(r.url, path('Mixte'), { token: ADMIN });
    expect(res.status).toBe(409);
    expect(res.json.error.reason).toBe('mixed_currencies');
    expect(res.json.error.message).toMatch(/EUR/);
  });
});
