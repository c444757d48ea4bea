/**
 * Group fsync of SQLite's write-ahead log, off the event loop. The SQLite store runs with
 * `synchronous = NORMAL` (a commit writes its WAL frames and returns, no fsync) and calls
 * `sync()` after each write; the promise resolves once an fdatasync of the WAL file that
 * started after the call has finished, which is exactly what `synchronous = FULL` does inside
 * each commit (SQLite docs: in WAL mode FULL syncs the WAL after every commit; NORMAL still
 * syncs it before each checkpoint and syncs the database after it). What changes:
 * - the fsync runs on libuv's thread pool, so the event loop goes on meanwhile (other rooms'
 *   batches, broadcasts, sockets);
 * - every write made while one fsync is in flight shares the next one (group commit across
 *   rooms, where SQLite's FULL costs one fsync per room batch).
 *
 * An fsync that fails leaves the file's state unknown (the kernel may have dropped the dirty
 * pages): the syncer stays failed, every later call rejects, and `onFatal` is told once so
 * the process can stop and restart from what is on disk.
 */
import { fdatasync } from 'node:fs';

export type SyncFn = (fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => void;

export class WalSync {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private failed: Error | undefined;
  /** fsyncs started, for benchmarks and tests. */
  started = 0;

  /** The error of the fsync that failed, if one did. */
  get failure(): Error | undefined {
    return this.failed;
  }

  constructor(
    private readonly fd: number,
    private readonly onFatal: (err: Error) => void = () => {},
    private readonly syncFn: SyncFn = fdatasync,
  ) {}

  private closed = false;

  /** Resolves when everything written before this call is on disk. */
  sync(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    // After close the descriptor is gone (its number may be another file's by now).
    if (this.closed) return Promise.reject(new Error('the store is closed'));
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
    while (this.inFlight || this.queued) await (this.queued ?? this.inFlight)!.catch(() => {});
  }

  private start(): Promise<void> {
    this.started++;
    let done!: (err: NodeJS.ErrnoException | null) => void;
    const run = new Promise<void>((resolve, reject) => {
      done = (err) => {
        if (this.inFlight === run) this.inFlight = undefined;
        if (!err) return resolve();
        const fatal = new Error(`fsync of the SQLite write-ahead log failed (${err.code ?? err.message}): what is on disk is unknown, restart the relay`);
        if (!this.failed) {
          this.failed = fatal;
          this.onFatal(fatal);
        }
        reject(fatal);
      };
    });
    this.inFlight = run;
    this.syncFn(this.fd, done);
    return run;
  }
}
