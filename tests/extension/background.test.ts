/**
 * The background worker's message handling and storage under WXT's fakeBrowser, against a
 * REAL relay on port 0. The only stand-ins: fakeBrowser for the extension APIs (the real
 * ones run in the e2e test), and — for the protocol-mismatch message only — a tiny socket.io
 * server that answers like a relay of another protocol version, since no such relay exists.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackground } from '../../extension/worker/background-main';
import type { Response } from '../../extension/common/messages';
import {
  activeRoomItem,
  connectionItem,
  getCachedState,
  noticeItem,
  outboxItem,
  roomKeyOf,
  roomsItem,
  settingsItem,
} from '../../extension/common/storage-items';
import { resolveLocale, translator } from '../../extension/ui/i18n';
import { relayNoticeText } from '../../extension/ui/relay-errors';
import { api, connectClient, send, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';

let relay: TestRelay;
let room: CreatedRoom;
let bg: ReturnType<typeof createBackground>;

beforeAll(async () => {
  relay = await startRelay();
});
afterAll(async () => relay.close());
beforeEach(async () => {
  fakeBrowser.reset();
  room = await relay.createRoom({ title: '永胜石榴专场' });
  bg = createBackground();
});
afterEach(() => bg.stop());

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition never held');
}

async function seedProduct(): Promise<string> {
  const { socket } = await connectClient(relay.url, room.room.id, room.tokens.host);
  const r = await send(socket, { id: 'seed', type: 'product.add', product: { sku: 'POM', name: '石榴', priceMinor: 5990, stock: 10 } });
  socket.close();
  if (!r.ok || !r.result.productId) throw new Error('seed failed');
  return r.result.productId;
}

describe('messages to the background worker', () => {
  it('refuses a malformed message with the offending field', async () => {
    const r = await bg.handleMessage({ type: 'command', roomKey: 'r@h', command: { id: 'x', type: 'sale.record', productId: 'p', quantity: 0 } });
    expect(r).toMatchObject({ ok: false, problem: 'invalid' });
    expect(r.ok ? [] : r.issues?.map((i) => i.field)).toContain('command.quantity');
    expect(await bg.handleMessage({ type: 'nope' })).toMatchObject({ ok: false, problem: 'invalid' });
  });

  it('pairs with a host link: the room and token stay in extension storage, the state is cached', async () => {
    const r = await bg.handleMessage({ type: 'pair', link: room.links.host });
    const key = roomKeyOf(relay.url, room.room.id);
    expect(r).toEqual({ ok: true, roomKey: key });
    expect(await activeRoomItem.getValue()).toBe(key);
    expect(await roomsItem.getValue()).toEqual([expect.objectContaining({ key, role: 'host', token: room.tokens.host, relayUrl: relay.url })]);
    expect(await connectionItem.getValue()).toMatchObject({ phase: 'online', role: 'host', roomKey: key });
    const cached = await until(() => getCachedState(key), (s) => s !== null);
    expect(cached?.room.title).toBe('永胜石榴专场');
  });

  it('answers through runtime messaging (the listener answers asynchronously)', async () => {
    // fakeBrowser has no commands.onCommand nor runtime.onConnect: the shortcuts are tested
    // through onKeyboardCommand below and the state port in the e2e test; here only their
    // registration must not throw.
    vi.spyOn(fakeBrowser.commands.onCommand, 'addListener').mockImplementation(() => {});
    vi.spyOn(fakeBrowser.runtime.onConnect, 'addListener').mockImplementation(() => {});
    bg.start();
    const r = (await fakeBrowser.runtime.sendMessage({ type: 'pair', link: 'not a link' })) as Response;
    expect(r).toMatchObject({ ok: false, problem: 'bad_link', pairing: { code: 'not_a_link' } });
  });

  it('refuses the sales and overlay links with a code the page words (not English words)', async () => {
    expect(await bg.handleMessage({ type: 'pair', link: room.links.sales })).toEqual({ ok: false, problem: 'bad_link', message: 'bad pairing link: sales_link', pairing: { code: 'sales_link', params: {} } });
    expect(await bg.handleMessage({ type: 'pair', link: room.links.overlay })).toMatchObject({ ok: false, problem: 'bad_link', pairing: { code: 'overlay_link', params: {} } });
    expect(await roomsItem.getValue()).toEqual([]);
  });

  it('says the token was refused when it is wrong', async () => {
    const bad = room.links.host.replace(/token=[^&]+/, 'token=lsh_wrong');
    expect(await bg.handleMessage({ type: 'pair', link: bad })).toMatchObject({ ok: false, problem: 'unauthorized' });
    // The refused link is not remembered.
    expect(await roomsItem.getValue()).toEqual([]);
    expect(await activeRoomItem.getValue()).toBeNull();
  });

  it('says the relay is unreachable when nothing listens there', async () => {
    const dead = await startRelay();
    const deadRoom = await dead.createRoom();
    await dead.close();
    expect(await bg.handleMessage({ type: 'pair', link: deadRoom.links.host })).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(await connectionItem.getValue()).toMatchObject({ phase: 'offline', problem: 'unreachable' });
  });

  it('says the protocol differs when the relay speaks another version', async () => {
    const http: HttpServer = createServer();
    const io = new Server(http);
    io.use((_s, next) => next(Object.assign(new Error('protocol 2'), { data: { code: 'protocol_mismatch', message: 'this relay speaks protocol 2' } })));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as { port: number }).port;
    try {
      const r = await bg.handleMessage({ type: 'pair', link: `http://127.0.0.1:${port}/pair#v=1&room=r_x&role=host&token=lsh_x` });
      expect(r).toMatchObject({ ok: false, problem: 'protocol_mismatch' });
    } finally {
      bg.stop();
      await new Promise<void>((r) => io.close(() => r()));
    }
  });

  it('queues a sale, delivers it, and undo voids it (sale id = command id)', async () => {
    const productId = await seedProduct();
    await bg.handleMessage({ type: 'pair', link: room.links.host });
    const key = roomKeyOf(relay.url, room.room.id);
    expect(await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'sale:1', type: 'sale.record', productId, quantity: 2 } })).toMatchObject({ ok: true });
    await bg.outbox.flush();
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await bg.handleMessage({ type: 'sale.undo', roomKey: key })).toMatchObject({ ok: true });
    await bg.outbox.flush();
    const state = (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(state.products[0]).toMatchObject({ sold: 0, stock: 10 });
    expect(await bg.handleMessage({ type: 'sale.undo', roomKey: key })).toMatchObject({ ok: false, problem: 'nothing_to_undo' });
  });

  it('keeps a refused sale as a notice with its code, reason and product, which the panel words in Chinese', async () => {
    const productId = await seedProduct();
    await bg.handleMessage({ type: 'pair', link: room.links.host });
    const key = roomKeyOf(relay.url, room.room.id);
    expect(await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'sale:big', type: 'sale.record', productId, quantity: 11 } })).toMatchObject({ ok: true });
    await bg.outbox.flush();
    const notice = await until(() => noticeItem.getValue(), (n) => n !== null);
    expect(notice).toMatchObject({ id: 'sale:big', commandType: 'sale.record', code: 'conflict', reason: 'out_of_stock', field: 'quantity', productId });
    expect(notice!.message).toContain('only 10');
    expect(relayNoticeText(notice!, translator('zh-CN'), { commandType: notice!.commandType, product: { name: '石榴', stock: 10 }, locale: 'zh-CN' })).toBe(
      '销售未记录。“石榴”库存不足：只剩 10 件。请先补货，或减少数量。',
    );
    // Refused for good: it left the outbox and is not an undoable sale.
    expect(await outboxItem.getValue()).toEqual([]);
    expect(await bg.handleMessage({ type: 'sale.undo', roomKey: key })).toMatchObject({ ok: false, problem: 'nothing_to_undo' });
  });

  it('saves the room title once, not again with every state the relay sends', async () => {
    const productId = await seedProduct();
    await bg.handleMessage({ type: 'pair', link: room.links.host });
    const key = roomKeyOf(relay.url, room.room.id);
    await until(() => roomsItem.getValue(), (r) => r[0]?.title === '永胜石榴专场');
    const writes = vi.spyOn(roomsItem, 'setValue');
    try {
      for (let i = 0; i < 3; i++) await bg.handleMessage({ type: 'command', roomKey: key, command: { id: `sale:t${i}`, type: 'sale.record', productId, quantity: 1 } });
      // The cache is written after the worker received the states of all three sales.
      await until(() => getCachedState(key), (s) => s?.products[0]?.sold === 3);
      expect(writes).not.toHaveBeenCalled();
    } finally {
      writes.mockRestore();
    }
  });

  it('refuses price, stock and sale commands from a co-host before queueing them', async () => {
    const productId = await seedProduct();
    await bg.handleMessage({ type: 'pair', link: room.links.cohost });
    const key = roomKeyOf(relay.url, room.room.id);
    expect(await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'c:1', type: 'sale.record', productId } })).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'c:2', type: 'stock.set', productId, stock: 5 } })).toMatchObject({ ok: false, problem: 'forbidden' });
    expect(await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'c:3', type: 'card.show', productId } })).toMatchObject({ ok: true });
    await bg.outbox.flush();
    expect(await outboxItem.getValue()).toEqual([]);
    const state = (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay })).json;
    expect(state).toMatchObject({ currentProductId: productId, cardVisible: true });
  });

  it('the +1 keyboard shortcut sells one of the current product from the cached state', async () => {
    const productId = await seedProduct();
    await bg.handleMessage({ type: 'pair', link: room.links.host });
    const key = roomKeyOf(relay.url, room.room.id);
    await bg.handleMessage({ type: 'command', roomKey: key, command: { id: 'show:1', type: 'card.show', productId } });
    await until(() => getCachedState(key), (s) => s?.currentProductId === productId);
    expect(await bg.onKeyboardCommand('sale-plus-one')).toMatchObject({ ok: true });
    await bg.outbox.flush();
    const cached = await until(() => getCachedState(key), (s) => s?.totals.sold === 1);
    expect(cached?.products[0]).toMatchObject({ sold: 1, stock: 9 });
    expect(await bg.onKeyboardCommand('card-toggle')).toMatchObject({ ok: true });
    await bg.outbox.flush();
    await until(() => getCachedState(key), (s) => s?.cardVisible === false);
  });

  it('remembers several rooms, one active; forgetting one drops its outbox', async () => {
    const other = await relay.createRoom({ title: 'Second' });
    await bg.handleMessage({ type: 'pair', link: room.links.host });
    await bg.handleMessage({ type: 'pair', link: other.links.cohost });
    const k1 = roomKeyOf(relay.url, room.room.id);
    const k2 = roomKeyOf(relay.url, other.room.id);
    expect((await roomsItem.getValue()).map((r) => r.key)).toEqual([k1, k2]);
    expect(await activeRoomItem.getValue()).toBe(k2);
    await bg.handleMessage({ type: 'room.select', roomKey: k1 });
    expect(await activeRoomItem.getValue()).toBe(k1);
    await bg.handleMessage({ type: 'room.forget', roomKey: k1 });
    expect(await activeRoomItem.getValue()).toBe(k2);
    expect((await roomsItem.getValue()).map((r) => r.key)).toEqual([k2]);
  });
});

describe('storage', () => {
  it('migrates the single pairing of v1 into the list of rooms of v2', async () => {
    await fakeBrowser.storage.local.set({ rooms: { relayUrl: 'http://127.0.0.1:4600', room: 'r_old', token: 'lsh_old' }, rooms$: { v: 1 } });
    await roomsItem.migrate();
    expect(await roomsItem.getValue()).toEqual([
      expect.objectContaining({ key: 'r_old@127.0.0.1:4600', room: 'r_old', token: 'lsh_old', role: 'host', overlayUrl: null }),
    ]);
    expect((await fakeBrowser.storage.local.get('rooms$'))['rooms$']).toEqual({ v: 2 });
  });

  it('follows the browser language unless the host picked one', async () => {
    expect(await settingsItem.getValue()).toEqual({ locale: 'auto' });
    expect(resolveLocale('auto', ['zh-TW', 'en'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['fr-CA'])).toBe('fr');
    expect(resolveLocale('auto', ['de-DE'])).toBe('en');
    expect(resolveLocale('fr', ['zh-CN'])).toBe('fr');
    expect(translator('zh-CN')('waiting', { n: 2 })).toBe('2 条待发');
    expect(translator('en')('showProduct', { name: '石榴' })).toBe('Show 石榴');
  });
});
