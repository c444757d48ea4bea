/**
 * A graceful shutdown: a sale is broadcast as soon as it is committed and answered after the
 * WAL's fsync; close() stops taking commands (new ones are answered `unavailable`), lets the
 * commits taken become durable and their answers go out, and only then disconnects the
 * sockets and closes the store (overlay/relay/lifecycle.ts). Real relay on port 0, real socket.io
 * clients, the disk made slow through the store's fsync hook (it still calls the real
 * fdatasync); the last test sends SIGTERM to a relay process whose fsyncs are slowed by a
 * preload (tests/support/slow-fsync.mjs).
 */
import { fdatasync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SyncFn } from '../../overlay/relay/wal-sync.js';
import { PROTOCOL_VERSION, type CommandReply } from '../../shared/protocol.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { ADMIN, ROOT, api, connectClient, connectSocket, send, startRelay, type TestRelay, type TestSocket } from '../support/relay.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'liveshelf-close-'));
  dirs.push(d);
  return d;
};
let r: TestRelay | undefined;
const open: TestSocket[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) s.close();
  await r?.close();
  r = undefined;
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A relay whose fsyncs take `slowMs` once `slow.on` is set (the thread-pool path: no loop fsync). */
async function slowRelay(slowMs: number, config: { closeGraceMs?: number } = {}) {
  const slow = { on: false };
  const fsync: SyncFn = (fd, cb) => (slow.on ? setTimeout(() => fdatasync(fd, cb), slowMs) : fdatasync(fd, cb));
  const dataDir = tmp();
  const relay = await startRelay({ dataDir, store: { fsync }, config });
  const room = await relay.createRoom();
  const added = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id: 'add', type: 'product.add', product: { sku: 'PG', name: '永胜软籽石榴', priceMinor: 5990, stock: 1000 } } });
  return { relay, room, productId: added.json.result.productId as string, slow, dataDir };
}

function salesInDb(dataDir: string, roomId: string): string[] {
  const db = new Database(join(dataDir, 'liveshelf.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM sales WHERE room_id = ? ORDER BY id').all(roomId) as { id: string }[]).map((x) => x.id);
  } finally {
    db.close();
  }
}

/** What one socket saw, in order: answers and its disconnect. */
function journal(socket: TestSocket) {
  const events: string[] = [];
  socket.on('disconnect', (reason) => events.push(`disconnect:${reason}`));
  return {
    events,
    /** Recorded in the ack callback itself (a promise's then would run after a disconnect read in the same turn). */
    send(command: { id: string }) {
      return new Promise<CommandReply>((resolve) =>
        socket.emit('command', command, (reply: CommandReply) => {
          events.push(`${reply.ok ? 'ok' : reply.error.code}:${command.id}`);
          resolve(reply);
        }),
      );
    },
  };
}

describe('close(): what was taken is answered before the sockets close', () => {
  it('sales committed and waiting for a slow fsync: every sender gets its ok before it is disconnected', async () => {
    const SLOW_MS = 300;
    const t = await slowRelay(SLOW_MS);
    r = t.relay;
    const roomId = t.room.room.id;
    const overlay = await connectClient(r.url, roomId, t.room.tokens.overlay);
    const hosts = await Promise.all([0, 1, 2].map(() => connectClient(r!.url, roomId, t.room.tokens.host)));
    open.push(overlay.socket, ...hosts.map((h) => h.socket));
    const journals = hosts.map((h) => journal(h.socket));
    t.slow.on = true;

    const replies = journals.flatMap((j, k) => [0, 1, 2].map((i) => j.send({ id: `sale-${k}-${i}`, type: 'sale.record', productId: t.productId } as { id: string })));
    // All nine are committed (the overlay was shown them) and none is answered yet.
    await expect.poll(() => overlay.states.at(-1)?.totals.sold, { timeout: 5000 }).toBe(9);
    expect(journals.every((j) => j.events.length === 0)).toBe(true);

    const t0 = performance.now();
    await r.relay.close();
    expect(performance.now() - t0).toBeLessThan(2000); // answered when the fsync ended, not cut at the grace
    for (const reply of await Promise.all(replies)) expect(reply).toMatchObject({ ok: true, duplicate: false });
    await expect.poll(() => hosts.every((h) => !h.socket.connected), { timeout: 5000 }).toBe(true);
    journals.forEach((j, k) => expect(j.events).toEqual([0, 1, 2].map((i) => `ok:sale-${k}-${i}`).concat('disconnect:io server disconnect')));
    expect(salesInDb(t.dataDir, roomId)).toHaveLength(9);
  });

  it('a command sent after close began is answered unavailable at once; over HTTP a webhook sale taken is answered 200, a later one 503', async () => {
    const SLOW_MS = 400;
    const t = await slowRelay(SLOW_MS);
    r = t.relay;
    const roomId = t.room.room.id;
    const overlay = await connectClient(r.url, roomId, t.room.tokens.overlay);
    const host = await connectClient(r.url, roomId, t.room.tokens.host);
    open.push(overlay.socket, host.socket);
    const j = journal(host.socket);
    t.slow.on = true;

    const first = j.send({ id: 'before', type: 'sale.record', productId: t.productId } as { id: string });
    const webhook = api(r.url, `/api/rooms/${roomId}/sales`, { token: t.room.tokens.sales, body: { orderId: 'DY-1', productId: t.productId } });
    await expect.poll(() => overlay.states.at(-1)?.totals.sold, { timeout: 5000 }).toBe(2);

    const closed = r.relay.close();
    const t0 = performance.now();
    const late = await j.send({ id: 'after', type: 'sale.record', productId: t.productId } as { id: string });
    expect(late).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503, message: expect.stringMatching(/shutting down/) } });
    expect(performance.now() - t0).toBeLessThan(SLOW_MS / 2); // not held behind the fsync
    const lateHttp = await api(r.url, `/api/rooms/${roomId}/sales`, { token: t.room.tokens.sales, body: { orderId: 'DY-2', productId: t.productId } });
    expect(lateHttp.status).toBe(503);
    expect(lateHttp.json).toMatchObject({ ok: false, error: { code: 'unavailable', status: 503 } });

    expect(await first).toMatchObject({ ok: true, duplicate: false });
    const taken = await webhook;
    expect(taken.status).toBe(200);
    expect(taken.json).toMatchObject({ ok: true, duplicate: false });
    await closed;
    await expect.poll(() => host.socket.connected, { timeout: 5000 }).toBe(false);
    expect(j.events).toEqual(['unavailable:after', 'ok:before', 'disconnect:io server disconnect']);
    expect(salesInDb(t.dataDir, roomId)).toHaveLength(2);
  });

  it('a disk slower than the grace period: the sockets are cut at the grace, the sale is kept and recognised when resent', async () => {
    const t = await slowRelay(1500, { closeGraceMs: 200 });
    r = t.relay;
    const roomId = t.room.room.id;
    const host = await connectClient(r.url, roomId, t.room.tokens.host);
    open.push(host.socket);
    const j = journal(host.socket);
    t.slow.on = true;
    void j.send({ id: 'stuck', type: 'sale.record', productId: t.productId } as { id: string });
    await expect.poll(() => host.states.at(-1)?.totals.sold, { timeout: 5000 }).toBe(1);
    const t0 = performance.now();
    const closed = r.relay.close();
    await expect.poll(() => host.socket.connected, { timeout: 5000 }).toBe(false);
    const cutAfter = performance.now() - t0;
    expect(cutAfter).toBeGreaterThanOrEqual(150);
    expect(cutAfter).toBeLessThan(1200);
    expect(j.events).toEqual(['disconnect:io server disconnect']);
    await closed; // the store waits for the fsync in flight before it closes the file

    r = await startRelay({ dataDir: t.dataDir });
    const again = await connectClient(r.url, roomId, t.room.tokens.host);
    open.push(again.socket);
    expect(await send(again.socket, { id: 'stuck', type: 'sale.record', productId: t.productId })).toMatchObject({ ok: true, duplicate: true });
    expect(again.state.totals.sold).toBe(1);
  });
});

describe('SIGTERM to a relay process during a burst', () => {
  let relay: RelayProcess | undefined;
  afterAll(async () => relay?.kill());

  it('exits 0 after answering every sale it committed: each acknowledged sale is stored once, and nothing stored went unanswered', async () => {
    const dataDir = tmp();
    const port = await freePort();
    const env = { LIVESHELF_RATE_PER_SECOND: '100000', LIVESHELF_TEST_FSYNC_MS: '80' };
    const execArgv = ['--import', join(ROOT, 'tests/support/slow-fsync.mjs')];
    relay = await spawnRelay({ port, dataDir, adminToken: ADMIN, env, execArgv });
    const created = (await api(relay.url, '/api/rooms', { token: ADMIN, body: { title: 'restart', currency: 'CNY', locale: 'zh-CN' } })).json;
    const roomId: string = created.room.id;
    const host: string = created.tokens.host;
    const add = await api(relay.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'add', type: 'product.add', product: { sku: 'POM', name: '石榴', priceMinor: 5990 } } });
    const productId: string = add.json.result.productId;

    const SENDERS = 6;
    const sent: string[] = [];
    const acked: string[] = [];
    let unavailable = 0;
    let ackedAfterSignal = 0;
    let signalled = false;
    const sockets: TestSocket[] = [];
    const connect = () => connectSocket(relay!.url, roomId, host);
    const senders = Array.from({ length: SENDERS }, async (_, k) => {
      const s = await connect();
      sockets.push(s);
      let i = 0;
      let refused = false;
      // Up to 8 sales in flight, like an outbox flushing; stops once the relay says it is going.
      const inflight = new Set<Promise<void>>();
      while (!refused && s.connected) {
        const id = `s${k}-${i++}`;
        sent.push(id);
        const p = new Promise<void>((resolve) => {
          s.emit('command', { id, type: 'sale.record', productId, orderId: `order-${id}` }, (reply: CommandReply) => {
            if (reply.ok) {
              acked.push(id);
              if (signalled) ackedAfterSignal++;
            } else if (reply.error.code === 'unavailable') {
              unavailable++;
              refused = true;
            } else throw new Error(`unexpected answer ${JSON.stringify(reply)}`);
            resolve();
          });
          s.once('disconnect', () => resolve());
        }).then(() => void inflight.delete(p));
        inflight.add(p);
        if (inflight.size >= 8) await Promise.race(inflight);
      }
      await Promise.all(inflight);
    });
    while (acked.length < 200) await new Promise((res) => setTimeout(res, 5));
    signalled = true;
    await relay.kill('SIGTERM');
    expect(relay.child.exitCode).toBe(0);
    await Promise.all(senders);
    for (const s of sockets) s.close();
    // Sales committed and waiting for their (slow) fsync when the signal came were answered.
    expect(ackedAfterSignal).toBeGreaterThan(0);
    expect(new Set(acked).size).toBe(acked.length);

    // Every acknowledged sale is stored exactly once, and every stored sale was acknowledged:
    // none was committed and left without its answer.
    const stored = salesInDb(dataDir, roomId);
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.slice().sort()).toEqual(acked.slice().sort());

    relay = await spawnRelay({ port, dataDir, adminToken: ADMIN, env: { LIVESHELF_RATE_PER_SECOND: '100000' } });
    const counted = (await api(relay.url, `/api/rooms/${roomId}`, { token: host })).json.totals;
    expect(counted).toMatchObject({ sold: acked.length, orders: acked.length });
    // The outbox resends what was not answered: the acknowledged ones are duplicates, the rest new.
    const resend = await connect();
    const ackedSet = new Set(acked);
    const replies = await Promise.all(sent.map((id) => new Promise<CommandReply>((res) => resend.emit('command', { id, type: 'sale.record', productId, orderId: `order-${id}` }, res))));
    replies.forEach((reply, i) => expect(reply).toMatchObject({ ok: true, duplicate: ackedSet.has(sent[i]!) }));
    const final = (await api(relay.url, `/api/rooms/${roomId}`, { token: host })).json.totals;
    expect(final).toMatchObject({ sold: sent.length, orders: sent.length });
    resend.close();
  });
});
