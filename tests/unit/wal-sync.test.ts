/**
 * The WAL's group fsync (overlay/relay/wal-sync.ts) with a disk the test controls: every
 * caller is answered only by an fsync that started after its call, callers during one fsync
 * share the next, and a failed fsync fails everyone from then on.
 */
import { describe, expect, it } from 'vitest';
import { WalSync, type SyncFn } from '../../overlay/relay/wal-sync.js';

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
});
