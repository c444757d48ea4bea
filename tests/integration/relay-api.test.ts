/**
 * The relay's public contract with real HTTP and real socket.io clients on port 0:
 * roles, field-level errors with nothing half-applied, idempotency, broadcasts, restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { ADMIN, api, connectClient, send, startRelay, waitForState, type CreatedRoom, type TestRelay } from '../support/relay.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { parsePairingLink } from '../../shared/pairing.js';
import { roomWeightGrams } from '../../shared/weight-sold.js';

let r: TestRelay;
beforeAll(async () => {
  r = await startRelay({ config: { rateLimit: { perSecond: 20, burst: 40 } } });
});
afterAll(async () => r.close());

let n = 0;
const cid = () => `t${++n}`;

async function roomWithProduct(stock: number | null = 10): Promise<{ room: CreatedRoom; productId: string }> {
  const room = await r.createRoom();
  const add = await api(r.url, `/api/rooms/${room.room.id}/commands`, {
    token: room.tokens.host,
    body: { id: cid(), type: 'product.add', product: { sku: 'YS-POM-5KG', name: '永胜软籽石榴', priceMinor: 5990, originalPriceMinor: 7990, unit: '5 kg box', stock } },
  });
  expect(add.status).toBe(200);
  return { room, productId: add.json.result.productId };
}

const state = (room: CreatedRoom) => api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay }).then((x) => x.json);

describe('rooms', () => {
  it('GET /healthz answers without a token', async () => {
    const h = await api(r.url, '/healthz');
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ ok: true, protocol: PROTOCOL_VERSION });
  });

  it('POST /api/rooms needs the admin token', async () => {
    expect((await api(r.url, '/api/rooms', { body: {} })).status).toBe(401);
    expect((await api(r.url, '/api/rooms', { body: {}, token: 'nope' })).status).toBe(401);
  });

  it('POST /api/rooms returns the room, four role tokens and ready-made links', async () => {
    const res = await api(r.url, '/api/rooms', { token: ADMIN, body: { title: '石榴专场', currency: 'CNY', locale: 'zh-CN' } });
    expect(res.status).toBe(201);
    const { room, tokens, links } = res.json;
    expect(room).toMatchObject({ title: '石榴专场', currency: 'CNY', locale: 'zh-CN' });
    expect(Object.keys(tokens).sort()).toEqual(['cohost', 'host', 'overlay', 'sales']);
    expect(links.overlay).toBe(`${r.url}/overlay/?room=${room.id}&token=${tokens.overlay}`);
    const host = parsePairingLink(links.host);
    expect(host).toEqual({ ok: true, pairing: { relayUrl: r.url, room: room.id, role: 'host', token: tokens.host } });
    expect(parsePairingLink(links.cohost)).toMatchObject({ ok: true, pairing: { role: 'cohost', token: tokens.cohost } });
  });

  it('POST /api/rooms rejects an unknown currency with the field named', async () => {
    const res = await api(r.url, '/api/rooms', { token: ADMIN, body: { currency: 'XYZW' } });
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('currency');
  });

  it('GET /api/rooms/:room works with every role token and the documented shape', async () => {
    const { room } = await roomWithProduct();
    for (const role of ['host', 'cohost', 'sales', 'overlay'] as const) {
      const res = await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens[role] });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ version: 1, room: { currency: 'CNY' }, currentProductId: null, ticker: [], totals: { sold: 0, revenueMinor: 0 } });
      expect(res.json.products[0]).toMatchObject({ sku: 'YS-POM-5KG', priceMinor: 5990, stock: 10, sold: 0, revenueMinor: 0, soldOut: false });
    }
  });

  it('401 for a missing or foreign token, 404 for an unknown room', async () => {
    const a = await roomWithProduct();
    const b = await roomWithProduct();
    expect((await api(r.url, `/api/rooms/${a.room.room.id}`)).status).toBe(401);
    expect((await api(r.url, `/api/rooms/${a.room.room.id}`, { token: b.room.tokens.host })).status).toBe(401);
    expect((await api(r.url, `/api/rooms/r_nothere`, { token: a.room.tokens.host })).status).toBe(404);
  });
});

describe('roles', () => {
  const cases: [role: 'cohost' | 'sales' | 'overlay', type: string, allowed: boolean][] = [
    ['cohost', 'card.show', true],
    ['cohost', 'ticker.push', true],
    ['cohost', 'countdown.start', true],
    ['cohost', 'product.update', false],
    ['cohost', 'stock.set', false],
    ['cohost', 'sale.record', false],
    ['cohost', 'product.remove', false],
    ['sales', 'sale.record', true],
    ['sales', 'card.show', false],
    ['sales', 'product.update', false],
    ['overlay', 'card.show', false],
    ['overlay', 'sale.record', false],
    ['overlay', 'ticker.push', false],
  ];
  it.each(cases)('%s → %s allowed=%s (HTTP), nothing changes when refused', async (role, type, allowed) => {
    const { room, productId } = await roomWithProduct();
    const bodies: Record<string, object> = {
      'card.show': { productId },
      'ticker.push': { text: '限时秒杀' },
      'countdown.start': { seconds: 60 },
      'product.update': { productId, changes: { priceMinor: 1 } },
      'stock.set': { productId, stock: 999 },
      'sale.record': { productId, quantity: 1 },
      'product.remove': { productId },
    };
    const before = await state(room);
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens[role], body: { id: cid(), type, ...bodies[type] } });
    if (allowed) {
      expect(res.status).toBe(200);
      expect(res.json.ok).toBe(true);
    } else {
      expect(res.status).toBe(403);
      expect(await state(room)).toEqual(before);
    }
  });

  it('the overlay token cannot write over the socket either', async () => {
    const { room, productId } = await roomWithProduct();
    const { socket } = await connectClient(r.url, room.room.id, room.tokens.overlay);
    const reply = await send(socket, { id: cid(), type: 'sale.record', productId });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403 } });
    expect((await state(room)).totals.sold).toBe(0);
    socket.close();
  });

  it('a co-host price change over the socket is refused with 403', async () => {
    const { room, productId } = await roomWithProduct();
    const { socket } = await connectClient(r.url, room.room.id, room.tokens.cohost);
    const reply = await send(socket, { id: cid(), type: 'product.update', productId, changes: { priceMinor: 100 } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden', status: 403 } });
    expect((await state(room)).products[0].priceMinor).toBe(5990);
    socket.close();
  });

  it('the host rotates a token: the old one stops working at once, the new one works', async () => {
    const { room } = await roomWithProduct();
    const { socket } = await connectClient(r.url, room.room.id, room.tokens.cohost);
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve));
    const rot = await api(r.url, `/api/rooms/${room.room.id}/tokens/rotate`, { token: room.tokens.host, body: { role: 'cohost' } });
    expect(rot.status).toBe(200);
    await disconnected;
    expect((await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.cohost })).status).toBe(401);
    expect((await api(r.url, `/api/rooms/${room.room.id}`, { token: rot.json.token })).status).toBe(200);
    expect((await api(r.url, `/api/rooms/${room.room.id}/tokens/rotate`, { token: room.tokens.cohost, body: { role: 'host' } })).status).toBe(401);
    expect((await api(r.url, `/api/rooms/${room.room.id}/tokens/rotate`, { token: room.tokens.sales, body: { role: 'host' } })).status).toBe(403);
  });
});

describe('bad input gets a clear error and changes nothing', () => {
  const bad: [name: string, body: unknown, field: string][] = [
    ['a price with decimals', { type: 'product.add', product: { sku: 'X', name: 'x', priceMinor: 59.9 } }, 'product.priceMinor'],
    ['an empty name', { type: 'product.add', product: { sku: 'X', name: '  ', priceMinor: 1 } }, 'product.name'],
    ['a negative stock', { type: 'stock.set', productId: 'p1', stock: -1 }, 'stock'],
    ['an unknown field', { type: 'card.hide', color: 'red' }, '(body)'],
    ['an unknown command type', { type: 'card.explode' }, 'type'],
    ['a string quantity', { type: 'sale.record', productId: 'p1', quantity: '2' }, 'quantity'],
    ['a zero quantity', { type: 'sale.record', productId: 'p1', quantity: 0 }, 'quantity'],
    ['a sale without product', { type: 'sale.record', quantity: 1 }, 'productId'],
    ['a ticker too long', { type: 'ticker.push', text: '卖'.repeat(141) }, 'text'],
  ];
  it.each(bad)('400 for %s, naming %s', async (_name, body, field) => {
    const { room } = await roomWithProduct();
    const before = await state(room);
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), ...(body as object) } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid');
    expect(res.json.error.field).toBe(field);
    expect(res.json.error.message).toContain(field);
    expect(await state(room)).toEqual(before);
  });

  it('400 for a command without an id', async () => {
    const { room } = await roomWithProduct();
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { type: 'card.hide' } });
    expect(res.status).toBe(400);
    expect(res.json.error.field).toBe('id');
  });

  it('400 for malformed JSON, for JSON with __proto__, and for a non-JSON content type', async () => {
    const { room } = await roomWithProduct();
    const path = `/api/rooms/${room.room.id}/commands`;
    const before = await state(room);
    expect((await api(r.url, path, { token: room.tokens.host, raw: '{"id":"x",' })).status).toBe(400);
    expect((await api(r.url, path, { token: room.tokens.host, raw: '{"id":"x","type":"card.hide","__proto__":{"a":1}}' })).status).toBe(400);
    expect((await api(r.url, path, { token: room.tokens.host, raw: 'id=x', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect(await state(room)).toEqual(before);
  });

  it('413 for a body over 64 KB', async () => {
    const { room } = await roomWithProduct();
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), type: 'ticker.push', text: 'x'.repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('too_large');
  });

  it('404 for an unknown product, with the field named', async () => {
    const { room } = await roomWithProduct();
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), type: 'card.show', productId: 'nope' } });
    expect(res.status).toBe(404);
    expect(res.json.error).toMatchObject({ code: 'not_found', field: 'productId' });
  });

  it('409 for a sale beyond the remaining stock, and nothing changes', async () => {
    const { room, productId } = await roomWithProduct(3);
    const before = await state(room);
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), type: 'sale.record', productId, quantity: 4 } });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'conflict', reason: 'out_of_stock', field: 'quantity' });
    expect(await state(room)).toEqual(before);
  });

  it('409 with the current state for a stale baseVersion', async () => {
    const { room, productId } = await roomWithProduct();
    const res = await api(r.url, `/api/rooms/${room.room.id}/commands`, {
      token: room.tokens.host,
      body: { id: cid(), type: 'product.update', productId, changes: { name: '新名' }, baseVersion: 0 },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.reason).toBe('stale_version');
    expect(res.json.error.state.version).toBe(1);
  });
});

describe('exactly once', () => {
  it('a repeated command id returns the first answer with duplicate: true and is applied once', async () => {
    const { room, productId } = await roomWithProduct();
    const body = { id: 'sale-once', type: 'sale.record', productId, quantity: 2 };
    const first = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
    const again = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
    expect(first.json).toMatchObject({ ok: true, duplicate: false });
    expect(again.json).toEqual({ ...first.json, duplicate: true });
    expect((await state(room)).totals.sold).toBe(2);
  });

  it('the sales webhook records by SKU and is idempotent by orderId', async () => {
    const { room } = await roomWithProduct();
    const path = `/api/rooms/${room.room.id}/sales`;
    const a = await api(r.url, path, { token: room.tokens.sales, body: { orderId: 'DY-20261128-0001', sku: 'YS-POM-5KG', quantity: 3 } });
    const b = await api(r.url, path, { token: room.tokens.sales, body: { orderId: 'DY-20261128-0001', sku: 'YS-POM-5KG', quantity: 3 } });
    expect(a.status).toBe(200);
    expect(a.json.duplicate).toBe(false);
    expect(b.json).toEqual({ ...a.json, duplicate: true });
    const s = await state(room);
    expect(s.products[0]).toMatchObject({ sold: 3, stock: 7, revenueMinor: 3 * 5990 });
    expect(s.totals).toMatchObject({ sold: 3, revenueMinor: 17970, orders: 1 });
  });

  it('a repeated orderId over the socket under a new command id is counted once', async () => {
    const { room, productId } = await roomWithProduct();
    const { socket } = await connectClient(r.url, room.room.id, room.tokens.host);
    const first = await send(socket, { id: cid(), type: 'sale.record', productId, orderId: 'o-1' });
    const second = await send(socket, { id: cid(), type: 'sale.record', productId, orderId: 'o-1' });
    expect(second).toEqual({ ...first, duplicate: true });
    expect((await state(room)).totals.sold).toBe(1);
    socket.close();
  });

  it('the sales webhook refuses the cohost and overlay tokens and unknown SKUs', async () => {
    const { room } = await roomWithProduct();
    const path = `/api/rooms/${room.room.id}/sales`;
    expect((await api(r.url, path, { token: room.tokens.cohost, body: { orderId: 'o', sku: 'YS-POM-5KG' } })).status).toBe(403);
    expect((await api(r.url, path, { token: room.tokens.overlay, body: { orderId: 'o', sku: 'YS-POM-5KG' } })).status).toBe(403);
    const unknown = await api(r.url, path, { token: room.tokens.sales, body: { orderId: 'o', sku: 'NOPE' } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.field).toBe('sku');
    const noOrder = await api(r.url, path, { token: room.tokens.sales, body: { sku: 'YS-POM-5KG' } });
    expect(noOrder.status).toBe(400);
    expect(noOrder.json.error.field).toBe('orderId');
  });
});

describe('socket.io', () => {
  it('refuses a protocol version mismatch, a foreign token and a foreign Origin with clear errors', async () => {
    const a = await roomWithProduct();
    const b = await roomWithProduct();
    await expect(connectClient(r.url, a.room.room.id, a.room.tokens.host, { protocol: PROTOCOL_VERSION + 1 })).rejects.toMatchObject({
      data: { code: 'protocol_mismatch' },
    });
    await expect(connectClient(r.url, a.room.room.id, b.room.tokens.host)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
    await expect(connectClient(r.url, 'r_missing', b.room.tokens.host)).rejects.toMatchObject({ data: { code: 'not_found' } });
    await expect(connectClient(r.url, a.room.room.id, a.room.tokens.host, { extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
    const ok = await connectClient(r.url, a.room.room.id, a.room.tokens.host, { extraHeaders: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' } });
    ok.socket.close();
  });

  it('sends the full state first, then every change to every client of the room, and none to other rooms', async () => {
    const { room, productId } = await roomWithProduct();
    const other = await roomWithProduct();
    const host = await connectClient(r.url, room.room.id, room.tokens.host);
    const overlays = await Promise.all([1, 2, 3].map(() => connectClient(r.url, room.room.id, room.tokens.overlay)));
    const stranger = await connectClient(r.url, other.room.room.id, other.room.tokens.overlay);
    for (const o of overlays) expect(o.state.version).toBe(1);
    const waits = overlays.map((o) => waitForState(o.socket, (s) => s.currentProductId === productId && s.cardVisible));
    expect(await send(host.socket, { id: cid(), type: 'card.show', productId })).toMatchObject({ ok: true, version: 2 });
    for (const s of await Promise.all(waits)) expect(s.version).toBe(2);
    // The last state of a burst always arrives, even when broadcasts are coalesced per frame.
    const last = overlays.map((o) => waitForState(o.socket, (s) => s.totals.sold === 10));
    await Promise.all(Array.from({ length: 10 }, () => send(host.socket, { id: cid(), type: 'sale.record', productId })));
    for (const s of await Promise.all(last)) expect(s.products[0]?.stock).toBe(0);
    expect(stranger.states.every((s) => s.id === other.room.room.id)).toBe(true);
    for (const c of [host, ...overlays, stranger]) c.socket.close();
  });

  it('the per-connection rate limit holds for a flood while another connection is unaffected', async () => {
    const { room } = await roomWithProduct();
    const flood = await connectClient(r.url, room.room.id, room.tokens.host);
    const calm = await connectClient(r.url, room.room.id, room.tokens.cohost);
    const replies = await Promise.all(Array.from({ length: 100 }, () => send(flood.socket, { id: cid(), type: 'ticker.push', text: 'spam' })));
    const limited = replies.filter((x) => !x.ok && x.error.code === 'rate_limited').length;
    expect(limited).toBeGreaterThan(0);
    expect(limited).toBeLessThan(100);
    expect(await send(calm.socket, { id: cid(), type: 'ticker.push', text: '大家好' })).toMatchObject({ ok: true });
    flood.socket.close();
    calm.socket.close();
  });

  it('a sales-token connection (a shop bridge) gets ten times the rate: a burst of 300 sales is not throttled where a host’s is', async () => {
    // This relay allows 20/s in bursts of 40 per connection: the sales token 200/s in bursts of 400.
    const { room, productId } = await roomWithProduct(null);
    const shop = await connectClient(r.url, room.room.id, room.tokens.sales);
    const host = await connectClient(r.url, room.room.id, room.tokens.host);
    const sales = await Promise.all(Array.from({ length: 300 }, (_, i) => send(shop.socket, { id: cid(), type: 'sale.record', productId, orderId: `shop-${i}` })));
    expect(sales.filter((x) => !x.ok).map((x) => (x.ok ? '' : x.error.code))).toEqual([]);
    const clicks = await Promise.all(Array.from({ length: 300 }, () => send(host.socket, { id: cid(), type: 'ticker.push', text: 'spam' })));
    expect(clicks.filter((x) => !x.ok && x.error.code === 'rate_limited').length).toBeGreaterThan(0);
    shop.socket.close();
    host.socket.close();
  });

  it('an oversized frame closes only that connection', async () => {
    const { room } = await roomWithProduct();
    const big = await connectClient(r.url, room.room.id, room.tokens.host);
    const other = await connectClient(r.url, room.room.id, room.tokens.host);
    const closed = new Promise((resolve) => big.socket.on('disconnect', resolve));
    big.socket.emit('command', { id: cid(), type: 'ticker.push', text: 'x'.repeat(100_000) }, () => {});
    await closed;
    expect(await send(other.socket, { id: cid(), type: 'ticker.push', text: 'still here' })).toMatchObject({ ok: true });
    other.socket.close();
  });

  it('malformed payloads get a clear error, not a crash', async () => {
    const { room } = await roomWithProduct();
    const c = await connectClient(r.url, room.room.id, room.tokens.host);
    for (const payload of [null, 42, 'card.hide', [], { id: 5, type: 'card.hide' }]) {
      const reply = await send(c.socket, payload);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', status: 400 } });
    }
    (c.socket as unknown as { emit(ev: string, p: unknown): void }).emit('command', { id: cid(), type: 'card.hide' }); // no ack: ignored, connection stays
    expect(await send(c.socket, { id: cid(), type: 'card.hide' })).toMatchObject({ ok: true });
    c.socket.close();
  });

  it('room.sync answers the full current state', async () => {
    const { room } = await roomWithProduct();
    const c = await connectClient(r.url, room.room.id, room.tokens.overlay);
    const reply = await new Promise<any>((resolve) => c.socket.emit('room.sync', resolve));
    expect(reply.ok).toBe(true);
    expect(reply.state).toEqual(await state(room));
    c.socket.close();
  });

  it('a handshake without auth is refused', async () => {
    const s = ioClient(r.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const err = await new Promise<any>((resolve) => s.on('connect_error', resolve));
    expect(err.data.code).toBe('protocol_mismatch');
    s.close();
  });
});

describe('farm fields and the weight sold (issue 17)', () => {
  it('holds the farm fields in the state; the weight sold derived from it follows sales and a void', async () => {
    const room = await r.createRoom();
    const cmd = async (body: Record<string, unknown>) => (await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), ...body } })).json;
    const farm = { sku: 'HL-POM', name: '会理石榴', priceMinor: 5990, netWeightGrams: 5000, grade: '特级 · 果径 80 mm+', harvestDate: '2026-09-12', producer: '会理县石榴专业合作社', traceUrl: 'https://trace.example/hl' };
    const id = (await cmd({ type: 'product.add', product: farm })).result.productId;
    await cmd({ type: 'product.add', product: { sku: 'NO-W', name: 'no weight', priceMinor: 100, unit: '5 kg box' } });
    const first = await cmd({ type: 'sale.record', productId: id, quantity: 3 });
    await cmd({ type: 'sale.record', productId: id, quantity: 2 });
    await cmd({ type: 'sale.record', sku: 'NO-W', quantity: 4 });
    const before = await state(room);
    expect(before.totals).toEqual({ sold: 9, revenueMinor: 5 * 5990 + 400, orders: 3, weightGrams: 25_000 });
    expect(roomWeightGrams(before.products)).toBe(25_000);
    await cmd({ type: 'sale.void', saleId: first.result.saleId });
    const s = await state(room);
    expect(s.totals).toEqual({ sold: 6, revenueMinor: 2 * 5990 + 400, orders: 2, weightGrams: 10_000 });
    expect(roomWeightGrams(s.products)).toBe(10_000);
    expect(s.products[0]).toMatchObject({ ...farm, sold: 2 });
    expect(s.products[1]).toMatchObject({ netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null });
    const bad = await api(r.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: cid(), type: 'product.update', productId: id, changes: { harvestDate: '2026-02-30' } } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ field: 'changes.harvestDate' });
  });
});
