/**
 * Shown when committed, answered when on disk: with SQLite the relay broadcasts a batch's
 * state as soon as its commit returned and answers the senders only once the WAL's fsync
 * that covers it finished (overlay/relay/wal-sync.ts). Real relay, real socket.io clients;
 * the disk is made slow or failing through the store's fsync hooks (a real disk cannot be
 * made to fail on demand here), the slow one still calls the real fdatasync. The first two
 * tests take the thread-pool path (a custom pool fsync and no loop one); the third starts on
 * the event-loop path, as a fast disk does, and makes the disk slow.
 */
import { fdatasync, fdatasyncSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncFn } from '../../overlay/relay/wal-sync.js';
import { ADMIN, api, connectClient, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';

const SLOW_MS = 150;
let r: TestRelay | undefined;
const open: TestSocket[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await r?.close();
  r = undefined;
});

async function roomWithProduct(relay: TestRelay) {
  const room = await relay.createRoom();
  const added = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: 'add', type: 'product.add', product: { sku: 'PG', name: '永胜软籽石榴', priceMinor: 5990, stock: 50 } } });
  return { room, productId: added.json.result.productId as string };
}

describe('durable before answered, shown when committed', () => {
  it('a slow disk: the overlay sees the sale first, the host is answered after the fsync, a resend meanwhile is answered after it too', async () => {
    let slow = false;
    const fsync: SyncFn = (fd, cb) => (slow ? setTimeout(() => fdatasync(fd, cb), SLOW_MS) : fdatasync(fd, cb));
    r = await startRelay({ store: { fsync } });
    const { room, productId } = await roomWithProduct(r);
    const overlay = await connectClient(r.url, room.room.id, room.tokens.overlay);
    const host = await connectClient(r.url, room.room.id, room.tokens.host);
    open.push(overlay.socket, host.socket);
    slow = true;

    const events: string[] = [];
    const t0 = performance.now();
    let shownAt = 0;
    overlay.socket.on('room.state', (s) => {
      if (s.totals.sold === 1 && !shownAt) {
        shownAt = performance.now();
        events.push('shown');
      }
    });
    const sale = { id: 'sale-1', type: 'sale.record', productId };
    const first = send(host.socket, sale).then((reply) => {
      events.push('answered');
      return { reply, at: performance.now() };
    });
    await expect.poll(() => shownAt, { timeout: 5000 }).toBeGreaterThan(0);
    // The first answer is still waiting for the disk: resend the same command now.
    const resend = send(host.socket, sale).then((reply) => {
      events.push('resend answered');
      return reply;
    });
    const { reply, at } = await first;
    expect(reply).toMatchObject({ ok: true, duplicate: false });
    expect(at - t0).toBeGreaterThanOrEqual(SLOW_MS - 5);
    expect(await resend).toMatchObject({ ok: true, duplicate: true, version: reply.ok ? reply.version : -1 });
    expect(events).toEqual(['shown', 'answered', 'resend answered']);
    const state = (await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(state.totals).toMatchObject({ sold: 1, orders: 1 });
  });

  it('a failing disk: the commands waiting are answered 503, the relay is told once, and refuses every write after', async () => {
    let failing = false;
    const fatal: Error[] = [];
    const fsync: SyncFn = (fd, cb) => (failing ? setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }))) : fdatasync(fd, cb));
    r = await startRelay({ store: { fsync, onFatal: (e) => fatal.push(e) } });
    const { room, productId } = await roomWithProduct(r);
    const host = await connectClient(r.url, room.room.id, room.tokens.host);
    open.push(host.socket);
    failing = true;

    const reply = await send(host.socket, { id: 'sale-x', type: 'sale.record', productId });
    expect(reply).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503 } });
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.message).toMatch(/EIO.*restart the relay/);
    const later = await send(host.socket, { id: 'sale-y', type: 'sale.record', productId });
    expect(later).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503 } });
    const created = await api(r.url, '/api/rooms', { token: ADMIN, body: { title: 'x' } });
    expect(created.status).toBe(503);
    expect(fatal).toHaveLength(1);
  });

  it('a fast disk: one fsync per event-loop turn on the loop; a disk that turns slow moves them to the pool, nothing lost', async () => {
    let slowMs = 0;
    const fsyncNow = (fd: number) => {
      const end = performance.now() + slowMs;
      while (performance.now() < end);
      fdatasyncSync(fd);
    };
    // The real disk takes 0.2–0.4 ms, more while other test files fsync too (a CI run with
    // other work on the machine saw more than 10 ms): a 30 ms limit keeps the fast phase on the
    // loop whatever the neighbours do; the slow disk takes 200 ms (one sample lifts the average past it).
    const LIMIT_MS = 30;
    r = await startRelay({ store: { fsyncNow, inlineFsyncMaxMs: LIMIT_MS } });
    const { room, productId } = await roomWithProduct(r);
    const hosts = await Promise.all([0, 1, 2].map(() => connectClient(r!.url, room.room.id, room.tokens.host)));
    open.push(...hosts.map((h) => h.socket));
    const wal = r.store.wal!;
    const burst = async (tag: string) => {
      const replies = await Promise.all(hosts.flatMap((h, k) => [0, 1, 2, 3].map((i) => send(h.socket, { id: `${tag}-${k}-${i}`, type: 'sale.record', productId }))));
      for (const reply of replies) expect(reply).toMatchObject({ ok: true, duplicate: false });
    };
    const loop0 = wal.onLoop;
    await burst('fast');
    expect(wal.onLoop).toBeGreaterThan(loop0);
    expect(wal.started).toBe(wal.onLoop); // all on the loop so far
    expect(wal.averageMs).toBeLessThan(LIMIT_MS);
    slowMs = 200;
    await burst('slow');
    expect(wal.averageMs).toBeGreaterThan(LIMIT_MS);
    const pool0 = wal.started - wal.onLoop;
    await burst('after');
    expect(wal.started - wal.onLoop).toBeGreaterThan(pool0); // the thread pool took over
    const state = (await api(r.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json;
    expect(state.totals).toMatchObject({ sold: 36, orders: 36 });
  });
});
