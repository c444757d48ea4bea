/**
 * parseCatalogCsv finds a file's separator with no setting (papaparse's guess: the candidate
 * that splits every line into the same number of cells): a comma (English/Chinese Excel, WPS,
 * LibreOffice), a semicolon (a French or German Excel, whose decimal comma takes the comma), a
 * tab (a paste from a spreadsheet, Excel's "Unicode text"). `delimiter` says which it read,
 * and the prices follow that file's convention (fileDecimalMark).
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from '../../shared/catalog-csv.js';

describe('parseCatalogCsv: the separator, found with no setting', () => {
  it('reads a semicolon file with decimal commas (a French Excel’s “CSV (séparateur : point-virgule)”)', () => {
    const csv = ['sku;nom;prix;prix_barre;stock;origine', 'FR-MIEL;Miel de lavande, bio;12,90;15,00;40;Provence', 'FR-RIZ;Riz de Camargue;4,50;;;Camargue'].join('\r\n');
    const r = parseCatalogCsv(csv, 'EUR');
    expect(r).toMatchObject({ delimiter: ';', decimalMark: ',', errors: [] });
    expect(r.rows.map((x) => x.product)).toEqual([
      { sku: 'FR-MIEL', name: 'Miel de lavande, bio', priceMinor: 1290, originalPriceMinor: 1500, stock: 40, origin: 'Provence' },
      { sku: 'FR-RIZ', name: 'Riz de Camargue', priceMinor: 450, stock: null, origin: 'Camargue' },
    ]);
  });

  it('reads a tab-separated paste from a spreadsheet, commas in its cells and all', () => {
    const tsv = ['名称\t价格\t库存\t商品编码\t卖点', '砀山酥梨\t39.90\t\tDS-PEAR\t皮薄, 多汁', '洛川苹果礼盒\t1,299.00\t5\tLC-GIFT\t现摘现发'].join('\n');
    const r = parseCatalogCsv(tsv, 'CNY');
    expect(r).toMatchObject({ delimiter: '\t', decimalMark: '.', errors: [] });
    expect(r.rows.map((x) => [x.product.sku, x.product.name, x.product.priceMinor, x.product.stock, x.product.tagline])).toEqual([
      ['DS-PEAR', '砀山酥梨', 3990, null, '皮薄, 多汁'],
      ['LC-GIFT', '洛川苹果礼盒', 129900, 5, '现摘现发'],
    ]);
  });

  it('reads a French tab-separated paste (or “texte Unicode”) with decimal commas: its prices say so', () => {
    const tsv = ['sku\tnom\tprix\tprix_barre\tstock', 'FR-MIEL\tMiel, bio\t12,90\t15\t40', 'FR-HUILE\tHuile d’olive\t1 299,00\t\t'].join('\r\n');
    const r = parseCatalogCsv(tsv, 'EUR');
    expect(r).toMatchObject({ delimiter: '\t', decimalMark: ',', errors: [] });
    expect(r.rows.map((x) => [x.product.priceMinor, x.product.originalPriceMinor])).toEqual([[1290, 1500], [129900, undefined]]);
  });

  it('reads a tab file’s prices with a point unless they show a decimal comma, and refuses what is unclear', () => {
    // Whole prices: no evidence, a point (59 is 59 either way).
    expect(parseCatalogCsv('sku\tname\tprice\nA\ta\t59\nB\tb\t1,299\n', 'CNY')).toMatchObject({ decimalMark: '.', errors: [], rows: [{ product: { priceMinor: 5900 } }, { product: { priceMinor: 129900 } }] });
    // Both marks as decimals in one file: read with a point, and the comma row is refused, not guessed.
    const mixed = parseCatalogCsv('sku\tname\tprice\nA\ta\t12.90\nB\tb\t12,90\n', 'CNY');
    expect(mixed).toMatchObject({ decimalMark: '.', rows: [{ product: { priceMinor: 1290 } }] });
    expect(mixed.errors.map((e) => [e.line, e.field, e.code])).toEqual([[3, 'price', 'separators']]);
    // A comma in a name is no price: only the money columns count.
    expect(parseCatalogCsv('sku\tname\tprice\nA\tHoney, 12,5 kg\t12.90\n', 'CNY')).toMatchObject({ decimalMark: '.', errors: [] });
  });

  it('reads a comma file whose cells hold semicolons and tabs', () => {
    const r = parseCatalogCsv('sku,name,price,tagline\nA1,苹果,12.50,甜;脆\nA2,梨,8,"多汁\t皮薄"\n', 'CNY');
    expect(r).toMatchObject({ delimiter: ',', decimalMark: '.', errors: [] });
    expect(r.rows.map((x) => x.product.tagline)).toEqual(['甜;脆', '多汁\t皮薄']);
  });

  it('finds the separator of any catalog a spreadsheet writes with “,”, “;” or a tab, and reads its prices in that file’s convention', () => {
    const cell = fc
      .string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', ';', '\t', '"', '苹', '果', '|'), minLength: 1, maxLength: 10 })
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    const productArb = fc.record({ name: cell, priceMinor: fc.integer({ min: 0, max: 1_000_000 }), stock: fc.option(fc.integer({ min: 0, max: 999 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(productArb, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'), (products, delimiter, newline) => {
        const mark = delimiter === ';' ? ',' : '.';
        const price = (minor: number) => `${Math.floor(minor / 100)}${mark}${String(minor % 100).padStart(2, '0')}`;
        const csv = Papa.unparse(
          products.map((p, i) => ({ sku: `SKU-${i}`, name: p.name, price: price(p.priceMinor), stock: p.stock ?? '' })),
          { delimiter, newline },
        );
        const r = parseCatalogCsv(csv, 'CNY');
        expect(r).toMatchObject({ delimiter, decimalMark: mark, errors: [] });
        expect(r.rows.map((x) => x.product)).toEqual(products.map((p, i) => ({ sku: `SKU-${i}`, name: p.name, priceMinor: p.priceMinor, stock: p.stock })));
      }),
      { numRuns: 500 },
    );
  });
});
