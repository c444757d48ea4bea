/**
 * The Firefox build end to end (issue #4): Debian's Firefox ESR with .output/firefox-mv2
 * installed as a temporary add-on (tests/support/firefox.ts), a real relay on a real port with
 * SQLite, and the side panel page opened as a tab: it is the sidebar_action's page, and the
 * sidebar itself is browser chrome, which WebDriver BiDi does not drive (sidebarAction.open
 * also needs a user's click). Counts are read from the relay's HTTP API with the host token.
 * Nothing is faked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { collectPageErrors, launchFirefoxWithExtension, type FirefoxWithExtension } from '../support/firefox';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ARTIFACTS, ROOT } from './extension-browser';

const EXT_DIR = join(ROOT, '.output/firefox-mv2');
const GIFT = '洛川苹果礼盒';
/** Waits on a loaded 2-core machine: generous, and only ever upper bounds. */
const WAIT = 30_000;

let relay: TestRelay;
let port: number;
let dataDir: string;
let room: CreatedRoom;
let firefox: FirefoxWithExtension;
let panel: Page;
/** What the side panel page threw or logged as an error (an API Firefox lacks would show up here). */
let panelErrors: () => Promise<string[]>;

async function state(): Promise<RoomState> {
  const res = await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host });
  if (res.status !== 200) throw new Error(`GET /api/rooms/${room.room.id}: ${res.status} ${res.text}`);
  return res.json as RoomState;
}
const product = (s: RoomState, name: string) => s.products.find((p) => p.name === name);

/** Polls the relay's API until the condition holds. */
async function until(cond: () => Promise<boolean>, what: string, timeoutMs = WAIT): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Puppeteer's ARIA query handler matches the accessible name exactly, like Playwright's exact: true.
const button = (name: string) => `::-p-aria([name=${JSON.stringify(name)}][role="button"])`;
const field = (label: string) => `::-p-aria([name=${JSON.stringify(label)}][role="textbox"])`;

/** Waits until the element with this data-testid exists and its text matches (or, with null, until it is gone). */
async function testId(page: Page, id: string, text: RegExp | null, timeout = WAIT): Promise<void> {
  await page.waitForFunction(
    (tid: string, source: string | null) => {
      const el = document.querySelector(`[data-testid="${tid}"]`);
      return source === null ? el === null : el !== null && new RegExp(source).test(el.textContent ?? '');
    },
    { polling: 100, timeout },
    id,
    text?.source ?? null,
  );
}

async function click(page: Page, name: string): Promise<void> {
  await page.locator(button(name)).setTimeout(WAIT).click();
}

beforeAll(async () => {
  // Like ensureExtensionBuilt for Chromium: `npm test` builds first; a lone run builds what is missing.
  if (!existsSync(join(EXT_DIR, 'manifest.json'))) execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-e2e-firefox-'));
  relay = await startRelay({ dataDir });
  port = Number(new URL(relay.url).port);
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  firefox = await launchFirefoxWithExtension(EXT_DIR);
  panel = await firefox.openExtensionPage('sidepanel.html');
  panelErrors = await collectPageErrors(panel);
});

afterAll(async () => {
  await firefox?.close();
  await relay?.close({ keepData: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the Firefox MV2 build in real Firefox ESR', () => {
  it('is a sidebar extension with a fixed add-on id, and its side panel page opens', async () => {
    const manifest = JSON.parse(readFileSync(join(EXT_DIR, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ manifest_version: 2, sidebar_action: { default_panel: 'sidepanel.html' }, browser_specific_settings: { gecko: { id: 'liveshelf@liveshelf.dev' } } });
    await panel.locator(field('Pairing link')).setTimeout(WAIT).wait();
    expect(await panel.evaluate(() => location.href)).toBe(`${firefox.origin}/sidepanel.html`);
    await testId(panel, 'connection', /Not paired/);
  });

  it('pairs as host with the pairing link', async () => {
    await panel.locator(field('Pairing link')).setTimeout(WAIT).fill(room.links.host);
    await click(panel, 'Connect');
    await testId(panel, 'connection', /^Connected$/);
    await panel.waitForFunction(() => document.querySelector('.room-title')?.textContent === '永胜石榴助农专场', { polling: 100, timeout: WAIT });
    expect(await panel.evaluate(() => location.href)).not.toContain(room.tokens.host);
  });

  it('adds a product with the form', async () => {
    await click(panel, 'Add product');
    const form = 'form[aria-label="Add product"]';
    await panel.locator(`${form} ${field('Name')}`).setTimeout(WAIT).fill(GIFT);
    await panel.locator(`${form} ${field('SKU')}`).fill('LC-GIFT');
    await panel.locator(`${form} ${field('Price')}`).fill('59.90');
    await panel.locator(`${form} ${field('Stock (empty = unlimited)')}`).fill('50');
    await panel.locator(`${form} button[type="submit"]`).click();
    await panel.locator(button(`Show ${GIFT}`)).setTimeout(WAIT).wait();
    expect(product(await state(), GIFT)).toMatchObject({ sku: 'LC-GIFT', priceMinor: 5990, stock: 50, sold: 0 });
  });

  it('Show puts the product on air, and +1 is counted by the relay exactly once', async () => {
    await click(panel, `Show ${GIFT}`);
    await until(async () => {
      const s = await state();
      return s.cardVisible && s.currentProductId === product(s, GIFT)?.id;
    }, 'the card is on air');
    await testId(panel, 'current-name', new RegExp(GIFT));
    await click(panel, `+1 ${GIFT}`);
    await until(async () => product(await state(), GIFT)?.sold === 1, 'one sale counted');
    // The panel has the acknowledgement (nothing left in its outbox), so nothing else is on its way.
    await testId(panel, 'total-units', /^1$/);
    await testId(panel, 'waiting', null);
    const s = await state();
    expect(product(s, GIFT)).toMatchObject({ sold: 1, stock: 49, revenueMinor: 5990 });
    expect(s.totals).toMatchObject({ sold: 1, orders: 1 });
  });

  it('keeps +1 clicks while the relay is down and delivers exactly two more after it restarts', async () => {
    await relay.close({ keepData: true });
    await testId(panel, 'connection', /Relay unreachable/);
    await click(panel, `+1 ${GIFT}`);
    await testId(panel, 'waiting', /^1 waiting$/);
    await click(panel, `+1 ${GIFT}`);
    await testId(panel, 'waiting', /^2 waiting$/);

    relay = await startRelay({ dataDir, port });
    // socket.io's reconnection back-off (or the 30 s retry alarm) brings the extension back.
    await testId(panel, 'connection', /^Connected$/, 60_000);
    await testId(panel, 'waiting', null, 60_000);
    await testId(panel, 'total-units', /^3$/);
    const s = await state();
    expect(product(s, GIFT)).toMatchObject({ sold: 3, stock: 47, revenueMinor: 3 * 5990 });
    expect(s.totals).toMatchObject({ sold: 3, orders: 3 });
  });

  it('imports the sample CSV (UTF-8 with BOM) with a preview', async () => {
    await click(panel, 'Import CSV');
    const input = await panel.locator('.csv-import input[type="file"]').setTimeout(WAIT).waitHandle();
    await input.uploadFile(join(ROOT, 'examples/catalog-sample.csv'));
    await testId(panel, 'csv-summary', /^9 products ready, 0 rows with errors$/);
    await click(panel, 'Import 9 products');
    await panel.locator(button('Show Miao mountain honey, "wild" 苗家野蜂蜜')).setTimeout(WAIT).wait();
    const s = await state();
    expect(s.products).toHaveLength(10);
    expect(product(s, '永胜软籽石榴')).toMatchObject({ sku: 'YS-POM-5KG', priceMinor: 5990, stock: 1600 });
    expect(product(s, '洛川红富士苹果')?.stock).toBeNull();
    // The sales counted before are untouched by the import.
    expect(s.totals).toMatchObject({ sold: 3, orders: 3 });
  });

  it('takes a screenshot of the side panel in Firefox', async () => {
    await panel.evaluate(() => scrollTo(0, 0));
    // tests/artifacts is gitignored, so a fresh clone has none (puppeteer does not create it).
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'extension-sidepanel-firefox.png');
    await panel.screenshot({ path, fullPage: true });
    expect(existsSync(path)).toBe(true);
  });

  it('the side panel page threw and logged no errors along the way', async () => {
    expect(await panelErrors()).toEqual([]);
  });
});
