/**
 * The abuse set of issue 6 against two relay processes (`npm start` with LIVESHELF_REDIS_URL)
 * on one real redis-server: oversized frames, a flood from one socket, a foreign Origin, the
 * token of another room, malformed payloads and a protocol mismatch. Each test starts its own
 * redis-server and two relays and stops them (afterAll stops whatever a failed test left).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { ADMIN, api, connectClient, send, waitForState, type TestSocket } from '../support/relay.js';
import { PROTOCOL_VERSION } from '../../shared/protocol.js';
import type { RoomState } from '../../shared/domain.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';

interface Cluster {
  a: RelayProcess;
  b: RelayProcess;
  stop(): Promise<void>;
}

/** Everything started here and not yet stopped, for afterAll when a test failed midway. */
const live = new Set<() => Promise<void>>();
const sockets = new Set<TestSocket>();

async function cluster(env: Record<string, string> = {}): Promise<Cluster> {
  const redis: TestRedis = await startRedis();
  const dirs: string[] = [];
  const relays: RelayProcess[] = [];
  const stop = async () => {
    live.delete(stop);
    for (const s of sockets) s.close();
    sockets.clear();
    for (const r of relays) await r.kill('SIGKILL');
    await redis.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  };
  live.add(stop);
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-redis-abuse-'));
    dirs.push(dataDir);
    relays.push(await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, ...env } }));
  }
  return { a: relays[0]!, b: relays[1]!, stop };
}

afterAll(async () => {
  for (const stop of [...live]) await stop();
});

let n = 0;
const cid = () => `abuse-${++n}`;

async function roomWithProduct(url: string) {
  const res = await api(url, '/api/rooms', { token: ADMIN, body: { title: 'abuse', currency: 'CNY', locale: 'zh-CN' } });
  expect(res.status).toBe(201);
  const room = res.json as { room: { id: string }; tokens: { host: string; cohost: string; sales: string; overlay: string } };
  const add = await api(url, `/api/rooms/${room.room.id}/commands`, {
    token: room.tokens.host,
    body: { id: cid(), type: 'product.add', product: { sku: 'YS-POM-5KG', name: '永胜软籽石榴', priceMinor: 5990, stock: null } },
  });
  expect(add.status).toBe(200);
  return { roomId: room.room.id, tokens: room.tokens, productId: add.json.result.productId as string };
}

async function client(url: string, roomId: string, token: string, opts: Parameters<typeof connectClient>[3] = {}) {
  const c = await connectClient(url, roomId, token, opts);
  sockets.add(c.socket);
  return c;
}

/** The first state matching `pred` this client received, already or later. */
function stateWhere(c: { socket: TestSocket; states: RoomState[] }, pred: (s: RoomState) => boolean): Promise<RoomState> {
  const had = c.states.find(pred);
  return had ? Promise.resolve(had) : waitForState(c.socket, pred, 10_000);
}

describe('abuse against two relays on one Redis', () => {
  it('an oversized frame on A closes only that connection: the others on A and on B keep sending and receiving', async () => {
    const { a, b, stop } = await cluster({ LIVESHELF_RATE_PER_SECOND: '100000' });
    try {
      const room = await roomWithProduct(a.url);
      const big = await client(a.url, room.roomId, room.tokens.host);
      const otherA = await client(a.url, room.roomId, room.tokens.host);
      const onB = await client(b.url, room.roomId, room.tokens.host);
      const closed = new Promise<string>((resolve) => big.socket.on('disconnect', resolve));
      big.socket.emit('command', { id: cid(), type: 'ticker.push', text: 'x'.repeat(100_000) }, () => {});
      expect(await closed).toBe('transport close');
      expect(otherA.socket.connected).toBe(true);
      expect(onB.socket.connected).toBe(true);
      // A change sent on B reaches the other client of A, and one sent on A reaches B.
      const seenOnA = stateWhere(otherA, (s) => s.ticker.some((t) => t.text === 'from B'));
      expect(await send(onB.socket, { id: cid(), type: 'ticker.push', text: 'from B' })).toMatchObject({ ok: true });
      expect((await seenOnA).ticker.map((t) => t.text)).toContain('from B');
      const seenOnB = stateWhere(onB, (s) => s.ticker.some((t) => t.text === 'from A'));
      expect(await send(otherA.socket, { id: cid(), type: 'ticker.push', text: 'from A' })).toMatchObject({ ok: true });
      expect((await seenOnB).ticker.map((t) => t.text)).toContain('from A');
      // The oversized command was never applied.
      const s = await api(b.url, `/api/rooms/${room.roomId}`, { token: room.tokens.overlay });
      expect(s.json.ticker.map((t: { text: string }) => t.text)).toEqual(expect.not.arrayContaining(['x'.repeat(100_000)]));
      expect(s.json.ticker.every((t: { text: string }) => t.text.length < 1000)).toBe(true);
    } finally {
      await stop();
    }
  });

  it('a flood from one socket on A is rate-limited; a socket on B (and another on A) is unaffected', async () => {
    const { a, b, stop } = await cluster({ LIVESHELF_RATE_PER_SECOND: '20' });
    try {
      const room = await roomWithProduct(a.url);
      const flood = await client(a.url, room.roomId, room.tokens.host);
      const calmB = await client(b.url, room.roomId, room.tokens.cohost);
      const calmA = await client(a.url, room.roomId, room.tokens.cohost);
      const [replies, calmReplies] = await Promise.all([
        Promise.all(Array.from({ length: 100 }, () => send(flood.socket, { id: cid(), type: 'ticker.push', text: 'spam' }))),
        (async () => {
          const out = [];
          for (let i = 0; i < 5; i++) out.push(await send(calmB.socket, { id: cid(), type: 'ticker.push', text: `大家好 ${i}` }));
          return out;
        })(),
      ]);
      const limited = replies.filter((x) => !x.ok && x.error.code === 'rate_limited').length;
      const accepted = replies.filter((x) => x.ok).length;
      expect(limited).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
      expect(limited + accepted).toBe(100);
      for (const r of calmReplies) expect(r).toMatchObject({ ok: true });
      expect(await send(calmA.socket, { id: cid(), type: 'ticker.push', text: 'calm on A' })).toMatchObject({ ok: true });
      // A refused command changed nothing: the room holds only what was accepted.
      const ack = replies.filter((x) => x.ok);
      const s = await api(b.url, `/api/rooms/${room.roomId}`, { token: room.tokens.overlay });
      // 1 product.add + accepted spam + 5 calm on B + 1 calm on A.
      expect(s.json.version).toBe(1 + ack.length + 5 + 1);
    } finally {
      await stop();
    }
  });

  it('a foreign Origin is refused by both processes; an extension origin and no Origin are accepted', async () => {
    const { a, b, stop } = await cluster();
    try {
      const room = await roomWithProduct(a.url);
      for (const url of [a.url, b.url]) {
        await expect(connectClient(url, room.roomId, room.tokens.host, { extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
        const ext = await client(url, room.roomId, room.tokens.host, { extraHeaders: { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop' } });
        expect(ext.state.id).toBe(room.roomId);
        const plain = await client(url, room.roomId, room.tokens.overlay);
        expect(plain.state.id).toBe(room.roomId);
      }
    } finally {
      await stop();
    }
  });

  it('the token of another room is refused on both processes, over the socket and over HTTP', async () => {
    const { a, b, stop } = await cluster();
    try {
      const x = await roomWithProduct(a.url);
      const y = await roomWithProduct(b.url);
      for (const url of [a.url, b.url]) {
        await expect(connectClient(url, x.roomId, y.tokens.host)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
        await expect(connectClient(url, y.roomId, x.tokens.overlay)).rejects.toMatchObject({ data: { code: 'unauthorized' } });
        await expect(connectClient(url, 'r_missing', x.tokens.host)).rejects.toMatchObject({ data: { code: 'not_found' } });
        expect((await api(url, `/api/rooms/${x.roomId}`, { token: y.tokens.host })).status).toBe(401);
        const write = await api(url, `/api/rooms/${y.roomId}/commands`, { token: x.tokens.host, body: { id: cid(), type: 'sale.record', productId: y.productId } });
        expect(write.status).toBe(401);
        expect((await api(url, `/api/rooms/${y.roomId}/sales`, { token: x.tokens.sales, body: { orderId: 'o-foreign', sku: 'YS-POM-5KG' } })).status).toBe(401);
      }
      // Nothing was written into either room.
      for (const r of [x, y]) {
        const s = await api(a.url, `/api/rooms/${r.roomId}`, { token: r.tokens.overlay });
        expect(s.json.version).toBe(1);
        expect(s.json.totals.sold).toBe(0);
      }
    } finally {
      await stop();
    }
  });

  it('malformed payloads on either process get a 400 error, change nothing and leave the connection usable', async () => {
    const { a, b, stop } = await cluster({ LIVESHELF_RATE_PER_SECOND: '100000' });
    try {
      const room = await roomWithProduct(a.url);
      for (const url of [a.url, b.url]) {
        const c = await client(url, room.roomId, room.tokens.host);
        for (const payload of [null, 42, 'card.hide', [], { id: 5, type: 'card.hide' }, { id: cid(), type: 'card.explode' }, { id: cid(), type: 'sale.record', productId: room.productId, quantity: '2' }]) {
          const reply = await send(c.socket, payload);
          expect(reply).toMatchObject({ ok: false, error: { code: 'invalid', status: 400 } });
        }
        const path = `/api/rooms/${room.roomId}/commands`;
        expect((await api(url, path, { token: room.tokens.host, raw: '{"id":"x",' })).status).toBe(400);
        expect((await api(url, path, { token: room.tokens.host, raw: '{"id":"x","type":"card.hide","__proto__":{"a":1}}' })).status).toBe(400);
        expect((await api(url, path, { token: room.tokens.host, raw: 'id=x', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
        expect(c.socket.connected).toBe(true);
      }
      const before = await api(b.url, `/api/rooms/${room.roomId}`, { token: room.tokens.overlay });
      expect(before.json.version).toBe(1);
      expect(before.json.totals.sold).toBe(0);
      // Both connections still work after the garbage.
      const onA = await client(a.url, room.roomId, room.tokens.host);
      expect(await send(onA.socket, { id: cid(), type: 'sale.record', productId: room.productId })).toMatchObject({ ok: true, version: 2 });
      const after = await api(b.url, `/api/rooms/${room.roomId}`, { token: room.tokens.overlay });
      expect(after.json.totals.sold).toBe(1);
    } finally {
      await stop();
    }
  });

  it('a protocol version mismatch and a handshake without auth are refused by both processes', async () => {
    const { a, b, stop } = await cluster();
    try {
      const room = await roomWithProduct(a.url);
      for (const url of [a.url, b.url]) {
        await expect(connectClient(url, room.roomId, room.tokens.host, { protocol: PROTOCOL_VERSION + 1 })).rejects.toMatchObject({ data: { code: 'protocol_mismatch' } });
        const s = ioClient(url, { transports: ['websocket'], reconnection: false, forceNew: true });
        const err = await new Promise<Error & { data?: { code?: string } }>((resolve) => s.on('connect_error', resolve));
        s.close();
        expect(err.data?.code).toBe('protocol_mismatch');
        const ok = await client(url, room.roomId, room.tokens.host);
        expect(ok.state.version).toBe(1);
      }
    } finally {
      await stop();
    }
  });
});
