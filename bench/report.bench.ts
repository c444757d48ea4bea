/**
 * The after-show report (issue 19; prints figures, not a test): a room of N sales (default
 * 100,000) over a 3-hour show, a card change every 3 minutes, some voids and refunds, written
 * through the room actor into a SQLite file (the path the relay's commits take, without the
 * network, so seeding takes seconds); then the relay is started on that file as its own
 * process (`npm start`) and GET /api/rooms/:room/report is timed, JSON and both CSVs, cold
 * (first request) and warm. Aim (issue 19): ≤ 1 s.
 * Then the report page (/report, dist/report) in real Chromium on that relay: from navigation to
 * the totals, the tables and a drawn chart (aim ≤ 1 s), and the page's gzipped size.
 * `--redis`: the same on a redis-server this bench starts (the relay with LIVESHELF_REDIS_URL).
 * Run: npx tsx bench/report.bench.ts [--sales 100000] [--redis]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { emptyRoom } from '../shared/domain.js';
import { RoomHub } from '../overlay/relay/room-hub.js';
import { RedisRoomStore } from '../overlay/relay/redis-store.js';
import type { RoomStore } from '../overlay/relay/room-store.js';
import { SqliteRoomStore } from '../overlay/relay/sqlite-store.js';
import { startRedis, type TestRedis } from '../tests/support/redis-server.js';
import { newRoomTokens } from '../overlay/relay/tokens.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import { BENCH_ADMIN } from './bench-support.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SALES = arg('--sales', 100_000);
const PRODUCTS = 20;
const SHOW_MS = 3 * 3600_000;
// A show that ended an hour ago (the default window runs to the relay's now).
const T0 = Math.floor((Date.now() - SHOW_MS - 3600_000) / 60_000) * 60_000;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const onRedis = process.argv.includes('--redis');
let redis: TestRedis | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-report-bench-'));
console.log(`LiveShelf report — ${SALES} sales, ${PRODUCTS} products, ${onRedis ? 'Redis' : 'SQLite'}, ${new Date().toISOString()}, load average ${load()} on ${cpus().length} cores`);
try {
  // ---- seed through the room actor (a fake clock walks through the show) ----
  const seedStart = performance.now();
  let store: RoomStore;
  if (onRedis) {
    redis = await startRedis();
    const r = new RedisRoomStore({ url: redis.url });
    await r.connect();
    store = r;
  } else store = new SqliteRoomStore({ path: join(dataDir, 'liveshelf.sqlite'), synchronous: 'NORMAL' });
  const roomId = 'r_reportbench';
  const { tokens, hashes } = newRoomTokens();
  await store.createRoom(emptyRoom(roomId, { title: '砀山酥梨 · 三小时专场', currency: 'CNY', locale: 'zh-CN' }, T0), hashes);
  let now = T0 - 60_000;
  const actor = (await new RoomHub(store, { now: () => now }, pino({ level: 'silent' }), () => {}).get(roomId))!;
  const ids: string[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const a = await actor.submit({ id: `add-${p}`, type: 'product.add', product: { sku: `SKU-${p}`, name: `商品 ${p}`, priceMinor: 990 + p * 100, stock: null, netWeightGrams: 500 * (p + 1) } }, 'host', 'console');
    if (!a.ok) throw new Error(JSON.stringify(a));
    ids.push((a.result as { productId: string }).productId);
  }
  const BATCH = 500;
  const step = SHOW_MS / SALES;
  let card = -1;
  for (let i = 0; i < SALES; i += BATCH) {
    now = T0 + Math.floor(i * step);
    const onAir = Math.floor((now - T0) / 180_000) % PRODUCTS;
    if (onAir !== card) {
      card = onAir;
      await actor.submit({ id: `card-${i}`, type: 'card.show', productId: ids[onAir]! }, 'host', 'console');
    }
    const batch = [];
    for (let j = i; j < Math.min(i + BATCH, SALES); j++) {
      // Most sales go to the product on air, as in a show.
      const p = j % 4 === 0 ? ids[j % PRODUCTS]! : ids[onAir]!;
      batch.push(actor.submit({ id: `s-${j}`, type: 'sale.record', productId: p, quantity: 1 + (j % 3) }, 'sales', j % 2 ? 'webhook' : 'api'));
    }
    await Promise.all(batch);
    await actor.submit({ id: `void-${i}`, type: 'sale.void', saleId: `s-${i}` }, 'host', 'console');
    await actor.submit({ id: `refund-${i}`, type: 'sale.refund', saleId: `s-${i + 2}`, quantity: 1 }, 'host', 'console');
  }
  await store.close();
  console.log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  // ---- the relay as its own process on that file ----
  const port = await freePort();
  const relay = await spawnRelay({ port, dataDir, adminToken: BENCH_ADMIN, ...(redis && { env: { LIVESHELF_REDIS_URL: redis.url } }) });
  try {
    const timed = async (label: string, query: string) => {
      const t = performance.now();
      const res = await fetch(`${relay.url}/api/rooms/${roomId}/report${query}`, { headers: { authorization: `Bearer ${tokens.host}` } });
      const body = await res.text();
      const ms = performance.now() - t;
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${body.slice(0, 200)}`);
      return { label, ms, bytes: body.length, body };
    };
    const window = `?from=${T0}&to=${T0 + SHOW_MS}`;
    const runs = [await timed('JSON, cold (first request)', window)];
    for (let i = 0; i < 3; i++) runs.push(await timed(`JSON, warm #${i + 1}`, window));
    runs.push(await timed('JSON, whole room (default window)', ''));
    runs.push(await timed('per-product CSV', `${window}&format=csv`));
    runs.push(await timed('timeline CSV', `${window}&format=timeline.csv`));
    const report = JSON.parse(runs[0]!.body) as { totals: { orders: number; units: number; revenueMinor: number }; timeline: unknown[] };
    for (const r of runs) console.log(`  ${r.label.padEnd(36)} ${r.ms.toFixed(0).padStart(5)} ms  ${(r.bytes / 1024).toFixed(0)} KB`);
    console.log(`  report: ${report.totals.orders} orders, ${report.totals.units} units, ${report.timeline.length} minutes`);
    const worst = Math.max(...runs.map((r) => r.ms));
    console.log(`  worst ${worst.toFixed(0)} ms — aim ≤ 1000 ms: ${worst <= 1000 ? 'met' : 'NOT met'}`);
    await reportPage(relay.url, roomId, tokens.host);
  } finally {
    await relay.kill();
  }
} finally {
  await redis?.dispose();
  rmSync(dataDir, { recursive: true, force: true });
}

/** The report page on this relay in Chromium: navigation → totals, tables and a painted chart, cold and warm; its files' gzipped size. */
async function reportPage(url: string, roomId: string, token: string): Promise<void> {
  const dir = join(import.meta.dirname, '../dist/report/assets');
  if (!existsSync(dir)) return console.log('  report page: not built (npm run build:report), not measured');
  const gz = readdirSync(dir).filter((f) => /\.(js|css)$/.test(f)).reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
  console.log(`  report page files: ${(gz / 1024).toFixed(1)} KB gzipped (JS + CSS)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    for (const label of ['cold', 'warm']) {
      // A real load each time: from the same URL with another fragment Chromium would only scroll.
      await page.goto('about:blank');
      const t = performance.now();
      await page.goto(`${url}/report#${new URLSearchParams({ room: roomId, token })}`);
      await page.locator('.chart canvas').waitFor({ timeout: 30_000 });
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length > 0);
      const ms = performance.now() - t;
      // In the page's own clock: when the report's answer had arrived, and when the page was drawn.
      const inPage = await page.evaluate(() => {
        const fetched = performance.getEntriesByType('resource').find((e) => /\/report$/.test(e.name)) as PerformanceResourceTiming | undefined;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { fetchedAt: fetched?.responseEnd ?? NaN, fetchMs: fetched?.duration ?? NaN, askedAt: fetched?.startTime ?? NaN, htmlAt: nav?.responseEnd ?? NaN, readyAt: nav?.domContentLoadedEventEnd ?? NaN, drawnAt: performance.now() };
      });
      console.log(
        `  report page (${label}): navigation → drawn ${ms.toFixed(0)} ms, of which the report's answer ${inPage.fetchMs.toFixed(0)} ms; ` +
          `answer → totals, tables and chart drawn ≤ ${(inPage.drawnAt - inPage.fetchedAt).toFixed(0)} ms — aim ≤ 1000 ms: ${ms <= 1000 ? 'met' : 'NOT met'}\n` +
          `    in the page's clock: HTML ${inPage.htmlAt.toFixed(0)} ms, scripts run ${inPage.readyAt.toFixed(0)} ms, report asked ${inPage.askedAt.toFixed(0)} ms, answered ${inPage.fetchedAt.toFixed(0)} ms, drawn ${inPage.drawnAt.toFixed(0)} ms`,
      );
    }
  } finally {
    await browser.close();
  }
}
