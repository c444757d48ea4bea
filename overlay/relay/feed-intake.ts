/**
 * Counting a feed event (issue 13): submits the commands shared/feeds made of it to the room,
 * as role `sales` with source `feed:<id>`, and writes the feed's counters back. Runs one event
 * of a feed at a time in this process (a chain per feed), so the counters, the waiting unmatched
 * lines and the cancelled-orders memory are read and written without losing an update. The
 * answer is given after the sales are durable (the actor answers after `synced()`) and the feed
 * record is saved.
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

export class FeedIntake {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RoomStore,
    private readonly hub: RoomHub,
    private readonly clock: Clock,
  ) {}

  /** Runs `job` after the feed's previous job, and forgets the chain once idle. */
  serial<T>(feedId: string, job: () => Promise<T>): Promise<T> {
    const prev = this.chains.get(feedId) ?? Promise.resolve();
    const run = prev.then(job, job);
    const tail = run.catch(() => undefined);
    this.chains.set(feedId, tail);
    void tail.then(() => {
      if (this.chains.get(feedId) === tail) this.chains.delete(feedId);
    });
    return run;
  }

  /** Counts a verified event; `feed` is re-read inside the chain (the caller's copy may be stale). */
  async count(feedId: string, event: FeedEvent): Promise<FeedOutcome | undefined> {
    return this.serial(feedId, async () => {
      const feed = await this.store.feedById(feedId);
      if (!feed) return undefined;
      const outcome = await this.apply(feed, event);
      feed.received += 1;
      feed.lastAt = this.clock.now();
      await this.store.saveFeed(feed);
      return outcome;
    });
  }

  /** A delivery refused (bad signature, stale, unreadable): counted in `rejected`, with why. */
  async reject(feedId: string, why: string): Promise<void> {
    await this.serial(feedId, async () => {
      const feed = await this.store.feedById(feedId);
      if (!feed) return;
      feed.received += 1;
      feed.rejected += 1;
      feed.lastAt = this.clock.now();
      feed.lastError = why;
      await this.store.saveFeed(feed);
    });
  }

  /** The host maps an unmatched SKU to a product: later lines use it, and the waiting lines are counted, once. */
  async map(feedId: string, sku: string, productId: string): Promise<{ counted: string[]; left: number } | undefined> {
    return this.serial(feedId, async () => {
      const feed = await this.store.feedById(feedId);
      if (!feed) return undefined;
      feed.skuMap[sku] = productId;
      const waiting = feed.unmatched.filter((l) => l.sku === sku);
      feed.unmatched = feed.unmatched.filter((l) => l.sku !== sku);
      const commands: FeedCommand[] = waiting.map((l) => ({ id: l.commandId, type: 'sale.record', orderId: l.orderId, productId, quantity: l.quantity }));
      const { sales } = await this.submitAll(feed, commands);
      await this.store.saveFeed(feed);
      return { counted: sales, left: feed.unmatched.length };
    });
  }

  private async apply(feed: StoredFeed, event: FeedEvent): Promise<FeedOutcome> {
    if (event.kind === 'ignored') return { ok: true, sales: [], unmatched: 0, duplicate: false, ignored: event.why };
    if (event.kind === 'cancelled') {
      // Remembered, so a payment delivered after its cancellation is not counted; the lines
      // waiting for a SKU mapping are dropped with it.
      if (!feed.cancelled.includes(event.order)) feed.cancelled.push(event.order);
      const prefix = `${feed.platform}:${event.order}:`;
      feed.unmatched = feed.unmatched.filter((l) => !l.orderId.startsWith(prefix));
    }
    if (event.kind === 'paid' && feed.cancelled.includes(event.order)) {
      return { ok: true, sales: [], unmatched: 0, duplicate: false, ignored: `order ${event.order} was cancelled before it was paid` };
    }
    const commands = commandsOf(sha256Digest, feed.platform, event, feed.skuMap);
    return { ok: true, ...(await this.submitAll(feed, commands)) };
  }

  private async submitAll(feed: StoredFeed, commands: FeedCommand[]): Promise<Omit<FeedOutcome, 'ok'>> {
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
        if (!feed.unmatched.some((l) => l.commandId === c.id)) feed.unmatched.push({ sku: c.sku, quantity: c.quantity, orderId: c.orderId, commandId: c.id });
        return;
      }
      // A void or refund of a line never counted (cancelled before paid, or its SKU unmatched)
      // has nothing to undo; an already voided sale was undone before: neither is an error of the shop.
      if (reason === 'unknown_sale' || reason === 'already_voided') return;
      feed.lastError = `${c.type} ${'orderId' in c ? c.orderId : c.saleId}: ${a.error.message}`;
    });
    feed.counted += fresh;
    return { sales, unmatched, duplicate: commands.length > 0 && fresh === 0 && unmatched === 0 };
  }
}
