/** What every benchmark prints and needs: percentiles, durations, HTTP and socket clients for a relay. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io as ioClient, type Socket } from 'socket.io-client';
import type { RoomState } from '../shared/domain.js';
import { PROTOCOL_VERSION, type CommandReply } from '../shared/protocol.js';

/** Nearest-rank percentile (p99 of 200 samples is the 198th smallest); NaN when there is no sample. */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export const ms = (x: number, digits = 2) => `${x.toFixed(digits)} ms`;

/** A JSON call to the relay's HTTP API with a bearer token (POST when there is a body). */
export async function json(url: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/**
 * A connected socket.io client of a room (websocket only, no reconnection: a bench client that
 * drops is a figure, not a retry). `patches`: after the first full state, only what changed,
 * as the extension and the overlay page take it.
 */
export function connect(url: string, room: string, token: string, opts: { patches?: boolean } = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION, ...(opts.patches && { patches: true }) }, reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

export const BENCH_ADMIN = 'bench-admin';

/** A room with a 10-product queue (a realistic state size) on a relay started with BENCH_ADMIN. */
export async function setupRoom(url: string) {
  const created = await json(url, '/api/rooms', BENCH_ADMIN, { title: 'bench', currency: 'CNY', locale: 'zh-CN' });
  const roomId: string = created.room.id;
  const tokens = created.tokens as Record<string, string>;
  const products: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = await json(url, `/api/rooms/${roomId}/commands`, tokens.host!, {
      id: `add-${i}`,
      type: 'product.add',
      product: { sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 5990 + i, stock: null },
    });
    products.push(r.result.productId);
  }
  return { roomId, tokens, products };
}

/** When a subscriber first held `version` or a later one, from its (version, time) notes; undefined if never. */
function firstSeen(notes: Iterable<[number, number]>, version: number): number | undefined {
  let first: number | undefined;
  for (const [v, time] of notes) if (v >= version && (first === undefined || time < first)) first = time;
  return first;
}

/**
 * Command sent by a host on `fromUrl` → state received by every one of `subscribers` overlay
 * clients on `toUrl` (the same relay, or another process on Redis), over `samples` sales.
 */
export async function fanout(fromUrl: string, toUrl: string, subscribers: number, samples = 200) {
  const { roomId, tokens, products } = await setupRoom(fromUrl);
  const host = await connect(fromUrl, roomId, tokens.host!);
  const subs = await Promise.all(Array.from({ length: subscribers }, () => connect(toUrl, roomId, tokens.overlay!)));
  const lat: number[] = [];
  // Each subscriber notes when it first saw each version; the command's ack tells which version to look for.
  const seen = subs.map(() => new Map<number, number>());
  const waiters: (() => void)[] = [];
  subs.forEach((s, k) =>
    s.on('room.state', (st: RoomState) => {
      if (!seen[k]!.has(st.version)) seen[k]!.set(st.version, performance.now());
      for (const w of waiters.splice(0)) w();
    }),
  );
  const allSaw = (v: number) => seen.every((m) => [...m.keys()].some((x) => x >= v));
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    const reply = await new Promise<CommandReply>((resolve) => host.emit('command', { id: `f${i}`, type: 'sale.record', productId: products[0] }, resolve));
    if (!reply.ok) throw new Error(reply.error.message);
    while (!allSaw(reply.version)) await new Promise<void>((resolve) => waiters.push(resolve));
    for (const m of seen) {
      lat.push(firstSeen(m.entries(), reply.version)! - t);
    }
    // Space the commands beyond one frame so that coalescing never hides a broadcast.
    await new Promise((r) => setTimeout(r, 20));
  }
  host.close();
  for (const s of subs) s.close();
  return { p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length };
}

/**
 * The same measurement with the subscribers in a process of their own (bench/fanout-subscribers.ts),
 * as real overlays are: the host's acknowledgement and the subscribers' states are then not read
 * by one event loop, one after the other. Both ends stamp with the machine's monotonic clock.
 * Commands go out every 20 ms (beyond one broadcast frame), each after the previous one's ack.
 */
export async function fanoutSplit(fromUrl: string, toUrl: string, subscribers: number, samples = 200) {
  const { monotonicMs } = await import('./fanout-subscribers.js');
  type From = import('./fanout-subscribers.js').FromSubscribers;
  const { roomId, tokens, products } = await setupRoom(fromUrl);
  const host = await connect(fromUrl, roomId, tokens.host!);
  const child = fork(fileURLToPath(new URL('./fanout-subscribers.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  const next = (type: From['type']) => new Promise<From>((resolve) => child.on('message', (m: From) => m.type === type && resolve(m)));
  const ready = next('ready');
  child.send({ type: 'start', url: toUrl, room: roomId, token: tokens.overlay!, n: subscribers });
  await ready;
  const sent: { t: number; version: number }[] = [];
  for (let i = 0; i < samples; i++) {
    const t = monotonicMs();
    const reply = await new Promise<CommandReply>((resolve) => host.emit('command', { id: `fs${i}`, type: 'sale.record', productId: products[0] }, resolve));
    if (!reply.ok) throw new Error(reply.error.message);
    sent.push({ t, version: reply.version });
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  const report = next('seen');
  child.send({ type: 'report' });
  const { seen } = (await report) as Extract<From, { type: 'seen' }>;
  host.close();
  const lat: number[] = [];
  let missing = 0;
  for (const { t, version } of sent) {
    for (const entries of seen) {
      const at = firstSeen(entries, version);
      if (at !== undefined) lat.push(at - t);
      else missing++;
    }
  }
  if (missing) throw new Error(`${missing} deliveries never arrived`);
  return { p50: pct(lat, 50), p99: pct(lat, 99), n: lat.length };
}

/**
 * Durable sales/s into one room from 10 socket.io senders spread over `urls` (one relay, or
 * several processes on Redis), each keeping `window` sales in flight for `seconds`; checks that
 * the room counted exactly the acknowledged sales. The senders take patches, as the extension
 * does. (Spreading the ten senders over 2 or 5 processes was tried on 2026-12-01: on these 2
 * cores it lowered the rate, 4,057 → 3,077 → 1,942/s, the processes fighting the relay for CPU.)
 */
export async function socketThroughput(urls: readonly string[], window: number, seconds: number) {
  const { roomId, tokens, products } = await setupRoom(urls[0]!);
  const senders = await Promise.all(Array.from({ length: 10 }, (_, k) => connect(urls[k % urls.length]!, roomId, tokens.host!, { patches: true })));
  const lat: number[] = [];
  let acked = 0;
  let refused = 0;
  const end = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    senders.map(async (s, k) => {
      let i = 0;
      const one = () =>
        new Promise<void>((resolve) => {
          const t = performance.now();
          s.emit('command', { id: `s${k}-${i++}`, type: 'sale.record', productId: products[i % products.length] }, (r: CommandReply) => {
            if (r.ok) {
              acked++;
              lat.push(performance.now() - t);
            } else refused++;
            resolve();
          });
        });
      await Promise.all(
        Array.from({ length: window }, async () => {
          while (performance.now() < end) await one();
        }),
      );
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  for (const s of senders) s.close();
  const state = await json(urls[urls.length - 1]!, `/api/rooms/${roomId}`, tokens.host!);
  if (state.totals.orders !== acked) throw new Error(`counted ${state.totals.orders} but ${acked} acknowledged`);
  return { rate: acked / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), n: acked, refused };
}
