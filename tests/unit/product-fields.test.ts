/**
 * The product field table (shared/product-fields.ts, shared/product-schema.ts) gives exactly
 * what the hand-written code gave before it: the product product.add makes (same keys in the
 * same order, the same blanks), product.update's merge, the CSV header spellings, the form's
 * fields, and input/changes schemas with the same fields and strictness.
 */
import { describe, expect, it } from 'vitest';
import { parseCatalogCsv } from '../../shared/catalog-csv.js';
import { ProductChangesSchema, ProductInputSchema, ProductSchema, type Product } from '../../shared/domain.js';
import { FIELD_OF_CSV_HEADER, newProduct, PRODUCT_FIELDS, withChanges } from '../../shared/product-fields.js';

/**
 * The keys of a product as the reducer wrote them by hand (stored rows and GET /api/rooms keep
 * this order), with the farm fields of issue 17 (one table entry each) after the old fields.
 */
const FARM_FIELDS = ['netWeightGrams', 'grade', 'harvestDate', 'producer', 'traceUrl'];
const PRODUCT_KEYS = ['id', 'sku', 'name', 'priceMinor', 'originalPriceMinor', 'unit', 'stock', 'imageUrl', 'origin', 'tagline', 'obsScene', ...FARM_FIELDS, 'sold', 'revenueMinor', 'soldOutManual', 'soldOut', 'presale'];
/** Their blank values: what a product.add without them, and a product stored before them, holds. */
const FARM_BLANKS = { netWeightGrams: null, grade: '', harvestDate: null, producer: '', traceUrl: null };

/** The CSV header table as shared/catalog-csv.ts spelled it before the field table. */
const OLD_COLUMNS: Record<string, string> = {
  sku: 'sku', 商品编码: 'sku', 货号: 'sku',
  name: 'name', 商品名称: 'name', 名称: 'name', nom: 'name',
  origin: 'origin', 产地: 'origin', origine: 'origin',
  unit: 'unit', 规格: 'unit', 单位: 'unit', unite: 'unit',
  price: 'priceMinor', 价格: 'priceMinor', 售价: 'priceMinor', prix: 'priceMinor',
  original_price: 'originalPriceMinor', 原价: 'originalPriceMinor', prix_barre: 'originalPriceMinor',
  stock: 'stock', 库存: 'stock',
  image_url: 'imageUrl', image: 'imageUrl', 图片: 'imageUrl',
  tagline: 'tagline', 卖点: 'tagline', slogan: 'tagline',
  obs_scene: 'obsScene', scene: 'obsScene', 场景: 'obsScene',
};
/** The farm columns' spellings (issue 17: 净重(克)/net weight (g), 等级/grade, 采摘日期/harvest date, 生产者/producer, 溯源链接/trace URL, and fr). */
const FARM_COLUMNS: Record<string, string> = {
  'net_weight_(g)': 'netWeightGrams', net_weight: 'netWeightGrams', '净重(克)': 'netWeightGrams', '净重（克）': 'netWeightGrams', 净重: 'netWeightGrams',
  'poids_net_(g)': 'netWeightGrams', poids_net: 'netWeightGrams',
  grade: 'grade', 等级: 'grade', calibre: 'grade', catégorie: 'grade', categorie: 'grade',
  harvest_date: 'harvestDate', 采摘日期: 'harvestDate', date_de_récolte: 'harvestDate', date_de_recolte: 'harvestDate', récolte: 'harvestDate', recolte: 'harvestDate',
  producer: 'producer', 生产者: 'producer', producteur: 'producer',
  trace_url: 'traceUrl', 溯源链接: 'traceUrl', lien_de_traçabilité: 'traceUrl', lien_de_tracabilite: 'traceUrl', traçabilité: 'traceUrl', tracabilite: 'traceUrl',
};

const base: Product = newProduct('p1', { sku: 'POM', name: '芦柑', priceMinor: 5990 });

describe('product field table', () => {
  it('has one entry per field of the input schema, and the held product has the same fields', () => {
    expect(Object.keys(ProductInputSchema.shape)).toEqual(PRODUCT_FIELDS);
    // `oversold` is there only after a feed counted beyond the stock ([R11]), `rehearsal` only
    // while the room rehearses ([Rh4]): neither in a new product.
    expect(Object.keys(ProductSchema.shape)).toEqual([...PRODUCT_KEYS, 'oversold', 'rehearsal']);
  });

  it('makes a new product with every blank as product.add did, keys in the same order', () => {
    expect(Object.keys(base)).toEqual(PRODUCT_KEYS);
    expect(base).toEqual({
      id: 'p1', sku: 'POM', name: '芦柑', priceMinor: 5990, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
      origin: '', tagline: '', obsScene: null, ...FARM_BLANKS, sold: 0, revenueMinor: 0, soldOutManual: false, soldOut: false, presale: null,
    });
    expect(newProduct('p2', { sku: 'E', name: 'e', priceMinor: 1, stock: 0, obsScene: '' })).toMatchObject({ stock: 0, soldOut: true, obsScene: null });
    expect(newProduct('p3', { sku: 'E', name: 'e', priceMinor: 1, obsScene: 'Close-up', imageUrl: null, unit: 'kg' })).toMatchObject({ obsScene: 'Close-up', imageUrl: null, unit: 'kg' });
  });

  it('merges product.update changes as before: given fields only, obsScene "" is null, stock untouched', () => {
    const p = { ...base, stock: 4, obsScene: 'A' };
    expect(withChanges(p, { tagline: 'new', obsScene: '' })).toEqual({ ...p, tagline: 'new', obsScene: null });
    expect(withChanges(p, { originalPriceMinor: null })).toEqual({ ...p, originalPriceMinor: null });
    expect(withChanges(p, { stock: 9 } as never)).toEqual(p);
    expect(Object.keys(withChanges(p, { name: 'x' }))).toEqual(PRODUCT_KEYS);
  });

  it('keeps the changes schema: every field but stock, strict, at least one', () => {
    expect(Object.keys(ProductChangesSchema.shape)).toEqual(PRODUCT_FIELDS.filter((f) => f !== 'stock'));
    expect(ProductChangesSchema.safeParse({ stock: 1 }).success).toBe(false);
    expect(ProductChangesSchema.safeParse({}).error?.issues[0]?.message).toBe('must change at least one field');
    expect(ProductChangesSchema.safeParse({ name: 'x', colour: 'red' }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('reads the same CSV header spellings in zh-CN, en and fr', () => {
    expect(FIELD_OF_CSV_HEADER).toEqual({ ...OLD_COLUMNS, ...FARM_COLUMNS });
    const r = parseCatalogCsv('货号,名称,售价,prix_barre,库存,单位,产地,卖点,图片,场景\nA1,苹果,12.50,15,3,kg,烟台,脆,https://x.example/a.jpg,特写\n', 'CNY');
    expect(r.errors).toEqual([]);
    expect(r.rows[0]?.product).toEqual({ sku: 'A1', name: '苹果', priceMinor: 1250, originalPriceMinor: 1500, stock: 3, unit: 'kg', origin: '烟台', tagline: '脆', imageUrl: 'https://x.example/a.jpg', obsScene: '特写' });
  });

  it('does not take a header named after an Object property for a column', () => {
    const r = parseCatalogCsv('sku,name,price,constructor\nA,a,1,x\n', 'CNY');
    expect(r.ignoredColumns).toEqual(['constructor']);
    expect(r.errors).toEqual([]);
  });
});

describe('farm fields (issue 17): one table entry each', () => {
  it('takes each within its limits and refuses it outside them, naming the field', () => {
    const ok = { sku: 'YS-POM', name: '会理石榴', priceMinor: 6990 };
    const good = { netWeightGrams: 5000, grade: '特级 · 果径 80 mm+', harvestDate: '2026-09-12', producer: '会理县石榴专业合作社', traceUrl: 'https://trace.example/ys' };
    expect(ProductInputSchema.parse({ ...ok, ...good })).toEqual({ ...ok, ...good });
    expect(ProductInputSchema.parse({ ...ok, netWeightGrams: null, harvestDate: null, traceUrl: null })).toMatchObject({ netWeightGrams: null });
    const refused: [Record<string, unknown>, string][] = [
      [{ netWeightGrams: 0 }, 'netWeightGrams'],
      [{ netWeightGrams: 12.5 }, 'netWeightGrams'],
      [{ netWeightGrams: '5000' }, 'netWeightGrams'],
      [{ grade: 'x'.repeat(21) }, 'grade'],
      [{ harvestDate: '2026-02-29' }, 'harvestDate'],
      [{ harvestDate: '2026-04-31' }, 'harvestDate'],
      [{ harvestDate: '2026/09/12' }, 'harvestDate'],
      [{ harvestDate: '12 Sep 2026' }, 'harvestDate'],
      [{ producer: 'x'.repeat(61) }, 'producer'],
      [{ traceUrl: 'ftp://trace.example/x' }, 'traceUrl'],
      [{ traceUrl: 'javascript:alert(1)' }, 'traceUrl'],
    ];
    for (const [bad, field] of refused) {
      const r = ProductInputSchema.safeParse({ ...ok, ...bad });
      expect(r.success, JSON.stringify(bad)).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.')), JSON.stringify(bad)).toEqual([field]);
    }
    expect(ProductInputSchema.parse({ ...ok, harvestDate: '2028-02-29' }).harvestDate).toBe('2028-02-29');
  });

  it('product.add holds their blanks, product.update changes them ("" clears a date or link)', () => {
    const p = newProduct('p1', { sku: 'A', name: 'a', priceMinor: 1, netWeightGrams: 5000, harvestDate: '2026-09-12', traceUrl: 'https://t.example/a' });
    expect(p).toMatchObject({ netWeightGrams: 5000, grade: '', harvestDate: '2026-09-12', producer: '', traceUrl: 'https://t.example/a' });
    expect(withChanges(p, ProductChangesSchema.parse({ grade: '一级', netWeightGrams: null }))).toMatchObject({ grade: '一级', netWeightGrams: null });
    expect(withChanges(p, { harvestDate: '', traceUrl: '' } as never)).toMatchObject({ harvestDate: null, traceUrl: null });
  });

  it('imports the presale columns (预售发货日期/presale ships, 预售数量/presale quota) as a row\'s presale, with a per-row error for each wrong cell', () => {
    const zh = parseCatalogCsv(
      [
        '货号,名称,售价,库存,预售发货日期,预售数量',
        'YS-POM,会理石榴,69.90,0,2026-09-20,500',
        'DS-PEAR,砀山梨,39.90,10,2026-10-01,',
        'RICE,大米,59.90,,,',
        'BAD-1,a,1,0,,20',
        'BAD-2,b,1,0,2026-02-30,20',
        'BAD-3,c,1,0,20/09/2026,',
        'BAD-4,d,1,0,2026-09-20,lots',
        'BAD-5,e,1,0,2026-09-20,0',
      ].join('\n'),
      'CNY',
    );
    expect(zh.ignoredColumns).toEqual([]);
    expect(zh.rows.map((r) => [r.product.sku, r.presale])).toEqual([
      ['YS-POM', { shipBy: '2026-09-20', quota: 500 }],
      ['DS-PEAR', { shipBy: '2026-10-01', quota: null }],
      ['RICE', null],
    ]);
    expect(zh.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [5, 'shipBy', 'required'],
      [6, 'shipBy', 'date'],
      [7, 'shipBy', 'date'],
      [8, 'quota', 'not_whole_number'],
      [9, 'quota', 'invalid'],
    ]);
    const en = parseCatalogCsv('SKU,Name,Price,Stock,Presale ships,Presale quota\nA,a,1,0,2026-09-20,25\n', 'CNY');
    expect(en.errors).toEqual([]);
    expect(en.rows[0]?.presale).toEqual({ shipBy: '2026-09-20', quota: 25 });
  });

  it('imports the zh-CN, English and French columns, with a per-row error for each wrong cell', () => {
    const zh = parseCatalogCsv(
      [
        '货号,名称,售价,净重(克),等级,采摘日期,生产者,溯源链接',
        'YS-POM,会理石榴,69.90,5000,特级,2026-09-12,会理县石榴专业合作社,https://trace.example/ys',
        'DS-PEAR,砀山梨,39.90,,,,,',
        'BAD-1,a,1,5kg,,,,',
        'BAD-2,b,1,0,,,,',
        'BAD-3,c,1,,特级特级特级特级特级特级特级特级特级特级特级,,,',
        'BAD-4,d,1,,,2026-02-30,,',
        'BAD-5,e,1,,,2026/9/12,,',
        'BAD-6,f,1,,,,,ftp://trace.example/x',
        `BAD-7,g,1,,,,${'农'.repeat(61)},`,
      ].join('\n'),
      'CNY',
    );
    expect(zh.rows.map((r) => r.product)).toEqual([
      { sku: 'YS-POM', name: '会理石榴', priceMinor: 6990, netWeightGrams: 5000, grade: '特级', harvestDate: '2026-09-12', producer: '会理县石榴专业合作社', traceUrl: 'https://trace.example/ys' },
      { sku: 'DS-PEAR', name: '砀山梨', priceMinor: 3990, netWeightGrams: null },
    ]);
    expect(zh.errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [4, 'net_weight', 'whole_number'],
      [5, 'netWeightGrams', 'invalid'],
      [6, 'grade', 'too_long'],
      [7, 'harvestDate', 'date'],
      [8, 'harvestDate', 'date'],
      [9, 'traceUrl', 'url'],
      [10, 'producer', 'too_long'],
    ]);
    const en = parseCatalogCsv('SKU,Name,Price,Net weight (g),Grade,Harvest date,Producer,Trace URL\nA,a,1,2500,Grade A,2026-09-01,Farm,http://t.example/a\n', 'CNY');
    expect(en.errors).toEqual([]);
    expect(en.rows[0]?.product).toMatchObject({ netWeightGrams: 2500, grade: 'Grade A', harvestDate: '2026-09-01', producer: 'Farm', traceUrl: 'http://t.example/a' });
    const fr = parseCatalogCsv('sku;nom;prix;poids net (g);catégorie;date de récolte;producteur;lien de traçabilité\nA;a;1,50;750;Extra;2026-09-01;GAEC;https://t.example/a\n', 'EUR');
    expect(fr.errors).toEqual([]);
    expect(fr.rows[0]?.product).toMatchObject({ priceMinor: 150, netWeightGrams: 750, grade: 'Extra', harvestDate: '2026-09-01', producer: 'GAEC', traceUrl: 'https://t.example/a' });
  });
});
