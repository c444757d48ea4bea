/**
 * The WAL's group fsync (overlay/relay/wal-sync.ts) with a disk the test controls: every
 * caller is answered only by an fsync that started after its call, callers during one fsync
 * (pool) or one event-loop turn (loop) share it, a slow disk moves the fsyncs to the pool and a
 * fast one brings them back, and a failed fsync fails everyone from then on.
 */
import { describe, expect, it } from 'vitest';
import { WalSync, type SyncFn, type SyncNowFn } from '../../overlay/relay/wal-sync.js';

/** A disk whose fsyncs finish when the test says so. */
function fakeDisk() {
  const pending: ((err: NodeJS.ErrnoException | null) => void)[] = [];
  const fsync: SyncFn = (_fd, cb) => void pending.push(cb);
  return {
    fsync,
    pending,
    finish(err: NodeJS.ErrnoException | null = null) {
      const cb = pending.shift();
      if (!cb) throw new Error('no fsync in flight');
      cb(err);
    },
  };
}

/** A blocking disk for the event-loop path: each fsync takes `ms` (busy wait) or throws. */
function blockingDisk() {
  const disk = {
    ms: 0,
    error: undefined as NodeJS.ErrnoException | undefined,
    calls: 0,
    syncNow: ((_fd: number) => {
      disk.calls++;
      const end = performance.now() + disk.ms;
      while (performance.now() < end);
      if (disk.error) throw disk.error;
    }) as SyncNowFn,
  };
  return disk;
}

const turn = () => new Promise((r) => setImmediate(r));

const settled = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(() => (state = 'resolved'), () => (state = 'rejected'));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
};

describe('WalSync', () => {
  it('answers a call made during an fsync only after the next fsync, which started after it', async () => {
    const disk = fakeDisk();
    const wal = new WalSync(3, undefined, disk.fsync);
    const first = wal.sync();
    const second = wal.sync(); // its write may have come after the first fsync began
    expect(disk.pending).toHaveLength(1);
    disk.finish();
    expect(await settled(first)).toBe('resolved');
    expect(await settled(second)).toBe('pending');
    expect(disk.pending).toHaveLength(1); // the second fsync started only now
    disk.finish();
    expect(await settled(second)).toBe('resolved');
    expect(wal.started).toBe(2);
  });

  it('lets every call made during one fsync share the next one', async () => {
    const disk = fakeDisk();
    const wal = new WalSync(3, undefined, disk.fsync);
    const calls = [wal.sync(), wal.sync(), wal.sync(), wal.sync()];
    disk.finish();
    await settled(calls[0]!);
    disk.finish();
    await Promise.all(calls);
    expect(wal.started).toBe(2);
    expect(disk.pending).toHaveLength(0);
  });

  it('after a failed fsync rejects the callers waiting, tells onFatal once, and refuses every later call', async () => {
    const disk = fakeDisk();
    const fatal: Error[] = [];
    const wal = new WalSync(3, (e) => fatal.push(e), disk.fsync);
    const first = wal.sync();
    const queued = wal.sync();
    disk.finish(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    await expect(first).rejects.toThrow(/fsync of the SQLite write-ahead log failed \(EIO\)/);
    await expect(queued).rejects.toThrow(/EIO/);
    await expect(wal.sync()).rejects.toThrow(/EIO/);
    expect(fatal).toHaveLength(1);
    expect(wal.started).toBe(1);
    expect(wal.failure?.message).toMatch(/restart the relay/);
  });

  it('close() waits for the fsync in flight and the one queued, then refuses without touching the descriptor', async () => {
    const disk = fakeDisk();
    const wal = new WalSync(3, undefined, disk.fsync);
    void wal.sync();
    void wal.sync();
    const idle = wal.close();
    disk.finish();
    expect(await settled(idle)).toBe('pending');
    expect(disk.pending).toHaveLength(1);
    disk.finish();
    expect(await settled(idle)).toBe('resolved');
    await expect(wal.sync()).rejects.toThrow(/closed/);
    expect(wal.started).toBe(2);
    expect(wal.failure).toBeUndefined();
  });

  describe('on the event loop (a fast disk)', () => {
    it('runs one fsync after the turn for every call made in it, and answers after it', async () => {
      const pool = fakeDisk();
      const disk = blockingDisk();
      const wal = new WalSync(3, undefined, pool.fsync, { syncNow: disk.syncNow });
      const calls = [wal.sync(), wal.sync(), wal.sync()];
      expect(disk.calls).toBe(0); // not inside the caller's turn: its batch is broadcast first
      expect(await settled(calls[0]!)).toBe('pending');
      await turn();
      expect(disk.calls).toBe(1);
      await Promise.all(calls);
      const next = wal.sync(); // a write after that fsync: a new one
      await turn();
      await next;
      expect(disk.calls).toBe(2);
      expect(wal.onLoop).toBe(2);
      expect(pool.pending).toHaveLength(0);
    });

    it('flush() runs the turn\'s fsync at once (the relay has no batch left in this turn), once for all its callers', async () => {
      const disk = blockingDisk();
      const wal = new WalSync(3, undefined, fakeDisk().fsync, { syncNow: disk.syncNow });
      const calls = [wal.sync(), wal.sync()];
      wal.flush();
      expect(disk.calls).toBe(1);
      await Promise.all(calls);
      await turn(); // the fallback at the next turn finds nothing left to do
      expect(disk.calls).toBe(1);
      wal.flush(); // nothing pending: no fsync
      expect(disk.calls).toBe(1);
    });

    it('moves to the thread pool after slow fsyncs, and back once a probe finds the disk fast', async () => {
      const pool = fakeDisk();
      const disk = blockingDisk();
      const wal = new WalSync(3, undefined, pool.fsync, { syncNow: disk.syncNow, inlineMaxMs: 1, probeMs: 50 });
      disk.ms = 10; // one fsync of 10 ms takes the average (from 0, weight 0.2) to 2 ms
      const slow = wal.sync();
      await turn();
      await slow;
      expect(wal.averageMs).toBeGreaterThan(1);
      const onPool = wal.sync();
      expect(pool.pending).toHaveLength(1); // started at once, off the loop
      pool.finish();
      await onPool;
      expect(disk.calls).toBe(1);
      // The disk is fast again: after probeMs a probe runs on the loop, and the average falls.
      disk.ms = 0;
      await new Promise((r) => setTimeout(r, 60));
      for (let i = 0; i < 30; i++) {
        const p = wal.sync();
        if (pool.pending.length) pool.finish();
        await turn();
        await p;
        if (wal.averageMs <= 1) break;
        await new Promise((r) => setTimeout(r, 55));
      }
      expect(wal.averageMs).toBeLessThanOrEqual(1);
      const fast = wal.sync();
      expect(pool.pending).toHaveLength(0);
      await turn();
      await fast;
    });

    it('after a failed fsync rejects the callers of that turn, tells onFatal once, and refuses every later call', async () => {
      const disk = blockingDisk();
      const fatal: Error[] = [];
      const wal = new WalSync(3, (e) => fatal.push(e), fakeDisk().fsync, { syncNow: disk.syncNow });
      disk.error = Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      const a = wal.sync();
      const b = wal.sync();
      await expect(a).rejects.toThrow(/fsync of the SQLite write-ahead log failed \(EIO\)/);
      await expect(b).rejects.toThrow(/EIO/);
      await expect(wal.sync()).rejects.toThrow(/EIO/);
      expect(fatal).toHaveLength(1);
      expect(disk.calls).toBe(1);
    });

    it('close() waits for the turn\'s fsync, then refuses', async () => {
      const disk = blockingDisk();
      const wal = new WalSync(3, undefined, fakeDisk().fsync, { syncNow: disk.syncNow });
      const pending = wal.sync();
      await wal.close();
      await pending;
      expect(disk.calls).toBe(1);
      await expect(wal.sync()).rejects.toThrow(/closed/);
    });
  });
});
