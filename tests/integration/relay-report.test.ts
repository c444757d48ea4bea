/**
 * The after-show report (issue 19) against a real relay on real HTTP (and a real socket.io
 * client), its clock injected: a scripted show — cards in turn, sales from the API, the console
 * and the shop's webhook over four minutes, a partial refund, a void, a sold-out — and every
 * number of the report, its CSVs and the room's totals.bySource equal what the script says.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_CSV_COLUMNS, TIMELINE_CSV_COLUMNS } from '../../shared/show-report.js';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay } from '../support/relay.js';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const S = 1000;
let now = T0;
let r: TestRelay;
let room: CreatedRoom;
let A: string;
let B: string;

const path = (q = '') => `/api/rooms/${room.room.id}/report${q}`;
const at = (ms: number) => (now = T0 + ms);

beforeAll(async () => {
  r = await startRelay({ now: () => now });
  room = await r.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  const cmd = async (body: Record<string, unknown>) => {
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
    expect(res.json.ok, JSON.stringify(res.json)).toBe(true);
    return res.json;
  };
  const webhook = async (orderId: string, sku: string, quantity: number) =>
    expect((await api(r.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.sales, body: { orderId, sku, quantity } })).json.ok).toBe(true);
  at(-60 * S);
  A = (await cmd({ id: 'a1', type: 'product.add', product: { sku: 'YS-PG-5KG', name: '永胜软籽石榴 5kg', priceMinor: 5990, stock: 10, netWeightGrams: 5000 } })).result.productId;
  B = (await cmd({ id: 'a2', type: 'product.add', product: { sku: 'MIAO-HONEY', name: 'Miao honey, "wild"', priceMinor: 6800, stock: null } })).result.productId;
  const console = await connectClient(r.url, room.room.id, room.tokens.host);

  at(0);
  await cmd({ id: 'c1', type: 'card.show', productId: A });
  at(10 * S);
  await cmd({ id: 's1', type: 'sale.record', productId: A, quantity: 2 });
  at(20 * S);
  await webhook('DY-0001', 'YS-PG-5KG', 3);
  at(70 * S);
  await cmd({ id: 's2', type: 'sale.record', productId: B });
  at(90 * S);
  await cmd({ id: 'c2', type: 'card.next' });
  at(100 * S);
  expect((await send(console.socket, { id: 's3', type: 'sale.record', productId: B, quantity: 4 })).ok).toBe(true);
  at(110 * S);
  await cmd({ id: 'rf', type: 'sale.refund', saleId: 's3', quantity: 1 });
  at(130 * S);
  await cmd({ id: 's4', type: 'sale.record', productId: A });
  at(140 * S);
  await cmd({ id: 'v4', type: 'sale.void', saleId: 's4' });
  at(150 * S);
  await webhook('DY-0002', 'YS-PG-5KG', 5); // the last five: sold out
  at(180 * S);
  await cmd({ id: 'c3', type: 'card.hide' });
  at(240 * S);
  console.socket.close();
});
afterAll(async () => {
  await r?.close();
});

describe('GET /api/rooms/:room/report', () => {
  it('counts the scripted show exactly: totals, products, sources and the minutes, net of the void and the refund', async () => {
    const res = await api(r.url, path(`?from=${T0}&to=${T0 + 240 * S}`), { token: room.tokens.host });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      room: room.room.id,
      from: T0,
      to: T0 + 240 * S,
      totals: { orders: 5, units: 14, revenueMinor: 10 * 5990 + 4 * 6800, refundedMinor: 6800, weightGrams: 50_000 },
      products: [
        { productId: A, sku: 'YS-PG-5KG', name: '永胜软籽石榴 5kg', units: 10, revenueMinor: 59_900, refundedUnits: 0, weightGrams: 50_000, onAirMs: 90 * S, unitsWhileOnAir: 5, soldOutAt: T0 + 150 * S, presaleUnits: 0 },
        { productId: B, sku: 'MIAO-HONEY', name: 'Miao honey, "wild"', units: 4, revenueMinor: 27_200, refundedUnits: 1, weightGrams: null, onAirMs: 90 * S, unitsWhileOnAir: 3, soldOutAt: null, presaleUnits: 0 },
      ],
      sources: [
        { source: 'api', name: 'api', orders: 2, units: 3, revenueMinor: 2 * 5990 + 6800 },
        { source: 'webhook', name: 'webhook', orders: 2, units: 8, revenueMinor: 8 * 5990 },
        { source: 'console', name: 'console', orders: 1, units: 3, revenueMinor: 3 * 6800 },
      ],
      timeline: [
        { at: T0, orders: 2, units: 5, revenueMinor: 5 * 5990, onAir: A },
        { at: T0 + 60 * S, orders: 2, units: 4, revenueMinor: 4 * 6800, onAir: A },
        { at: T0 + 120 * S, orders: 1, units: 5, revenueMinor: 5 * 5990, onAir: B },
        { at: T0 + 180 * S, orders: 0, units: 0, revenueMinor: 0, onAir: null },
      ],
    });
  });

  it('defaults to the whole room, whose totals are the room\'s; the sales token may read it too', async () => {
    const res = await api(r.url, path(), { token: room.tokens.sales });
    expect(res.status).toBe(200);
    const state = (await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(res.json.totals).toMatchObject({ orders: state.totals.orders, units: state.totals.sold, revenueMinor: state.totals.revenueMinor });
    expect(res.json.from).toBe(T0); // the first card change (T0) precedes the first sale (T0 + 10 s)
    expect(res.json.to).toBe(now + 1);
  });

  it('a window counts the sales recorded in it, the card from before it included', async () => {
    const res = await api(r.url, path(`?from=${T0 + 60 * S}&to=${T0 + 120 * S}`), { token: room.tokens.host });
    expect(res.json.totals).toEqual({ orders: 2, units: 4, revenueMinor: 4 * 6800, refundedMinor: 6800, weightGrams: 0 });
    expect(res.json.timeline).toEqual([{ at: T0 + 60 * S, orders: 2, units: 4, revenueMinor: 27_200, onAir: A }]);
    expect(res.json.products.map((p: { onAirMs: number }) => p.onAirMs)).toEqual([30 * S, 30 * S]);
  });

  it('gives the per-product CSV and the minutes CSV with a BOM and money as decimals, read back by papaparse', async () => {
    const get = async (format: string) => {
      const res = await fetch(`${r.url}${path(`?from=${T0}&to=${T0 + 240 * S}&format=${format}`)}`, { headers: { authorization: `Bearer ${room.tokens.host}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = new Uint8Array(await res.arrayBuffer());
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes.slice(3)), { header: true, skipEmptyLines: true });
      expect(parsed.errors).toEqual([]);
      return parsed;
    };
    const products = await get('csv');
    expect(products.meta.fields).toEqual([...REPORT_CSV_COLUMNS]);
    expect(products.data).toEqual([
      { product_id: A, sku: 'YS-PG-5KG', name: '永胜软籽石榴 5kg', units: '10', revenue: '599.00', refunded_units: '0', weight_grams: '50000', on_air_seconds: '90', units_while_on_air: '5', sold_out_at: new Date(T0 + 150 * S).toISOString(), currency: 'CNY', presale_units: '0' },
      { product_id: B, sku: 'MIAO-HONEY', name: 'Miao honey, "wild"', units: '4', revenue: '272.00', refunded_units: '1', weight_grams: '', on_air_seconds: '90', units_while_on_air: '3', sold_out_at: '', currency: 'CNY', presale_units: '0' },
    ]);
    const minutes = await get('timeline.csv');
    expect(minutes.meta.fields).toEqual([...TIMELINE_CSV_COLUMNS]);
    expect(minutes.data.map((m) => [m.minute, m.orders, m.units, m.revenue, m.on_air])).toEqual([
      [new Date(T0).toISOString(), '2', '5', '299.50', A],
      [new Date(T0 + 60 * S).toISOString(), '2', '4', '272.00', A],
      [new Date(T0 + 120 * S).toISOString(), '1', '5', '299.50', B],
      [new Date(T0 + 180 * S).toISOString(), '0', '0', '0.00', ''],
    ]);
  });

  it('refuses bad from/to naming the field, other roles, an unknown room; never a 5xx', async () => {
    const bad = async (q: string, field: string, named = true) => {
      const res = await api(r.url, path(q), { token: room.tokens.host });
      expect(res.status, q).toBe(400);
      // An unknown parameter is named in the message (the schema's issue has no path).
      if (named) expect(res.json.error.field, q).toBe(field);
      expect(res.json.error.message, q).toContain(field);
    };
    await bad('?from=yesterday', 'from');
    await bad('?from=-5', 'from');
    await bad('?to=1.5', 'to');
    await bad(`?from=${T0}&to=${T0}`, 'to');
    await bad(`?from=0&to=${T0}`, 'to'); // decades of minutes
    await bad('?format=xlsx', 'format');
    await bad('?limit=3', 'limit', false);
    expect((await api(r.url, path(), { token: room.tokens.cohost })).status).toBe(403);
    expect((await api(r.url, path(), { token: room.tokens.overlay })).status).toBe(403);
    expect((await api(r.url, path())).status).toBe(401);
    expect((await api(r.url, '/api/rooms/nope/report', { token: room.tokens.host })).status).toBe(404);
  });
});

describe('the room answer and the room fields of the report', () => {
  it('?totals=bySource adds the sources as the report counts them; the plain answer stays the broadcast state', async () => {
    const report = (await api(r.url, path(), { token: room.tokens.host })).json;
    const withSources = (await api(r.url, `/api/rooms/${room.room.id}?totals=bySource`, { token: room.tokens.sales })).json;
    expect(withSources.totals.bySource).toEqual(report.sources);
    expect((await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json.totals.bySource).toBeUndefined();
    expect((await api(r.url, `/api/rooms/${room.room.id}?totals=bySource`, { token: room.tokens.overlay })).status).toBe(403);
    const bad = await api(r.url, `/api/rooms/${room.room.id}?totals=all`, { token: room.tokens.host });
    expect([bad.status, bad.json.error.field]).toEqual([400, 'totals']);
  });

  it('the created room links its report page with the host token in the fragment; the page answers 200 with a strict CSP', async () => {
    const link = new URL(room.links.report);
    expect(link.pathname).toBe('/report');
    expect(link.search).toBe('');
    const hash = new URLSearchParams(link.hash.slice(1));
    expect([hash.get('room'), hash.get('token')]).toEqual([room.room.id, room.tokens.host]);
    // What a browser sends for the link: the URL without its fragment.
    const page = await fetch(new URL(link.pathname, r.url));
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const d of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) expect(csp).toContain(d);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    const script = /src="(\/report\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, html).toBeDefined();
    const js = await fetch(new URL(script!, r.url));
    expect([js.status, js.headers.get('content-security-policy')]).toEqual([200, csp]);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('room.update sets an IANA time zone and a series; an unknown zone or a long series is a 400 naming the field', async () => {
    const update = (changes: unknown) => api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: `u-${Math.random()}`, type: 'room.update', changes } });
    expect((await update({ timeZone: 'Asia/Shanghai', series: '砀山梨花节 2026' })).json.ok).toBe(true);
    const state = (await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(state.room).toMatchObject({ timeZone: 'Asia/Shanghai', series: '砀山梨花节 2026' });
    const zone = await update({ timeZone: 'Mars/Olympus_Mons' });
    expect([zone.status, zone.json.error.field]).toEqual([400, 'changes.timeZone']);
    const series = await update({ series: 'x'.repeat(61) });
    expect([series.status, series.json.error.field]).toEqual([400, 'changes.series']);
    // A room may be created with them too.
    const created = await r.createRoom({ title: 'Soirée', currency: 'EUR', locale: 'fr', timeZone: 'Europe/Paris', series: 'Marchés de Noël' });
    expect(created.room).toMatchObject({ timeZone: 'Europe/Paris', series: 'Marchés de Noël' });
  });
});
