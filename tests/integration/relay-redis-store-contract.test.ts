/**
 * The RoomStore contract, run against both stores (SQLite in a temp dir, Redis on a
 * redis-server this file starts): a commit based on a stale version is refused with
 * CommitConflict and writes nothing; prefetch returns the look-ups a batch needs and the
 * stored room when the caller's version is behind; head and token hashes follow the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyRoom, type RoomState } from '../../shared/domain.js';
import { diffRoom } from '../../shared/room-patch.js';
import { foldSales, noSalesWritten, saleLookups } from '../../shared/sales-fold.js';
import { processCommand, type CommandAnswer } from '../../shared/room-reducer.js';
import type { Command } from '../../shared/commands.js';
import { RedisRoomStore } from '../../overlay/relay/redis-store.js';
import { CommitConflict, type CommitBatch, type CommitEntry, type RoomStore } from '../../overlay/relay/room-store.js';
import { SqliteRoomStore } from '../../overlay/relay/sqlite-store.js';
import { RoomHub } from '../../overlay/relay/room-hub.js';
import pino from 'pino';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const HASHES = { host: 'h-host', cohost: 'h-cohost', sales: 'h-sales', overlay: 'h-overlay' };
let redis: TestRedis;
const dir = mkdtempSync(join(tmpdir(), 'liveshelf-contract-'));
const stores: Record<string, () => RoomStore> = {};
const opened: RoomStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

stores.sqlite = () => new SqliteRoomStore({ path: join(dir, `c-${opened.length}.sqlite`) });
stores.redis = () => new RedisRoomStore({ url: redis.url });

/** Applies commands as the room actor does, and returns the batch a commit of them takes. */
function applyAll(state: RoomState, commands: Command[]): CommitBatch {
  const answers = new Map<string, CommandAnswer>();
  const sales = noSalesWritten();
  let next = state;
  const entries: CommitEntry[] = [];
  for (const command of commands) {
    const out = processCommand(next, command, { now: 1000 + next.version, by: 'host', source: 'console', answer: (id) => answers.get(id), ...saleLookups(sales) });
    if (out.kind !== 'applied') throw new Error(`not applied: ${JSON.stringify(out)}`);
    answers.set(command.id, out.answer);
    foldSales(sales, out.events);
    entries.push({ command, by: 'host', at: 1000, answer: out.answer, events: out.events });
    next = out.state;
  }
  return { next, patch: diffRoom(state, next), entries, sales };
}

describe.each(['sqlite', 'redis'])('RoomStore contract: %s', (kind) => {
  let store: RoomStore;
  beforeAll(async () => {
    store = stores[kind]!();
    opened.push(store);
    if (store instanceof RedisRoomStore) await store.connect();
  });

  it('commits on the stored version and refuses a stale one, writing nothing', async () => {
    const room = emptyRoom(`room-${kind}-1`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const first = applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: 5 } },
      { id: 'sale-1', type: 'sale.record', productId: 'p1', orderId: 'o-1', quantity: 2 },
    ]);
    await store.commit(first);
    expect((await store.head(room.id))?.version).toBe(2);

    // A second writer that still holds version 0 is refused, and its batch leaves no trace.
    const stale = applyAll(room, [{ id: 'other', type: 'ticker.push', text: 'stale' }]);
    await expect(store.commit(stale)).rejects.toBeInstanceOf(CommitConflict);
    const loaded = await store.loadRoom(room.id);
    expect(loaded?.state).toEqual(first.next);
    const pre = await store.prefetch(room.id, 2, { commandIds: ['other', 'add'], saleIds: [], orderIds: [] });
    expect([...pre.answers.keys()]).toEqual(['add']);
  });

  it('prefetches answers, sales by id and by orderId, and the room when the caller is behind', async () => {
    const room = emptyRoom(`room-${kind}-2`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const batch = applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: null } },
      { id: 'sale-1', type: 'sale.record', productId: 'p1', orderId: 'o-1' },
      { id: 'sale-2', type: 'sale.record', productId: 'p1' },
    ]);
    await store.commit(batch);
    const { next, entries } = batch;

    const current = await store.prefetch(room.id, next.version, { commandIds: ['sale-2', 'new'], saleIds: ['sale-2', 'nope'], orderIds: ['o-1', 'o-9'] });
    expect(current.version).toBe(3);
    expect(current.room).toBeUndefined();
    // The sale behind o-1 comes with its sale and its first answer (a repeated orderId answers with it).
    expect(current.orders).toEqual(new Map([['o-1', 'sale-1']]));
    expect([...current.sales.keys()].sort()).toEqual(['sale-1', 'sale-2']);
    expect([...current.answers.keys()].sort()).toEqual(['sale-1', 'sale-2']);
    expect(current.answers.get('sale-1')).toEqual(entries[1]!.answer);

    const behind = await store.prefetch(room.id, 0, { commandIds: [], saleIds: [], orderIds: [] });
    expect(behind.room?.state).toEqual(next);
    expect(behind.room?.tokenHashes).toEqual(HASHES);
  });

  it('lists the sales in recorded order, page by page, a voided one with its void time', async () => {
    const room = emptyRoom(`room-${kind}-4`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const batch = applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: null } },
      ...Array.from({ length: 5 }, (_, i): Command => ({ id: `sale-${i}`, type: 'sale.record', productId: 'p1', quantity: i + 1 })),
      { id: 'void', type: 'sale.void', saleId: 'sale-2' },
    ]);
    await store.commit(batch);
    const all = await store.listSales(room.id, undefined, 100);
    expect(all.map((s) => [s.id, s.quantity])).toEqual([0, 1, 2, 3, 4].map((i) => [`sale-${i}`, i + 1]));
    expect(all[2]!.voidedAt).toEqual(expect.any(Number));
    expect(all.filter((s) => s.voidedAt !== null)).toHaveLength(1);
    const first = await store.listSales(room.id, undefined, 2);
    const second = await store.listSales(room.id, first[1], 2);
    const third = await store.listSales(room.id, second[1], 2);
    expect([...first, ...second, ...third].map((s) => s.id)).toEqual(all.map((s) => s.id));
    expect(await store.listSales(room.id, third[0], 2)).toEqual([]);
    expect(await store.listSales('no-such-room', undefined, 10)).toEqual([]);
  });

  it('[R9] writes refunds back to the sale (also one recorded in the same batch); a repeated refund command id is a duplicate, for another hub too', async () => {
    const room = emptyRoom(`room-${kind}-5`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.commit(applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: 5 } },
      { id: 'sale-1', type: 'sale.record', productId: 'p1', quantity: 3 },
    ]));
    const quiet = pino({ level: 'silent' });
    const actor = (await new RoomHub(store, { now: () => 5000 }, quiet, () => {}).get(room.id))!;
    expect(await actor.submit({ id: 'refund-1', type: 'sale.refund', saleId: 'sale-1', quantity: 1 }, 'sales', 'webhook')).toMatchObject({ ok: true, duplicate: false });
    // Sent in one turn, these two run as one batch: the refund reads the sale the batch recorded.
    const [recorded, refunded] = await Promise.all([
      actor.submit({ id: 'sale-2', type: 'sale.record', productId: 'p1', quantity: 2 }, 'sales', 'webhook'),
      actor.submit({ id: 'refund-2', type: 'sale.refund', saleId: 'sale-2', quantity: 2 }, 'sales', 'webhook'),
    ]);
    expect([recorded, refunded]).toMatchObject([{ ok: true }, { ok: true }]);
    const all = await store.listSales(room.id, undefined, 10);
    expect(all.map((s) => [s.id, s.quantity, s.refundedQuantity, s.voidedAt])).toEqual([['sale-1', 3, 1, null], ['sale-2', 2, 2, null]]);
    const stored = (await store.loadRoom(room.id))!.state;
    expect(stored.totals).toEqual({ sold: 2, revenueMinor: 200, orders: 1 });
    expect(stored.products[0]).toMatchObject({ stock: 3, sold: 2, revenueMinor: 200 });

    // Another hub on the same store (another process, or after a restart) sees the refunds.
    const other = (await new RoomHub(store, { now: () => 6000 }, quiet, () => {}).get(room.id))!;
    expect(await other.submit({ id: 'refund-1', type: 'sale.refund', saleId: 'sale-1', quantity: 1 }, 'sales', 'webhook')).toMatchObject({ ok: true, duplicate: true });
    expect(await other.submit({ id: 'refund-3', type: 'sale.refund', saleId: 'sale-1', quantity: 3 }, 'sales', 'webhook')).toMatchObject({ ok: false, error: { reason: 'refund_too_large' } });
    expect(await other.submit({ id: 'void-1', type: 'sale.void', saleId: 'sale-1' }, 'host', 'console')).toMatchObject({ ok: true });
    expect((await store.loadRoom(room.id))!.state).toMatchObject({ totals: { sold: 0, revenueMinor: 0, orders: 0 }, products: [{ stock: 5, sold: 0 }] });
    expect((await store.listSales(room.id, undefined, 10))[0]).toMatchObject({ id: 'sale-1', refundedQuantity: 1, voidedAt: 6000 });
  });

  it('head follows a rotated token hash; an unknown room has no head and no state', async () => {
    const room = emptyRoom(`room-${kind}-3`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.setTokenHash(room.id, 'cohost', 'h-new');
    expect(await store.head(room.id)).toEqual({ version: 0, tokenHashes: { ...HASHES, cohost: 'h-new' } });
    expect(await store.head('no-such-room')).toBeUndefined();
    expect(await store.loadRoom('no-such-room')).toBeUndefined();
  });

  it('keeps named people per room: found by token hash, listed in invitation order, gone once revoked', async () => {
    const room = emptyRoom(`room-${kind}-people`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const li = { id: 'pe_li', name: '李副县长', role: 'cohost' as const, tokenHash: 'h-li', createdAt: 10, lastSeenAt: null };
    const wang = { id: 'pe_wang', name: 'Wang', role: 'sales' as const, tokenHash: 'h-wang', createdAt: 20, lastSeenAt: null };
    await store.addPerson(room.id, li);
    await store.addPerson(room.id, wang);
    expect(await store.listPeople(room.id)).toEqual([li, wang]);
    expect(await store.personByToken(room.id, 'h-li')).toEqual(li);
    // A token hash is looked up in its own room only.
    expect(await store.personByToken('no-such-room', 'h-li')).toBeUndefined();
    expect(await store.removePerson(room.id, 'pe_li')).toBe(true);
    expect(await store.removePerson(room.id, 'pe_li')).toBe(false);
    expect(await store.personByToken(room.id, 'h-li')).toBeUndefined();
    expect(await store.listPeople(room.id)).toEqual([wang]);
  });
  // ---- Feeds (issue 13) ----
  it('keeps feeds per room: found by id alone, saved whole, listed in creation order, gone once deleted', async () => {
    const room = emptyRoom(`room-${kind}-feeds`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const base = { roomId: room.id, secret: 'whsec_x', received: 0, counted: 0, rejected: 0, lastAt: null, lastError: null, unmatched: [], skuMap: {}, cancelled: [] };
    const shop = { ...base, id: `fd_${kind}_shop`, platform: 'shopify' as const, name: 'Shop', createdAt: 10 };
    const std = { ...base, id: `fd_${kind}_std`, platform: 'standard' as const, name: 'n8n', createdAt: 20 };
    await store.addFeed(std);
    await store.addFeed(shop);
    expect(await store.listFeeds(room.id)).toEqual([shop, std]);
    expect(await store.feedById(shop.id)).toEqual(shop);
    const counted = { ...shop, received: 2, counted: 1, rejected: 1, lastAt: 99, lastError: 'bad signature', unmatched: [{ sku: 'X', quantity: 2, orderId: 'shopify:1:2', commandId: 'c1' }], skuMap: { Y: 'p1' }, cancelled: ['7'] };
    expect(await store.saveFeed(counted)).toBe(true);
    expect(await store.feedById(shop.id)).toEqual(counted);
    expect(await store.removeFeed('no-such-room', shop.id)).toBe(false);
    expect(await store.removeFeed(room.id, shop.id)).toBe(true);
    expect(await store.removeFeed(room.id, shop.id)).toBe(false);
    expect(await store.feedById(shop.id)).toBeUndefined();
    // A deleted feed is not brought back by a save still in flight.
    expect(await store.saveFeed(counted)).toBe(false);
    expect(await store.feedById(shop.id)).toBeUndefined();
    expect(await store.listFeeds(room.id)).toEqual([std]);
  });
});
