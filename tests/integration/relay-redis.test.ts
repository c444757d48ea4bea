/**
 * Two relay processes (`npm start` with LIVESHELF_REDIS_URL) on one real redis-server that this
 * file starts on a free loopback port: the same rooms on both, broadcasts across processes,
 * exactly-once sales under concurrency and the loss of one relay, hosts editing at once.
 * Every check on sales is the one of issue 6: acknowledged ≤ counted ≤ sent, and a full
 * resend counts each order exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { ADMIN, api, connectClient, send, waitForState, type TestSocket } from '../support/relay.js';
import type { RoomState } from '../../shared/domain.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { resendAll, salesBurst, type SalesLedger } from '../support/sales-burst.js';

const dirs: string[] = [];
const relays: RelayProcess[] = [];
let redis: TestRedis;

async function relay(): Promise<RelayProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-redis-relay-'));
  dirs.push(dataDir);
  const r = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_RATE_PER_SECOND: '100000' } });
  relays.push(r);
  return r;
}

/** The two relays most tests share (started by the first test that needs them). */
async function pair(): Promise<[RelayProcess, RelayProcess]> {
  while (relays.length < 2) await relay();
  return [relays[0]!, relays[1]!];
}

async function createRoom(url: string) {
  const res = await api(url, '/api/rooms', { token: ADMIN, body: { title: 'redis', currency: 'CNY', locale: 'zh-CN' } });
  expect(res.status).toBe(201);
  return res.json as { room: { id: string }; tokens: { host: string; cohost: string; sales: string; overlay: string } };
}

async function addProduct(url: string, roomId: string, host: string, sku = 'POM', stock: number | null = null): Promise<string> {
  const add = await api(url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: `add-${sku}`, type: 'product.add', product: { sku, name: '石榴', priceMinor: 5990, stock } } });
  expect(add.status).toBe(200);
  return add.json.result.productId as string;
}

/** The first state matching `pred` this client received, already or later (a broadcast may arrive before the ack). */
function stateWhere(client: { socket: TestSocket; states: RoomState[] }, pred: (s: RoomState) => boolean): Promise<RoomState> {
  const had = client.states.find(pred);
  return had ? Promise.resolve(had) : waitForState(client.socket, pred, 10_000);
}

function expectLedger(ledger: SalesLedger, counted: number): void {
  expect(ledger.acked.size).toBeGreaterThan(0);
  expect(counted).toBeGreaterThanOrEqual(ledger.acked.size);
  expect(counted).toBeLessThanOrEqual(ledger.sent.length);
}

beforeAll(async () => {
  redis = await startRedis();
});

afterAll(async () => {
  for (const r of relays) await r.kill();
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('two relays on one Redis', () => {
  it('serve the same room: a change sent on B reaches a client on A, GET and a new connection on A see it', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const onA = await connectClient(a.url, roomId, created.tokens.overlay);
    const onB = await connectClient(b.url, roomId, created.tokens.host);
    const reply = await send(onB.socket, { id: 'add', type: 'product.add', product: { sku: 'PEAR', name: '砀山酥梨', priceMinor: 3990, stock: 10 } });
    expect(reply).toMatchObject({ ok: true, version: 1 });
    const seen = await stateWhere(onA, (s) => s.version === 1);
    expect(seen.products.map((p) => p.sku)).toEqual(['PEAR']);
    // A learned nothing through its own actor: GET and a new connection read the store.
    expect((await api(a.url, `/api/rooms/${roomId}`, { token: created.tokens.cohost })).json).toEqual(seen);
    const late = await connectClient(a.url, roomId, created.tokens.cohost);
    expect(late.state).toEqual(seen);
    // A command id applied on B is a duplicate on A.
    const again = await api(a.url, `/api/rooms/${roomId}/commands`, { token: created.tokens.host, body: { id: 'add', type: 'product.add', product: { sku: 'PEAR', name: '砀山酥梨', priceMinor: 3990 } } });
    expect(again.json).toMatchObject({ ok: true, duplicate: true, version: 1 });
    for (const c of [onA, onB, late]) c.socket.close();
  });

  it('a token rotated on A stops working on B, the new one works on B', async () => {
    const [a, b] = await pair();
    const created = await createRoom(b.url);
    const roomId = created.room.id;
    expect((await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.cohost })).status).toBe(200);
    const rotated = await api(a.url, `/api/rooms/${roomId}/tokens/rotate`, { token: created.tokens.host, body: { role: 'cohost' } });
    expect(rotated.status).toBe(200);
    expect((await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.cohost })).status).toBe(401);
    expect((await api(b.url, `/api/rooms/${roomId}`, { token: rotated.json.token })).status).toBe(200);
  });

  it('counts concurrent sales from senders spread over both exactly', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const productId = await addProduct(a.url, roomId, created.tokens.host);
    const ledger = await salesBurst({ urls: [a.url, b.url], roomId, token: created.tokens.sales, productId, senders: 6, perSender: 120 });
    expect(ledger.failed).toBe(0);
    const fromA = (await api(a.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json;
    const fromB = (await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json;
    expect(fromB).toEqual(fromA);
    expectLedger(ledger, fromA.totals.sold);
    expect(fromA.totals.sold).toBe(ledger.acked.size);
    const resend = await resendAll({ url: b.url, roomId, token: created.tokens.sales, productId, ledger });
    expect(resend.duplicates).toBe(fromA.totals.sold);
    const final = (await api(a.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json;
    expect(final.totals).toEqual({ sold: ledger.sent.length, orders: ledger.sent.length, revenueMinor: ledger.sent.length * 5990, weightGrams: 0 });
  });

  it('never sells beyond the stock when both processes sell the last units at once', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const productId = await addProduct(a.url, roomId, created.tokens.host, 'LAST', 50);
    const ledger = await salesBurst({ urls: [a.url, b.url], roomId, token: created.tokens.sales, productId, senders: 4, perSender: 40 });
    const state = (await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json;
    expect(state.totals.sold).toBe(50);
    expect(ledger.acked.size).toBe(50);
    expect(state.products[0]).toMatchObject({ stock: 0, soldOut: true, sold: 50 });
    expect(ledger.refused.get('out_of_stock')).toBe(ledger.sent.length - 50);
  });

  it('two hosts editing the same product at once on different processes: no lost update, both end in the same state', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const productId = await addProduct(a.url, roomId, created.tokens.host, 'EDIT', 100);
    const hostA = await connectClient(a.url, roomId, created.tokens.host);
    const hostB = await connectClient(b.url, roomId, created.tokens.host);
    // Without a base version both edits apply, one after the other: each keeps the other's field.
    const rounds = 20;
    const replies = await Promise.all(
      Array.from({ length: rounds }, (_, i) => [
        send(hostA.socket, { id: `a-${i}`, type: 'product.update', productId, changes: { name: `梨 A${i}` } }),
        send(hostB.socket, { id: `b-${i}`, type: 'product.update', productId, changes: { priceMinor: 1000 + i } }),
        send(hostB.socket, { id: `s-${i}`, type: 'stock.set', productId, stock: 200 + i }),
      ]).flat(),
    );
    expect(replies.every((r) => r.ok)).toBe(true);
    const versions = replies.map((r) => (r.ok ? r.version : -1));
    expect(new Set(versions).size).toBe(rounds * 3);
    const last = 1 + rounds * 3;
    expect(Math.max(...versions)).toBe(last);
    const [onA, onB] = await Promise.all([stateWhere(hostA, (s) => s.version === last), stateWhere(hostB, (s) => s.version === last)]);
    expect(onA).toEqual(onB);
    expect(onA.products[0]).toMatchObject({ name: `梨 A${rounds - 1}`, priceMinor: 1000 + rounds - 1, stock: 200 + rounds - 1 });

    // With the same base version, exactly one of two concurrent edits wins; the other gets the current state back.
    const base = onA.version;
    const [ra, rb] = await Promise.all([
      send(hostA.socket, { id: 'race-a', type: 'product.update', productId, baseVersion: base, changes: { name: 'A wins' } }),
      send(hostB.socket, { id: 'race-b', type: 'product.update', productId, baseVersion: base, changes: { name: 'B wins' } }),
    ]);
    const winners = [ra, rb].filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const loser = [ra, rb].find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'stale_version', state: { version: base + 1 } } });
    const [endA, endB] = await Promise.all([stateWhere(hostA, (s) => s.version === base + 1), stateWhere(hostB, (s) => s.version === base + 1)]);
    expect(endA).toEqual(endB);
    expect(endA.products[0]?.name).toBe(ra.ok ? 'A wins' : 'B wins');
    hostA.socket.close();
    hostB.socket.close();
  });

  it('a co-host on A and a host on B showing different cards at the same moment: the last accepted wins, both panels agree', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const pear = await addProduct(a.url, roomId, created.tokens.host, 'PEAR');
    const pom = await addProduct(b.url, roomId, created.tokens.host, 'POM');
    const cohost = await connectClient(a.url, roomId, created.tokens.cohost);
    const host = await connectClient(b.url, roomId, created.tokens.host);
    for (let round = 0; round < 10; round++) {
      const [rc, rh] = await Promise.all([
        send(cohost.socket, { id: `c-${round}`, type: 'card.show', productId: pear }),
        send(host.socket, { id: `h-${round}`, type: 'card.show', productId: pom }),
      ]);
      if (!rc.ok || !rh.ok) throw new Error(`refused: ${JSON.stringify([rc, rh])}`);
      const last = Math.max(rc.version, rh.version);
      const winner = rc.version > rh.version ? pear : pom;
      const [onA, onB] = await Promise.all([stateWhere(cohost, (s) => s.version === last), stateWhere(host, (s) => s.version === last)]);
      expect(onA).toEqual(onB);
      expect(onA.currentProductId).toBe(winner);
    }
    // Neither panel ever went back to an older version.
    for (const c of [cohost, host]) {
      const versions = c.states.map((s) => s.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
      c.socket.close();
    }
  });

  it('a client on B that missed a broadcast while the subscriptions were down gets the current state when they are back', async () => {
    const [a, b] = await pair();
    const created = await createRoom(a.url);
    const roomId = created.room.id;
    const onB = await connectClient(b.url, roomId, created.tokens.overlay);
    // Cut every relay's subscription to the broadcasts, then change the room through A at once,
    // while B is still resubscribing: the adapter drops what it publishes meanwhile.
    const admin = new Redis(redis.url);
    try {
      expect(Number(await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub'))).toBeGreaterThanOrEqual(2);
    } finally {
      admin.disconnect();
    }
    const ticker = await api(a.url, `/api/rooms/${roomId}/commands`, { token: created.tokens.host, body: { id: 'during-resubscribe', type: 'ticker.push', text: '新品上架' } });
    expect(ticker.status).toBe(200);
    const seen = await stateWhere(onB, (s) => s.version === ticker.json.version);
    expect(seen.ticker.map((m) => m.text)).toEqual(['新品上架']);
    onB.socket.close();
  });

  it('SIGKILL of one relay mid-burst: its clients move to the other, nothing is lost or doubled', async () => {
    const b = (await pair())[1];
    const a = await relay();
    const created = await createRoom(b.url);
    const roomId = created.room.id;
    const productId = await addProduct(b.url, roomId, created.tokens.host);
    const overlayOnB = await connectClient(b.url, roomId, created.tokens.overlay);
    const ledger = await salesBurst({
      urls: [a.url, b.url],
      roomId,
      token: created.tokens.sales,
      productId,
      senders: 6,
      perSender: 150,
      // The relay behind the first URL dies once 200 sales were acknowledged; its senders fail over.
      onAcked: (n) => {
        if (n === 200) void a.kill('SIGKILL');
      },
    });
    expect(a.child.signalCode).toBe('SIGKILL');
    expect(ledger.failovers).toBeGreaterThan(0);
    const counted = (await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json.totals.sold as number;
    expectLedger(ledger, counted);
    // Every sender finished its list on B: all were eventually acknowledged, each once.
    expect(ledger.acked.size).toBe(ledger.sent.length);
    expect(counted).toBe(ledger.sent.length);
    const resend = await resendAll({ url: b.url, roomId, token: created.tokens.sales, productId, ledger });
    expect(resend.duplicates).toBe(ledger.sent.length);
    const stored = (await api(b.url, `/api/rooms/${roomId}`, { token: created.tokens.host })).json;
    expect(stored.totals).toEqual({ sold: ledger.sent.length, orders: ledger.sent.length, revenueMinor: ledger.sent.length * 5990, weightGrams: 0 });
    // The overlay on the surviving relay ends on the stored state, and never went back in version.
    expect(await stateWhere(overlayOnB, (s) => s.version === stored.version)).toEqual(stored);
    const versions = overlayOnB.states.map((s) => s.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    overlayOnB.socket.close();
  });
});
