/**
 * Saved rooms are read through the schemas, in their stored format (overlay/relay/stored-room.ts).
 * The fixture (tests/fixtures/stored-room-v1, see its make.ts) was written by the stores of the
 * release before formats were recorded: a SQLite file, and the Redis keys as JSON, written back
 * here with HSET into a real redis-server. Today's code reads the same state, sales and answers
 * from both, and a command repeated from before is still a duplicate. A file or room from a
 * newer release, or a row that does not fit the schema, is refused naming the room and field.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../shared/commands.js';
import { RedisRoomStore } from '../../overlay/relay/redis-store.js';
import { RoomHub } from '../../overlay/relay/room-hub.js';
import type { RoomStore } from '../../overlay/relay/room-store.js';
import { SqliteRoomStore } from '../../overlay/relay/sqlite-store.js';
import { openSqliteFormat, readStoredProduct, StoredRoomError, type Migration } from '../../overlay/relay/stored-room.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/stored-room-v1');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  commandIds: Record<string, string[]>;
  sqlite: Record<string, { loaded: unknown; prefetch: Record<string, unknown>; sales: unknown[] }>;
  redis: Record<string, { loaded: unknown; prefetch: Record<string, unknown>; sales: unknown[] }>;
};
/**
 * The fixture was written before the farm fields of issue 17 (shared/product-fields.ts): a
 * product stored without them loads with their blank values, placed where the field table puts
 * them (after the host's fields, before the aggregates), so what the relay sends keeps one key order.
 */
const ADDED_SINCE_FIXTURE = { netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null };
/** And the presale (issue 17), after the aggregates: a product stored before reads as none. */
const PRESALE_SINCE_FIXTURE = { presale: null };
const REHEARSAL_SINCE_FIXTURE = { mode: 'live', rehearsal: null };
for (const kind of ['sqlite', 'redis'] as const) {
  for (const room of Object.values(expected[kind])) {
    for (const loaded of [room.loaded, room.prefetch.room]) {
      if (!loaded) continue;
      const state = (loaded as { state: { products: Record<string, unknown>[]; totals: Record<string, unknown> } }).state;
      // totals.weightGrams (issue 17) came later too: an older room reads it as 0, its sales not re-weighed.
      state.totals = { ...state.totals, weightGrams: 0 };
      state.products = state.products.map(({ sold, revenueMinor, soldOutManual, soldOut, ...fields }) => ({ ...fields, ...ADDED_SINCE_FIXTURE, sold, revenueMinor, soldOutManual, soldOut, ...PRESALE_SINCE_FIXTURE }));
      // The rehearsal (issue 19), after the totals: a room stored before reads live, with none.
      // Presets (issue 18), before the totals: a room stored before reads none.
      const { updatedAt, products, totals, ...rest } = state as unknown as Record<string, unknown>;
      (loaded as { state: unknown }).state = { ...rest, presets: { ticker: [], countdowns: [] }, totals, ...REHEARSAL_SINCE_FIXTURE, updatedAt, products };
    }
  }
}
const redisDump = JSON.parse(readFileSync(join(FIXTURE, 'redis.json'), 'utf8')) as Record<string, Record<string, string>>;
const ROOMS = Object.keys(expected.commandIds);
/** The orderIds the fixture's sales carry, per room (as make.ts asked for them). */
const ORDER_IDS: Record<string, string[]> = { r_fixture_cny: ['DY-1001', 'DY-1002'], r_fixture_eur: ['SHOP-7'] };

const dir = mkdtempSync(join(tmpdir(), 'liveshelf-format-'));
let redis: TestRedis;
const opened: RoomStore[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const s of opened) await s.close();
  await redis?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function sqliteCopy(name: string): string {
  const path = join(dir, name);
  copyFileSync(join(FIXTURE, 'rooms.sqlite'), path);
  return path;
}

async function redisFromDump(db: number): Promise<RedisRoomStore> {
  const store = new RedisRoomStore({ url: `${redis.url}/${db}` });
  opened.push(store);
  await store.connect();
  await store.redis.flushdb();
  for (const [key, fields] of Object.entries(redisDump)) await store.redis.hset(key, fields);
  return store;
}

const quiet = pino({ level: 'silent' });

/**
 * A sale as today's code reads back one the fixture's release wrote: that release had no
 * refunds nor presales, so every sale has refundedQuantity 0 and presale false (fields added
 * with a default, see stored-room.ts; SQLite adds their columns) and is otherwise what it read then. The fixture itself stays as it was written.
 */
const withoutRefunds = (sale: unknown) => ({ ...(sale as object), refundedQuantity: 0, presale: false });
const salesById = (sales: unknown) => Object.fromEntries(Object.entries(sales as Record<string, unknown>).map(([id, s]) => [id, withoutRefunds(s)]));

describe.each(['sqlite', 'redis'] as const)('a %s store written by the release before stored formats', (kind) => {
  let store: RoomStore;
  beforeAll(async () => {
    if (kind === 'sqlite') {
      store = new SqliteRoomStore({ path: sqliteCopy('current.sqlite'), synchronous: 'NORMAL' });
      opened.push(store);
    } else store = await redisFromDump(1);
  });

  it.each(ROOMS)('reads %s back exactly: state, token hashes, sales and answers', async (room) => {
    const want = expected[kind][room]!;
    const loaded = await store.loadRoom(room);
    expect(loaded).toStrictEqual(want.loaded);
    // Byte for byte, key order too: what GET /api/rooms and the broadcasts send is unchanged.
    expect(JSON.stringify(loaded)).toBe(JSON.stringify(want.loaded));
    const ids = expected.commandIds[room]!;
    const pre = await store.prefetch(room, -1, { commandIds: ids, saleIds: ids, orderIds: ORDER_IDS[room]! });
    expect({ version: pre.version, room: pre.room, answers: Object.fromEntries(pre.answers), sales: Object.fromEntries(pre.sales), orders: Object.fromEntries(pre.orders) }).toStrictEqual({
      ...want.prefetch,
      sales: salesById(want.prefetch.sales),
    });
    expect(await store.listSales(room, undefined, 1000)).toStrictEqual(want.sales.map(withoutRefunds));
  });

  it('answers a command repeated from before with its first answer, and a repeated orderId with its first sale', async () => {
    const hub = new RoomHub(store, { now: () => 1_800_000_000_000 }, quiet, () => {});
    const actor = (await hub.get('r_fixture_cny'))!;
    const firstAdd = (expected[kind].r_fixture_cny!.prefetch.answers as Record<string, unknown>).c1;
    const again = await actor.submit({ id: 'c1', type: 'product.add', product: { sku: 'NEW', name: 'n', priceMinor: 1 } } as Command, 'host', 'console');
    expect(again).toEqual({ ...(firstAdd as object), duplicate: true });
    const order = await actor.submit({ id: 'webhook-resend', type: 'sale.record', sku: 'RICE', orderId: 'DY-1001' } as Command, 'sales', 'webhook');
    expect(order).toMatchObject({ ok: true, duplicate: true, result: { saleId: 'c9' } });
    expect(actor.state.version).toBe(22);
    // And the room takes new commands on top of what it held.
    const sale = await actor.submit({ id: 'after-upgrade', type: 'sale.record', sku: 'RICE' } as Command, 'sales', 'console');
    expect(sale).toMatchObject({ ok: true, version: 23, duplicate: false });
    expect((await store.loadRoom('r_fixture_cny'))?.state.totals).toEqual({ sold: 6, revenueMinor: 31890, orders: 4, weightGrams: 0 });
  });

  it('[R9] refunds a sale recorded before refunds existed, and a void after it gives back only what is left', async () => {
    const hub = new RoomHub(store, { now: () => 1_800_000_000_000 }, quiet, () => {});
    const actor = (await hub.get('r_fixture_eur'))!;
    const [sale] = await store.listSales('r_fixture_eur', undefined, 1);
    expect(sale).toMatchObject({ quantity: 3, refundedQuantity: 0, voidedAt: null });
    const before = actor.state.totals;
    expect(await actor.submit({ id: 'refund-old', type: 'sale.refund', saleId: sale!.id, quantity: 2 } as Command, 'sales', 'webhook')).toMatchObject({ ok: true, duplicate: false });
    expect(actor.state.totals).toEqual({ sold: before.sold - 2, revenueMinor: before.revenueMinor - 2 * sale!.unitPriceMinor, orders: before.orders, weightGrams: 0 });
    expect((await store.listSales('r_fixture_eur', undefined, 1))[0]).toMatchObject({ id: sale!.id, refundedQuantity: 2 });
    expect(await actor.submit({ id: 'void-old', type: 'sale.void', saleId: sale!.id } as Command, 'host', 'console')).toMatchObject({ ok: true });
    expect(actor.state.totals).toEqual({ sold: before.sold - 3, revenueMinor: before.revenueMinor - 3 * sale!.unitPriceMinor, orders: before.orders - 1, weightGrams: 0 });
  });
});

describe('stored format versions', () => {
  it('records format 1 in the SQLite file it opens, and refuses a file from a newer release', async () => {
    const path = sqliteCopy('versions.sqlite');
    expect(new Database(path).pragma('user_version', { simple: true })).toBe(0);
    const store = new SqliteRoomStore({ path, synchronous: 'NORMAL' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(1);
    store.db.pragma('user_version = 2');
    await store.close();
    expect(() => new SqliteRoomStore({ path, synchronous: 'NORMAL' })).toThrow(/is in stored format 2, and this relay reads formats 1 to 1/);
  });

  it('refuses a Redis room from a newer release, naming it', async () => {
    const store = await redisFromDump(2);
    await store.redis.hset('ls:{r_fixture_eur}:room', 'format', '2');
    await expect(store.loadRoom('r_fixture_eur')).rejects.toThrow(/room "r_fixture_eur" in Redis is in stored format 2/);
    await expect(store.prefetch('r_fixture_eur', -1, { commandIds: [], saleIds: [], orderIds: [] })).rejects.toThrow(/stored format 2/);
    expect(await store.loadRoom('r_fixture_cny')).toStrictEqual(expected.redis.r_fixture_cny!.loaded);
  });

  it('refuses a stored product that does not fit the schema, naming the room, the product and the field', async () => {
    const path = sqliteCopy('bad-row.sqlite');
    const db = new Database(path);
    db.prepare("UPDATE products SET data = json_set(data, '$.priceMinor', '59.90') WHERE room_id = 'r_fixture_cny' AND id = 'p1'").run();
    db.close();
    const store = new SqliteRoomStore({ path, synchronous: 'NORMAL' });
    opened.push(store);
    const err = await store.loadRoom('r_fixture_cny').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoredRoomError);
    expect((err as Error).message).toBe('stored room "r_fixture_cny" cannot be read: product "p1", field priceMinor: Invalid input: expected number, received string');
    // The relay refuses the batch with a 503 instead of applying anything on a broken room.
    const hub = new RoomHub(store, { now: () => 1 }, quiet, () => {});
    await expect(hub.get('r_fixture_cny')).rejects.toBeInstanceOf(StoredRoomError);
    expect(await store.loadRoom('r_fixture_eur')).toStrictEqual(expected.sqlite.r_fixture_eur!.loaded);
  });

  it('migrates rows of an older format: on open in SQLite (then records the new format), on read otherwise', () => {
    // A made-up format 2 in which `origin` was renamed `region`.
    const rename: Migration = { from: 1, product: ({ origin, ...p }) => ('region' in p ? p : { ...p, region: origin }) };
    const path = sqliteCopy('migrate.sqlite');
    const db = new Database(path);
    openSqliteFormat(db, [rename], 2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const rows = db.prepare("SELECT data FROM products WHERE room_id = 'r_fixture_eur'").all() as { data: string }[];
    expect(rows.map((r) => JSON.parse(r.data) as object)).toEqual([expect.objectContaining({ region: 'Provence' })]);
    expect(rows[0]!.data).not.toContain('"origin"');
    openSqliteFormat(db, [rename], 2); // once at the format, nothing more is rewritten
    expect(rows[0]!.data).toBe((db.prepare("SELECT data FROM products WHERE room_id = 'r_fixture_eur'").get() as { data: string }).data);
    db.close();
  });

  it('reads a product row without a field added since as its blank value; a missing required field is refused', () => {
    const product = (expected.sqlite.r_fixture_eur!.loaded as { state: { products: Record<string, unknown>[] } }).state.products[0]!;
    const { tagline: _t, obsScene: _o, ...older } = product;
    expect(readStoredProduct('r', 'p1', JSON.stringify(older), 1)).toStrictEqual({ ...product, tagline: '', obsScene: null });
    const { priceMinor: _p, ...broken } = product;
    expect(() => readStoredProduct('r', 'p1', JSON.stringify(broken), 1)).toThrow('stored room "r" cannot be read: product "p1", field priceMinor: Invalid input: expected number, received undefined');
  });
});
