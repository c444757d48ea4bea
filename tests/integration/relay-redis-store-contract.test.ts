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
import { auditSummary } from '../../shared/audit.js';
import { RedisRoomStore } from '../../overlay/relay/redis-store.js';
import { CommitConflict, type CommitBatch, type CommitEntry, type RoomStore } from '../../overlay/relay/room-store.js';
import { SqliteRoomStore } from '../../overlay/relay/sqlite-store.js';
import { RoomHub } from '../../overlay/relay/room-hub.js';
import { Redis } from 'ioredis';
import pino from 'pino';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { onAirOf, type CardChange } from '../../shared/show-report.js';

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
  const cards: CardChange[] = [];
  for (const command of commands) {
    const out = processCommand(next, command, { now: 1000 + next.version, by: 'host', source: 'console', answer: (id) => answers.get(id), ...saleLookups(sales) });
    if (out.kind !== 'applied') throw new Error(`not applied: ${JSON.stringify(out)}`);
    answers.set(command.id, out.answer);
    foldSales(sales, out.events);
    entries.push({ command, by: 'host', at: 1000, answer: out.answer, events: out.events, audit: { seq: out.state.version, at: 1000, commandId: command.id, type: command.type, by: { role: 'host' }, summary: auditSummary(next, out.state, command, out.answer.result) } });
    if (onAirOf(out.state) !== onAirOf(next)) cards.push({ at: 1000, productId: onAirOf(out.state) });
    next = out.state;
  }
  return { next, patch: diffRoom(state, next), entries, sales, cards };
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

  it('pages sales in (time, id) order: same-millisecond sales by id, a later one after them, whatever order they came in', async () => {
    const room = emptyRoom(`room-${kind}-order`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    let now = 5000;
    const actor = (await new RoomHub(store, { now: () => now }, pino({ level: 'silent' }), () => {}).get(room.id))!;
    expect(await actor.submit({ id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: null } }, 'host', 'console')).toMatchObject({ ok: true });
    const sell = (id: string) => actor.submit({ id, type: 'sale.record', productId: 'p1' }, 'sales', 'api');
    await Promise.all([sell('z'), sell('b')]); // one batch, one millisecond
    now = 6000;
    await sell('a');
    await sell('a'); // a duplicate adds nothing
    const whole = await store.listSales(room.id, undefined, 10);
    expect(whole.map((s) => [s.at, s.id])).toEqual([[5000, 'b'], [5000, 'z'], [6000, 'a']]);
    const paged: string[] = [];
    for (let page = await store.listSales(room.id, undefined, 1); page.length; page = await store.listSales(room.id, page[0], 1)) paged.push(page[0]!.id);
    expect(paged).toEqual(['b', 'z', 'a']);
    // A cursor of no sale of this room still pages by its (at, id).
    expect((await store.listSales(room.id, { at: 5000, id: 'c' }, 10)).map((s) => s.id)).toEqual(['z', 'a']);
  });

  it('reportSales: the sales of [from, to) a report counts (no voided one, no rehearsal\'s), in recorded order, with the fields it reads', async () => {
    const room = emptyRoom(`room-${kind}-report`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    let now = 1000;
    const actor = (await new RoomHub(store, { now: () => now }, pino({ level: 'silent' }), () => {}).get(room.id))!;
    expect(await actor.submit({ id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 250, stock: null } }, 'host', 'console')).toMatchObject({ ok: true });
    const sell = (id: string, quantity = 1, source: 'api' | 'console' = 'api') => actor.submit({ id, type: 'sale.record', productId: 'p1', quantity }, 'sales', source);
    await sell('s1', 2);
    now = 2000;
    await sell('s2', 3, 'console');
    await actor.submit({ id: 'r2', type: 'sale.refund', saleId: 's2', quantity: 1 }, 'sales', 'api');
    now = 3000;
    await sell('s3');
    await actor.submit({ id: 'v3', type: 'sale.void', saleId: 's3' }, 'host', 'console');
    now = 4000;
    await actor.submit({ id: 'reh', type: 'rehearsal.start', ordersPerMinute: 0 }, 'host', 'console');
    await sell('s4');
    await actor.submit({ id: 'reh-end', type: 'rehearsal.end' }, 'host', 'console');
    now = 5000;
    await sell('s5');
    const all = await store.reportSales(room.id, -Infinity, Infinity);
    expect(all.map((s) => [s.at, s.quantity, s.refundedQuantity])).toEqual([[1000, 2, 0], [2000, 3, 1], [5000, 1, 0]]);
    expect(all[1]).toMatchObject({ productId: 'p1', unitPriceMinor: 250, source: 'console', voidedAt: null, presale: false });
    expect((await store.reportSales(room.id, 2000, 5000)).map((s) => s.at)).toEqual([2000]);
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
    expect(stored.totals).toEqual({ sold: 2, revenueMinor: 200, orders: 1, weightGrams: 0 });
    expect(stored.products[0]).toMatchObject({ stock: 3, sold: 2, revenueMinor: 200 });

    // Another hub on the same store (another process, or after a restart) sees the refunds.
    const other = (await new RoomHub(store, { now: () => 6000 }, quiet, () => {}).get(room.id))!;
    expect(await other.submit({ id: 'refund-1', type: 'sale.refund', saleId: 'sale-1', quantity: 1 }, 'sales', 'webhook')).toMatchObject({ ok: true, duplicate: true });
    expect(await other.submit({ id: 'refund-3', type: 'sale.refund', saleId: 'sale-1', quantity: 3 }, 'sales', 'webhook')).toMatchObject({ ok: false, error: { reason: 'refund_too_large' } });
    expect(await other.submit({ id: 'void-1', type: 'sale.void', saleId: 'sale-1' }, 'host', 'console')).toMatchObject({ ok: true });
    expect((await store.loadRoom(room.id))!.state).toMatchObject({ totals: { sold: 0, revenueMinor: 0, orders: 0 }, products: [{ stock: 5, sold: 0 }] });
    expect((await store.listSales(room.id, undefined, 10))[0]).toMatchObject({ id: 'sale-1', refundedQuantity: 1, voidedAt: 6000 });
  });

  it('[R10] keeps a sale\'s presale mark and the product\'s presale; another hub voids it and gives back the quota, not stock', async () => {
    const room = emptyRoom(`room-${kind}-presale`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.commit(applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: 1, netWeightGrams: 5000 } },
      { id: 'pre', type: 'presale.set', productId: 'p1', shipBy: '2026-09-20', quota: 4 },
      { id: 'from-stock', type: 'sale.record', productId: 'p1', quantity: 1 },
      { id: 'on-presale', type: 'sale.record', productId: 'p1', quantity: 4 },
    ]));
    expect((await store.listSales(room.id, undefined, 10)).map((s) => [s.id, s.presale])).toEqual([['from-stock', false], ['on-presale', true]]);
    const loaded = (await store.loadRoom(room.id))!.state;
    expect(loaded.products[0]).toMatchObject({ stock: 0, soldOut: true, presale: { shipBy: '2026-09-20', quota: 4, sold: 4 } });
    expect(loaded.totals).toEqual({ sold: 5, revenueMinor: 500, orders: 2, weightGrams: 25_000 });
    const other = (await new RoomHub(store, { now: () => 7000 }, pino({ level: 'silent' }), () => {}).get(room.id))!;
    expect(await other.submit({ id: 'void-pre', type: 'sale.void', saleId: 'on-presale' }, 'host', 'console')).toMatchObject({ ok: true });
    expect((await store.loadRoom(room.id))!.state.products[0]).toMatchObject({ stock: 0, soldOut: false, presale: { sold: 0 } });
  });

  it('[Rh3] keeps a rehearsal sale\'s mark (a live one has none), the room\'s mode and the product\'s share; another hub ends it', async () => {
    const room = emptyRoom(`room-${kind}-rehearsal`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.commit(applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: 5, netWeightGrams: 500 } },
      { id: 'live', type: 'sale.record', productId: 'p1', quantity: 1 },
      { id: 'start', type: 'rehearsal.start', ordersPerMinute: 60, rushOrders: 100, rushSeconds: 10 },
      { id: 'practice', type: 'sale.record', productId: 'p1', quantity: 3 },
    ]));
    const sales = await store.listSales(room.id, undefined, 10);
    expect(sales.map((s) => [s.id, s.rehearsal ?? false])).toEqual([['live', false], ['practice', true]]);
    expect(sales[0]).not.toHaveProperty('rehearsal');
    const loaded = (await store.loadRoom(room.id))!.state;
    expect(loaded).toMatchObject({ mode: 'rehearsal', rehearsal: { ordersPerMinute: 60, rushOrders: 100, rushSeconds: 10, running: true, counted: { sold: 3, orders: 1 } } });
    expect(loaded.products[0]).toMatchObject({ stock: 1, rehearsal: { sold: 3, stock: -3 } });
    const other = (await new RoomHub(store, { now: () => 7000 }, pino({ level: 'silent' }), () => {}).get(room.id))!;
    expect(await other.submit({ id: 'end', type: 'rehearsal.end' }, 'host', 'console')).toMatchObject({ ok: true });
    const ended = (await store.loadRoom(room.id))!.state;
    expect(ended).toMatchObject({ mode: 'live', rehearsal: null, totals: { sold: 1, revenueMinor: 100, orders: 1, weightGrams: 500 }, products: [{ stock: 4, sold: 1 }] });
    expect(ended.products[0]).not.toHaveProperty('rehearsal');
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

  // ---- card history (issue 19) ----
  it('keeps the card history: each commit that changes the product on air appends {at, productId}, a stale one nothing; a window comes with the change in effect at its start', async () => {
    const room = emptyRoom(`room-${kind}-cards`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    let now = 1000;
    const actor = (await new RoomHub(store, { now: () => now }, pino({ level: 'silent' }), () => {}).get(room.id))!;
    const run = async (at: number, command: Command) => {
      now = at;
      expect(await actor.submit(command, 'host', 'console')).toMatchObject({ ok: true });
    };
    await run(1000, { id: 'a1', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: null } });
    await run(1001, { id: 'a2', type: 'product.add', product: { sku: 'B', name: 'b', priceMinor: 100, stock: null } });
    await run(2000, { id: 'c1', type: 'card.show', productId: 'p1' });
    await run(2500, { id: 'c1b', type: 'card.show', productId: 'p1' }); // already on air: no change
    await run(3000, { id: 'c2', type: 'card.next' });
    await run(4000, { id: 'c3', type: 'card.hide' });
    await run(5000, { id: 'c4', type: 'card.show', productId: 'p1' });
    await run(5500, { id: 'r0', type: 'product.remove', productId: 'p2' }); // not on air: no change
    await run(6000, { id: 'r1', type: 'product.remove', productId: 'p1' }); // on air: the card goes dark
    const all = [
      { at: 2000, productId: 'p1' },
      { at: 3000, productId: 'p2' },
      { at: 4000, productId: null },
      { at: 5000, productId: 'p1' },
      { at: 6000, productId: null },
    ];
    expect(await store.listCardChanges(room.id)).toEqual(all);
    expect(await store.listCardChanges(room.id, 3500, 5000)).toEqual([all[1], all[2]]);
    expect(await store.listCardChanges(room.id, 3001, 6001)).toEqual(all.slice(1));
    expect(await store.listCardChanges(room.id, 0, 2000)).toEqual([]);
    expect(await store.listCardChanges('no-such-room')).toEqual([]);

    // A commit refused as stale writes no card change either (same transaction / script).
    const loaded = (await store.loadRoom(room.id))!.state;
    const stale = applyAll({ ...loaded, version: loaded.version - 1 }, [
      { id: 'a9', type: 'product.add', product: { sku: 'C', name: 'c', priceMinor: 100, stock: null } },
      { id: 'c9', type: 'card.next' },
    ]);
    expect(stale.cards).toHaveLength(1);
    await expect(store.commit(stale)).rejects.toBeInstanceOf(CommitConflict);
    expect(await store.listCardChanges(room.id)).toEqual(all);
  });
  // ---- audit log (issue 18) ----
  it('appends an audit entry per applied command in the commit, listed in seq order page by page; a stale commit adds none', async () => {
    const room = emptyRoom(`room-${kind}-audit`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const first = applyAll(room, [
      { id: 'add', type: 'product.add', product: { sku: 'A', name: '砀山酥梨', priceMinor: 100, stock: 5 } },
      { id: 'show', type: 'card.show', productId: 'p1' },
    ]);
    await store.commit(first);
    const second = applyAll(first.next, [{ id: 'sale-1', type: 'sale.record', productId: 'p1', quantity: 2 }]);
    await store.commit(second);
    await expect(store.commit(applyAll(room, [{ id: 'stale', type: 'ticker.push', text: 'x' }]))).rejects.toBeInstanceOf(CommitConflict);
    const all = await store.listAudit(room.id, 0, 100);
    expect(all.map((e) => [e.seq, e.commandId, e.type])).toEqual([
      [1, 'add', 'product.add'],
      [2, 'show', 'card.show'],
      [3, 'sale-1', 'sale.record'],
    ]);
    expect(all[1]).toEqual({ seq: 2, at: 1000, commandId: 'show', type: 'card.show', by: { role: 'host' }, summary: { productId: 'p1', name: '砀山酥梨' } });
    expect(all[2]!.summary).toEqual({ productId: 'p1', name: '砀山酥梨', quantity: 2, saleId: 'sale-1' });
    expect(await store.listAudit(room.id, 1, 1)).toEqual([all[1]]);
    expect(await store.listAudit(room.id, 3, 10)).toEqual([]);
    expect(await store.listAudit('no-such-room', 0, 10)).toEqual([]);
  });

  it("sets a person's lastSeenAt, and does not bring back a revoked one", async () => {
    const room = emptyRoom(`room-${kind}-seen`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.addPerson(room.id, { id: 'pe_li', name: '李', role: 'cohost', tokenHash: 'h-li', createdAt: 10, lastSeenAt: null });
    await store.touchPerson(room.id, 'pe_li', 500);
    expect((await store.listPeople(room.id))[0]?.lastSeenAt).toBe(500);
    await store.removePerson(room.id, 'pe_li');
    await store.touchPerson(room.id, 'pe_li', 600);
    expect(await store.listPeople(room.id)).toEqual([]);
  });

  it('command.undo reads the entry it reverses through prefetch (also from another hub), and the store marks it undone', async () => {
    const room = emptyRoom(`room-${kind}-undo`, { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    const quiet = pino({ level: 'silent' });
    const actor = (await new RoomHub(store, { now: () => 5000 }, quiet, () => {}).get(room.id))!;
    expect(await actor.submit({ id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: 5 } }, 'host', 'console')).toMatchObject({ ok: true });
    expect(await actor.submit({ id: 'show', type: 'card.show', productId: 'p1' }, { role: 'cohost', personId: 'pe_wang', name: '王县长' }, 'console')).toMatchObject({ ok: true });
    expect(await actor.submit({ id: 'sale-1', type: 'sale.record', productId: 'p1', quantity: 2 }, 'sales', 'webhook')).toMatchObject({ ok: true });
    // A fresh hub holds nothing in memory: what it undoes comes from the store.
    const other = (await new RoomHub(store, { now: () => 6000 }, quiet, () => {}).get(room.id))!;
    expect(await other.submit({ id: 'undo-show', type: 'command.undo', commandId: 'show' }, 'host', 'console')).toMatchObject({ ok: true, duplicate: false });
    expect(await other.submit({ id: 'undo-sale', type: 'command.undo', commandId: 'sale-1' }, 'host', 'console')).toMatchObject({ ok: true });
    expect(await other.submit({ id: 'undo-add', type: 'command.undo', commandId: 'add' }, 'host', 'console')).toMatchObject({ ok: false, error: { reason: 'not_undoable' } });
    expect(await actor.submit({ id: 'undo-show-2', type: 'command.undo', commandId: 'show' }, 'host', 'console')).toMatchObject({ ok: false, error: { reason: 'already_undone' } });
    const state = (await store.loadRoom(room.id))!.state;
    expect([state.currentProductId, state.cardVisible, state.totals.sold, state.products[0]!.stock]).toEqual([null, false, 0, 5]);
    const log = await store.listAudit(room.id, 0, 100);
    expect(log.map((e) => [e.commandId, e.undoneBy ?? null])).toEqual([['add', null], ['show', 'undo-show'], ['sale-1', 'undo-sale'], ['undo-show', null], ['undo-sale', null]]);
    expect(log[1]!.by).toEqual({ role: 'cohost', personId: 'pe_wang', name: '王县长' });
    expect((await store.listSales(room.id, undefined, 10))[0]!.voidedAt).toBe(6000);
  });
  // ---- end audit log ----

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

describe('Redis sales index', () => {
  it('a room stored before the sales-by-time index is indexed on its first listing, in the same order', async () => {
    const store = new RedisRoomStore({ url: redis.url });
    opened.push(store);
    await store.connect();
    const room = emptyRoom('room-redis-legacy-index', { title: 't', currency: 'CNY', locale: 'zh-CN' }, 1);
    await store.createRoom(room, HASHES);
    await store.commit(applyAll(room, [{ id: 'add', type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: 100, stock: null } }, ...Array.from({ length: 30 }, (_, i): Command => ({ id: `s-${String(30 - i).padStart(2, '0')}`, type: 'sale.record', productId: 'p1' }))]));
    const before = (await store.listSales(room.id, undefined, 100)).map((s) => s.id);
    // As Redis holds a room written by a relay before the index: the sales hash alone.
    const raw = new Redis(redis.url);
    try {
      expect(await raw.del(`ls:{${room.id}}:sales-by-time`)).toBe(1);
    } finally {
      raw.disconnect();
    }
    const later = new RedisRoomStore({ url: redis.url });
    opened.push(later);
    await later.connect();
    const paged: string[] = [];
    for (let page = await later.listSales(room.id, undefined, 7); page.length; page = await later.listSales(room.id, page.at(-1), 7)) paged.push(...page.map((s) => s.id));
    expect(paged).toEqual(before);
    expect(paged).toHaveLength(30);
  });
});
