/**
 * GET /api/rooms/:room/sales: the host (or the shop's sales token) reads back every sale of
 * the room in the order it was recorded, page by page or as one CSV for a spreadsheet. Real
 * relay with SQLite on port 0, real HTTP.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SALES_CSV_COLUMNS } from '../../shared/sales-export.js';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay } from '../support/relay.js';

let r: TestRelay;
let room: CreatedRoom;
let ids: { pomegranate: string; honey: string; formula: string };
beforeAll(async () => {
  r = await startRelay();
  room = await r.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  const cmd = (body: unknown) => api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
  const add = async (id: string, product: Record<string, unknown>) => (await cmd({ id, type: 'product.add', product })).json.result.productId as string;
  ids = {
    pomegranate: await add('a1', { sku: 'YS-PG-5KG', name: '永胜软籽石榴', priceMinor: 5990, stock: 100 }),
    honey: await add('a2', { sku: 'MIAO-HONEY', name: 'Miao mountain honey, "wild", 500 g', priceMinor: 6800, stock: null }),
    formula: await add('a3', { sku: 'F-1', name: '=HYPERLINK("x")', priceMinor: 100, stock: null }),
  };
  for (const body of [
    { id: 's1', type: 'sale.record', productId: ids.pomegranate, quantity: 2 },
    { id: 's2', type: 'sale.record', productId: ids.honey },
    { id: 's3', type: 'sale.record', productId: ids.pomegranate, quantity: 3 },
    { id: 's4', type: 'sale.record', productId: ids.formula },
  ]) expect((await cmd(body)).json.ok).toBe(true);
  const webhook = await api(r.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.sales, body: { orderId: 'DY-20261201-0001', sku: 'YS-PG-5KG', quantity: 1 } });
  expect(webhook.json.ok).toBe(true);
  expect((await cmd({ id: 'v1', type: 'sale.void', saleId: 's3' })).json.ok).toBe(true);
});
afterAll(async () => {
  await r.close();
});

const sales = (query = '', token = room.tokens.host) => api(r.url, `/api/rooms/${room.room.id}/sales${query}`, { token });

describe('GET /api/rooms/:room/sales', () => {
  it('lists every sale in recorded order with product, amount and void time; the totals count the non-voided ones', async () => {
    const res = await sales();
    expect(res.status).toBe(200);
    const list = res.json.sales as Record<string, unknown>[];
    expect(list.map((s) => s.id)).toEqual(['s1', 's2', 's3', 's4', expect.stringMatching(/^order:/)]);
    expect(list[0]).toMatchObject({ sku: 'YS-PG-5KG', name: '永胜软籽石榴', quantity: 2, unitPriceMinor: 5990, amountMinor: 11980, source: 'api', by: 'host', voidedAt: null, orderId: null });
    expect(list[2]).toMatchObject({ id: 's3', voidedAt: expect.any(Number) });
    expect(list[4]).toMatchObject({ orderId: 'DY-20261201-0001', source: 'webhook', by: 'sales', quantity: 1 });
    expect(res.json.next).toBeNull();
    expect(res.json.currency).toBe('CNY');
    const counted = list.filter((s) => s.voidedAt === null).reduce((a, s) => a + (s.amountMinor as number), 0);
    expect(res.json.totals).toEqual({ sold: 5, orders: 4, revenueMinor: counted, weightGrams: 0 });
  });

  it('pages with an opaque cursor; the pages together are the whole list', async () => {
    const whole = (await sales()).json.sales as { id: string }[];
    const seen: string[] = [];
    let query = '?limit=2';
    for (let guard = 0; guard < 10; guard++) {
      const res = await sales(query);
      expect(res.status).toBe(200);
      expect(res.json.sales.length).toBeLessThanOrEqual(2);
      seen.push(...res.json.sales.map((s: { id: string }) => s.id));
      if (res.json.next === null) break;
      query = `?limit=2&after=${res.json.next}`;
    }
    expect(seen).toEqual(whole.map((s) => s.id));
  });

  it('gives a CSV with a BOM that a spreadsheet reads back: Chinese names, quoted commas, decimal prices, no formulas', async () => {
    const res = await fetch(`${r.url}/api/rooms/${room.room.id}/sales?format=csv`, { headers: { authorization: `Bearer ${room.tokens.host}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toContain(`liveshelf-sales-${room.room.id}.csv`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const parsed = Papa.parse<Record<string, string>>(new TextDecoder().decode(bytes.slice(3)), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...SALES_CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(5);
    expect(parsed.data[0]).toMatchObject({ sku: 'YS-PG-5KG', name: '永胜软籽石榴', quantity: '2', unit_price: '59.90', amount: '119.80', currency: 'CNY', voided_at: '' });
    expect(parsed.data[1]!.name).toBe('Miao mountain honey, "wild", 500 g');
    expect(parsed.data[2]!.voided_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(parsed.data[3]!.name).toBe(`'=HYPERLINK("x")`);
    expect(parsed.data[4]).toMatchObject({ order_id: 'DY-20261201-0001', source: 'webhook' });
  });

  it('is for the host and the sales token only', async () => {
    expect((await sales('', room.tokens.sales)).status).toBe(200);
    for (const token of [room.tokens.cohost, room.tokens.overlay]) {
      const res = await sales('', token);
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
    expect((await api(r.url, `/api/rooms/${room.room.id}/sales`)).status).toBe(401);
  });

  it('[R9] a refunded sale carries refundedQuantity; the CSV adds refunded_quantity as its last column; amount stays quantity × unit price', async () => {
    const other = await r.createRoom({ title: '退款', currency: 'CNY', locale: 'zh-CN' });
    const cmd = (body: unknown) => api(r.url, `/api/rooms/${other.room.id}/commands`, { token: other.tokens.host, body });
    const productId = (await cmd({ id: 'a', type: 'product.add', product: { sku: 'PG', name: '石榴', priceMinor: 5990, stock: 10 } })).json.result.productId as string;
    expect((await cmd({ id: 's', type: 'sale.record', productId, quantity: 3 })).json.ok).toBe(true);
    expect((await cmd({ id: 'kept', type: 'sale.record', productId })).json.ok).toBe(true);
    expect((await cmd({ id: 'r', type: 'sale.refund', saleId: 's', quantity: 2 })).json.ok).toBe(true);
    const res = await api(r.url, `/api/rooms/${other.room.id}/sales`, { token: other.tokens.sales });
    expect(res.json.sales).toMatchObject([
      { id: 's', quantity: 3, refundedQuantity: 2, amountMinor: 17970, voidedAt: null },
      { id: 'kept', quantity: 1, refundedQuantity: 0, amountMinor: 5990 },
    ]);
    expect(res.json.totals).toEqual({ sold: 2, revenueMinor: 11980, orders: 2, weightGrams: 0 });
    expect(SALES_CSV_COLUMNS.at(-2)).toBe('refunded_quantity');
    const csv = await (await fetch(`${r.url}/api/rooms/${other.room.id}/sales?format=csv`, { headers: { authorization: `Bearer ${other.tokens.host}` } })).text();
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    // By position: the columns before it are where they were.
    expect(parsed.data[0]).toEqual([...SALES_CSV_COLUMNS]);
    expect(parsed.data[1]!.slice(4, 7)).toEqual(['3', '59.90', '179.70']);
    expect(parsed.data[1]!.at(-2)).toBe('2');
    expect(parsed.data[2]!.at(-2)).toBe('0');
  });

  it('[R10] marks presale sales in the list and in the CSV\'s last column, presale', async () => {
    const other = await r.createRoom({ title: '预售', currency: 'CNY', locale: 'zh-CN' });
    const cmd = (body: unknown) => api(r.url, `/api/rooms/${other.room.id}/commands`, { token: other.tokens.host, body });
    const productId = (await cmd({ id: 'a', type: 'product.add', product: { sku: 'PG', name: '石榴', priceMinor: 5990, stock: 1 } })).json.result.productId as string;
    expect((await cmd({ id: 'p', type: 'presale.set', productId, shipBy: '2026-09-20', quota: 5 })).json.ok).toBe(true);
    expect((await cmd({ id: 'stock', type: 'sale.record', productId })).json.ok).toBe(true);
    expect((await cmd({ id: 'pre', type: 'sale.record', productId, quantity: 5 })).json.ok).toBe(true);
    const over = await cmd({ id: 'over', type: 'sale.record', productId });
    expect(over.status).toBe(409);
    expect(over.json.error).toMatchObject({ reason: 'out_of_stock', field: 'quantity' });
    const res = await api(r.url, `/api/rooms/${other.room.id}/sales`, { token: other.tokens.sales });
    expect(res.json.sales.map((s: { id: string; presale: boolean }) => [s.id, s.presale])).toEqual([['stock', false], ['pre', true]]);
    expect(SALES_CSV_COLUMNS.at(-1)).toBe('presale');
    const csv = await (await fetch(`${r.url}/api/rooms/${other.room.id}/sales?format=csv`, { headers: { authorization: `Bearer ${other.tokens.host}` } })).text();
    const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows.map((row) => row.at(-1))).toEqual(['presale', '0', '1']);
  });

  it('streams a CSV longer than the relay reads at once (2,000 sales a page): one BOM, one header, every sale once, in recorded order', async () => {
    // A relay of its own without the per-connection rate limit (100/s), so one socket fills the room in a second.
    const fast = await startRelay({ config: { rateLimit: { perSecond: 1_000_000, burst: 1_000_000 } } });
    try {
    const big = await fast.createRoom({ title: 'long', currency: 'CNY', locale: 'zh-CN' });
    const cmd = (body: unknown) => api(fast.url, `/api/rooms/${big.room.id}/commands`, { token: big.tokens.host, body });
    const productId = (await cmd({ id: 'p', type: 'product.add', product: { sku: 'PG', name: '石榴', priceMinor: 100, stock: null } })).json.result.productId as string;
    const n = 4_321; // two full pages and a part, so both page boundaries are crossed
    // Over one socket, 500 in flight: the relay commits them in batches (HTTP one by one takes a minute on a loaded machine).
    const { socket } = await connectClient(fast.url, big.room.id, big.tokens.sales);
    try {
      for (let i = 0; i < n; i += 500) {
        const batch = Array.from({ length: Math.min(500, n - i) }, (_, k) => send(socket, { id: `s${String(i + k).padStart(5, '0')}`, type: 'sale.record', productId }));
        for (const reply of await Promise.all(batch)) expect(reply.ok).toBe(true);
      }
    } finally {
      socket.close();
    }
    const res = await fetch(`${fast.url}/api/rooms/${big.room.id}/sales?format=csv`, { headers: { authorization: `Bearer ${big.tokens.host}` } });
    expect(res.status).toBe(200);
    // Decoded keeping the BOM (fetch's text() would drop the first one), so a BOM repeated at a page boundary would show.
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.match(/\uFEFF/g)).toHaveLength(1);
    const rows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([...SALES_CSV_COLUMNS]);
    const saleIds = rows.slice(1).map((row) => row[SALES_CSV_COLUMNS.indexOf('sale_id')]);
    const listed: string[] = [];
    for (let q = '?limit=10000'; ; ) {
      const page = await api(fast.url, `/api/rooms/${big.room.id}/sales${q}`, { token: big.tokens.host });
      listed.push(...page.json.sales.map((s: { id: string }) => s.id));
      if (page.json.next === null) break;
      q = `?limit=10000&after=${page.json.next}`;
    }
    expect(saleIds).toHaveLength(n);
    expect(new Set(saleIds).size).toBe(n);
    expect(saleIds).toEqual(listed);
    } finally {
      await fast.close();
    }
  });

  it('says which query field is wrong', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=10001', 'limit'],
      ['?after=not-a-cursor', 'after'],
      ['?format=xlsx', 'format'],
    ] as const) {
      const res = await sales(query);
      expect(res.status, query).toBe(400);
      expect(res.json.error, query).toMatchObject({ code: 'invalid', field });
    }
    const unknown = await sales('?page=2');
    expect(unknown.status).toBe(400);
  });
});
