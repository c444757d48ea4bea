/**
 * The web console at the pairing link (issue 18), on a phone: real Chromium with iPhone 13
 * emulation (touch, 390×844) in zh-CN, a real relay with SQLite, the built console (dist/console).
 * The co-host opens their link and taps Show: the relay's card changes. Offline, two taps wait
 * ("2 条待发") and are applied exactly once when the network is back. The token leaves the
 * address bar and is in no request URL; the overlay's token opens no console; axe finds no
 * serious or critical violation; every control is a 44 px touch target at 360×640; screenshots
 * of host and co-host in tests/artifacts/web-console-*.png. Prints the console's gzipped JS.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { pairingLink } from '../../shared/pairing';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { api, ROOT, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { seriousViolations, until } from '../support/page-checks';

const ARTIFACTS = join(ROOT, 'tests/artifacts');
const PEAR = '砀山酥梨';
const EGG = '铜鼓土鸡蛋';
const RICE = '五常大米';

let relay: TestRelay;
let room: CreatedRoom;
let browser: Browser;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}

async function addProduct(product: Record<string, unknown>, id: string): Promise<void> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, { token: room.tokens.host, body: { id, type: 'product.add', product } });
  if (res.status !== 200) throw new Error(`product.add: ${res.status} ${res.text}`);
}

/** A phone: iPhone 13's viewport, touch and user agent, in Chinese; every request URL and CSP complaint recorded. */
async function phone(opts: { viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext({ ...devices['iPhone 13'], ...(opts.viewport && { viewport: opts.viewport }), locale: 'zh-CN' });
  const urls: string[] = [];
  const cspErrors: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  const page = await context.newPage();
  page.on('websocket', (ws) => urls.push(ws.url()));
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && cspErrors.push(m.text()));
  return { context, page, urls, cspErrors };
}

async function openConsole(page: Page, link: string): Promise<void> {
  await page.goto(link);
  await page.getByTestId('connection').filter({ hasText: '已连接' }).waitFor({ timeout: 10_000 });
}

beforeAll(async () => {
  relay = await startRelay();
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  await addProduct({ sku: 'DS-PEAR-5KG', name: PEAR, priceMinor: 3990, originalPriceMinor: 4990, unit: '5 kg box', stock: 2000 }, 'web-add-1');
  await addProduct({ sku: 'EGG-30', name: EGG, priceMinor: 3500, stock: 300 }, 'web-add-2');
  await addProduct({ sku: 'RICE-5KG', name: RICE, priceMinor: 6990, stock: 120 }, 'web-add-3');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await relay?.close();
});

describe('the web console at the pairing link, on a phone', () => {
  let cohost: Awaited<ReturnType<typeof phone>>;
  afterAll(async () => cohost?.context.close());

  it('opens the co-host link: the fragment leaves the address bar, the token stays in this browser only', async () => {
    cohost = await phone();
    await openConsole(cohost.page, room.links.cohost);
    expect(cohost.page.url()).toBe(`${relay.url}/pair`);
    const stored = await cohost.page.evaluate(() => localStorage.getItem('liveshelf.pairings'));
    expect(stored).toContain(room.tokens.cohost);
    await expect(cohost.page.getByRole('heading', { level: 2, name: '当前' }).count()).resolves.toBe(1);
    expect(cohost.urls.length).toBeGreaterThan(3);
    expect(cohost.urls.filter((u) => u.includes(room.tokens.cohost))).toEqual([]);
  });

  it('is served with a strict Content-Security-Policy, and the page breaks none of it', async () => {
    const res = await fetch(`${relay.url}/pair`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const asset = (await res.text()).match(/\/console\/assets\/[^"]+\.js/)?.[0];
    expect((await fetch(`${relay.url}${asset}`)).headers.get('content-security-policy')).toBe(csp);
    const manifest = (await (await fetch(`${relay.url}/console/manifest.webmanifest`)).json()) as { start_url: string; icons: unknown[] };
    expect(manifest.start_url).toBe('/pair');
    expect(cohost.cspErrors).toEqual([]);
    // Every request went to the relay itself: no third party.
    expect(cohost.urls.filter((u) => !u.startsWith(relay.url) && !u.startsWith(relay.url.replace('http', 'ws')))).toEqual([]);
  });

  it('a tap on Show changes the card on the relay', async () => {
    await cohost.page.getByRole('button', { name: `展示 ${PEAR}` }).tap();
    const s = await until(state, (v) => v.cardVisible && v.room && v.products.find((p) => p.id === v.currentProductId)?.name === PEAR, 'the pear on air');
    expect(s.cardVisible).toBe(true);
    await cohost.page.getByTestId('current-name').filter({ hasText: PEAR }).waitFor();
  });

  it('the host’s prepared lines and countdowns are one-tap buttons: a tap sends the line, another starts the countdown', async () => {
    const set = await api(relay.url, `/api/rooms/${room.room.id}/commands`, {
      token: room.tokens.host,
      body: { id: 'web-presets', type: 'presets.set', ticker: ['关注直播间，领 5 元券', '下单备注「梨」优先发货'], countdowns: [{ label: '秒杀', seconds: 90 }] },
    });
    expect(set.json.ok).toBe(true);
    const line = cohost.page.getByRole('button', { name: '发送字幕：下单备注「梨」优先发货' });
    await line.waitFor();
    // A co-host sends them, but does not prepare them.
    await expect(cohost.page.getByText('准备滚动字幕和倒计时').count()).resolves.toBe(0);
    await line.tap();
    await until(state, (v) => v.ticker.at(-1)?.text === '下单备注「梨」优先发货', 'the line on the ticker');
    await cohost.page.getByRole('button', { name: '开始倒计时：秒杀 1:30' }).tap();
    const s = await until(state, (v) => v.countdown?.label === '秒杀', 'the countdown');
    expect(s.countdown!.endsAt - s.countdown!.startedAt).toBe(90_000);
    await cohost.page.getByTestId('countdown').waitFor();
    await cohost.page.getByRole('button', { name: '停止' }).tap();
    await until(state, (v) => v.countdown === null, 'the countdown stopped');
    // And its acknowledgement heard: nothing left in this page's outbox for the next test to count.
    await cohost.page.getByTestId('waiting').waitFor({ state: 'detached' });
    expect(await cohost.page.evaluate(() => localStorage.getItem('liveshelf.outbox'))).toBe('[]');
  });

  it('offline, two taps wait ("2 条待发"); back online, each is applied exactly once', async () => {
    const before = await state();
    await cohost.context.setOffline(true);
    await cohost.page.getByTestId('connection').filter({ hasText: '中继不可达' }).waitFor({ timeout: 10_000 });
    await cohost.page.getByRole('button', { name: `展示 ${EGG}` }).tap();
    await cohost.page.getByRole('button', { name: '下一个', exact: true }).tap();
    await cohost.page.getByTestId('waiting').filter({ hasText: '2 条待发' }).waitFor();
    await cohost.page.screenshot({ path: join(ARTIFACTS, 'web-console-cohost-offline.png') });
    expect((await state()).version).toBe(before.version);
    await cohost.context.setOffline(false);
    const after = await until(state, (v) => v.version >= before.version + 2, 'both commands applied');
    await cohost.page.getByTestId('waiting').waitFor({ state: 'detached' });
    // Show the egg, then Next: the rice. Nothing more arrives later (no second delivery).
    expect(after.products.find((p) => p.id === after.currentProductId)?.name).toBe(RICE);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await state()).version).toBe(before.version + 2);
    expect(await cohost.page.evaluate(() => localStorage.getItem('liveshelf.outbox'))).toBe('[]');
  });

  it('opened again without the fragment, it reconnects with the stored pairing', async () => {
    await cohost.page.goto(`${relay.url}/pair`);
    await cohost.page.getByTestId('connection').filter({ hasText: '已连接' }).waitFor({ timeout: 10_000 });
    await cohost.page.getByTestId('current-name').filter({ hasText: RICE }).waitFor();
    expect(cohost.urls.filter((u) => u.includes(room.tokens.cohost))).toEqual([]);
  });

  it('has no serious or critical axe violation, and every control is a 44 px touch target at 360×640', async () => {
    expect(await seriousViolations(cohost.page)).toEqual([]);
    const small = await phone({ viewport: { width: 360, height: 640 } });
    await openConsole(small.page, room.links.cohost);
    const tooSmall = await small.page.evaluate(() =>
      [...document.querySelectorAll('button, select, input')]
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.width > 0 && (r.height < 44 || r.width < 44))
        .map(({ e, r }) => `${e.outerHTML.slice(0, 80)} ${Math.round(r.width)}×${Math.round(r.height)}`),
    );
    expect(tooSmall).toEqual([]);
    expect(await small.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await small.page.screenshot({ path: join(ARTIFACTS, 'web-console-cohost-360.png') });
    await small.page.setViewportSize({ width: 844, height: 390 });
    await small.page.evaluate(() => scrollTo(0, 0));
    // Turned to landscape: the status stays, and Show is beside the current card.
    await small.page.getByTestId('connection').filter({ hasText: '已连接' }).waitFor();
    await small.page.getByRole('button', { name: `展示 ${PEAR}` }).waitFor();
    await small.page.screenshot({ path: join(ARTIFACTS, 'web-console-cohost-landscape.png'), fullPage: true });
    await small.context.close();
  });

  it('screenshots the co-host console in zh-CN', async () => {
    await cohost.page.screenshot({ path: join(ARTIFACTS, 'web-console-cohost.png'), fullPage: true });
  });
});

describe('other links at /pair', () => {
  it('the host link opens the host console, without OBS control', async () => {
    const host = await phone();
    await openConsole(host.page, room.links.host);
    await host.page.getByRole('button', { name: `+1 ${PEAR}` }).waitFor();
    expect(await host.page.locator('#obs-h').count()).toBe(0);
    await host.page.getByText('控制 OBS 需要').waitFor();
    expect(await seriousViolations(host.page)).toEqual([]);
    expect(host.urls.filter((u) => u.includes(room.tokens.host))).toEqual([]);
    await host.page.screenshot({ path: join(ARTIFACTS, 'web-console-host.png'), fullPage: true });
    await host.context.close();
  });

  it.each([
    ['as the overlay role', () => pairingLink(relay.url, room.room.id, 'overlay', room.tokens.overlay)],
    ['named as a co-host link', () => pairingLink(relay.url, room.room.id, 'cohost', room.tokens.overlay)],
  ])('the overlay token %s opens no console, and says why', async (_name, link) => {
    const p = await phone();
    await p.page.goto(link());
    await p.page.getByTestId('web-message').filter({ hasText: '叠加层链接' }).waitFor({ timeout: 10_000 });
    expect(await p.page.getByRole('button', { name: /展示/ }).count()).toBe(0);
    expect(p.page.url()).toBe(`${relay.url}/pair`);
    await p.context.close();
  });

  it('a link whose token the relay refuses says so, and is not kept', async () => {
    const p = await phone();
    await p.page.goto(pairingLink(relay.url, room.room.id, 'cohost', 'lsc_not-a-token'));
    await p.page.getByTestId('web-message').filter({ hasText: '中继拒绝了此链接' }).waitFor({ timeout: 10_000 });
    expect(await p.page.evaluate(() => localStorage.getItem('liveshelf.pairings'))).toBe('[]');
    await p.context.close();
  });

  it('without a fragment nor a stored pairing, it says which link to open', async () => {
    const p = await phone();
    await p.page.goto(`${relay.url}/pair`);
    await p.page.getByTestId('web-message').filter({ hasText: '副播链接' }).waitFor();
    await p.context.close();
  });

  it('prints the gzipped size of the console JS; the first bundle stays within issue 18’s 60 KB (zod stays out of it)', () => {
    const dir = join(ROOT, 'dist/console/assets');
    const html = readFileSync(join(ROOT, 'dist/console/index.html'), 'utf8');
    const sizes = readdirSync(dir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => ({ f, first: html.includes(f), gz: gzipSync(readFileSync(join(dir, f)), { level: 9 }).length }));
    const first = sizes.filter((s) => s.first).reduce((n, s) => n + s.gz, 0);
    console.log(`web console JS, gzipped: first bundle ${(first / 1024).toFixed(1)} KB; every chunk ${(sizes.reduce((n, s) => n + s.gz, 0) / 1024).toFixed(1)} KB (${sizes.map((s) => `${s.f} ${(s.gz / 1024).toFixed(1)}`).join(', ')})`);
    expect(first).toBeGreaterThan(0);
    // A value import of shared/domain.ts (zod) into a first-bundle module adds ~25 KB gzipped.
    expect(first).toBeLessThanOrEqual(60 * 1024);
  });
});
