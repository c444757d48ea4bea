/**
 * The web console on a phone (issue 18; prints figures, not a test): a co-host opens their
 * pairing link in Chromium with iPhone 13 emulation (zh-CN), with the CPU slowed 4× and the
 * network shaped by CDP (Network.emulateNetworkConditions), against the relay started as
 * `npm start` would (its own process, SQLite). Timed in the page's own clock from navigation:
 * the first contentful paint, and the first usable Show button (the button of the first
 * product is there and the console says it is connected, so a tap is sent at once). Cold (a
 * new browser context: nothing cached) and warm (the same page loaded again). Also the
 * console's files, gzipped. Aims (issue 18): usable in ≤ 1.5 s, ≤ 60 KB gzipped.
 * Run: npx tsx bench/web-console.bench.ts [--runs 8]
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, devices, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium.js';
import { freePort, spawnRelay } from '../tests/support/relay-process.js';
import { BENCH_ADMIN, json, pct } from './bench-support.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 8);
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

interface Profile {
  name: string;
  cpu: number;
  /** CDP Network.emulateNetworkConditions: latency in ms, throughputs in bytes/s; null = not shaped. */
  net: { latency: number; downloadThroughput: number; uploadThroughput: number } | null;
}
const PROFILES: Profile[] = [
  { name: 'no throttling', cpu: 1, net: null },
  // Lighthouse's mobile profile ("slow 4G"): 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU 4×.
  { name: 'phone: CPU 4×, 150 ms, 1.6 Mbit/s', cpu: 4, net: { latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 } },
  // A slow 3G-like link (DevTools' former "Slow 3G"): 400 ms, 400 kbit/s each way, CPU 4×.
  { name: 'slow 3G: CPU 4×, 400 ms, 400 kbit/s', cpu: 4, net: { latency: 400, downloadThroughput: (400 * 1024) / 8, uploadThroughput: (400 * 1024) / 8 } },
];

const dist = join(import.meta.dirname, '../dist/console');
if (!existsSync(join(dist, 'index.html'))) {
  console.log('web console not built (npm run build:console): not measured');
  process.exit(0);
}
const files = readdirSync(join(dist, 'assets'));
const gz = (f: string) => gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length;
const first = files.filter((f) => /^index-.*\.(js|css)$/.test(f));
console.log(`LiveShelf web console on a phone — ${RUNS} runs per profile, ${new Date().toISOString()}, load average ${load()} on ${cpus().length} cores`);
console.log(`  first load, gzipped: ${first.map((f) => `${f} ${(gz(f) / 1024).toFixed(1)} KB`).join(' + ')} = ${(first.reduce((a, f) => a + gz(f), 0) / 1024).toFixed(1)} KB (aim ≤ 60 KB); lazy chunks: ${files.filter((f) => !first.includes(f) && f.endsWith('.js')).map((f) => `${f.replace(/-[\w-]+\.js$/, '')} ${(gz(f) / 1024).toFixed(1)} KB`).join(', ')}`);

const dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-webconsole-bench-'));
const relay = await spawnRelay({ port: await freePort(), dataDir, adminToken: BENCH_ADMIN });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const created = await json(relay.url, '/api/rooms', BENCH_ADMIN, { title: '砀山酥梨助农专场', currency: 'CNY', locale: 'zh-CN' });
  const roomId = created.room.id as string;
  for (let i = 0; i < 30; i++) {
    await json(relay.url, `/api/rooms/${roomId}/commands`, created.tokens.host, { id: `add-${i}`, type: 'product.add', product: { sku: `SKU-${i}`, name: `商品 ${i} 砀山酥梨 5kg`, priceMinor: 3990 + i, stock: 2000 } });
  }
  const link = created.links.cohost as string;

  /** Navigation → first contentful paint and → Show usable, in the page's clock (ms since its navigation started). */
  async function measure(page: Page, go: () => Promise<unknown>): Promise<{ fcp: number; usable: number }> {
    await go();
    const usable = await page.waitForFunction(
      () => {
        const connected = document.querySelector('[data-testid="connection"]')?.textContent?.includes('已连接');
        const show = [...document.querySelectorAll('button')].find((b) => b.getAttribute('aria-label')?.startsWith('展示') || b.textContent === '展示');
        return connected && show && !show.hasAttribute('disabled') ? performance.now() : null;
      },
      undefined,
      { polling: 'raf', timeout: 60_000 },
    );
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
    return { fcp, usable: (await usable.jsonValue()) as number };
  }

  for (const profile of PROFILES) {
    const cold: { fcp: number; usable: number }[] = [];
    const warm: { fcp: number; usable: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      const context = await browser.newContext({ ...devices['iPhone 13'], locale: 'zh-CN' });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
      if (profile.net) {
        await cdp.send('Network.enable');
        await cdp.send('Network.emulateNetworkConditions', { offline: false, ...profile.net });
      }
      cold.push(await measure(page, () => page.goto(link)));
      // Loaded again: the files from the cache, the pairing from this browser's storage.
      warm.push(await measure(page, () => page.reload()));
      await context.close();
    }
    const line = (label: string, xs: { fcp: number; usable: number }[]) => {
      const f = xs.map((x) => x.fcp);
      const u = xs.map((x) => x.usable);
      return `    ${label}: first paint p50 ${pct(f, 50).toFixed(0)} / max ${Math.max(...f).toFixed(0)} ms · Show usable p50 ${pct(u, 50).toFixed(0)} / max ${Math.max(...u).toFixed(0)} ms`;
    };
    console.log(`  ${profile.name}`);
    console.log(line('cold', cold));
    console.log(line('warm', warm));
  }
  console.log(`  load average at the end ${load()}`);
} finally {
  await browser.close();
  await relay.kill();
  rmSync(dataDir, { recursive: true, force: true });
}
