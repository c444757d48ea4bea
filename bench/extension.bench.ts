/**
 * Extension benchmark (prints figures; not a test). Real Chromium with the built extension
 * (.output/chrome-mv3), the relay as its own process (what `npm start` runs) on loopback.
 *   1. side panel open → first render with a 500-product room (navigation start → the
 *      `liveshelf:rendered` mark, i.e. the frame after the queue was rendered from the cache);
 *   2. +1 click in the panel → the new state received by an overlay-token socket.io client
 *      (what the overlay page is), p50/p99. Both ends read the same wall clock
 *      (performance.timeOrigin + now()) on this machine.
 * Run: npx tsx bench/extension.bench.ts [--opens 30] [--clicks 200]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as ioClient } from 'socket.io-client';
import type { RoomState } from '../shared/domain.js';
import { PROTOCOL_VERSION, type ClientToServerEvents, type CommandReply, type ServerToClientEvents } from '../shared/protocol.js';
import { launchWithExtension } from '../tests/e2e/extension-browser.js';
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

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const wallNow = () => performance.timeOrigin + performance.now();

type S = Socket<ServerToClientEvents, ClientToServerEvents>;
function connect(url: string, room: string, token: string): Promise<S> {
  const socket: S = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION }, forceNew: true });
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
    await pairPage.getByLabel('Pairing link').fill(created.links.host);
    await pairPage.getByRole('button', { name: 'Connect' }).click();
    await pairPage.getByRole('button', { name: `Show 商品 ${PRODUCTS - 1} 永胜软籽石榴`, exact: true }).waitFor({ timeout: 30_000 });

    // 1. panel open → render with 500 products.
    const opens: number[] = [];
    const loads: number[] = [];
    const dcls: number[] = [];
    const alls: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      const page = await browser.openPanel();
      const t = await page.waitForFunction(() => {
        const m = performance.getEntriesByName('liveshelf:rendered')[0];
        return m ? m.startTime : null;
      });
      opens.push((await t.jsonValue()) as number);
      loads.push(await page.evaluate(() => performance.getEntriesByName('liveshelf:loaded')[0]?.startTime ?? NaN));
      const all = await page.waitForFunction(() => performance.getEntriesByName('liveshelf:rendered-all')[0]?.startTime ?? null);
      alls.push((await all.jsonValue()) as number);
      dcls.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd));
      await page.close();
    }
    console.log(`panel open → rendered, ${PRODUCTS} products (${OPENS} opens): p50 ${ms(pct(opens, 50))}  p99 ${ms(pct(opens, 99))}  max ${ms(Math.max(...opens))}  (scripts run by p50 ${ms(pct(dcls, 50))}, storage read by p50 ${ms(pct(loads, 50))}; all ${PRODUCTS} rows in the DOM by p50 ${ms(pct(alls, 50))}, p99 ${ms(pct(alls, 99))})`);
    console.log(`  machine load average at the time: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);

    // 2. +1 click → relay state seen by an overlay client.
    const overlay = await connect(relay.url, roomId, created.tokens.overlay);
    const first = (await fetch(`${relay.url}/api/rooms/${roomId}`, { headers: { authorization: `Bearer ${created.tokens.overlay}` } }).then((r) => r.json())) as RoomState;
    const target = first.products[0]!;
    const name = target.name;
    let expected = target.sold;
    const lat: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const want = expected;
      const seen = new Promise<number>((resolve) => {
        const on = (s: RoomState) => {
          if ((s.products.find((p) => p.id === target.id)?.sold ?? 0) >= want) {
            overlay.off('room.state', on);
            resolve(wallNow());
          }
        };
        overlay.on('room.state', on);
      });
      const clickedAt = (await pairPage.evaluate((label) => {
        const btn = [...document.querySelectorAll<HTMLButtonElement>('button')].find((x) => x.getAttribute('aria-label') === label)!;
        const t = performance.timeOrigin + performance.now();
        btn.click();
        return t;
      }, `+1 ${name}`)) as number;
      lat.push((await seen) - clickedAt);
    }
    // Baseline without the extension: the same sale sent by a node socket.io client.
    const direct = await connect(relay.url, roomId, created.tokens.host);
    const base: number[] = [];
    for (let i = 0; i < CLICKS; i++) {
      expected += 1;
      const want = expected;
      const seen = new Promise<number>((resolve) => {
        const on = (s: RoomState) => {
          if ((s.products.find((p) => p.id === target.id)?.sold ?? 0) >= want) {
            overlay.off('room.state', on);
            resolve(wallNow());
          }
        };
        overlay.on('room.state', on);
      });
      const t0 = wallNow();
      direct.emit('command', { id: `direct-${i}`, type: 'sale.record', productId: target.id }, () => {});
      base.push((await seen) - t0);
    }
    direct.close();
    overlay.close();
    console.log(`baseline, node client → relay → overlay client (${CLICKS} sales): p50 ${ms(pct(base, 50))}  p99 ${ms(pct(base, 99))}`);
    console.log(`+1 click → overlay client has the new state (${CLICKS} clicks): p50 ${ms(pct(lat, 50))}  p99 ${ms(pct(lat, 99))}  max ${ms(Math.max(...lat))}`);
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
