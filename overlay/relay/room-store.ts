/**
 * The storage interface of the relay (house rule 5): SQLite by default, Redis for several
 * relay processes. The core never knows which.
 *
 * Invariants every store keeps:
 * - `commit` is atomic; when it returns, what it wrote is what every later read sees.
 *   `synced()` resolves once everything visible at the call is on disk. The relay may show
 *   (broadcast) a state as soon as its commit returned; it answers a command (also a
 *   duplicate, whose first answer may still be on its way to the disk) only after `synced()`.
 * - `commit` writes what the room actor computed once (tldraw sync-core's way: the same diff
 *   goes to the network and to the storage): the products from the batch's patch, the sales
 *   from the batch's fold of events. A store does not diff states again.
 * - `commit` is optimistic on the room version: it refuses (CommitConflict) when the stored
 *   version is not the patch's `baseVersion`, so two processes holding the same room never
 *   overwrite each other. Versions only grow, so a commit that passes this check ran on exactly
 *   the state and the command answers the store held since the batch's state was read.
 * - Nothing holds every answer or sale of a room in memory: a batch reads what it needs
 *   (`prefetch`), which is what lets another process have written the rest.
 */
import type { AuditEntry } from '../../shared/audit.js';
import type { Inverse, LoggedCommand } from '../../shared/commands/undo.js';
import type { Command } from '../../shared/commands.js';
import type { Role, RoomState, Sale } from '../../shared/domain.js';
import type { CommandAnswer, RoomEvent } from '../../shared/room-reducer.js';
import type { RoomPatch } from '../../shared/room-patch.js';
import type { SalesWritten } from '../../shared/sales-fold.js';
import type { CardChange, ReportSale } from '../../shared/show-report.js';
import type { FeedPlatform } from '../../shared/feeds/common.js';

export type TokenHashes = Record<Role, string>;

export interface LoadedRoom {
  state: RoomState;
  tokenHashes: TokenHashes;
}

/** What the store holds of a room without reading its state: cheap, for a freshness check. */
export interface RoomHead {
  version: number;
  tokenHashes: TokenHashes;
}

/** The ids a batch of commands may look up (see ProcessContext in shared/room-reducer.ts). */
export interface BatchKeys {
  /** Ids of the commands in the batch. */
  commandIds: readonly string[];
  /** Targets of sale.void and sale.refund. */
  saleIds: readonly string[];
  /** orderIds of sale.record. */
  orderIds: readonly string[];
  /** Command ids command.undo reverses: their audit entries (issue 18). */
  auditIds?: readonly string[];
}

export interface Prefetched {
  /** The stored room version when the look-ups were read. */
  version: number;
  /** The stored room, when its version is not the one the caller knew. */
  room?: LoadedRoom;
  /** Answers for the batch's command ids, and for the sales its orderIds point at. */
  answers: Map<string, CommandAnswer>;
  /** Sales for the sale.void and sale.refund targets and for the orderIds found. */
  sales: Map<string, Sale>;
  /** orderId → sale id, for the orderIds found. */
  orders: Map<string, string>;
  /** Command id → its audit entry's reversal record, for the auditIds found. */
  logged?: Map<string, LoggedCommand>;
}

export interface CommitEntry {
  command: Command;
  by: Role;
  at: number;
  answer: CommandAnswer;
  events: RoomEvent[];
  /** The audit log's entry of this command (shared/audit.ts), written in the same commit. */
  audit: StoredAudit;
}

/** An audit entry as stored: with the record command.undo reverses it by (never sent to clients). */
export type StoredAudit = AuditEntry & { inverse?: Inverse };

/** The undo marks a batch's events set: seq of the entry undone → the undo's command id. */
export function undoneMarks(entries: readonly CommitEntry[]): [number, string][] {
  const out: [number, string][] = [];
  for (const e of entries) for (const ev of e.events) if (ev.type === 'command.undone') out.push([ev.seq, e.command.id]);
  return out;
}

/** One batch to commit, as the room actor made it. */
export interface CommitBatch {
  /** The state the batch led to (the room's fields are written from it whole). */
  next: RoomState;
  /** From the state the batch ran on to `next` (diffRoom, once): the product rows to write; its baseVersion is the version the commit is based on. */
  patch: RoomPatch;
  /** The commands applied, in order, with their answers. */
  entries: readonly CommitEntry[];
  /** The sales the entries' events wrote and the orderIds they recorded (foldSales). */
  sales: SalesWritten;
  /**
   * Card history (issue 19): one row per entry that changed the product on air (onAirOf) —
   * card.show/next/hide, or the removal of the product on the card — in entry order. Written in
   * the same atomic commit, so the report's "on air" never disagrees with the state.
   */
  cards: readonly CardChange[];
}

/** Where a page of sales ended: the next one starts after this time and sale id. */
export interface SalesAfter {
  at: number;
  id: string;
}

/**
 * A named person of a room (issue 18): their own token (stored hashed, like the role tokens),
 * a role, and when they were invited and last seen. Kept apart from the room's state: people
 * are the host's access list, not something the overlay or the reducer sees.
 */
export interface StoredPerson {
  id: string;
  name: string;
  role: Exclude<Role, 'overlay'>;
  tokenHash: string;
  createdAt: number;
  lastSeenAt: number | null;
}

// ---- Feeds (issue 13): signed shop webhooks, one record per feed ----


/** A paid line whose SKU matched no product: waits for the host to map the SKU (the command it will become is kept whole). */
export interface UnmatchedLine {
  sku: string;
  quantity: number;
  orderId: string;
  /** The deterministic command id the line is counted under once mapped (so a mapping twice counts once). */
  commandId: string;
}

/**
 * A shop feed of a room. The secret is stored in the clear: verifying an HMAC needs the key
 * itself (unlike a bearer token, which is stored hashed). Kept beside the room's state, like
 * people: the overlay and the reducer never see it.
 */
export interface StoredFeed {
  id: string;
  roomId: string;
  platform: FeedPlatform;
  name: string;
  secret: string;
  createdAt: number;
  received: number;
  counted: number;
  rejected: number;
  lastAt: number | null;
  lastError: string | null;
  unmatched: UnmatchedLine[];
  /** SKU → product id, as the host mapped unmatched SKUs: later lines of that SKU count on that product. */
  skuMap: Record<string, string>;
  /**
   * Shop order ids cancelled before any of their lines was counted: a payment that arrives after
   * its cancellation (shops do not promise order) is then not counted. Bounded by the feed's
   * cancellations, which are few next to its orders.
   */
  cancelled: string[];
}

/** The store holds another version than the commit was based on: reload and run the batch again. */
export class CommitConflict extends Error {
  constructor(
    readonly roomId: string,
    readonly expected: number,
  ) {
    super(`room ${roomId} is no longer at version ${expected}`);
    this.name = 'CommitConflict';
  }
}

export interface RoomStore {
  createRoom(state: RoomState, tokenHashes: TokenHashes): Promise<void>;
  loadRoom(roomId: string): Promise<LoadedRoom | undefined>;
  head(roomId: string): Promise<RoomHead | undefined>;
  /**
   * Reads, as one consistent snapshot, what a batch needs; `room` comes along when the stored
   * version differs from `knownVersion`. Throws when the room does not exist.
   */
  prefetch(roomId: string, knownVersion: number, keys: BatchKeys): Promise<Prefetched>;
  /** Atomically persist a batch of applied commands and the state they led to; CommitConflict if stale. */
  commit(batch: CommitBatch): Promise<void>;
  /** Resolves once everything committed before the call is on disk; rejects if that failed. */
  synced(): Promise<void>;
  /**
   * Optional: the relay has no room batch left to run in this event-loop turn, so a store that
   * groups the fsyncs of a turn (SQLite on a fast disk) may make them durable now.
   */
  flush?(): void;
  setTokenHash(roomId: string, role: Role, hash: string): Promise<void>;
  /** Up to `limit` sales of the room in the order they were recorded (time, then id), after `after`. */
  listSales(roomId: string, after: SalesAfter | undefined, limit: number): Promise<Sale[]>;
  /** A new person of the room (their token already hashed). */
  addPerson(roomId: string, person: StoredPerson): Promise<void>;
  /** The room's people, in the order they were invited. */
  listPeople(roomId: string): Promise<StoredPerson[]>;
  /** The person whose token hashes to `tokenHash`, if not revoked. */
  personByToken(roomId: string, tokenHash: string): Promise<StoredPerson | undefined>;
  /** Revokes (deletes) a person; false when there was none of that id. */
  removePerson(roomId: string, personId: string): Promise<boolean>;

  // ---- audit log (issue 18): entries are written by `commit` (CommitEntry.audit) ----
  /** Up to `limit` audit entries of the room in seq order, those with seq > `after`. */
  listAudit(roomId: string, after: number, limit: number): Promise<StoredAudit[]>;
  /** Sets a person's lastSeenAt (the relay throttles how often); nothing when there is no such person. */
  touchPerson(roomId: string, personId: string, at: number): Promise<void>;
  // ---- end audit log ----

  // ---- Feeds (issue 13) ----
  /** A new feed of the room (found from then on by id alone: the hook URL carries no room). */
  addFeed(feed: StoredFeed): Promise<void>;
  /** The room's feeds, in the order they were made. */
  listFeeds(roomId: string): Promise<StoredFeed[]>;
  /** The feed of that id in any room, unless deleted. */
  feedById(feedId: string): Promise<StoredFeed | undefined>;
  /** Writes the feed's counters, unmatched lines and cancellations back whole (durable when it resolves); false if deleted. */
  saveFeed(feed: StoredFeed): Promise<boolean>;
  /** Deletes a feed; false when the room has none of that id. */
  removeFeed(roomId: string, feedId: string): Promise<boolean>;
  close(): Promise<void>;

  // ---- card history (issue 19, the after-show report) ----
  /**
   * The card changes of the room in the order they were committed: those at or after `from`
   * and before `to`, preceded by the last one before `from` (what the card showed when the
   * window opened), so a report of [from, to) has every change it needs and no more.
   */
  listCardChanges(roomId: string, from?: number, to?: number): Promise<CardChange[]>;
  /**
   * The sales of [from, to) that a report counts (not voided, not a rehearsal's), in recorded
   * order, with only the fields it reads: the report of a 100,000-sale show reads them in one go.
   */
  reportSales(roomId: string, from: number, to: number): Promise<ReportSale[]>;
  /** The ids of the rooms whose `room.series` is `series` (issue 19's series report; an admin's rare read, not on a hot path). */
  listSeriesRooms(series: string): Promise<string[]>;
}
