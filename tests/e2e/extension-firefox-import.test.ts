/**
 * Catalog files in Firefox (issue 17): the Firefox MV2 build (.output/firefox-mv2) in Debian's
 * Firefox ESR imports a GBK CSV (Firefox's own TextDecoder decodes GB18030) and an .xlsx
 * workbook (the workbook reader's chunk, import()ed under Firefox's extension CSP) into a real
 * relay. The harness is extension-firefox.test.ts's; the files are written here (GBK by
 * iconv-lite, the workbook by write-excel-file) into a temporary folder, since puppeteer uploads
 * from disk.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import type { RoomState } from '../../shared/domain';
import { collectPageErrors, launchFirefoxWithExtension, type FirefoxWithExtension } from '../support/firefox';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ROOT } from './extension-browser';

const EXT_DIR = join(ROOT, '.output/firefox-mv2');
const WAIT = 30_000;

let relay: TestRelay;
let dir: string;
let room: CreatedRoom;
let firefox: FirefoxWithExtension;
let panel: Page;
let panelErrors: () => Promise<string[]>;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
}
const bySku = (s: RoomState, sku: string) => s.products.find((p) => p.sku === sku);

async function until(cond: () => Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + WAIT;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const button = (name: string) => `::-p-aria([name=${JSON.stringify(name)}][role="button"])`;
const textOf = (id: string) => panel.evaluate((tid: string) => document.querySelector(`[data-testid="${tid}"]`)?.textContent ?? null, id);

/** Opens the import, uploads the file, and waits for the preview; returns the count and the "read as" line. */
async function choose(path: string): Promise<{ summary: string | null; readAs: string | null }> {
  if (!(await panel.$('.csv-import'))) await panel.locator(button('Import CSV')).setTimeout(WAIT).click();
  const input = await panel.locator('.csv-import input[type="file"]').setTimeout(WAIT).waitHandle();
  await input.uploadFile(path);
  await panel.waitForFunction(() => document.querySelector('[data-testid="csv-read-as"]') !== null, { polling: 100, timeout: WAIT });
  return { summary: await textOf('csv-summary'), readAs: await textOf('csv-read-as') };
}

beforeAll(async () => {
  if (!existsSync(join(EXT_DIR, 'manifest.json'))) execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'liveshelf-e2e-firefox-import-'));
  relay = await startRelay({ dataDir: join(dir, 'relay') });
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  firefox = await launchFirefoxWithExtension(EXT_DIR);
  panel = await firefox.openExtensionPage('sidepanel.html');
  panelErrors = await collectPageErrors(panel);
  await panel.locator(`::-p-aria([name="Pairing link"][role="textbox"])`).setTimeout(WAIT).fill(room.links.host);
  await panel.locator(button('Connect')).setTimeout(WAIT).click();
  await panel.waitForFunction(() => document.querySelector('[data-testid="connection"]')?.textContent === 'Connected', { polling: 100, timeout: WAIT });
});

afterAll(async () => {
  await firefox?.close();
  await relay?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('catalog files in Firefox ESR', () => {
  it('imports a GBK CSV with its Chinese names', async () => {
    const path = join(dir, '商品清单.csv');
    writeFileSync(path, iconv.encode(['商品编码,名称,价格,库存,生产者', 'YS-POM-5KG,永胜软籽石榴,59.90,1600,永胜县石榴种植专业合作社', 'DS-PEAR-3KG,砀山酥梨,39.90,,'].join('\r\n'), 'gbk'));
    expect(await choose(path)).toEqual({ summary: '2 products ready, 0 rows with errors', readAs: 'Read as GBK · comma-separated' });
    await panel.locator(button('Import 2 products')).setTimeout(WAIT).click();
    await until(async () => bySku(await state(), 'DS-PEAR-3KG') !== undefined, 'the GBK rows in the relay');
    const s = await state();
    expect(bySku(s, 'YS-POM-5KG')).toMatchObject({ name: '永胜软籽石榴', priceMinor: 5990, stock: 1600, producer: '永胜县石榴种植专业合作社' });
    expect(bySku(s, 'DS-PEAR-3KG')).toMatchObject({ name: '砀山酥梨', priceMinor: 3990, stock: null });
  });

  it('imports an .xlsx workbook’s first sheet', async () => {
    const path = join(dir, 'catalog.xlsx');
    const data = [['sku', 'name', 'price', 'stock', 'harvest date'], ['HT-WALNUT-1KG', '薄皮核桃', 12.9, 300, new Date(Date.UTC(2026, 9, 1))]];
    writeFileSync(path, await writeXlsxFile([{ sheet: 'Products', data, dateFormat: 'yyyy-mm-dd' }]).toBuffer());
    expect(await choose(path)).toEqual({ summary: '1 product ready, 0 rows with errors', readAs: 'Excel workbook · sheet 1 “Products”' });
    await panel.locator(button('Import 1 product')).setTimeout(WAIT).click();
    await until(async () => bySku(await state(), 'HT-WALNUT-1KG') !== undefined, 'the workbook row in the relay');
    expect(bySku(await state(), 'HT-WALNUT-1KG')).toMatchObject({ name: '薄皮核桃', priceMinor: 1290, stock: 300, harvestDate: '2026-10-01' });
    // Nothing the page threw or logged as an error: the chunk loaded under Firefox's CSP.
    expect(await panelErrors()).toEqual([]);
  });
});
