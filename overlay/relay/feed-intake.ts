/**
 * Counting a feed event (issue 13): submits the commands shared/feeds made of it to the room,
 * as role `sales` with source `feed:<id>`, and writes the feed's counters back. Events of one
 * shop order run one at a time in this process (a chain per feed and order), so a cancellation
 * is remembered before that order's payment is looked at; events of different orders run
 * together, so the room actor commits them in one batch (one fsync for many deliveries). The
 * feed record (counters, unmatched lines, cancelled orders) is changed only through `update`,
 * which applies every change waiting at that moment in one read and one write. The answer is
 * given after the sales are durable (the actor answers after `synced()`) and the record saved.
 */
import { createHash } from 'node:crypto';
import { commandsOf, type Digest, type FeedCommand, type FeedEvent } from '../../shared/feeds/common.js';
import type { Clock } from './deps.js';
import type { RoomHub } from './room-hub.js';
import type { RoomStore, StoredFeed } from './room-store.js';

export const sha256Digest: Digest = (text) => createHash('sha256').update(text).digest('base64url');

/** What a delivery counted: answered to the shop, the same when it delivers the event again. */
export interface FeedOutcome {
  ok: true;
  /** Sale ids this event recorded, voided or refunded (the first time, or found from then). */
  sales: string[];
  /** Lines waiting for their SKU to be mapped. */
  unmatched: number;
  /** Every command was already applied: this delivery was seen before. */
  duplicate: boolean;
  /** Why nothing was counted, when nothing was. */
  ignored?: string;
}

type Change = (feed: StoredFeed) => void;

/** How long refusals of one feed are counted in memory before one write of them. */
export const REJECTION_WRITE_MS = 1000;

export class FeedIntake {
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly waiting = new Map<string, { change: Change; done: (err?: unknown) => void }[]>();
  private readonly writing = new Set<string>();

  constructor(
    private readonly store: RoomStore,
    private readonly hub: RoomHub,
    private readonly clock: Clock,
  ) {}

  /** Runs `job` after the previous job of that key, and forgets the chain once idle. */
  private serial<T>(key: string, job: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    this.chains.set(key, tail);
    void tail.then(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    return run;
  }

  /**
   * Applies `change` to the stored feed record; resolves once it is written (durable). Changes
   * arriving while a write is on its way are applied together in the next one.
   */
  private update(feedId: string, change: Change): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(feedId) ?? [];
      queue.push({ change, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.waiting.set(feedId, queue);
      if (!this.writing.has(feedId)) void this.drain(feedId);
    });
  }

  private async drain(feedId: string): Promise<void> {
    this.writing.add(feedId);
    try {
      for (let queue = this.waiting.get(feedId); queue && queue.length > 0; queue = this.waiting.get(feedId)) {
        this.waiting.delete(feedId);
        try {
          const feed = await this.store.feedById(feedId);
          // A feed deleted meanwhile: nothing to count into (its sales stay, as the room's).
          if (feed) {
            for (const w of queue) w.change(feed);
            await this.store.saveFeed(feed);
          }
          for (const w of queue) w.done();
        } catch (err) {
          for (const w of queue) w.done(err);
        }
      }
    } finally {
      this.writing.delete(feedId);
    }
  }

  /** Counts a verified event; undefined when the feed is gone. */
  async count(feedId: string, event: FeedEvent): Promise<FeedOutcome | undefined> {
    const order = event.kind === 'ignored' ? '' : event.order;
    return this.serial(`${feedId}\u0000${order}`, async () => {
      const feed = await this.store.feedById(feedId);
      if (!feed) return undefined;
      const changes: Change[] = [];
      const outcome = await this.apply(feed, event, changes);
      const now = this.clock.now();
      await this.update(feedId, (f) => {
        for (const c of changes) c(f);
        f.received += 1;
        f.lastAt = now;
      });
      return outcome;
    });
  }

  /** Refusals counted since the feed record was last written, per feed. */
  private readonly refused = new Map<string, { count: number; why: string; at: number }>();

  /**
   * A delivery refused (bad signature, stale, unreadable): counted in `rejected`, with why. Not
   * awaited by the answer and written at most once a second per feed: anyone who knows a hook
   * URL can send forged deliveries, and each must not cost a durable write (a counter, unlike a
   * sale, may lose its last second in a crash).
   */
  reject(feedId: string, why: string): void {
    const pending = this.refused.get(feedId);
    if (pending) {
      pending.count += 1;
      pending.why = why;
      pending.at = this.clock.now();
      return;
    }
    this.refused.set(feedId, { count: 1, why, at: this.clock.now() });
    const timer = setTimeout(() => {
      const r = this.refused.get(feedId);
      this.refused.delete(feedId);
      if (!r) return;
      this.update(feedId, (f) => {
        f.received += r.count;
        f.rejected += r.count;
        f.lastAt = Math.max(f.lastAt ?? 0, r.at);
        f.lastError = r.why;
      }).catch(() => {
        /* the store is failing: the next good delivery answers 503 and says so */
      });
    }, REJECTION_WRITE_MS);
    timer.unref();
  }

  /** The host maps an unmatched SKU to a product: later lines use it, and the waiting lines are counted, once. */
  async map(feedId: string, sku: string, productId: string): Promise<{ counted: string[]; left: number } | undefined> {
    return this.serial(`${feedId}\u0000map`, async () => {
      const feed = await this.store.feedById(feedId);
      if (!feed) return undefined;
      let lines: StoredFeed['unmatched'] = [];
      let left = 0;
      await this.update(feedId, (f) => {
        f.skuMap[sku] = productId;
        lines = f.unmatched.filter((l) => l.sku === sku);
        f.unmatched = f.unmatched.filter((l) => l.sku !== sku);
        left = f.unmatched.length;
      });
      const commands: FeedCommand[] = lines.map((l) => ({ id: l.commandId, type: 'sale.record', orderId: l.orderId, productId, quantity: l.quantity }));
      const changes: Change[] = [];
      const { sales } = await this.submitAll(feed, commands, changes);
      await this.update(feedId, (f) => {
        for (const c of changes) c(f);
      });
      return { counted: sales, left };
    });
  }

  private async apply(feed: StoredFeed, event: FeedEvent, changes: Change[]): Promise<FeedOutcome> {
    if (event.kind === 'ignored') return { ok: true, sales: [], unmatched: 0, duplicate: false, ignored: event.why };
    if (event.kind === 'cancelled') {
      // Remembered, so a payment delivered after its cancellation is not counted; the lines
      // waiting for a SKU mapping are dropped with it.
      const prefix = `${feed.platform}:${event.order}:`;
      changes.push((f) => {
        if (!f.cancelled.includes(event.order)) f.cancelled.push(event.order);
        f.unmatched = f.unmatched.filter((l) => !l.orderId.startsWith(prefix));
      });
    }
    if (event.kind === 'paid' && feed.cancelled.includes(event.order)) {
      return { ok: true, sales: [], unmatched: 0, duplicate: false, ignored: `order ${event.order} was cancelled before it was paid` };
    }
    const commands = commandsOf(sha256Digest, feed.platform, event, feed.skuMap);
    return { ok: true, ...(await this.submitAll(feed, commands, changes)) };
  }

  private async submitAll(feed: StoredFeed, commands: FeedCommand[], changes: Change[]): Promise<Omit<FeedOutcome, 'ok'>> {
    const actor = await this.hub.fresh(feed.roomId);
    if (!actor) throw new Error(`feed ${feed.id}: room ${feed.roomId} is gone`);
    const source = `feed:${feed.id}` as const;
    // Sales are recorded and refunded as role `sales`. A shop's cancellation is a sale.void, which
    // meta.ts keeps the host's: it is submitted as `host`, whose token made this feed, and who
    // thereby delegated the shop's cancellations to it (no other command is ever sent as host).
    const answers = await Promise.all(commands.map((c) => actor.submit(c, c.type === 'sale.void' ? 'host' : 'sales', source)));
    const sales: string[] = [];
    let unmatched = 0;
    let fresh = 0;
    answers.forEach((a, i) => {
      const c = commands[i]!;
      if (a.ok) {
        const saleId = a.result.saleId;
        if (typeof saleId === 'string') sales.push(saleId);
        if (!a.duplicate) fresh += 1;
        return;
      }
      const reason = a.error.reason;
      if (c.type === 'sale.record' && 'sku' in c && reason === 'unknown_sku') {
        unmatched += 1;
        const line = { sku: c.sku, quantity: c.quantity, orderId: c.orderId, commandId: c.id };
        changes.push((f) => {
          if (!f.unmatched.some((l) => l.commandId === line.commandId)) f.unmatched.push(line);
        });
        return;
      }
      // A void or refund of a line never counted (cancelled before paid, or its SKU unmatched)
      // has nothing to undo; an already voided sale was undone before: neither is an error of the shop.
      if (reason === 'unknown_sale' || reason === 'already_voided') return;
      const error = `${c.type} ${'orderId' in c ? c.orderId : c.saleId}: ${a.error.message}`;
      changes.push((f) => {
        f.lastError = error;
      });
    });
    changes.push((f) => {
      f.counted += fresh;
    });
    return { sales, unmatched, duplicate: commands.length > 0 && fresh === 0 && unmatched === 0 };
  }
}
