/**
 * A workbook's first sheet goes down the CSV's path (shared/catalog-csv.ts parseCatalogRows):
 * the same column aliases, the same checks, the same errors, each on the sheet's own row. The
 * workbooks are written here by write-excel-file and read by extension/ui/catalog-file.ts with
 * read-excel-file's browser build (it runs on Node's Blob and ArrayBuffer as in the side panel).
 */
import writeXlsxFile from 'write-excel-file/node';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { catalogCellText, parseCatalogCsv, parseCatalogRows } from '../../shared/catalog-csv.js';
import { catalogSourceText, readCatalogFile } from '../../extension/ui/catalog-file.js';
import { translator } from '../../extension/ui/i18n.js';

const blob = (b: Uint8Array | Buffer) => new Blob([new Uint8Array(b)]);

describe('catalogCellText: a cell as the text a CSV would hold', () => {
  it.each([
    [null, ''],
    ['永胜软籽石榴', '永胜软籽石榴'],
    [12.9, '12.9'],
    [12.899999999999999, '12.9'],
    [1600, '1600'],
    [0.1 + 0.2, '0.3'],
    [new Date(Date.UTC(2026, 8, 12)), '2026-09-12'],
    [true, 'TRUE'],
    [Number.NaN, ''],
  ])('%s → %j', (cell, text) => {
    expect(catalogCellText(cell)).toBe(text);
  });
});

describe('parseCatalogRows: a sheet’s rows, read as the CSV is', () => {
  it('gives the same products as the same catalog in CSV', () => {
    const rows = [
      ['商品编码', '名称', '价格', '库存', '采摘日期'],
      ['YS-POM-5KG', '永胜软籽石榴', '59.9', '1600', '2026-09-12'],
      ['DS-PEAR', '砀山酥梨', '39.90', '', ''],
    ];
    const csv = rows.map((r) => r.join(',')).join('\n');
    const fromRows = parseCatalogRows(rows, 'CNY');
    expect(fromRows).toMatchObject({ errors: [], ignoredColumns: [], decimalMark: '.', delimiter: null });
    expect(fromRows.rows).toEqual(parseCatalogCsv(csv, 'CNY').rows);
    expect(fromRows.rows[0]?.product).toMatchObject({ priceMinor: 5990, stock: 1600, harvestDate: '2026-09-12' });
  });

  it('numbers rows as the sheet does: empty rows skipped, the header the first filled row, errors on their row', () => {
    const rows = [
      ['', '', ''],
      ['SKU', 'Name', 'Price', ''],
      ['A1', '苹果', '12.50', '备注'],
      ['', '', ''],
      ['A2', '梨', 'abc'],
      ['A1', '又是苹果', '3'],
    ];
    const r = parseCatalogRows(rows, 'CNY');
    expect(r.rows.map((x) => [x.line, x.product.sku])).toEqual([[3, 'A1']]);
    expect(r.errors.map(({ line, field, code }) => ({ line, field, code }))).toEqual([
      { line: 5, field: 'price', code: 'not_amount' },
      { line: 6, field: 'sku', code: 'duplicate_sku' },
    ]);
    // The cell under no header is nobody's column: not listed as ignored, not an error.
    expect(r.ignoredColumns).toEqual([]);
  });

  it('reports missing columns on the header’s own row, and an empty sheet as missing them all', () => {
    expect(parseCatalogRows([[], ['sku', 'name']], 'CNY').errors).toEqual([{ line: 2, field: '(header)', code: 'missing_columns', params: { columns: 'price' } }]);
    expect(parseCatalogRows([], 'CNY').errors).toEqual([{ line: 1, field: '(header)', code: 'missing_columns', params: { columns: 'sku, name, price' } }]);
  });

  it('keeps the first of two columns with one name, as the CSV does', () => {
    const rows = [['sku', 'name', 'price', 'name'], ['A1', '苹果', '1', 'other']];
    expect(parseCatalogRows(rows, 'CNY')).toMatchObject({ rows: [{ product: { name: '苹果' } }], ignoredColumns: ['name_1'] });
    expect(parseCatalogCsv(rows.map((r) => r.join(',')).join('\n'), 'CNY').ignoredColumns).toEqual(['name_1']);
  });
});

describe('readCatalogFile: an .xlsx written by write-excel-file, a text file in any encoding', () => {
  const columns = [
    ['商品编码', '名称', '价格', '原价', '库存', '净重(克)', '等级', '采摘日期', '生产者', '预售发货日期', '预售数量'],
    ['YS-POM-5KG', '永胜软籽石榴', 59.9, 79.9, 1600, 5000, '特级', new Date(Date.UTC(2026, 8, 12)), '永胜县石榴种植专业合作社', new Date(Date.UTC(2026, 8, 20)), 500],
    ['DS-PEAR', '砀山酥梨', 39.9, null, null, null, '一级', null, null, null, null],
  ];

  it('reads the first sheet with the CSV’s column aliases: numbers as prices, dates as YYYY-MM-DD', async () => {
    const xlsx = await writeXlsxFile([
      { sheet: '商品', data: columns, dateFormat: 'yyyy-mm-dd' },
      { sheet: 'Other', data: [['sku', 'name', 'price'], ['X', 'not this sheet', 1]] },
    ]).toBuffer();
    const read = await readCatalogFile(blob(xlsx), 'CNY');
    if (!read.ok) throw new Error(read.problem);
    expect(read.source).toEqual({ kind: 'workbook', sheet: '商品', sheetNumber: 1 });
    expect(read.parsed.errors).toEqual([]);
    expect(read.parsed.rows).toEqual([
      {
        line: 2,
        product: { sku: 'YS-POM-5KG', name: '永胜软籽石榴', priceMinor: 5990, originalPriceMinor: 7990, stock: 1600, netWeightGrams: 5000, grade: '特级', harvestDate: '2026-09-12', producer: '永胜县石榴种植专业合作社' },
        presale: { shipBy: '2026-09-20', quota: 500 },
      },
      { line: 3, product: { sku: 'DS-PEAR', name: '砀山酥梨', priceMinor: 3990, stock: null, netWeightGrams: null, grade: '一级' }, presale: null },
    ]);
    expect(catalogSourceText(read.source, read.parsed.delimiter, translator('zh-CN'))).toBe('Excel 工作簿 · 第 1 个工作表「商品」');
    expect(catalogSourceText(read.source, read.parsed.delimiter, translator('en'))).toBe('Excel workbook · sheet 1 “商品”');
  });

  it('says in the preview which encoding and separator it read', async () => {
    const gbk = await readCatalogFile(blob(iconv.encode('商品编码;名称;价格\nA1;苹果;12,90\n', 'gbk')), 'CNY');
    if (!gbk.ok) throw new Error(gbk.problem);
    expect(gbk.parsed.rows.map((x) => [x.product.name, x.product.priceMinor])).toEqual([['苹果', 1290]]);
    expect(catalogSourceText(gbk.source, gbk.parsed.delimiter, translator('zh-CN'))).toBe('读取为 GBK · 分号分隔');
    expect(catalogSourceText(gbk.source, gbk.parsed.delimiter, translator('en'))).toBe('Read as GBK · semicolon-separated');
    expect(catalogSourceText(gbk.source, gbk.parsed.delimiter, translator('fr'))).toBe('Lu en GBK · séparé par des points-virgules');
    const tab = await readCatalogFile(blob(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('sku\tname\tprice\nA1\tTea\t3\n', 'utf16le')])), 'CNY');
    if (!tab.ok) throw new Error(tab.problem);
    expect(catalogSourceText(tab.source, tab.parsed.delimiter, translator('en'))).toBe('Read as UTF-16 LE · tab-separated');
  });

  it('refuses an old .xls and a zip that is no workbook, saying what to do', async () => {
    const ole2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(await readCatalogFile(blob(ole2), 'CNY')).toEqual({ ok: false, problem: 'old_xls' });
    // An empty zip archive: the end-of-central-directory record alone… preceded by a local header signature.
    const notWorkbook = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(40)]);
    expect(await readCatalogFile(blob(notWorkbook), 'CNY')).toEqual({ ok: false, problem: 'workbook_unreadable' });
  });
});
