/**
 * Catalogs as hosts really keep them (issue 17), imported through the built extension's side
 * panel in real Chromium into a real relay: a CSV saved in GBK by Excel/WPS on a Chinese
 * Windows, Excel's "Unicode text" (UTF-16 LE, tabs), a French Excel's semicolon CSV with
 * decimal commas, and an .xlsx workbook. Every file is written by this test (GBK by iconv-lite,
 * the workbook by write-excel-file); each import is checked in the relay's own answer, not only
 * in the preview. The harness is extension-console.test.ts's (real relay with SQLite on a port).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import type { RoomState } from '../../shared/domain';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';
import { ARTIFACTS, launchWithExtension, pairAsHost, type ExtensionBrowser } from './extension-browser';

let relay: TestRelay;
let dataDir: string;
let room: CreatedRoom;
let host: ExtensionBrowser;
let panel: Page;

async function state(): Promise<RoomState> {
  return (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.overlay })).json as RoomState;
}
const bySku = (s: RoomState, sku: string) => s.products.find((p) => p.sku === sku);

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's critical and serious WCAG 2.1 A/AA violations on the page as it is (extension-a11y.test.ts's check); the report goes to tests/artifacts. */
async function seriousViolations(name: string): Promise<string[]> {
  await panel.evaluate(AXE_SOURCE);
  const result = (await panel.evaluate(() =>
    (globalThis as unknown as { axe: { run(ctx: Document, o: unknown): Promise<unknown> } }).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }),
  )) as { violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] };
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, `axe-${name}.json`), JSON.stringify(result.violations, null, 2));
  return result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious').flatMap((v) => v.nodes.map((n) => `${v.id} ${JSON.stringify(n.target)}: ${v.help}`));
}

async function until(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The side panel's scripts parsed so far, by path, to see when the workbook reader's chunk comes:
 * Chrome's debugger reports every script a page parses, import()ed modules included
 * (extension pages keep no Resource Timing entries of their own files).
 */
async function scriptsParsed(page: Page): Promise<() => string[]> {
  const cdp = await page.context().newCDPSession(page);
  const urls: string[] = [];
  cdp.on('Debugger.scriptParsed', (e) => urls.push(e.url));
  // Enabling reports the scripts already parsed, then each new one.
  await cdp.send('Debugger.enable');
  return () => urls.filter((u) => u.startsWith('chrome-extension://')).map((u) => new URL(u).pathname);
}

/** The button opens and closes the import: opens it unless a case before left it open. */
async function openImport(button: string): Promise<void> {
  if ((await panel.locator('.csv-import').count()) === 0) await panel.getByRole('button', { name: button, exact: true }).click();
}

/** Opens the import, chooses a file with these bytes, waits for the preview's count; returns the "read as" line. */
async function choose(opts: { button: string; label: string; name: string; mimeType: string; bytes: Buffer; summary: string }): Promise<string> {
  await openImport(opts.button);
  await panel.getByLabel(opts.label).setInputFiles({ name: opts.name, mimeType: opts.mimeType, buffer: opts.bytes });
  await panel.getByTestId('csv-summary').filter({ hasText: opts.summary }).waitFor();
  return (await panel.getByTestId('csv-read-as').textContent()) ?? '';
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-e2e-import-'));
  relay = await startRelay({ dataDir });
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  host = await launchWithExtension();
  panel = await host.openPanel();
 
  await pairAsHost(panel, room);
});

afterAll(async () => {
  await host?.close();
  await relay?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('catalog import: the files hosts really have', () => {
  it('imports a GBK CSV from a Chinese Excel/WPS with its Chinese headers and names, saying it read GBK', async () => {
    await panel.getByLabel('Language').selectOption('zh-CN');
    await panel.getByRole('button', { name: '导入 CSV', exact: true }).waitFor();
    const csv = [
      '商品编码,名称,价格,原价,库存,规格,产地,净重(克),等级,采摘日期,生产者,溯源链接',
      'YS-POM-5KG,永胜软籽石榴,59.90,79.90,1600,5 kg 礼盒,云南丽江永胜县,5000,特级 · 果径 80 mm+,2026-09-12,永胜县石榴种植专业合作社,https://trace.example.cn/ys-pom',
      'DS-PEAR-3KG,砀山酥梨,39.90,,,3 kg 箱,安徽砀山,3000,一级,2026-09-05,砀山县梨业合作社,',
    ].join('\r\n');
    const gbk = iconv.encode(csv, 'gbk');
    // The bytes are GBK, not UTF-8: the file the old import showed as ��ʒ����.
    expect(gbk.includes(Buffer.from('石榴', 'utf8'))).toBe(false);
    const readAs = await choose({ button: '导入 CSV', label: 'CSV 文件', name: '商品清单.csv', mimeType: 'text/csv', bytes: gbk, summary: '2 个商品可导入，0 行有错误' });
    expect(readAs).toBe('读取为 GBK · 逗号分隔');
    const preview = panel.locator('.csv-preview');
    await preview.getByText('永胜软籽石榴', { exact: true }).waitFor();
    await preview.getByText('砀山酥梨', { exact: true }).waitFor();
    await panel.evaluate(() => scrollTo(0, 0));
    await panel.locator('.csv-import').screenshot({ path: join(ARTIFACTS, 'extension-import-gbk-zh-CN.png') });
    expect(await seriousViolations('import-gbk-zh-CN')).toEqual([]);

    await panel.getByRole('button', { name: '导入 2 个商品', exact: true }).click();
    await until(async () => bySku(await state(), 'DS-PEAR-3KG') !== undefined);
    const s = await state();
    expect(bySku(s, 'YS-POM-5KG')).toMatchObject({
      name: '永胜软籽石榴',
      priceMinor: 5990,
      originalPriceMinor: 7990,
      stock: 1600,
      unit: '5 kg 礼盒',
      origin: '云南丽江永胜县',
      netWeightGrams: 5000,
      grade: '特级 · 果径 80 mm+',
      harvestDate: '2026-09-12',
      producer: '永胜县石榴种植专业合作社',
      traceUrl: 'https://trace.example.cn/ys-pom',
    });
    expect(bySku(s, 'DS-PEAR-3KG')).toMatchObject({ name: '砀山酥梨', priceMinor: 3990, stock: null, producer: '砀山县梨业合作社', traceUrl: null });
    await panel.getByLabel('语言').selectOption('en');
    await panel.getByRole('button', { name: 'Import CSV', exact: true }).waitFor();
  });

  it('imports Excel’s “Unicode text” (UTF-16 LE with a BOM, tab-separated)', async () => {
    const tsv = ['名称\t价格\t库存\t商品编码\t卖点', '洛川红富士苹果\t36.80\t\tLC-APPLE-4KG\t现摘现发, 脆甜', '苗家野蜂蜜\t68\t120\tMX-HONEY-500G\t"""野生"" 百花蜜"'].join('\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tsv, 'utf16le')]);
    const readAs = await choose({ button: 'Import CSV', label: 'CSV file', name: 'catalog.txt', mimeType: 'text/plain', bytes, summary: '2 products ready, 0 rows with errors' });
    expect(readAs).toBe('Read as UTF-16 LE · tab-separated');
    await panel.getByRole('button', { name: 'Import 2 products', exact: true }).click();
    await until(async () => bySku(await state(), 'MX-HONEY-500G') !== undefined);
    const s = await state();
    expect(bySku(s, 'LC-APPLE-4KG')).toMatchObject({ name: '洛川红富士苹果', priceMinor: 3680, stock: null, tagline: '现摘现发, 脆甜' });
    expect(bySku(s, 'MX-HONEY-500G')).toMatchObject({ name: '苗家野蜂蜜', priceMinor: 6800, stock: 120, tagline: '"野生" 百花蜜' });
  });

  it('imports a French Excel’s semicolon CSV with decimal commas', async () => {
    const csv = ['sku;nom;prix;prix_barre;stock;origine', 'FR-MIEL;Miel de lavande, bio;12,90;15,00;40;Provence', 'FR-RIZ;Riz de Camargue;4,50;;;Camargue'].join('\r\n');
    const readAs = await choose({ button: 'Import CSV', label: 'CSV file', name: 'catalogue.csv', mimeType: 'text/csv', bytes: Buffer.from(csv, 'utf8'), summary: '2 products ready, 0 rows with errors' });
    expect(readAs).toBe('Read as UTF-8 · semicolon-separated');
    await panel.getByRole('button', { name: 'Import 2 products', exact: true }).click();
    await until(async () => bySku(await state(), 'FR-RIZ') !== undefined);
    const s = await state();
    expect(bySku(s, 'FR-MIEL')).toMatchObject({ name: 'Miel de lavande, bio', priceMinor: 1290, originalPriceMinor: 1500, stock: 40, origin: 'Provence' });
    expect(bySku(s, 'FR-RIZ')).toMatchObject({ name: 'Riz de Camargue', priceMinor: 450, stock: null });
  });

  it('imports a French Excel’s CSV saved in Windows-1252, accents, ’ and œ intact', async () => {
    const csv = ['sku;nom;prix;origine;date_de_récolte', 'FR-MIEL-ETE;Miel d’été, récolté à la main;14,50;Haute-Provence;2026-07-14', 'FR-OEUF;Œufs de poules élevées en plein air;3,90;Bresse;'].join('\r\n');
    const bytes = iconv.encode(csv, 'win1252');
    expect(bytes.includes(0x92)).toBe(true); // ’ is one byte, 0x92, in Windows-1252
    const readAs = await choose({ button: 'Import CSV', label: 'CSV file', name: 'catalogue.csv', mimeType: 'text/csv', bytes, summary: '2 products ready, 0 rows with errors' });
    expect(readAs).toBe('Read as Windows-1252 · semicolon-separated');
    await panel.getByRole('button', { name: 'Import 2 products', exact: true }).click();
    await until(async () => bySku(await state(), 'FR-OEUF') !== undefined);
    const s = await state();
    expect(bySku(s, 'FR-MIEL-ETE')).toMatchObject({ name: 'Miel d’été, récolté à la main', priceMinor: 1450, origin: 'Haute-Provence', harvestDate: '2026-07-14' });
    expect(bySku(s, 'FR-OEUF')).toMatchObject({ name: 'Œufs de poules élevées en plein air', priceMinor: 390, harvestDate: null });
  });

  it('imports an .xlsx workbook’s first sheet with the same columns, loading the workbook reader only then', async () => {
    const loadedScripts = await scriptsParsed(panel);
    await panel.getByRole('button', { name: 'Import CSV', exact: true }).click();
    await panel.getByLabel('CSV file').waitFor({ state: 'attached' });
    const before = loadedScripts();
    // The import is open, its chunk loaded; the workbook reader's is not, until a workbook is chosen.
    expect(before.some((p) => p.includes('/chunks/CsvImport-'))).toBe(true);
    expect(before.filter((p) => p.includes('catalog-workbook'))).toEqual([]);
    const xlsx = await writeXlsxFile([
      {
        sheet: '商品',
        dateFormat: 'yyyy-mm-dd',
        data: [
          ['商品编码', '名称', '价格', '库存', '净重(克)', '等级', '采摘日期', '生产者', '预售发货日期', '预售数量'],
          ['TG-EGG-30', '土鸡蛋 30 枚', 35, 0, 1500, '特级', new Date(Date.UTC(2026, 8, 1)), '黔东南林下养殖合作社', new Date(Date.UTC(2026, 8, 20)), 200],
          ['HT-WALNUT-1KG', '薄皮核桃', 12.9, 300, 1000, '一级', null, null, null, null],
        ],
      },
      { sheet: '说明', data: [['sku', 'name', 'price'], ['NOT-THIS', '第二个工作表', 1]] },
    ]).toBuffer();
    const readAs = await choose({
      button: 'Import CSV',
      label: 'CSV file',
      name: '商品清单.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      bytes: xlsx,
      summary: '2 products ready, 0 rows with errors',
    });
    expect(readAs).toBe('Excel workbook · sheet 1 “商品”');
    expect(loadedScripts().filter((p) => p.includes('/chunks/catalog-workbook-'))).toHaveLength(1);
    await panel.getByRole('button', { name: 'Import 2 products', exact: true }).click();
    await until(async () => bySku(await state(), 'HT-WALNUT-1KG') !== undefined && bySku(await state(), 'TG-EGG-30')?.presale !== null);
    const s = await state();
    expect(bySku(s, 'TG-EGG-30')).toMatchObject({
      name: '土鸡蛋 30 枚',
      priceMinor: 3500,
      stock: 0,
      netWeightGrams: 1500,
      grade: '特级',
      harvestDate: '2026-09-01',
      producer: '黔东南林下养殖合作社',
      presale: { shipBy: '2026-09-20', quota: 200, sold: 0 },
    });
    expect(bySku(s, 'HT-WALNUT-1KG')).toMatchObject({ name: '薄皮核桃', priceMinor: 1290, stock: 300, harvestDate: null });
    expect(bySku(s, 'NOT-THIS')).toBeUndefined();
  });

  it('shows a workbook’s bad rows on their sheet row, worded for the host, and sends nothing until asked', async () => {
    const version = (await state()).version;
    const xlsx = await writeXlsxFile([
      {
        sheet: 'Sheet1',
        data: [
          ['sku', 'name', 'price', 'harvest date'],
          ['WB-OK', 'Walnut oil', 88, '2026-10-01'],
          // Typed as text in a French workbook: "12,90" is not read as 1290 nor 12.9 yuan.
          ['WB-COMMA', 'Honey', '12,90', ''],
          ['WB-DATE', 'Pears', 39.9, '12/09/2026'],
        ],
      },
    ]).toBuffer();
    const readAs = await choose({ button: 'Import CSV', label: 'CSV file', name: 'catalog.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', bytes: xlsx, summary: '1 product ready, 2 rows with errors' });
    expect(readAs).toBe('Excel workbook · sheet 1 “Sheet1”');
    expect(await panel.locator('.csv-errors li').allTextContents()).toEqual([
      'Line 3 · Price “12,90” — Unclear amount: use a point for decimals and commas for thousands, like 59.90 or 1,299.00',
      'Line 4 · Harvest date — Type a real date as YYYY-MM-DD, like 2026-09-12',
    ]);
    await panel.getByTestId('csv-convention').filter({ hasText: 'Number cells are read as they are; prices typed as text are read like 59.90.' }).waitFor();
    await panel.evaluate(() => scrollTo(0, 0));
    await panel.locator('.csv-import').screenshot({ path: join(ARTIFACTS, 'extension-import-xlsx-errors-en.png') });
    expect(await seriousViolations('import-xlsx-errors')).toEqual([]);
    await panel.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations('import-xlsx-errors-dark')).toEqual([]);
    await panel.emulateMedia({ colorScheme: 'light' });
    await panel.locator('.csv-import').getByRole('button', { name: 'Cancel', exact: true }).click();
    await panel.locator('.csv-import').waitFor({ state: 'detached' });
    expect((await state()).version).toBe(version);
  });

  it('refuses an old .xls workbook, saying what to do, and imports nothing (the preview of the file before is gone)', async () => {
    const version = (await state()).version;
    await choose({ button: 'Import CSV', label: 'CSV file', name: 'one.csv', mimeType: 'text/csv', bytes: Buffer.from('sku,name,price\nXLS-NOT,梨,1\n'), summary: '1 product ready, 0 rows with errors' });
    const ole2 = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await panel.getByLabel('CSV file').setInputFiles({ name: 'old.xls', mimeType: 'application/vnd.ms-excel', buffer: ole2 });
    await panel.getByTestId('csv-problem').filter({ hasText: 'This is an old Excel workbook (.xls). Open it in Excel or WPS, save it as .xlsx or CSV, and choose that file.' }).waitFor();
    expect(await panel.getByTestId('csv-summary').count()).toBe(0);
    expect((await state()).version).toBe(version);
  });
});
