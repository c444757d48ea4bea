/**
 * The rehearsal's simulated order feed (issue 19): while a room rehearses with its feed running
 * (rehearsal.start, shared/commands/rehearsal.ts), this relay sends `sale.record` commands of
 * source `rehearsal` through the room's actor — the same path as a shop's orders: the reducer,
 * the store, the patch and the broadcast, so the counter, the sold-out stamp and the ticker on
 * the overlay move as they will on air.
 *
 * The pace: Poisson arrivals at ordersPerMinute (exponential gaps), plus a rush of rushOrders
 * within rushSeconds of the last start, drawn as that many uniform points of the window (a
 * Poisson process given its count, so the rush brings exactly the orders asked), over the
 * queue's products that can still sell, the product on air weighted up (ON_AIR_SHARE of the
 * orders while it sells). Clock, random source and timers are injected, for the tests.
 *
 * It stops on rehearsal.stop or .end (seen in the state, or as a simulated order refused
 * `not_rehearsing` when another relay applied them), when nothing in the queue can sell (it
 * sends rehearsal.stop itself, so the panel says so), and on close (no timer left behind). A
 * relay restarted mid-rehearsal resumes the feed when the room is loaded again (`onLoad`).
 * Exactly one feed per room across relay processes: rehearsal-lock.ts.
 */
import { randomBytes } from 'node:crypto';
import type { Rehearsal, RoomState } from '../../shared/domain.js';
import type { CommandReply } from '../../shared/protocol.js';
import { presaleOpen } from '../../shared/commands/apply.js';
import type { Command } from '../../shared/commands.js';
import type { Clock, Logger } from './deps.js';
import type { FeedLock } from './rehearsal-lock.js';
import type { RoomActor, RoomChange } from './room-hub.js';

export interface FeedTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: FeedTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The share of the simulated orders that go to the product on air, while it can sell. */
export const ON_AIR_SHARE = 0.6;
/** Orders sent and not yet answered, at most: beyond it an arrival is dropped (and counted), not queued. */
const MAX_IN_FLIGHT = 2000;
/** Arrivals handled in one wake at most (a wake very late, after a stall, does not send a burst of thousands). */
const MAX_PER_WAKE = 500;

type Pace = Pick<Rehearsal, 'ordersPerMinute' | 'rushOrders' | 'rushSeconds' | 'resumedAt'>;

/**
 * When the simulated orders arrive: two streams merged, the steady one (exponential gaps at
 * ordersPerMinute) and the rush (the points of its window still ahead of `now`, as many as its
 * share of the window: a feed taken over mid-rush by another relay sends the rest, not all).
 */
export class ArrivalSchedule {
  private steadyNext: number;
  private rushAt: number;
  private rushLeft: number;
  private rushNext = Infinity;
  private readonly rushEnd: number;

  constructor(
    private readonly pace: Pace,
    now: number,
    private readonly random: () => number,
  ) {
    this.steadyNext = pace.ordersPerMinute > 0 ? now + this.gap() : Infinity;
    this.rushEnd = pace.resumedAt + pace.rushSeconds * 1000;
    this.rushAt = Math.max(now, pace.resumedAt);
    const window = pace.rushSeconds * 1000;
    this.rushLeft = pace.rushOrders > 0 && this.rushAt < this.rushEnd ? Math.round((pace.rushOrders * (this.rushEnd - this.rushAt)) / window) : 0;
    this.drawRush();
  }

  /** The time of the next arrival (Infinity: none left). */
  next(): number {
    return Math.min(this.steadyNext, this.rushNext);
  }

  /** The next arrival happened: move past it. */
  take(): void {
    if (this.rushNext <= this.steadyNext) {
      this.rushAt = this.rushNext;
      this.rushLeft--;
      this.drawRush();
    } else {
      this.steadyNext += this.gap();
    }
  }

  /** An exponential gap at the steady rate (1 − U: never log 0). */
  private gap(): number {
    return (-Math.log(1 - this.random()) * 60_000) / this.pace.ordersPerMinute;
  }

  /** The first of rushLeft uniform points of [rushAt, rushEnd): its minimum is 1 − U^(1/k) of the way. */
  private drawRush(): void {
    this.rushNext = this.rushLeft > 0 ? this.rushAt + (this.rushEnd - this.rushAt) * (1 - Math.pow(1 - this.random(), 1 / this.rushLeft)) : Infinity;
  }
}

/** Whether a simulated order of this product would be taken: not sold out, stock or presale left. */
function canSell(p: RoomState['products'][number]): boolean {
  return !p.soldOut && (p.stock === null || p.stock > 0 || presaleOpen(p));
}

/** The product a simulated buyer orders: the one on air ON_AIR_SHARE of the time, else any that sells. Undefined: nothing sells. */
export function pickProduct(state: RoomState, random: () => number): string | undefined {
  const selling = state.products.filter(canSell);
  if (selling.length === 0) return undefined;
  const onAir = state.cardVisible ? selling.find((p) => p.id === state.currentProductId) : undefined;
  if (onAir && (selling.length === 1 || random() < ON_AIR_SHARE)) return onAir.id;
  const others = onAir ? selling.filter((p) => p !== onAir) : selling;
  return others[Math.min(others.length - 1, Math.floor(random() * others.length))]!.id;
}

export interface FeedStats {
  sent: number;
  counted: number;
  refused: number;
  dropped: number;
}

export interface RoomFeedDeps {
  clock: Clock;
  random: () => number;
  timers: FeedTimers;
  logger: Logger;
  /** The room's actor (the hub's; looked up per order so an evicted actor is loaded again). */
  actor(roomId: string): Promise<RoomActor | undefined>;
  /** Tracks a command until answered (lifecycle.take): a graceful close waits for it. */
  take<T>(work: () => Promise<T>): Promise<T>;
  /** The feed stopped by itself (rehearsal over, nothing to sell): the manager lets its lock go. */
  ended(roomId: string): void;
}

/** One room's feed in this process. */
export class RoomFeed {
  private schedule: ArrivalSchedule;
  private timer: unknown;
  private stopped = false;
  private inFlight = 0;
  private seq = 0;
  private readonly prefix = `rh-${randomBytes(4).toString('hex')}-`;
  readonly stats: FeedStats = { sent: 0, counted: 0, refused: 0, dropped: 0 };

  /**
   * `from`: when its orders start. A feed started by the start itself counts from the start
   * (resumedAt: the few milliseconds of taking the lock are not a share of the rush lost); one
   * taken over from a dead relay from now (what that relay sent is not known, only its share).
   */
  constructor(
    readonly roomId: string,
    private pace: Pace,
    private readonly deps: RoomFeedDeps,
    from = deps.clock.now(),
  ) {
    this.schedule = new ArrivalSchedule(pace, from, deps.random);
    this.arm();
  }

  get running(): boolean {
    return !this.stopped;
  }

  /** A new start (new pace, or a new rush from now) of the same rehearsal. */
  repace(pace: Pace): void {
    if (this.stopped || pace.resumedAt === this.pace.resumedAt) return;
    this.pace = pace;
    this.schedule = new ArrivalSchedule(pace, this.deps.clock.now(), this.deps.random);
    this.arm();
  }

  /** Follows the room's state: a new pace, or the rehearsal stopped or ended. */
  follow(state: RoomState): void {
    const r = state.mode === 'rehearsal' ? state.rehearsal : null;
    if (!r?.running) this.end();
    else this.repace(r);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
  }

  private end(): void {
    if (this.stopped) return;
    this.stop();
    this.deps.ended(this.roomId);
  }

  private arm(): void {
    if (this.timer !== undefined) this.deps.timers.clear(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const next = this.schedule.next();
    // Nothing left to send (no steady pace, the rush over): the feed idles until a new start.
    if (!Number.isFinite(next)) return;
    this.timer = this.deps.timers.set(() => this.wake(), Math.max(0, next - this.deps.clock.now()));
  }

  private wake(): void {
    this.timer = undefined;
    const now = this.deps.clock.now();
    let due = 0;
    while (this.schedule.next() <= now && due < MAX_PER_WAKE) {
      this.schedule.take();
      due++;
    }
    if (due > 0) void this.send(due);
    this.arm();
  }

  /** `due` orders now: one look-up of the actor, then each through the same path as a shop's. */
  private async send(due: number): Promise<void> {
    const actor = await this.deps.actor(this.roomId);
    if (!actor || this.stopped) return;
    this.follow(actor.state);
    for (let i = 0; i < due && !this.stopped; i++) {
      if (this.inFlight >= MAX_IN_FLIGHT) {
        this.stats.dropped++;
        continue;
      }
      const productId = pickProduct(actor.state, this.deps.random);
      if (productId === undefined) {
        // Everything sold out: the feed stops, and says so in the room (the panel's banner).
        this.end();
        void this.deps.take(() => actor.submit({ id: `${this.prefix}stop`, type: 'rehearsal.stop' }, 'host', 'rehearsal'));
        return;
      }
      const command: Command = { id: `${this.prefix}${++this.seq}`, type: 'sale.record', productId };
      this.inFlight++;
      this.stats.sent++;
      void this.deps.take(() => actor.submit(command, 'sales', 'rehearsal')).then((reply) => this.answered(reply));
    }
  }

  private answered(reply: CommandReply): void {
    this.inFlight--;
    if (reply.ok) {
      this.stats.counted++;
      return;
    }
    this.stats.refused++;
    // Stopped or ended on another relay (this one's actor learnt it while applying the order).
    if (reply.error.reason === 'not_rehearsing') this.end();
  }
}

export interface RehearsalFeedsDeps extends Omit<RoomFeedDeps, 'ended'> {
  lock: FeedLock;
  /** How often held locks are renewed and announced rooms looked at (a dead holder's feed taken over). */
  pollMs?: number;
  /** The actor caught up with the store (another relay may have written). */
  freshActor(roomId: string): Promise<RoomActor | undefined>;
}

/**
 * The relay's feeds: started and re-paced from the commits of this process (`onCommit`),
 * taken over from a dead process through the lock's announced rooms (`poll`), all stopped on
 * close.
 */
export function createRehearsalFeeds(deps: RehearsalFeedsDeps) {
  const { lock, logger } = deps;
  const feeds = new Map<string, RoomFeed>();
  const claiming = new Set<string>();
  /**
   * Rooms this process saw start whose lock another process held: tried again each poll until
   * the feed runs somewhere or the rehearsal stopped. (The announced set alone could lose one: a
   * holder ending the previous run forgets the room just as this start announces it.)
   */
  const wanted = new Set<string>();
  let closed = false;

  const feedDeps: RoomFeedDeps = { ...deps, ended: (roomId) => void letGo(roomId, true) };

  async function letGo(roomId: string, forget: boolean): Promise<void> {
    feeds.get(roomId)?.stop();
    feeds.delete(roomId);
    try {
      if (forget) await lock.forget(roomId);
      await lock.release(roomId);
    } catch (err) {
      logger.warn({ err, room: roomId }, 'rehearsal feed lock not released (it expires by itself)');
    }
  }

  async function claim(roomId: string, rehearsal: Pace, announce: boolean): Promise<void> {
    if (closed || claiming.has(roomId) || feeds.has(roomId)) return;
    claiming.add(roomId);
    try {
      if (announce) {
        await lock.announce(roomId);
        wanted.add(roomId);
      }
      if (!(await lock.acquire(roomId)) || closed) return;
      wanted.delete(roomId);
      // Read again once the lock is ours: the rehearsal may have stopped meanwhile on another relay.
      const actor = await deps.freshActor(roomId);
      const r = actor?.state.mode === 'rehearsal' ? actor.state.rehearsal : null;
      if (!r?.running || closed) {
        await letGo(roomId, !r?.running);
        return;
      }
      // Announced here: this process applied the start, so the feed sends the whole rush from it.
      feeds.set(roomId, new RoomFeed(roomId, r, feedDeps, announce && r.resumedAt === rehearsal.resumedAt ? r.resumedAt : deps.clock.now()));
      logger.info({ room: roomId, ordersPerMinute: r.ordersPerMinute, rushOrders: r.rushOrders, rushSeconds: r.rushSeconds }, 'rehearsal feed started');
    } catch (err) {
      logger.warn({ err, room: roomId }, 'rehearsal feed not started; another poll tries again');
    } finally {
      claiming.delete(roomId);
    }
  }

  async function poll(): Promise<void> {
    for (const [roomId, feed] of feeds) {
      if (!(await lock.renew(roomId))) {
        // Another process took it (this one stalled past the lock's life): it runs the feed now.
        feed.stop();
        feeds.delete(roomId);
        continue;
      }
      const actor = await deps.freshActor(roomId);
      if (actor) feed.follow(actor.state);
    }
    for (const roomId of new Set([...wanted, ...(await lock.announced())])) {
      if (!feeds.has(roomId)) await claim(roomId, { ordersPerMinute: 0, rushOrders: 0, rushSeconds: 1, resumedAt: -Infinity }, false);
    }
  }

  const pollMs = deps.pollMs ?? 1000;
  let polling = false;
  // A store outage fails every poll: said once when it starts and once when it ends, not every second.
  let failing = false;
  const poller = setInterval(() => {
    if (polling || closed) return;
    polling = true;
    poll()
      .then(
        () => {
          if (failing) logger.info('rehearsal feed poll works again');
          failing = false;
        },
        (err: unknown) => {
          if (!failing) logger.warn({ err }, 'rehearsal feed poll failed; it tries again every poll');
          failing = true;
        },
      )
      .finally(() => (polling = false));
  }, pollMs);
  poller.unref();

  return {
    /** A commit of this process: a start (or a new pace) claims the feed; a stop or end lets it go. */
    onCommit({ prev, next }: RoomChange): void {
      const r = next.mode === 'rehearsal' ? next.rehearsal : null;
      const was = prev.mode === 'rehearsal' ? prev.rehearsal : null;
      if (r?.running) {
        const feed = feeds.get(next.id);
        if (feed) feed.follow(next);
        else if (!was?.running || was.resumedAt !== r.resumedAt) void claim(next.id, r, true);
      } else if (was?.running || feeds.has(next.id)) {
        void letGo(next.id, true);
      }
    },
    /**
     * A room loaded into this process whose stored state says its feed runs: a relay restarted
     * (or a room evicted) mid-rehearsal resumes the feed from now, if no other process holds it.
     */
    onLoad(state: RoomState): void {
      const r = state.mode === 'rehearsal' ? state.rehearsal : null;
      if (r?.running && !feeds.has(state.id)) void claim(state.id, { ...r, resumedAt: -Infinity }, true);
    },
    /** The feed of a room in this process, if it runs here (tests, the bench). */
    feed(roomId: string): RoomFeed | undefined {
      return feeds.get(roomId);
    },
    /** Stops every feed and lets their locks go (not forgotten: another relay takes them over). */
    async close(): Promise<void> {
      closed = true;
      clearInterval(poller);
      await Promise.all([...feeds.keys()].map((roomId) => letGo(roomId, false)));
    },
  };
}

export type RehearsalFeeds = ReturnType<typeof createRehearsalFeeds>;
