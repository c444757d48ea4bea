/**
 * Redis killed and restarted (AOF, fsync on every write) in the middle of a burst of sales
 * sent to two relay processes: no acknowledged sale is lost, commands during the outage get
 * a clear 503, the relays neither crash nor half-apply anything, and they recover by
 * themselves once Redis is back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as ioClient } from 'socket.io-client';
import { ADMIN, api, connectClient, waitForState } from '../support/relay.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { resendAll, salesBurst } from '../support/sales-burst.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ConnectErrorData, type ServerToClientEvents } from '../../shared/protocol.js';
import type { RoomState } from '../../shared/domain.js';
import { followRoom } from '../../shared/room-follow.js';
import type { Socket } from 'socket.io-client';

const dirs: string[] = [];
const relays: RelayProcess[] = [];
let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis({ durable: true });
  for (let i = 0; i < 2; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-redis-outage-'));
    dirs.push(dataDir);
    relays.push(await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN, env: { LIVESHELF_REDIS_URL: redis.url, LIVESHELF_RATE_PER_SECOND: '100000' } }));
  }
});

afterAll(async () => {
  for (const r of relays) await r.kill();
  await redis?.dispose();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function handshakeError(url: string, room: string, token: string): Promise<ConnectErrorData | 'connected'> {
  return new Promise((resolve) => {
    const s = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    s.once('connect', () => {
      s.close();
      resolve('connected');
    });
    s.once('connect_error', (err) => {
      s.close();
      resolve((err as Error & { data: ConnectErrorData }).data);
    });
  });
}

describe('Redis restarted mid-burst', () => {
  it('loses no acknowledged sale, answers 503 while it is down, and recovers by itself', async () => {
    const [a, b] = relays as [RelayProcess, RelayProcess];
    const created = (await api(a.url, '/api/rooms', { token: ADMIN, body: { title: 'outage', currency: 'CNY', locale: 'zh-CN' } })).json;
    const roomId: string = created.room.id;
    const host: string = created.tokens.host;
    const add = await api(b.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'add', type: 'product.add', product: { sku: 'POM', name: '石榴', priceMinor: 5990 } } });
    const productId: string = add.json.result.productId;
    const overlay = await connectClient(a.url, roomId, created.tokens.overlay);
    // And one that takes patches (as the overlay page does), on the other relay.
    const patchSocket: Socket<ServerToClientEvents, ClientToServerEvents> = ioClient(b.url, {
      transports: ['websocket'],
      auth: { room: roomId, token: created.tokens.overlay, protocol: PROTOCOL_VERSION, patches: true },
      reconnection: false,
      forceNew: true,
    });
    let patched: RoomState | undefined;
    const patchedFirst = new Promise<void>((resolve) => patchSocket.once('room.state', () => resolve()));
    followRoom(patchSocket, (s) => (patched = s));
    await patchedFirst;

    let ackedAtKill = -1;
    const probes: { command?: { status: number; code?: string }; read?: number; create?: number; handshake?: ConnectErrorData | 'connected'; health?: number } = {};
    let outage: Promise<void> | undefined;
    const ledger = await salesBurst({
      urls: [a.url, b.url],
      roomId,
      token: created.tokens.sales,
      productId,
      senders: 6,
      perSender: 150,
      onAcked: (n) => {
        if (n !== 200) return;
        outage = (async () => {
          await redis.stop('SIGKILL');
          ackedAtKill = n;
          const cmd = await api(b.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'during-outage', type: 'ticker.push', text: 'Redis is down' } });
          probes.command = { status: cmd.status, code: cmd.json?.error?.code };
          probes.read = (await api(a.url, `/api/rooms/${roomId}`, { token: host })).status;
          probes.create = (await api(b.url, '/api/rooms', { token: ADMIN, body: { title: 'during the outage' } })).status;
          probes.handshake = await handshakeError(a.url, roomId, host);
          probes.health = (await api(a.url, '/healthz')).status;
          // Let the senders meet the outage for a while, then bring Redis back on the same AOF.
          await new Promise((r) => setTimeout(r, 1000));
          await redis.start();
        })();
      },
    });
    await outage;
    expect(ackedAtKill).toBe(200);
    expect(probes).toEqual({ command: { status: 503, code: 'unavailable' }, read: 503, create: 503, handshake: { code: 'unavailable', message: expect.any(String) }, health: 200 });
    // The senders met the outage (503) and retried until every sale was answered.
    expect(ledger.unavailable).toBeGreaterThan(0);
    expect(ledger.failed).toBe(0);
    for (const r of relays) expect(r.child.exitCode).toBeNull();

    const state = (await api(a.url, `/api/rooms/${roomId}`, { token: host })).json;
    expect(state.totals.sold).toBeGreaterThanOrEqual(ledger.acked.size);
    expect(state.totals.sold).toBeLessThanOrEqual(ledger.sent.length);
    expect(state.totals.sold).toBe(ledger.sent.length);
    // The command refused during the outage left nothing behind.
    expect(state.ticker).toEqual([]);
    const again = await api(a.url, `/api/rooms/${roomId}/commands`, { token: host, body: { id: 'during-outage', type: 'ticker.push', text: 'Redis is back' } });
    expect(again.json).toMatchObject({ ok: true, duplicate: false });

    const resend = await resendAll({ url: b.url, roomId, token: created.tokens.sales, productId, ledger });
    expect(resend.duplicates).toBe(ledger.sent.length);
    const final = (await api(b.url, `/api/rooms/${roomId}`, { token: host })).json;
    expect(final.totals).toEqual({ sold: ledger.sent.length, orders: ledger.sent.length, revenueMinor: ledger.sent.length * 5990, weightGrams: 0 });
    // The overlay stayed connected through the outage and ends on the current state.
    expect(overlay.socket.connected).toBe(true);
    const seen = overlay.states.find((s) => s.version === final.version) ?? (await waitForState(overlay.socket, (s) => s.version === final.version, 10_000));
    expect(seen).toEqual(final);
    expect(patchSocket.connected).toBe(true);
    for (let i = 0; i < 1000 && patched?.version !== final.version; i++) await new Promise((r) => setTimeout(r, 10));
    expect(patched).toEqual(final);
    overlay.socket.close();
    patchSocket.close();
  });
});
