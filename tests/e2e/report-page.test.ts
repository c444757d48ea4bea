/**
 * The after-show report page (issue 19) in real Chromium against a real relay with SQLite and an
 * injected clock: three cards shown in turn over twelve minutes, sales from the shop's API at
 * scripted minutes. The page opened at links.report shows the totals the script expects (zh-CN
 * words, ¥, kg), draws the chart (a canvas with painted pixels), the per-product and
 * per-source tables; the token leaves the address bar and is in no request URL; nothing breaks
 * the CSP; the CSV button downloads the per-product table; axe finds no serious violation.
 * Screenshot in tests/artifacts/report.png.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { ADMIN, api, ROOT, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { decodePng } from './overlay-harness';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const ARTIFACTS = join(ROOT, 'tests/artifacts');
const T0 = Date.UTC(2026, 11, 3, 11, 0, 0); // 19:00 in Shanghai
const MIN = 60_000;
let now = T0;
let relay: TestRelay;
let room: CreatedRoom;
let browser: Browser;
let page: Page;
const urls: string[] = [];
const cspErrors: string[] = [];

async function cmd(body: Record<string, unknown>): Promise<{ result?: { productId: string } }> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body });
  if (res.status !== 200) throw new Error(`${String(body.type)}: ${res.status} ${res.text}`);
  return res.json;
}

async function sell(orderId: string, sku: string, quantity: number): Promise<void> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}/sales`, { token: room.tokens.sales, body: { orderId, sku, quantity } });
  if (res.status !== 200) throw new Error(`sale: ${res.status} ${res.text}`);
}

beforeAll(async () => {
  relay = await startRelay({ now: () => now });
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
  now = T0 - MIN;
  const pg = (await cmd({ id: 'add-pg', type: 'product.add', product: { sku: 'YS-PG-5KG', name: '永胜软籽石榴 5kg', priceMinor: 5990, stock: 2000, netWeightGrams: 5000 } })).result!.productId;
  const pear = (await cmd({ id: 'add-pear', type: 'product.add', product: { sku: 'DS-PEAR-5KG', name: '砀山酥梨 5kg', priceMinor: 3990, stock: 1000, netWeightGrams: 5000 } })).result!.productId;
  const egg = (await cmd({ id: 'add-egg', type: 'product.add', product: { sku: 'EGG-30', name: '铜鼓土鸡蛋 30枚', priceMinor: 3500, stock: null } })).result!.productId;
  // The script: 12 minutes, pomegranates on air for 5, pears for 4, eggs for 3; a rush in minute 2.
  const onAir: [number, string][] = [[0, pg], [5, pear], [9, egg]];
  const perMinute = [3, 6, 40, 12, 5, 8, 15, 9, 4, 6, 7, 2];
  const sku = (m: number) => (m < 5 ? 'YS-PG-5KG' : m < 9 ? 'DS-PEAR-5KG' : 'EGG-30');
  for (let m = 0; m < perMinute.length; m++) {
    now = T0 + m * MIN;
    const card = onAir.find(([at]) => at === m);
    if (card) await cmd({ id: `show-${m}`, type: 'card.show', productId: card[1] });
    for (let i = 0; i < perMinute[m]!; i++) {
      now = T0 + m * MIN + 1000 + i * 1000;
      await sell(`DY-${m}-${i}`, sku(m), 1 + (i % 2));
    }
  }
  now = T0 + 12 * MIN;
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  context.on('request', (r) => urls.push(r.url()));
  page = await context.newPage();
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && cspErrors.push(m.text()));
  mkdirSync(ARTIFACTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await relay?.close();
});

/** Units of the script: per minute, orders alternate 1 and 2 units. */
function unitsOf(orders: number): number {
  return orders + Math.floor(orders / 2);
}

describe('the report page at links.report', () => {
  it('shows the totals the script expects, in the room language and currency', async () => {
    await page.goto(room.links.report);
    await page.locator('.totals').waitFor({ timeout: 15_000 });
    const report = (await api(relay.url, `/api/rooms/${room.room.id}/report`, { token: room.tokens.host })).json;
    const pgUnits = [3, 6, 40, 12, 5].reduce((a, o) => a + unitsOf(o), 0);
    const pearUnits = [8, 15, 9, 4].reduce((a, o) => a + unitsOf(o), 0);
    const eggUnits = [6, 7, 2].reduce((a, o) => a + unitsOf(o), 0);
    expect(report.totals.orders).toBe(117);
    expect(report.totals.units).toBe(pgUnits + pearUnits + eggUnits);
    const revenue = pgUnits * 5990 + pearUnits * 3990 + eggUnits * 3500;
    expect(report.totals.revenueMinor).toBe(revenue);
    const text = async (label: string) => (await page.locator(`.totals [data-total="${label}"] dd`).innerText()).trim();
    expect(await text('订单')).toBe('117');
    expect(await text('件数')).toBe(String(pgUnits + pearUnits + eggUnits));
    expect(await text('销售额')).toBe(`¥${(revenue / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
    // 151 + 54 units of 5 kg: 755 kg, below a tonne.
    expect(await text('重量')).toBe(`${(pgUnits + pearUnits) * 5} 公斤`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('直播战报');
    // 19:00 in Shanghai, not the machine's zone.
    await expect(page.locator('.period').innerText()).resolves.toMatch(/19:00.*Asia\/Shanghai/);
    const rows = page.locator('section[aria-labelledby="products-h"] tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.first().locator('th').innerText()).resolves.toBe('永胜软籽石榴 5kg');
  });

  it('draws the chart: a canvas with painted pixels, and a band legend naming the products on air', async () => {
    const painted = await page.evaluate(() => {
      const c = document.querySelector('.chart canvas') as HTMLCanvasElement | null;
      if (!c) return -1;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n / (c.width * c.height);
    });
    expect(painted).toBeGreaterThan(0.2);
    await expect(page.locator('.bands li').allInnerTexts()).resolves.toEqual(['永胜软籽石榴 5kg', '砀山酥梨 5kg', '铜鼓土鸡蛋 30枚']);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
  });

  it('keeps the token out of the address bar and every request URL; nothing from another site; no CSP complaint', async () => {
    expect(page.url()).toBe(`${relay.url}/report`);
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.filter((u) => u.includes(room.tokens.host))).toEqual([]);
    expect(urls.filter((u) => !u.startsWith(relay.url))).toEqual([]);
    expect(cspErrors).toEqual([]);
  });

  it('downloads the per-product CSV (fetched with the header, handed over as a Blob URL)', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '商品表（CSV）' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFproduct_id,sku,name')).toBe(true);
    expect(csv).toContain('永胜软籽石榴 5kg');
    expect(download.suggestedFilename()).toBe(`liveshelf-report-${room.room.id}.csv`);
  });

  it('saves the results poster as PNG in both sizes, drawn in the page: red ground, gold hero figure, the preview the same picture', async () => {
    for (const [name, w, h, size] of [['保存海报 · 竖版 1080×1920（PNG）', 1080, 1920, '1080x1920'], ['保存海报 · 横版 1920×1080（PNG）', 1920, 1080, '1920x1080']] as const) {
      const before = urls.length;
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
      expect(download.suggestedFilename()).toBe(`liveshelf-poster-${room.room.id}-${size}.png`);
      const file = readFileSync((await download.path())!);
      writeFileSync(join(ARTIFACTS, `report-poster-${size}.png`), file);
      const img = decodePng(file);
      expect([img.width, img.height]).toEqual([w, h]);
      const px = (x: number, y: number) => [...img.rgba.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3)];
      // The ground is the deep red of the gradient; the rule at the top is gold (#fde68a).
      const [r, g, b] = px(w - 5, Math.round(h / 2));
      expect(r).toBeGreaterThan(110);
      expect(g).toBeLessThan(50);
      expect(b).toBeLessThan(50);
      expect(px(5, 5)).toEqual([0xfd, 0xe6, 0x8a]);
      // Text was written: gold (hero) and white pixels well below the rule.
      let gold = 0;
      let white = 0;
      for (let i = 0; i < img.rgba.length; i += 4 * 7) {
        if (i < img.width * 4 * 30) continue;
        const [pr, pg, pb] = [img.rgba[i]!, img.rgba[i + 1]!, img.rgba[i + 2]!];
        if (pr > 240 && pg > 215 && pg < 240 && pb > 120 && pb < 150) gold++;
        if (pr > 245 && pg > 245 && pb > 245) white++;
      }
      expect(gold).toBeGreaterThan(500);
      expect(white).toBeGreaterThan(500);
      // Drawn in the page: saving made no request.
      expect(urls.slice(before).filter((u) => !u.startsWith('blob:'))).toEqual([]);
    }
    // The previews on the page are the same picture, at full resolution.
    const dims = await page.evaluate(() => [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-poster]')].map((c) => [c.dataset.poster, c.width, c.height]));
    expect(dims).toEqual([['portrait', 1080, 1920], ['landscape', 1920, 1080]]);
  });

  it('axe-core (WCAG 2.1 A/AA) finds no serious or critical violation', async () => {
    await page.evaluate(AXE_SOURCE);
    const result = (await page.evaluate(() =>
      (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
    )) as { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    const serious = result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}`));
    expect(serious).toEqual([]);
  });
});

describe('the series report page at /report#series=…&token=<admin>', () => {
  it('adds up the shows of the series, lists them, draws the cumulative poster ("2 场直播") and downloads the shows CSV', async () => {
    const series = '永胜石榴季';
    await cmd({ id: 'join-series', type: 'room.update', changes: { series } });
    now = T0 + 2 * 86_400_000;
    const second = await relay.createRoom({ title: '第二场 · 石榴收尾', currency: 'CNY', locale: 'zh-CN', timeZone: 'Asia/Shanghai', series });
    const add = await api(relay.url, `/api/rooms/${second.room.id}/commands`, { token: second.tokens.host, body: { id: 'p', type: 'product.add', product: { sku: 'YS-PG-5KG', name: '永胜软籽石榴 5kg', priceMinor: 5990, stock: null, netWeightGrams: 5000 } } });
    expect(add.json.ok).toBe(true);
    for (let i = 0; i < 40; i++) expect((await api(relay.url, `/api/rooms/${second.room.id}/sales`, { token: second.tokens.sales, body: { orderId: `S2-${i}`, sku: 'YS-PG-5KG', quantity: 5 } })).json.ok).toBe(true);
    const expected = (await api(relay.url, `/api/series/${encodeURIComponent(series)}/report`, { token: ADMIN })).json;
    expect(expected.shows).toHaveLength(2);

    const before = urls.length;
    await page.goto(`${relay.url}/report#series=${encodeURIComponent(series)}&token=${ADMIN}`);
    await page.locator('.totals').waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`${relay.url}/report`);
    expect(urls.slice(before).filter((u) => u.includes(ADMIN))).toEqual([]);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`系列战报 · ${series}`);
    await expect(page.locator('.totals [data-total="订单"] dd').innerText()).resolves.toBe(String(expected.totals.orders));
    // 755 kg in the first show and 40 × 5 × 5 kg = 1,000 kg in the second: 1.8 吨 in all.
    await expect(page.locator('.totals [data-total="重量"] dd').innerText()).resolves.toBe('1.8 吨');
    await expect(page.locator('section[aria-labelledby="shows-h"] tbody th').allInnerTexts()).resolves.toEqual(['永胜石榴助农专场', '第二场 · 石榴收尾']);
    await expect(page.locator('.period').innerText()).resolves.toBe("2 场直播 · 2026年12月3日 – 2026年12月5日");

    const [poster] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '保存海报 · 竖版 1080×1920（PNG）' }).click()]);
    const file = readFileSync((await poster.path())!);
    writeFileSync(join(ARTIFACTS, 'series-poster-1080x1920.png'), file);
    const img = decodePng(file);
    expect([img.width, img.height]).toEqual([1080, 1920]);
    const [csvDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '各场表（CSV）' }).click()]);
    const csv = readFileSync((await csvDl.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFroom,title,from,to,orders,units,revenue,refunded,weight_grams,currency');
    expect(csv).toContain('第二场 · 石榴收尾');
    await page.screenshot({ path: join(ARTIFACTS, 'series-report.png'), fullPage: true });

    await page.evaluate(AXE_SOURCE);
    const result = (await page.evaluate(() =>
      (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
    )) as { violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] };
    expect(result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').map((v) => v.id)).toEqual([]);
    expect(cspErrors).toEqual([]);
  });
});
