/**
 * The command hop of issue 16, side by side with its floor in one run: a host's `sale.record`
 * → every subscriber's `room.patch` on the relay (LIVESHELF_SYNC=FULL, 500 products), and the
 * same client library through a bare socket.io rebroadcast (bare-hop-server.ts). The two are
 * alternated in blocks of 50 hops, 20 ms apart, so machine load falls on both alike; the ratio
 * is the figure. Run: npx tsx bench/relay.bench.ts --hop-only
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io as ioClient, type Socket } from 'socket.io-client';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import { BENCH_ADMIN, connect, json, ms, pct } from './bench-support.js';

const HOPS = 400;
const BLOCK = 50;

/** Subscribers that note when each hop (by its tag) first reached them. */
function listen(subs: Socket[], tagOf: (payload: any) => string | undefined) {
  const seen = subs.map(() => new Map<string, number>());
  let wake: (() => void) | undefined;
  subs.forEach((s, k) =>
    s.on('room.patch', (p: unknown) => {
      const tag = tagOf(p);
      if (tag !== undefined && !seen[k]!.has(tag)) seen[k]!.set(tag, performance.now());
      wake?.();
    }),
  );
  return async (tag: string, t: number, into: number[]) => {
    while (!seen.every((m) => m.has(tag))) await new Promise<void>((r) => (wake = r));
    for (const m of seen) into.push(m.get(tag)! - t);
  };
}

async function hop(host: Socket, wait: ReturnType<typeof listen>, make: (i: number) => { body: unknown; tag: (reply: any) => string }, i: number, into: number[]) {
  const { body, tag } = make(i);
  const t = performance.now();
  const reply = await new Promise<any>((resolve) => host.emit('command', body, resolve));
  await wait(tag(reply), t, into);
  await new Promise((r) => setTimeout(r, 20));
}

/** `root`: run the relay of another checkout (the build before), to compare in alternation. */
export async function hopBench(subscribers: number, opts: { root?: string; label?: string } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-hop-'));
  const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: BENCH_ADMIN, env: { LIVESHELF_SYNC: 'FULL', LIVESHELF_RATE_PER_SECOND: '1000000' }, ...(opts.root && { root: opts.root }) });
  const barePort = await freePort();
  const bare = fork(fileURLToPath(new URL('./bare-hop-server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, PORT: String(barePort) } });
  await new Promise((r) => bare.once('message', r));
  try {
    const created = await json(relay.url, '/api/rooms', BENCH_ADMIN, { title: 'hop', currency: 'CNY', locale: 'zh-CN' });
    const roomId: string = created.room.id;
    const tokens = created.tokens as Record<string, string>;
    let productId = '';
    for (let i = 0; i < 500; i++) {
      const r = await json(relay.url, `/api/rooms/${roomId}/commands`, tokens.host!, { id: `add-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i}`, priceMinor: 5990 + i, stock: null } });
      if (i === 250) productId = r.result.productId;
    }
    const rHost = await connect(relay.url, roomId, tokens.host!, { patches: true });
    const rSubs = await Promise.all(Array.from({ length: subscribers }, () => connect(relay.url, roomId, tokens.overlay!, { patches: true })));
    const bareConnect = () =>
      new Promise<Socket>((resolve, reject) => {
        const s = ioClient(`http://127.0.0.1:${barePort}`, { transports: ['websocket'], auth: { room: 'r' }, reconnection: false, forceNew: true });
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const bHost = await bareConnect();
    const bSubs = await Promise.all(Array.from({ length: subscribers }, bareConnect));
    const rWait = listen(rSubs, (p) => String(p.version));
    const bWait = listen(bSubs, (p) => p.id);
    const relayLat: number[] = [];
    const bareLat: number[] = [];
    for (let i = 0; i < HOPS; i += BLOCK) {
      for (let j = i; j < i + BLOCK; j++) await hop(rHost, rWait, (n) => ({ body: { id: `h${n}`, type: 'sale.record', productId }, tag: (r) => String(r.version) }), j, relayLat);
      for (let j = i; j < i + BLOCK; j++) await hop(bHost, bWait, (n) => ({ body: { id: `b${n}`, type: 'sale.record', productId }, tag: () => `b${n}` }), j, bareLat);
    }
    for (const s of [rHost, bHost, ...rSubs, ...bSubs]) s.close();
    const [r50, r99, b50, b99] = [pct(relayLat, 50), pct(relayLat, 99), pct(bareLat, 50), pct(bareLat, 99)];
    console.log(
      `hop${opts.label ? ` ${opts.label}` : ''}        sync=FULL 500 products, ${String(subscribers).padStart(2)} subscriber(s), ${HOPS} hops: relay p50 ${ms(r50)} p99 ${ms(r99)} | bare socket.io p50 ${ms(b50)} p99 ${ms(b99)} | ratio p50 ${(r50 / b50).toFixed(2)}× p99 ${(r99 / b99).toFixed(2)}×`,
    );
  } finally {
    bare.kill('SIGTERM');
    await relay.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
