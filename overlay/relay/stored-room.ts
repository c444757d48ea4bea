/**
 * How a saved room is read back: the stored format version, the migrations from older formats,
 * and the parse of every row through the domain's schemas (shared/domain.ts), so that a row
 * the code cannot use is refused on load, naming the room and the field, instead of breaking
 * a reducer or a broadcast later. Both stores read through here (sqlite-store loadSync,
 * redis-store roomOf); what they write is the domain's JSON, unchanged.
 *
 * Formats: 1 is what every release wrote before formats were recorded, so a database or a room
 * without a recorded format is format 1. Where a store records it:
 * - SQLite: `PRAGMA user_version` of the whole file (0 = not recorded yet = 1). A file in an
 *   older format is migrated when it is opened, in one transaction, then marked; a file from a
 *   newer release is refused.
 * - Redis: the `format` field of the room's hash (absent = 1). Rows are migrated when read;
 *   a room's rows are rewritten one at a time as they change (a commit writes the meta and the
 *   changed products only), so a room's rows may be newer than its `format` says: a migration
 *   must leave a row that already has its change as it is.
 * A product field added to the field table needs no new format (a row without it reads as the
 * field's blank value), nor a sale field with a default (refundedQuantity: 0, also the SQLite
 * column's default); a change of meaning, a renamed or a new required field does.
 * Sales are not migrated by format: SQLite keeps them in columns (a column added is added for
 * old files when the store opens them), Redis as JSON read through the Sale schema here.
 * Raising STORED_FORMAT: add a migration (from = the old format) and have the stores write the
 * new number (redis-store createRoom, and its commit for a room read in an older format).
 */
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { ProductSchema, RoomStateSchema, SaleSchema, type Product, type RoomState, type Sale } from '../../shared/domain.js';
import { withBlanks } from '../../shared/product-fields.js';

export const STORED_FORMAT = 1;

type Row = Record<string, unknown>;
/** One step from format `from` to `from + 1`: plain functions over the parsed JSON of a row. */
export interface Migration {
  from: number;
  meta?: (meta: Row) => Row;
  product?: (product: Row) => Row;
}

/** None yet: format 1 is the first. */
export const MIGRATIONS: readonly Migration[] = [];

const MetaSchema = RoomStateSchema.omit({ products: true });
export type StoredMeta = z.infer<typeof MetaSchema>;
const OrderSchema = z.array(z.string());

/** A stored room this relay cannot read: which room, which row and field, and why. */
export class StoredRoomError extends Error {
  constructor(
    readonly roomId: string,
    readonly detail: string,
  ) {
    super(`stored room "${roomId}" cannot be read: ${detail}`);
    this.name = 'StoredRoomError';
  }
}

/** The format a store recorded, checked: this code reads it, or it is from a newer release. */
export function checkedFormat(recorded: number | undefined, where: string, target = STORED_FORMAT): number {
  const format = recorded === undefined || recorded === 0 ? 1 : recorded;
  if (!Number.isSafeInteger(format) || format < 1 || format > target) {
    throw new Error(`${where} is in stored format ${String(recorded)}, and this relay reads formats 1 to ${target}: run the release that wrote it (or a newer one), or restore a backup`);
  }
  return format;
}

/** The Redis room hash's `format` field (absent = 1). */
export function redisRoomFormat(roomId: string, field: string | null | undefined): number {
  return checkedFormat(field == null ? undefined : Number(field), `room "${roomId}" in Redis`);
}

/**
 * Brings a SQLite file to the current format when it is opened (every row of an older format
 * rewritten through the migrations, in one transaction) and records it in user_version; refuses
 * a file from a newer release. Afterwards every row is in `target`.
 */
export function openSqliteFormat(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, target = STORED_FORMAT): void {
  const recorded = db.pragma('user_version', { simple: true }) as number;
  const format = checkedFormat(recorded, `the database ${db.name}`, target);
  if (recorded === target) return;
  db.transaction(() => {
    if (format < target) {
      const setMeta = db.prepare('UPDATE rooms SET meta = ? WHERE id = ?');
      for (const r of db.prepare('SELECT id, meta FROM rooms').all() as { id: string; meta: string }[]) {
        setMeta.run(JSON.stringify(migrated(JSON.parse(r.meta) as Row, format, 'meta', migrations)), r.id);
      }
      const setProduct = db.prepare('UPDATE products SET data = ? WHERE room_id = ? AND id = ?');
      for (const r of db.prepare('SELECT room_id, id, data FROM products').all() as { room_id: string; id: string; data: string }[]) {
        setProduct.run(JSON.stringify(migrated(JSON.parse(r.data) as Row, format, 'product', migrations)), r.room_id, r.id);
      }
    }
    db.pragma(`user_version = ${target}`);
  })();
}

function migrated(row: Row, format: number, kind: 'meta' | 'product', migrations: readonly Migration[]): Row {
  let out = row;
  for (const m of migrations) if (m.from >= format) out = m[kind]?.(out) ?? out;
  return out;
}

function parsed<T>(roomId: string, what: string, json: string, schema: z.ZodType<T>, migrate: (row: Row) => Row): T {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new StoredRoomError(roomId, `${what} is not JSON`);
  }
  const r = schema.safeParse(raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? migrate(raw as Row) : raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.length ? issue.path.map(String).join('.') : '(row)';
  throw new StoredRoomError(roomId, `${what}, field ${field}: ${issue?.message ?? 'does not fit the schema'}`);
}

export function readStoredMeta(roomId: string, json: string, format: number, migrations: readonly Migration[] = MIGRATIONS): StoredMeta {
  return parsed(roomId, 'its room row', json, MetaSchema, (row) => migrated(row, format, 'meta', migrations));
}

/** A product row; a field it lacks (added to the field table after it was written) is its blank value. */
export function readStoredProduct(roomId: string, productId: string, json: string, format: number, migrations: readonly Migration[] = MIGRATIONS): Product {
  return parsed(roomId, `product "${productId}"`, json, ProductSchema, (row) => withBlanks(migrated(row, format, 'product', migrations)));
}

/** A sale stored as JSON (Redis); a field it lacks that has a default (refundedQuantity) reads as it. */
export function readStoredSale(roomId: string, saleId: string, json: string): Sale {
  return parsed(roomId, `sale "${saleId}"`, json, SaleSchema, (row) => row);
}

/**
 * The room as stored: its meta, the queue order (product ids) and the product rows. A product
 * row whose id is not in the order is not in the room (as before: the order is the queue).
 */
export function readStoredRoom(
  roomId: string,
  stored: { meta: string; order: string; products: Iterable<readonly [string, string]> },
  format: number,
  migrations: readonly Migration[] = MIGRATIONS,
): RoomState {
  const meta = readStoredMeta(roomId, stored.meta, format, migrations);
  const order = parsed(roomId, 'its queue order', stored.order, OrderSchema, (row) => row);
  const rows = new Map(stored.products);
  const products: Product[] = [];
  for (const id of order) {
    const json = rows.get(id);
    if (json !== undefined) products.push(readStoredProduct(roomId, id, json, format, migrations));
  }
  return { ...meta, products };
}
