/**
 * Extension benchmark (prints figures; not a test). Real Chromium with the built extension
 * (.output/chrome-mv3), the relay as its own process (what `npm start` runs) on loopback.
 *   1. side panel open → first render with a 500-product room (navigation start → the
 *      `liveshelf:rendered` mark, i.e. the frame that paints the queue rendered from the cache;
 *      first-contentful-paint is the browser's own view of that frame), split into what the
 *      browser spends before any of our script runs (navigation start → domInteractive: the
 *      page is created and its HTML parsed) and our part (bundle evaluated, storage read, DOM
 *      built, frame);
 *   2. +1 click in the panel → the new state received by an overlay-token socket.io client
 *      (what the overlay page is), p50/p99, split at the moment the worker puts the command on
 *      its WebSocket (WebSocket.prototype.send wrapped in the worker, measurement only). Both
 *      ends read the same wall clock (performance.timeOrigin + now()) on this machine.
 * Every figure is printed with the machine's load average: on a shared 2-core machine the
 * tail is mostly other processes, which the browser-only and relay-only splits make visible.
 *      The overlay client opts in to 'room.patch' like the overlay page (shared/room-follow.ts);
 *      --full-states measures a client that takes the full state after every change instead.
 * Run: npx tsx bench/extension.bench.ts [--opens 30] [--clicks 200] [--full-states]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import type { RoomState } from '../shared/domain.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ServerToClientEvents } from '../shared/protocol.js';
import { followRoom } from '../shared/room-follow.js';
import { launchWithExtension, submitPairingLink } from '../tests/e2e/extension-browser.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import type { Socket } from 'socket.io-client';

const ADMIN = 'bench-admin';
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const OPENS = arg('opens', 30);
const CLICKS = arg('clicks', 200);
const PRODUCTS = 500;
const PATCHES = !process.argv.includes('--full-states');

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const dist = (xs: number[]) => `p50 ${ms(pct(xs, 50))}  p99 ${ms(pct(xs, 99))}`;
const load = () => `[load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores]`;
const wallNow = () => performance.timeOrigin + performance.now();

type S = Socket<ServerToClientEvents, ClientToServerEvents>;
function connect(url: string, room: string, token: string, patches = false): Promise<S> {
  const socket: S = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION, patches }, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('room.state', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-bench-ext-'));
  const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: ADMIN });
  const browser = await launchWithExtension();
  try {
    const created = await (
      await fetch(`${relay.url}/api/rooms`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'bench', currency: 'CNY' }) })
    ).json();
    const roomId: string = created.room.id;
    const host = await connect(relay.url, roomId, created.tokens.host);
    for (let i = 0; i < PRODUCTS; i++) {
      const cmd = { id: `seed-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i} 永胜软籽石榴`, priceMinor: 1990 + i, stock: null, origin: '云南', tagline: '现摘现发' } };
      for (;;) {
        const reply = await new Promise<CommandReply>((r) => host.emit('command', cmd, r));
        if (reply.ok) break;
        if (reply.error.code !== 'rate_limited') throw new Error(JSON.stringify(reply.error));
        await new Promise((r) => setTimeout(r, 50)); // the relay allows 100 commands/s per connection
      }
    }
    host.close();

    // Pair once, so the state is cached in extension storage like a real host's.
    const pairPage = await browser.openPanel();
    await submitPairingLink(pairPage, created.links.host);
    await pairPage.getByRole('button', { name: `Show 商品 ${PRODUCTS - 1} 永胜软籽石榴`, exact: true }).waitFor({ timeout: 30_000 });

    // 1. panel open → render with 500 products.
    const PHASES = ['domInteractive', 'liveshelf:script', 'liveshelf:loaded', 'liveshelf:committed', 'liveshelf:rendered', 'first-contentful-paint', 'liveshelf:rendered-all'] as const;
    const open: Record<(typeof PHASES)[number], number[]> = Object.fromEntries(PHASES.map((p) => [p, []])) as never;
    for (let i = 0; i < OPENS; i++) {
      const page = await browser.openPanel();
      await page.waitForFunction(() => performance.getEntriesByName('liveshelf:rendered-all').length > 0 && performance.getEntriesByName('first-contentful-paint').length > 0);
      // No named helpers inside evaluate(): tsx would wrap them in a __name() the page lacks.
      const m = await page.evaluate((names) => {
        const out: Record<string, number> = { domInteractive: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domInteractive };
        for (const n of names) out[n] = performance.getEntriesByName(n)[0]?.startTime ?? NaN;
        return out;
      }, PHASES.slice(1));
      for (const p of PHASES) open[p].push(m[p]!);
      await page.close();
    }
    const step = (from: (typeof PHASES)[number], to: (typeof PHASES)[number]) => open[to].map((x, i) => x - open[from][i]!);
    console.log(`panel open → queue painted, ${PRODUCTS} products (${OPENS} opens): ${dist(open['liveshelf:rendered'])}  max ${ms(Math.max(...open['liveshelf:rendered']))}  (first-contentful-paint ${dist(open['first-contentful-paint'])})  ${load()}`);
    console.log(`  browser, before any script of ours (page created, HTML parsed → domInteractive): ${dist(open.domInteractive)}`);
    console.log(`  ours, domInteractive → queue painted: ${dist(step('domInteractive', 'liveshelf:rendered'))}`);
    console.log(`    bundle evaluated ${dist(step('domInteractive', 'liveshelf:script'))};  storage read ${dist(step('liveshelf:script', 'liveshelf:loaded'))};  DOM of the first rows built ${dist(step('liveshelf:loaded', 'liveshelf:committed'))};  to the painting frame ${dist(step('liveshelf:committed', 'liveshelf:rendered'))}`);
    console.log(`  all ${PRODUCTS} rows in the DOM by ${dist(open['liveshelf:rendered-all'])}  ${load()}`);

    // 2. +1 click → relay state seen by an overlay client.
    // The overlay client's states, full or patched: listeners see each state it ends up with.
    const overlaySocket: S = ioClient(relay.url, { transports: ['websocket'], auth: { room: roomId, token: created.tokens.overlay, protocol: PROTOCOL_VERSION, patches: PATCHES }, forceNew: true });
    const listeners = new Set<(s: RoomState) => void>();
    const ready = new Promise<void>((resolve) => overlaySocket.once('room.state', () => resolve()));
    if (PATCHES) followRoom(overlaySocket, (s) => listeners.forEach((l) => l(s)));
    else overlaySocket.on('room.state', (s) => listeners.forEach((l) => l(s)));
    await ready;
    const overlay = { on: (_: 'room.state', l: (s: RoomState) => void) => listeners.add(l), off: (_: 'room.state', l: (s: RoomState) => void) => listeners.delete(l), close: () => overlaySocket.close() };
    const first = (await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${created.tokens.overlay}` } }).then((r) => r.json())) as RoomState;
    const target = first.products[0]!;
    const name = target.name;
    let expected = target.sold;
    // Measurement only: the worker notes when a sale.record frame goes out on its WebSocket.
    const worker = browser.context.serviceWorkers()[0]!;
    await worker.evaluate(() => {
      const g = globalThis as unknown as { __wsSales: number[] };
      g.__wsSales = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
        if (typeof data === 'string' && data.includes('"sale.record"')) g.__wsSales.push(performance.timeOrigin + performance.now());
        return send.call(this, data);
      };
    });
    // When the overlay client first holds a state with at least `want` units sold of the target.
    const soldAtLeast = (want: number) =>
      new Promise<number>((resolve) => {
        const on = (s: RoomState) => {
          if ((s.products.find((p) => p.id === target.id)?.sold ?? 0) >= want) {
            overlay.off('room.state', on);
            resolve(wallNow());
          }
        };
        overlay.on('room.state', on);
      });
    const lat: number[] = [];
    const toSocket: number[] = [];
    const fromSocket: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const seen = soldAtLeast(expected);
      const clickedAt = (await pairPage.evaluate((label) => {
        const btn = [...document.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.getAttribute('aria-label') === label)!;
        const t = performance.timeOrigin + performance.now();
        btn.click();
        return t;
      }, `+1 ${name}`)) as number;
      const seenAt = await seen;
      lat.push(seenAt - clickedAt);
      const sentAt = (await worker.evaluate(() => (globalThis as unknown as { __wsSales: number[] }).__wsSales.splice(0)))[0];
      if (sentAt !== undefined) {
        toSocket.push(sentAt - clickedAt);
        fromSocket.push(seenAt - sentAt);
      }
    }
    const clickLoad = load();
    // Baseline without the extension: the same sale sent by a node socket.io client.
    const direct = await connect(relay.url, roomId, created.tokens.host, PATCHES);
    const base: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const seen = soldAtLeast(expected);
      const t0 = wallNow();
      direct.emit('command', { id: `direct-${i}`, type: 'sale.record', productId: target.id }, () => {});
      base.push((await seen) - t0);
    }
    direct.close();
    overlay.close();
    console.log(`overlay client: ${PATCHES ? "'room.patch' (opted in, like the overlay page)" : "full 'room.state' after every change"}`);
    console.log(`+1 click → overlay client has the new state (${CLICKS} clicks): ${dist(lat)}  max ${ms(Math.max(...lat))}  ${clickLoad}`);
    console.log(`  click → the worker's WebSocket frame (page, messaging, worker, outbox): ${dist(toSocket)}  max ${ms(Math.max(...toSocket))}`);
    console.log(`  worker's frame → overlay client (relay: group commit with fsync, broadcast; overlay client): ${dist(fromSocket)}  max ${ms(Math.max(...fromSocket))}`);
    console.log(`baseline without the browser, node client → relay → overlay client (${CLICKS} sales): ${dist(base)}  max ${ms(Math.max(...base))}  ${load()}`);
  } finally {
    await browser.close();
    await relay.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
