/**
 * SQLite room store (better-sqlite3, WAL). A commit writes, in one transaction: the room row
 * (state without products), the product rows the batch's patch carries (the ones whose object
 * changed: the reducer keeps unchanged products identical), the command answers and the sales. Durability levels:
 * - `FULL` (default): SQLite runs with `synchronous = NORMAL` and every write is followed by
 *   an fdatasync of the WAL file shared by all writes made meanwhile (wal-sync.ts: once per
 *   event-loop turn on a fast disk, on libuv's thread pool on a slow one). `synced()`
 *   resolves once the frames written before it are on disk: the same guarantee as SQLite's
 *   FULL (survives a power cut), with one fsync for all the rooms' batches of a turn, and
 *   broadcasts that do not wait for it.
 * - `FULL_INLINE`: SQLite's own `synchronous = FULL` (the fsync inside each commit, on the
 *   event loop); kept to compare against.
 * - `NORMAL`: no fsync per commit; survives a crash of the relay, not a power cut.
 * The relay groups the commands of one event-loop turn of a room into one commit (see
 * README, "Durability").
 */
import Database from 'better-sqlite3';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Role, RoomState, Sale } from '../../shared/domain.js';
import type { CommandAnswer } from '../../shared/room-reducer.js';
import type { CardChange, ReportSale } from '../../shared/show-report.js';
import type { LoggedCommand } from '../../shared/commands/undo.js';
import { CommitConflict, undoneMarks, type StoredAudit, type StoredFeed, type BatchKeys, type CommitBatch, type LoadedRoom, type Prefetched, type RoomHead, type RoomStore, type SalesAfter, type StoredPerson, type TokenHashes } from './room-store.js';
import { openSqliteFormat, readStoredRoom, STORED_FORMAT } from './stored-room.js';
import { WalSync, type SyncFn, type SyncNowFn } from './wal-sync.js';

export const SYNC_LEVELS = ['FULL', 'FULL_INLINE', 'NORMAL'] as const;
export type SyncLevel = (typeof SYNC_LEVELS)[number];

export interface SqliteStoreOptions {
  path: string;
  synchronous?: SyncLevel;
  /** Told once when an fsync failed: the store refuses every write from then on; restart the process. */
  onFatal?: (err: Error) => void;
  /** The WAL's fsync on the thread pool and on the event loop (default fs.fdatasync and fdatasyncSync); tests pass a slow or failing disk. */
  fsync?: SyncFn;
  fsyncNow?: SyncNowFn;
  /** See WalSync: the average fsync time up to which fsyncs run on the event loop (1 ms; 0 = always on the pool). */
  inlineFsyncMaxMs?: number;
}

const PERSON_COLUMNS = 'id, name, role, token_hash AS tokenHash, created_at AS createdAt, last_seen_at AS lastSeenAt';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  meta TEXT NOT NULL,
  product_order TEXT NOT NULL,
  token_host TEXT NOT NULL,
  token_cohost TEXT NOT NULL,
  token_sales TEXT NOT NULL,
  token_overlay TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS products (
  room_id TEXT NOT NULL,
  id TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (room_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS people (
  room_id TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER,
  PRIMARY KEY (room_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS people_token ON people (room_id, token_hash);
-- Feeds (issue 13): keyed by id alone, since a hook URL names the feed and not the room.
CREATE TABLE IF NOT EXISTS feeds (
  id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS feeds_room ON feeds (room_id, created_at);
CREATE TABLE IF NOT EXISTS commands (
  room_id TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  type TEXT NOT NULL,
  by_role TEXT NOT NULL,
  at INTEGER NOT NULL,
  answer TEXT NOT NULL,
  PRIMARY KEY (room_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sales (
  room_id TEXT NOT NULL,
  id TEXT NOT NULL,
  order_id TEXT,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  refunded_quantity INTEGER NOT NULL DEFAULT 0,
  unit_price_minor INTEGER NOT NULL,
  at INTEGER NOT NULL,
  source TEXT NOT NULL,
  by_role TEXT NOT NULL,
  voided_at INTEGER,
  answer TEXT,
  presale INTEGER NOT NULL DEFAULT 0,
  rehearsal INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (room_id, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS sales_order ON sales (room_id, order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sales_time ON sales (room_id, at, id);
-- Card history (issue 19): what the card showed from "at" on (product_id NULL = hidden).
-- A rowid table: changes of the same millisecond keep their commit order.
CREATE TABLE IF NOT EXISTS card_changes (
  room_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  product_id TEXT
);
CREATE INDEX IF NOT EXISTS card_changes_time ON card_changes (room_id, at);
-- audit log (issue 18): one row per applied command, keyed by the version it led to, so each
-- commit appends at the right edge of the B-tree (no random-id page per row).
CREATE TABLE IF NOT EXISTS audit (
  room_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
`;

type Meta = Omit<RoomState, 'products'>;

const SALE_COLUMNS = 'id, order_id, product_id, quantity, refunded_quantity, unit_price_minor, at, source, by_role, voided_at, presale, rehearsal';

interface TokenRow {
  token_host: string;
  token_cohost: string;
  token_sales: string;
  token_overlay: string;
}

function saleOfRow(s: SaleRow): Sale {
  return {
    id: s.id,
    orderId: s.order_id,
    productId: s.product_id,
    quantity: s.quantity,
    refundedQuantity: s.refunded_quantity,
    unitPriceMinor: s.unit_price_minor,
    at: s.at,
    source: s.source,
    by: s.by_role,
    voidedAt: s.voided_at,
    presale: s.presale === 1,
    ...(s.rehearsal === 1 && { rehearsal: true as const }),
  };
}

interface SaleRow {
  id: string;
  order_id: string | null;
  product_id: string;
  quantity: number;
  refunded_quantity: number;
  unit_price_minor: number;
  at: number;
  source: Sale['source'];
  by_role: Role;
  voided_at: number | null;
  /** 0/1: SQLite has no boolean. */
  presale: number;
  /** 1: recorded while the room rehearsed (issue 19); 0 for a live sale. */
  rehearsal: number;
}

export class SqliteRoomStore implements RoomStore {
  readonly db: Database.Database;
  private readonly stmt;
  private readonly commitTx;

  /** The WAL's group fsync, in `FULL` (not for `:memory:`, which has no file). */
  readonly wal: WalSync | undefined;
  private walFd: number | undefined;

  constructor(options: SqliteStoreOptions) {
    const level = options.synchronous ?? 'FULL';
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${level === 'FULL_INLINE' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    // Databases made before 2026-12-01 have no sales.answer (their sales' answers are in commands).
    // Nor, before 2026-12-02, sales.refunded_quantity: their sales were never refunded (0).
    const saleColumns = new Set((this.db.pragma('table_info(sales)') as { name: string }[]).map((c) => c.name));
    if (!saleColumns.has('answer')) this.db.exec('ALTER TABLE sales ADD COLUMN answer TEXT');
    if (!saleColumns.has('refunded_quantity')) this.db.exec('ALTER TABLE sales ADD COLUMN refunded_quantity INTEGER NOT NULL DEFAULT 0');
    // Nor, before 2026-12-03, sales.presale (issue 17): their sales were all from stock (0).
    if (!saleColumns.has('presale')) this.db.exec('ALTER TABLE sales ADD COLUMN presale INTEGER NOT NULL DEFAULT 0');
    // Nor, before 2026-12-04, sales.rehearsal (issue 19): their sales were all live (0).
    if (!saleColumns.has('rehearsal')) this.db.exec('ALTER TABLE sales ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0');
    openSqliteFormat(this.db);
    if (level === 'FULL' && options.path !== ':memory:') {
      // The WAL file exists once the schema was written; it lives as long as the connection
      // (SQLite rewinds it after a checkpoint, it does not replace it). fsync flushes the
      // file's dirty pages whichever descriptor wrote them.
      this.walFd = openSync(`${options.path}-wal`, 'r');
      this.wal = new WalSync(this.walFd, options.onFatal, options.fsync, { ...(options.fsyncNow && { syncNow: options.fsyncNow }), ...(options.inlineFsyncMaxMs !== undefined && { inlineMaxMs: options.inlineFsyncMaxMs }) });
    }
    const db = this.db;
    this.stmt = {
      insertRoom: db.prepare(
        'INSERT INTO rooms (id, created_at, meta, product_order, token_host, token_cohost, token_sales, token_overlay) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      room: db.prepare('SELECT * FROM rooms WHERE id = ?'),
      products: db.prepare('SELECT id, data FROM products WHERE room_id = ?'),
      version: db.prepare("SELECT json_extract(meta, '$.version') AS v FROM rooms WHERE id = ?"),
      head: db.prepare("SELECT json_extract(meta, '$.version') AS v, token_host, token_cohost, token_sales, token_overlay FROM rooms WHERE id = ?"),
      // A sale.record's answer is kept in its sale's row (the sale's id is the command's id):
      // one B-tree row per sale instead of two, where random command ids cost a page each.
      answer: db.prepare('SELECT answer FROM commands WHERE room_id = ? AND id = ? UNION ALL SELECT answer FROM sales WHERE room_id = ? AND id = ? AND answer IS NOT NULL LIMIT 1'),
      sale: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE room_id = ? AND id = ?`),
      saleOfOrder: db.prepare('SELECT id FROM sales WHERE room_id = ? AND order_id = ?'),
      updateMeta: db.prepare('UPDATE rooms SET meta = ? WHERE id = ?'),
      updateOrder: db.prepare('UPDATE rooms SET product_order = ? WHERE id = ?'),
      upsertProduct: db.prepare('INSERT INTO products (room_id, id, data) VALUES (?, ?, ?) ON CONFLICT (room_id, id) DO UPDATE SET data = excluded.data'),
      deleteProduct: db.prepare('DELETE FROM products WHERE room_id = ? AND id = ?'),
      insertCommand: db.prepare('INSERT INTO commands (room_id, id, version, type, by_role, at, answer) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertSale: db.prepare(
        'INSERT INTO sales (room_id, id, order_id, product_id, quantity, refunded_quantity, unit_price_minor, at, source, by_role, voided_at, answer, presale, rehearsal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      // What a void or a refund changes of a recorded sale (the rest of a sale never changes).
      updateSale: db.prepare('UPDATE sales SET voided_at = ?, refunded_quantity = ? WHERE room_id = ? AND id = ?'),
      // ---- audit log ----
      insertAudit: db.prepare('INSERT INTO audit (room_id, seq, entry) VALUES (?, ?, ?)'),
      auditPage: db.prepare('SELECT entry FROM audit WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?'),
      touchPerson: db.prepare('UPDATE people SET last_seen_at = ? WHERE room_id = ? AND id = ?'),
      auditAt: db.prepare('SELECT entry FROM audit WHERE room_id = ? AND seq = ?'),
      markUndone: db.prepare("UPDATE audit SET entry = json_set(entry, '$.undoneBy', ?) WHERE room_id = ? AND seq = ?"),
      // ---- end audit log ----
      salesPage: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE room_id = ? AND (at, id) > (?, ?) ORDER BY at, id LIMIT ?`),
      // The report's read: its columns only, as arrays, the sales it counts (the sales_time index).
      reportSales: db
        .prepare('SELECT product_id, quantity, refunded_quantity, unit_price_minor, at, source, presale FROM sales WHERE room_id = ? AND at >= ? AND at < ? AND voided_at IS NULL AND rehearsal = 0 ORDER BY at, id')
        .raw(true),
      insertCard: db.prepare('INSERT INTO card_changes (room_id, at, product_id) VALUES (?, ?, ?)'),
      // The change in effect at `from` (the last before it), then those in [from, to).
      cardsBefore: db.prepare('SELECT at, product_id AS productId FROM card_changes WHERE room_id = ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT 1'),
      cardsIn: db.prepare('SELECT at, product_id AS productId FROM card_changes WHERE room_id = ? AND at >= ? AND at < ? ORDER BY at, rowid'),
      setToken: {
        host: db.prepare('UPDATE rooms SET token_host = ? WHERE id = ?'),
        cohost: db.prepare('UPDATE rooms SET token_cohost = ? WHERE id = ?'),
        sales: db.prepare('UPDATE rooms SET token_sales = ? WHERE id = ?'),
        overlay: db.prepare('UPDATE rooms SET token_overlay = ? WHERE id = ?'),
      },
    };
    this.commitTx = db.transaction((batch: CommitBatch) => this.writeCommit(batch));
    this.prefetchTx = db.transaction((roomId: string, knownVersion: number, keys: BatchKeys) => this.readBatch(roomId, knownVersion, keys));
  }

  private readonly prefetchTx;

  private writeCommit({ next, patch, entries, sales, cards }: CommitBatch): void {
    const roomId = next.id;
    const stored = this.stmt.version.get(roomId) as { v: number } | undefined;
    if (stored?.v !== patch.baseVersion) throw new CommitConflict(roomId, patch.baseVersion);
    const { products: _p, ...meta } = next;
    this.stmt.updateMeta.run(JSON.stringify(meta satisfies Meta), roomId);
    const products = patch.products;
    if (products) {
      for (const p of products.upsert) this.stmt.upsertProduct.run(roomId, p.id, JSON.stringify(p));
      for (const gone of products.removed ?? []) this.stmt.deleteProduct.run(roomId, gone);
      if (products.order) this.stmt.updateOrder.run(JSON.stringify(products.order), roomId);
    }
    // The sale a sale.record made carries the command's answer (same id), see `answer` above;
    // any other command keeps its answer in `commands`.
    const carried = new Map<string, string>();
    for (const e of entries) {
      this.stmt.insertAudit.run(roomId, e.audit.seq, JSON.stringify(e.audit));
      const answer = JSON.stringify(e.answer);
      if (e.command.type === 'sale.record' && sales.recorded.has(e.command.id)) carried.set(e.command.id, answer);
      else this.stmt.insertCommand.run(roomId, e.command.id, e.answer.version, e.command.type, e.by, e.at, answer);
    }
    for (const [seq, undoId] of undoneMarks(entries)) this.stmt.markUndone.run(undoId, roomId, seq);
    for (const s of sales.sales.values()) {
      if (sales.recorded.has(s.id)) this.stmt.insertSale.run(roomId, s.id, s.orderId, s.productId, s.quantity, s.refundedQuantity, s.unitPriceMinor, s.at, s.source, s.by, s.voidedAt, carried.get(s.id) ?? null, s.presale ? 1 : 0, s.rehearsal ? 1 : 0);
      else this.stmt.updateSale.run(s.voidedAt, s.refundedQuantity, roomId, s.id);
    }
    for (const c of cards) this.stmt.insertCard.run(roomId, c.at, c.productId);
  }

  /** Once the WAL holding what was written so far is on disk (at once in NORMAL and FULL_INLINE). */
  synced(): Promise<void> {
    return this.wal ? this.wal.sync() : Promise.resolve();
  }

  /** No batch left in this turn: the turn's fsync now (wal-sync.ts). */
  flush(): void {
    this.wal?.flush();
  }

  /** After a failed fsync nothing more is written: what is on disk is unknown until a restart. */
  private refuseIfFailed(): void {
    const failed = this.wal?.failure;
    if (failed) throw failed;
  }

  async createRoom(state: RoomState, t: TokenHashes): Promise<void> {
    this.refuseIfFailed();
    const { products, ...meta } = state;
    this.db.transaction(() => {
      this.stmt.insertRoom.run(state.id, state.updatedAt, JSON.stringify(meta), JSON.stringify(products.map((p) => p.id)), t.host, t.cohost, t.sales, t.overlay);
      for (const p of products) this.stmt.upsertProduct.run(state.id, p.id, JSON.stringify(p));
    })();
    await this.synced();
  }

  async loadRoom(roomId: string): Promise<LoadedRoom | undefined> {
    return this.loadSync(roomId);
  }

  private loadSync(roomId: string): LoadedRoom | undefined {
    const row = this.stmt.room.get(roomId) as
      | { meta: string; product_order: string; token_host: string; token_cohost: string; token_sales: string; token_overlay: string }
      | undefined;
    if (!row) return undefined;
    const products = (this.stmt.products.all(roomId) as { id: string; data: string }[]).map((p) => [p.id, p.data] as const);
    // Every row is in STORED_FORMAT once the file is open (openSqliteFormat).
    const state = readStoredRoom(roomId, { meta: row.meta, order: row.product_order, products }, STORED_FORMAT);
    return {
      state,
      tokenHashes: { host: row.token_host, cohost: row.token_cohost, sales: row.token_sales, overlay: row.token_overlay },
    };
  }

  async head(roomId: string): Promise<RoomHead | undefined> {
    const row = this.stmt.head.get(roomId) as ({ v: number } & TokenRow) | undefined;
    return row && { version: row.v, tokenHashes: { host: row.token_host, cohost: row.token_cohost, sales: row.token_sales, overlay: row.token_overlay } };
  }

  async prefetch(roomId: string, knownVersion: number, keys: BatchKeys): Promise<Prefetched> {
    return this.prefetchTx(roomId, knownVersion, keys);
  }

  private readBatch(roomId: string, knownVersion: number, keys: BatchKeys): Prefetched {
    const stored = this.stmt.version.get(roomId) as { v: number } | undefined;
    if (!stored) throw new Error(`room ${roomId} is not in the store`);
    const answers = new Map<string, CommandAnswer>();
    const sales = new Map<string, Sale>();
    const orders = new Map<string, string>();
    const answerOf = (id: string) => {
      if (answers.has(id)) return;
      const a = this.stmt.answer.get(roomId, id, roomId, id) as { answer: string } | undefined;
      if (a) answers.set(id, JSON.parse(a.answer) as CommandAnswer);
    };
    const saleOf = (id: string) => {
      if (sales.has(id)) return;
      const row = this.stmt.sale.get(roomId, id) as SaleRow | undefined;
      if (row) sales.set(id, saleOfRow(row));
    };
    for (const id of keys.commandIds) answerOf(id);
    for (const id of keys.saleIds) saleOf(id);
    for (const orderId of keys.orderIds) {
      const row = this.stmt.saleOfOrder.get(roomId, orderId) as { id: string } | undefined;
      if (!row) continue;
      orders.set(orderId, row.id);
      saleOf(row.id);
      answerOf(row.id);
    }
    const out: Prefetched = { version: stored.v, answers, sales, orders };
    // command.undo's targets: the answer gives the version the command led to, which is its entry's seq.
    if (keys.auditIds?.length) {
      const logged = new Map<string, LoggedCommand>();
      for (const id of keys.auditIds) {
        const a = this.stmt.answer.get(roomId, id, roomId, id) as { answer: string } | undefined;
        const row = a && (this.stmt.auditAt.get(roomId, (JSON.parse(a.answer) as CommandAnswer).version) as { entry: string } | undefined);
        if (!row) continue;
        const e = JSON.parse(row.entry) as StoredAudit;
        if (e.commandId === id) logged.set(id, { seq: e.seq, type: e.type, ...(e.inverse && { inverse: e.inverse }), ...(e.undoneBy !== undefined && { undoneBy: e.undoneBy }) });
      }
      out.logged = logged;
    }
    if (stored.v !== knownVersion) {
      const room = this.loadSync(roomId);
      if (room) out.room = room;
    }
    return out;
  }

  async commit(batch: CommitBatch): Promise<void> {
    this.refuseIfFailed();
    this.commitTx(batch);
  }

  async setTokenHash(roomId: string, role: Role, hash: string): Promise<void> {
    this.refuseIfFailed();
    this.stmt.setToken[role].run(hash, roomId);
    await this.synced();
  }

  // People are few and rarely written (invite, revoke): plain statements, made durable at once.
  async addPerson(roomId: string, p: StoredPerson): Promise<void> {
    this.refuseIfFailed();
    this.db.prepare('INSERT INTO people (room_id, id, name, role, token_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(roomId, p.id, p.name, p.role, p.tokenHash, p.createdAt, p.lastSeenAt);
    await this.synced();
  }

  async listPeople(roomId: string): Promise<StoredPerson[]> {
    return (this.db.prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE room_id = ? ORDER BY created_at, id`).all(roomId) as StoredPerson[]);
  }

  async personByToken(roomId: string, tokenHash: string): Promise<StoredPerson | undefined> {
    return this.db.prepare(`SELECT ${PERSON_COLUMNS} FROM people WHERE room_id = ? AND token_hash = ?`).get(roomId, tokenHash) as StoredPerson | undefined;
  }

  async removePerson(roomId: string, personId: string): Promise<boolean> {
    this.refuseIfFailed();
    const r = this.db.prepare('DELETE FROM people WHERE room_id = ? AND id = ?').run(roomId, personId);
    await this.synced();
    return r.changes > 0;
  }

  // ---- audit log (issue 18): written by writeCommit, read here ----
  async listAudit(roomId: string, after: number, limit: number): Promise<StoredAudit[]> {
    return (this.stmt.auditPage.all(roomId, after, limit) as { entry: string }[]).map((r) => JSON.parse(r.entry) as StoredAudit);
  }

  /** Not awaited by the relay and not worth an fsync of its own: it rides with the next commit's. */
  async touchPerson(roomId: string, personId: string, at: number): Promise<void> {
    this.refuseIfFailed();
    this.stmt.touchPerson.run(at, roomId, personId);
  }
  // ---- end audit log ----

  // ---- Feeds (issue 13): one JSON row per feed, written whole; made durable before answering ----
  async addFeed(f: StoredFeed): Promise<void> {
    this.refuseIfFailed();
    this.db.prepare('INSERT INTO feeds (id, room_id, created_at, data) VALUES (?, ?, ?, ?)').run(f.id, f.roomId, f.createdAt, JSON.stringify(f));
    await this.synced();
  }

  async listFeeds(roomId: string): Promise<StoredFeed[]> {
    const rows = this.db.prepare('SELECT data FROM feeds WHERE room_id = ? ORDER BY created_at, id').all(roomId) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as StoredFeed);
  }

  async feedById(feedId: string): Promise<StoredFeed | undefined> {
    const row = this.db.prepare('SELECT data FROM feeds WHERE id = ?').get(feedId) as { data: string } | undefined;
    return row ? (JSON.parse(row.data) as StoredFeed) : undefined;
  }

  async saveFeed(f: StoredFeed): Promise<boolean> {
    this.refuseIfFailed();
    const r = this.db.prepare('UPDATE feeds SET data = ? WHERE id = ? AND room_id = ?').run(JSON.stringify(f), f.id, f.roomId);
    await this.synced();
    return r.changes > 0;
  }

  async removeFeed(roomId: string, feedId: string): Promise<boolean> {
    this.refuseIfFailed();
    const r = this.db.prepare('DELETE FROM feeds WHERE room_id = ? AND id = ?').run(roomId, feedId);
    await this.synced();
    return r.changes > 0;
  }

  async listSales(roomId: string, after: SalesAfter | undefined, limit: number): Promise<Sale[]> {
    const rows = this.stmt.salesPage.all(roomId, after?.at ?? -1, after?.id ?? '', limit) as SaleRow[];
    return rows.map(saleOfRow);
  }

  /** One query over the sales_time index, rows as arrays: about half the time of listSales' pages of objects for 100k sales. */
  async reportSales(roomId: string, from: number, to: number): Promise<ReportSale[]> {
    const lo = Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER;
    const hi = Number.isFinite(to) ? to : Number.MAX_SAFE_INTEGER;
    const rows = this.stmt.reportSales.all(roomId, lo, hi) as [string, number, number, number, number, string, number][];
    const out: ReportSale[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      out[i] = { productId: r[0], quantity: r[1], refundedQuantity: r[2], unitPriceMinor: r[3], at: r[4], source: r[5] as ReportSale['source'], voidedAt: null, presale: r[6] === 1 };
    }
    return out;
  }

  // ---- card history (issue 19) ----
  async listSeriesRooms(series: string): Promise<string[]> {
    const rows = this.db.prepare("SELECT id FROM rooms WHERE json_extract(meta, '$.room.series') = ? ORDER BY created_at, id").all(series) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async listCardChanges(roomId: string, from = -Infinity, to = Infinity): Promise<CardChange[]> {
    // SQLite binds no Infinity: the widest integers instead.
    const lo = Number.isFinite(from) ? from : Number.MIN_SAFE_INTEGER;
    const hi = Number.isFinite(to) ? to : Number.MAX_SAFE_INTEGER;
    const before = this.stmt.cardsBefore.get(roomId, lo) as CardChange | undefined;
    const inside = this.stmt.cardsIn.all(roomId, lo, hi) as CardChange[];
    return before ? [before, ...inside] : inside;
  }

  /** Idempotent: the relay and a test harness may both close it (closing the fd twice could close another file's). */
  async close(): Promise<void> {
    await this.wal?.close();
    if (this.db.open) this.db.close();
    if (this.walFd !== undefined) {
      const fd = this.walFd;
      this.walFd = undefined;
      closeSync(fd);
    }
  }
}
