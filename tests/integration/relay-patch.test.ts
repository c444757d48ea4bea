/**
 * 'room.patch' end to end, real relay and real socket.io clients: a client that opted in
 * (`patches: true`) and applies patches with the clients' own code (shared/room-follow.ts)
 * ends in exactly the state GET /api/rooms/:room returns after a burst of mixed commands; a
 * client that missed a patch resyncs through 'room.sync'; a client that did not opt in still
 * gets full states only.
 */
import { io as ioClient } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain.js';
import { PROTOCOL_VERSION, type RoomPatch } from '../../shared/protocol.js';
import { followRoom, type FollowSocket } from '../../shared/room-follow.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { ADMIN, api, connectClient, send, startRelay, type CreatedRoom, type TestRelay, type TestSocket } from '../support/relay.js';

let r: TestRelay;
const open: TestSocket[] = [];
beforeAll(async () => {
  r = await startRelay();
});
afterAll(async () => {
  for (const s of open) s.close();
  await r.close();
});

let seq = 0;
const cid = () => `c${++seq}`;

async function seededRoom(n: number): Promise<{ room: CreatedRoom; host: TestSocket; ids: string[] }> {
  const room = await r.createRoom();
  const { socket: host } = await connectClient(r.url, room.room.id, room.tokens.host);
  open.push(host);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const reply = await send(host, { id: cid(), type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 1000 + i, stock: i % 3 === 0 ? null : 20 } });
    if (!reply.ok || !reply.result.productId) throw new Error(JSON.stringify(reply));
    ids.push(reply.result.productId);
  }
  // Let the last throttled broadcast of the seeding go out before anyone else connects.
  await new Promise((res) => setTimeout(res, 50));
  return { room, host, ids };
}

interface PatchClient {
  socket: TestSocket;
  /** The state as the client has it, after patches. */
  current(): RoomState | undefined;
  fullStates: RoomState[];
  patches: RoomPatch[];
  syncs: number;
}

/** An opted-in client following the room with the clients' code; `drop` may swallow patches on the way. */
async function patchClient(room: CreatedRoom, drop: (p: RoomPatch) => boolean = () => false, url = r.url, token = room.tokens.overlay): Promise<PatchClient> {
  const socket: TestSocket = ioClient(url, {
    transports: ['websocket'],
    auth: { room: room.room.id, token, protocol: PROTOCOL_VERSION, patches: true },
    reconnection: false,
    forceNew: true,
  });
  open.push(socket);
  const c: PatchClient = { socket, current: () => undefined, fullStates: [], patches: [], syncs: 0 };
  socket.on('room.state', (s) => c.fullStates.push(s));
  socket.on('room.patch', (p) => c.patches.push(p));
  let current: RoomState | undefined;
  c.current = () => current;
  const view: FollowSocket = {
    get connected() {
      return socket.connected;
    },
    on: ((event: string, fn: (arg: never) => void) => {
      if (event === 'room.patch') socket.on('room.patch', (p) => !drop(p) && fn(p as never));
      else socket.on(event as 'room.state', fn as never);
      return socket;
    }) as FollowSocket['on'],
    timeout: ((ms: number) => {
      c.syncs++;
      return socket.timeout(ms);
    }) as FollowSocket['timeout'],
  };
  const first = new Promise<void>((resolve, reject) => {
    socket.once('room.state', () => resolve());
    socket.once('connect_error', reject);
  });
  followRoom(view, (s) => (current = s));
  await first;
  return c;
}

async function roomNow(room: CreatedRoom, url = r.url): Promise<RoomState> {
  const got = await api(url, `/api/rooms/${room.room.id}`, { token: room.tokens.host });
  expect(got.status).toBe(200);
  return got.json as RoomState;
}

async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 5));
  }
}

/** Sales, show, ticker, queue.move, product.remove, stock.set, … sent at once (not one by one). */
function burst(host: TestSocket, ids: string[]) {
  const cmds: Record<string, unknown>[] = [];
  const kept = ids.slice(0, -2); // the last two are removed during the burst
  for (let i = 0; i < 40; i++) {
    const p = kept[(i * 7) % kept.length]!;
    switch (i % 8) {
      case 0: cmds.push({ type: 'sale.record', productId: p, quantity: 1 + (i % 3) }); break;
      case 1: cmds.push({ type: 'card.show', productId: p }); break;
      case 2: cmds.push({ type: 'ticker.push', text: `消息 ${i}` }); break;
      case 3: cmds.push({ type: 'queue.move', productId: p, toIndex: (i * 3) % kept.length }); break;
      case 4: cmds.push({ type: 'stock.set', productId: p, stock: i }); break;
      case 5: cmds.push({ type: 'sale.record', productId: ids[0]!, quantity: 1 }); break;
      case 6: cmds.push({ type: 'countdown.start', seconds: 30 + i }); break;
      default: cmds.push({ type: 'card.next' });
    }
  }
  // Two removals in the middle of the burst: the queue's ids change.
  cmds.splice(13, 0, { type: 'product.remove', productId: ids[ids.length - 1]! });
  cmds.splice(27, 0, { type: 'product.remove', productId: ids[ids.length - 2]! });
  return Promise.all(cmds.map((c) => send(host, { id: cid(), ...c })));
}

describe('room.patch', () => {
  it('an opted-in client ends in exactly the stored state after a burst of mixed commands; a full-state client is unchanged', async () => {
    const { room, host, ids } = await seededRoom(30);
    const patched = await patchClient(room);
    const { socket: plain, states: plainStates } = await connectClient(r.url, room.room.id, room.tokens.overlay);
    open.push(plain);
    const plainPatches: RoomPatch[] = [];
    plain.on('room.patch', (p) => plainPatches.push(p));

    const replies = await burst(host, ids);
    expect(replies.filter((x) => !x.ok)).toEqual([]);
    const final = await roomNow(room);
    expect(final.version).toBe(patched.fullStates[0]!.version + replies.length);

    await until(() => patched.current()?.version === final.version, 'the patch client to reach the final version');
    expect(patched.current()).toEqual(final);
    // Everything after the full state on connect came as patches, each applying to the one before
    // (a patch up to a version the client already had on connect, from a broadcast still being
    // throttled while it connected, is dropped by the client).
    expect(patched.fullStates).toHaveLength(1);
    expect(patched.syncs).toBe(0);
    const fresh = patched.patches.filter((p) => p.version > patched.fullStates[0]!.version);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.some((p) => p.products?.order !== undefined)).toBe(true);
    expect(fresh.some((p) => p.products?.removed !== undefined)).toBe(true);
    let v = patched.fullStates[0]!.version;
    for (const p of fresh) {
      expect(p.baseVersion).toBe(v);
      v = p.version;
    }

    // Not opted in: full states only, and the last one is the stored state.
    await until(() => plainStates.at(-1)?.version === final.version, 'the full-state client to reach the final version');
    expect(plainStates.at(-1)).toEqual(final);
    expect(plainPatches).toEqual([]);
  });

  it('overlays and consoles (sent to in that order, patch-room.ts) each get every patch once, in order', async () => {
    const { room, host, ids } = await seededRoom(10);
    const overlays = [await patchClient(room), await patchClient(room)];
    const consoles = [await patchClient(room, undefined, r.url, room.tokens.host), await patchClient(room, undefined, r.url, room.tokens.cohost)];
    const replies = await burst(host, ids);
    expect(replies.filter((x) => !x.ok)).toEqual([]);
    const final = await roomNow(room);
    for (const c of [...overlays, ...consoles]) {
      await until(() => c.current()?.version === final.version, 'every patch client to reach the final version');
      expect(c.current()).toEqual(final);
      expect(c.syncs).toBe(0);
      const fresh = c.patches.filter((p) => p.version > c.fullStates[0]!.version);
      expect(new Set(fresh.map((p) => p.version)).size).toBe(fresh.length);
      let v = c.fullStates[0]!.version;
      for (const p of fresh) {
        expect(p.baseVersion).toBe(v);
        v = p.version;
      }
    }
  });

  it('a client whose patch base does not match resyncs through room.sync', async () => {
    const { room, host, ids } = await seededRoom(5);
    let dropped = 0;
    // The client misses the first patch: the next one was computed from a version it does not have.
    const c = await patchClient(room, () => dropped++ === 0);
    const start = c.current()!.version;
    expect(await send(host, { id: cid(), type: 'sale.record', productId: ids[0]! })).toMatchObject({ ok: true, version: start + 1 });
    await until(() => c.patches.length === 1, 'the first patch');
    expect(c.current()!.version).toBe(start);
    // The throttle sends at most one state per 16 ms: let this one go out on its own.
    await new Promise((res) => setTimeout(res, 40));
    expect(await send(host, { id: cid(), type: 'card.show', productId: ids[1]! })).toMatchObject({ ok: true, version: start + 2 });
    await until(() => c.patches.length === 2, 'the second patch');
    expect(c.patches[1]!.baseVersion).toBe(start + 1);
    await until(() => c.current()!.version === start + 2, 'the resync');
    expect(c.syncs).toBe(1);
    expect(c.current()).toEqual(await roomNow(room));
    expect(c.fullStates).toHaveLength(1);

    // And it goes on with patches from there.
    expect(await send(host, { id: cid(), type: 'sale.record', productId: ids[2]!, quantity: 2 })).toMatchObject({ ok: true });
    await until(() => c.current()!.version === start + 3, 'the next patch');
    expect(c.current()).toEqual(await roomNow(room));
    expect(c.syncs).toBe(1);
    // A sale's patch is small: the sold product and the totals, not the queue.
    const sale = c.patches.at(-1)!;
    expect(sale.products?.upsert.map((p) => p.id)).toEqual([ids[2]]);
    expect(sale.products?.order).toBeUndefined();
    expect(Object.keys(sale).sort()).toEqual(['baseVersion', 'id', 'products', 'totals', 'updatedAt', 'version']);
  });

  it('a token rotation also closes the opted-in connections of that role', async () => {
    const { room } = await seededRoom(1);
    const c = await patchClient(room);
    const closed = new Promise<string>((resolve) => c.socket.once('disconnect', resolve));
    const rot = await api(r.url, `/api/rooms/${room.room.id}/tokens/rotate`, { token: room.tokens.host, body: { role: 'overlay' } });
    expect(rot.status).toBe(200);
    expect(await closed).toBe('io server disconnect');
  });
});

describe('room.patch across two relay processes on one Redis', () => {
  let redis: TestRedis | undefined;
  const relays: RelayProcess[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    for (const p of relays) await p.kill();
    await redis?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a patch client on one relay ends in the stored state while both relays commit (resyncing where a patch does not fit)', async () => {
    redis = await startRedis();
    for (let i = 0; i < 2; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-patch-relay-'));
      dirs.push(dataDir);
      relays.push(await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_RATE_PER_SECOND: '100000' } }));
    }
    const [a, b] = [relays[0]!, relays[1]!];
    const created = await api(a.url, '/api/rooms', { token: ADMIN, body: { title: 'patch', currency: 'CNY', locale: 'zh-CN' } });
    expect(created.status).toBe(201);
    const room = created.json as CreatedRoom;
    const { socket: hostA } = await connectClient(a.url, room.room.id, room.tokens.host);
    const { socket: hostB } = await connectClient(b.url, room.room.id, room.tokens.host);
    open.push(hostA, hostB);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const reply = await send(i % 2 ? hostB : hostA, { id: cid(), type: 'product.add', product: { sku: `R-${i}`, name: `商品 ${i}`, priceMinor: 500 + i, stock: 50 } });
      if (!reply.ok || !reply.result.productId) throw new Error(JSON.stringify(reply));
      ids.push(reply.result.productId);
    }
    const onA = await patchClient(room, () => false, a.url);
    const onB = await patchClient(room, () => false, b.url);
    const { socket: plain, states: plainStates } = await connectClient(b.url, room.room.id, room.tokens.overlay);
    open.push(plain);

    const [ra, rb] = await Promise.all([burst(hostA, ids), burst(hostB, ids)]);
    // Both bursts remove the same two products: one of each pair is refused (not_found), the rest apply.
    const refused = [...ra, ...rb].filter((x) => !x.ok);
    expect(refused.every((x) => !x.ok && x.error.code === 'not_found')).toBe(true);
    const final = await roomNow(room, a.url);
    expect(await roomNow(room, b.url)).toEqual(final);
    for (const c of [onA, onB]) {
      await until(() => c.current()?.version === final.version, 'a patch client to reach the final version', 10_000);
      expect(c.current()).toEqual(final);
      expect(c.patches.length).toBeGreaterThan(0);
    }
    await until(() => plainStates.at(-1)?.version === final.version, 'the full-state client to reach the final version', 10_000);
    expect(plainStates.at(-1)).toEqual(final);
  });
});
