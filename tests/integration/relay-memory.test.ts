/**
 * Rooms nobody uses are dropped from the relay's memory (a relay runs for weeks while an
 * agency's streams come and go) and load again from the store, exactly, on next use. Real
 * relay with SQLite, real socket.io clients, a short idle time (`roomIdleMs`) instead of the
 * default 10 minutes.
 */
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import { followRoom, type FollowSocket } from '../../shared/room-follow.js';
import { api, connectClient, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';

const IDLE_MS = 200;
let r: TestRelay;
const open: TestSocket[] = [];
beforeAll(async () => {
  r = await startRelay({ config: { roomIdleMs: IDLE_MS } });
});
afterAll(async () => {
  for (const s of open) s.close();
  await r.close();
});

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

describe('idle rooms leave memory', () => {
  it('drops a room nobody uses and loads it again exactly, duplicates still recognised', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const host = room.tokens.host;
    const added = await api(r.url, `/api/rooms/${id}/commands`, { token: host, body: { id: 'add-1', type: 'product.add', product: { sku: 'PG-5KG', name: '永胜软籽石榴', priceMinor: 5990, stock: 100 } } });
    const productId = added.json.result.productId as string;
    const sale = { id: 'sale-1', type: 'sale.record', productId, quantity: 2, orderId: 'DY-1' };
    expect((await api(r.url, `/api/rooms/${id}/commands`, { token: host, body: sale })).json.ok).toBe(true);
    const before = (await api(r.url, `/api/rooms/${id}`, { token: host })).json as RoomState;

    await expect.poll(() => r.relay.hub.holds(id), { timeout: 5000 }).toBe(false);

    const after = (await api(r.url, `/api/rooms/${id}`, { token: host })).json as RoomState;
    expect(after).toEqual(before);
    expect(r.relay.hub.holds(id)).toBe(true);
    // The command id and the order id are in the store, not only in the dropped actor.
    const again = await api(r.url, `/api/rooms/${id}/commands`, { token: host, body: sale });
    expect(again.json).toMatchObject({ ok: true, duplicate: true, version: before.version });
    const sameOrder = await api(r.url, `/api/rooms/${id}/sales`, { token: room.tokens.sales, body: { orderId: 'DY-1', productId, quantity: 2 } });
    expect(sameOrder.json).toMatchObject({ ok: true, duplicate: true });
    const final = (await api(r.url, `/api/rooms/${id}`, { token: host })).json as RoomState;
    expect(final.totals).toEqual(before.totals);
    expect(final.products[0]).toMatchObject({ stock: 98, sold: 2 });
  });

  it('keeps a room with a connected client, and a new sale reaches that client', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const overlay = await connectClient(r.url, id, room.tokens.overlay);
    open.push(overlay.socket);
    await sleep(IDLE_MS * 5);
    expect(r.relay.hub.holds(id)).toBe(true);
    const { socket: hostSocket } = await connectClient(r.url, id, room.tokens.host);
    open.push(hostSocket);
    const reply = await send(hostSocket, { id: 'keep-add', type: 'product.add', product: { sku: 'K1', name: '砀山酥梨', priceMinor: 3990 } });
    expect(reply.ok).toBe(true);
    await expect.poll(() => overlay.states.at(-1)?.products.length).toBe(1);
  });

  it('a patch client that connects after the room was dropped gets a full state, then patches that fit', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const host = room.tokens.host;
    await api(r.url, `/api/rooms/${id}/commands`, { token: host, body: { id: 'p-add', type: 'product.add', product: { sku: 'P1', name: '商品', priceMinor: 1000, stock: null } } });
    const productId = (await api(r.url, `/api/rooms/${id}`, { token: host })).json.products[0].id as string;
    await expect.poll(() => r.relay.hub.holds(id), { timeout: 5000 }).toBe(false);

    const socket = ioClient(r.url, { transports: ['websocket'], auth: { room: id, token: room.tokens.overlay, protocol: PROTOCOL_VERSION, patches: true }, reconnection: false, forceNew: true });
    open.push(socket);
    const seen: RoomState[] = [];
    let syncs = 0;
    socket.onAnyOutgoing((event) => {
      if (event === 'room.sync') syncs++;
    });
    followRoom(socket as unknown as FollowSocket, (s) => seen.push(s));
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      const res = await api(r.url, `/api/rooms/${id}/commands`, { token: host, body: { id: `p-sale-${i}`, type: 'sale.record', productId } });
      expect(res.json.ok).toBe(true);
    }
    const stored = (await api(r.url, `/api/rooms/${id}`, { token: host })).json as RoomState;
    await expect.poll(() => seen.at(-1)?.version).toBe(stored.version);
    expect(seen.at(-1)).toEqual(stored);
    expect(syncs).toBe(0);
  });

  it('never drops a room with a command queued or being committed', async () => {
    const room = await r.createRoom();
    const id = room.room.id;
    const actor = (await r.relay.hub.get(id))!;
    const pending = actor.submit({ id: 'queued-add', type: 'product.add', product: { sku: 'Q1', name: '赣南脐橙', priceMinor: 2990, stock: null } }, 'host', 'api');
    // Even with no idle time and nobody claiming the room, a queued command keeps its actor.
    expect(r.relay.hub.evictIdle(0, () => false)).not.toContain(id);
    expect(await pending).toMatchObject({ ok: true });
    // Once the batch has wound down (its drain loop ends after the answers went out), it may go.
    await new Promise((res) => setImmediate(res));
    expect(r.relay.hub.evictIdle(0, () => false)).toContain(id);
    const got = (await api(r.url, `/api/rooms/${id}`, { token: room.tokens.host })).json as RoomState;
    expect(got.products.map((p) => p.name)).toEqual(['赣南脐橙']);
  });

  it('drops many idle rooms, and every one answers again afterwards', async () => {
    const rooms = await Promise.all(Array.from({ length: 30 }, () => r.createRoom()));
    for (const room of rooms) await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay });
    await expect.poll(() => rooms.filter((room) => r.relay.hub.holds(room.room.id)).length, { timeout: 5000 }).toBe(0);
    for (const room of rooms) {
      const got = await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host });
      expect(got.status).toBe(200);
      expect(got.json.room.title).toBe('Test room');
    }
  });
});
