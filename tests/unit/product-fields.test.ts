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

/** The keys of a product as the reducer wrote them by hand (stored rows and GET /api/rooms keep this order). */
const PRODUCT_KEYS = ['id', 'sku', 'name', 'priceMinor', 'originalPriceMinor', 'unit', 'stock', 'imageUrl', 'origin', 'tagline', 'obsScene', 'sold', 'revenueMinor', 'soldOutManual', 'soldOut'];

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

const base: Product = newProduct('p1', { sku: 'POM', name: '芦柑', priceMinor: 5990 });

describe('product field table', () => {
  it('has one entry per field of the input schema, and the held product has the same fields', () => {
    expect(Object.keys(ProductInputSchema.shape)).toEqual(PRODUCT_FIELDS);
    expect(Object.keys(ProductSchema.shape)).toEqual(PRODUCT_KEYS);
  });

  it('makes a new product with every blank as product.add did, keys in the same order', () => {
    expect(Object.keys(base)).toEqual(PRODUCT_KEYS);
    expect(base).toEqual({
      id: 'p1', sku: 'POM', name: '芦柑', priceMinor: 5990, originalPriceMinor: null, unit: '', stock: null, imageUrl: null,
      origin: '', tagline: '', obsScene: null, sold: 0, revenueMinor: 0, soldOutManual: false, soldOut: false,
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
    expect(FIELD_OF_CSV_HEADER).toEqual(OLD_COLUMNS);
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
