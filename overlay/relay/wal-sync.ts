/**
 * Group fsync of SQLite's write-ahead log. The SQLite store runs with `synchronous = NORMAL`
 * (a commit writes its WAL frames and returns, no fsync) and calls `sync()` after each write;
 * the promise resolves once an fdatasync of the WAL file that started after the call has
 * finished, which is exactly what `synchronous = FULL` does inside each commit (SQLite docs:
 * in WAL mode FULL syncs the WAL after every commit; NORMAL still syncs it before each
 * checkpoint and syncs the database after it). Every write made before an fsync starts shares
 * it (group commit across rooms, where SQLite's FULL costs one fsync per room batch).
 *
 * Where the fsync runs depends on how long the disk takes (a moving average of the last ones):
 * - a fast disk (≤ `inlineMaxMs`, 1 ms by default; an SSD or this machine's virtio disk takes
 *   0.2–0.4 ms): on the event loop, once per loop turn, when the relay's last room batch of the
 *   turn was committed and broadcast (`flush`; at the next turn at the latest). No hand-off to a thread and back: on 2 cores that
 *   hand-off cost more than the fsync itself (2026-12-01, 10 senders × 1 in flight: 5,075–5,647
 *   sales/s against 3,036–5,059 on the thread pool, measured in alternation);
 * - a slow disk (network storage, a busy HDD): on libuv's thread pool, so the event loop goes
 *   on meanwhile; callers during one fsync share the next.
 * The first fsyncs run on the loop; slow ones move the next to the pool, and one fsync every
 * 2 s on the loop tells when the disk is fast again (the pool's timings include the hand-offs).
 *
 * An fsync that fails leaves the file's state unknown (the kernel may have dropped the dirty
 * pages): the syncer stays failed, every later call rejects, and `onFatal` is told once so
 * the process can stop and restart from what is on disk.
 */
import { fdatasync, fdatasyncSync } from 'node:fs';

export type SyncFn = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void;
/** The same fsync, blocking (throws on failure). */
export type SyncNowFn = (fd: number) => void;

export interface WalSyncOptions {
  /** A blocking fsync for the loop path (default fs.fdatasyncSync when the disk is the real one, none with a custom SyncFn). */
  syncNow?: SyncNowFn;
  /** Average fsync time (ms) up to which fsyncs run on the event loop; 0 = always on the pool. */
  inlineMaxMs?: number;
  /** How often a slow disk is tried on the event loop again (ms, default 2,000). */
  probeMs?: number;
}

export class WalSync {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private failed: Error | undefined;
  /** fsyncs started, for benchmarks and tests; `onLoop` of them on the event loop. */
  started = 0;
  onLoop = 0;
  /** Moving average of the durations of the fsyncs run on the event loop, ms (the pool's include the hand-offs). */
  averageMs = 0;
  private lastOnLoop = -Infinity;
  /** The loop fsync waiting for the end of this turn: its callers' promise, and the fsync itself. */
  private turn: { done: Promise<void>; run: () => void } | undefined;
  private readonly syncNow: SyncNowFn | undefined;
  private readonly inlineMaxMs: number;
  private readonly probeMs: number;

  /** The error of the fsync that failed, if one did. */
  get failure(): Error | undefined {
    return this.failed;
  }

  constructor(
    private readonly fd: number,
    private readonly onFatal: (err: Error) => void = () => {},
    private readonly syncFn: SyncFn = fdatasync,
    options: WalSyncOptions = {},
  ) {
    this.syncNow = options.syncNow ?? (syncFn === fdatasync ? fdatasyncSync : undefined);
    this.inlineMaxMs = this.syncNow ? (options.inlineMaxMs ?? 1) : 0;
    this.probeMs = options.probeMs ?? 2000;
  }

  private took(ms: number): void {
    // From 0: one slow fsync (the first of a new file often is) does not move them off the loop.
    this.averageMs = this.averageMs * 0.8 + ms * 0.2;
  }

  /** On the loop when the disk has been fast; after slow ones, a probe on the loop every `probeMs` tells when it is fast again. */
  private useLoop(): boolean {
    if (this.inFlight || this.queued || this.inlineMaxMs <= 0) return false;
    return this.averageMs <= this.inlineMaxMs || performance.now() - this.lastOnLoop >= this.probeMs;
  }

  private closed = false;

  /** Resolves when everything written before this call is on disk. */
  sync(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    // After close the descriptor is gone (its number may be another file's by now).
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    // On the loop: join this turn's fsync (useLoop keeps to the pool while a pool fsync is in flight or queued).
    if (this.turn || this.useLoop()) return this.atEndOfTurn();
    if (!this.inFlight) return this.start();
    // The fsync in flight may have started before the caller's write: wait for the next one,
    // which every caller until it starts shares.
    return (this.queued ??= this.inFlight.then(
      () => {
        this.queued = undefined;
        return this.start();
      },
      (err: Error) => {
        this.queued = undefined;
        throw err;
      },
    ));
  }

  /** Waits for the fsyncs in flight and queued, then refuses every later call (the caller closes the descriptor). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight || this.queued || this.turn) await (this.turn?.done ?? this.queued ?? this.inFlight)!.catch(() => {});
  }

  /**
   * One blocking fsync on the event loop for every call until it runs: when the relay says
   * every batch of this turn is committed (`flush`), else at the next turn (setImmediate).
   */
  private atEndOfTurn(): Promise<void> {
    if (this.turn) return this.turn.done;
    let resolve!: () => void;
    let reject!: (err: Error) => void;
    const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    const immediate = setImmediate(() => this.flush());
    const run = () => {
      clearImmediate(immediate);
      this.turn = undefined;
      if (this.failed) return reject(this.failed);
      this.started++;
      this.onLoop++;
      const t0 = performance.now();
      try {
        this.syncNow!(this.fd);
      } catch (err) {
        return reject(this.fail(err as NodeJS.ErrnoException));
      }
      this.lastOnLoop = performance.now();
      this.took(this.lastOnLoop - t0);
      resolve();
    };
    this.turn = { done, run };
    return done;
  }

  /**
   * Every write of this turn is made (the relay calls it when no room batch is left to run):
   * the fsync waiting for the end of the turn runs now, so its callers are answered in this
   * turn instead of after the next poll for I/O. Nothing to do on the thread-pool path.
   */
  flush(): void {
    this.turn?.run();
  }

  private fail(err: NodeJS.ErrnoException): Error {
    const fatal = new Error(`fsync of the SQLite write-ahead log failed (${err.code ?? err.message}): what is on disk is unknown, restart the relay`);
    if (!this.failed) {
      this.failed = fatal;
      this.onFatal(fatal);
    }
    return this.failed;
  }

  private start(): Promise<void> {
    this.started++;
    let done!: (err: NodeJS.ErrnoException | null) => void;
    const run = new Promise<void>((resolve, reject) => {
      done = (err) => {
        if (this.inFlight === run) this.inFlight = undefined;
        if (!err) return resolve();
        reject(this.fail(err));
      };
    });
    this.inFlight = run;
    this.syncFn(this.fd, done);
    return run;
  }
}
