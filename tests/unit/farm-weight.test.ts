/**
 * Issue 17's weight sold: Σ sold × netWeightGrams (shared/weight-sold.ts) stays exact through
 * the reducer's sales, voids, weight changes and product removal; the one formatter reads it in
 * kg below 1,000 kg and in tonnes from there; the card prefers the declared weight to the unit
 * text's guess; a harvest date reads in the viewer's language.
 */
import { describe, expect, it } from 'vitest';
import { formatWeight } from '../../shared/money.js';
import { overlayWords as en } from '../../shared/i18n/en/overlay.js';
import { overlayWords as fr } from '../../shared/i18n/fr/overlay.js';
import { overlayWords as zh } from '../../shared/i18n/zh-CN/overlay.js';
import { roomWeightGrams, weightSoldGrams } from '../../shared/weight-sold.js';
import { harvestText } from '../../overlay/page/harvest-date.js';
import { cardWeightGrams } from '../../overlay/page/unit-weight.js';
import { TestRelay } from './room-harness.js';

describe('weight sold through the reducer', () => {
  it('equals Σ sold × netWeightGrams after sales, a void, a weight correction and a removal', () => {
    const r = new TestRelay();
    const pom = r.ok({ type: 'product.add', product: { sku: 'POM', name: '石榴', priceMinor: 5990, netWeightGrams: 5000, stock: 3000 } }).productId!;
    const egg = r.ok({ type: 'product.add', product: { sku: 'EGG', name: '鸡蛋', priceMinor: 3500, unit: '30 eggs' } }).productId!;
    const weight = () => roomWeightGrams(r.state.products);
    r.ok({ id: 's1', type: 'sale.record', productId: pom, quantity: 2000 });
    r.ok({ id: 's2', type: 'sale.record', productId: pom, quantity: 500 });
    r.ok({ id: 's3', type: 'sale.record', productId: egg, quantity: 7 });
    expect(weight()).toBe(12_500_000);
    expect(r.state.totals.weightGrams).toBe(12_500_000);
    expect(weightSoldGrams(r.product(pom)!)).toBe(12_500_000);
    expect(weightSoldGrams(r.product(egg)!)).toBeNull();
    r.ok({ type: 'sale.void', saleId: 's2' });
    expect(weight()).toBe(10_000_000);
    expect(r.state.totals.weightGrams).toBe(10_000_000);
    r.ok({ type: 'sale.refund', saleId: 's1', quantity: 100 });
    expect(r.state.totals.weightGrams).toBe(9_500_000);
    r.ok({ type: 'sale.record', id: 's4', productId: pom, quantity: 100 });
    r.ok({ type: 'product.update', productId: pom, changes: { netWeightGrams: 4500 } });
    expect(weight()).toBe(9_000_000);
    r.ok({ type: 'product.update', productId: pom, changes: { netWeightGrams: null } });
    expect(weight()).toBe(0);
    r.ok({ type: 'product.update', productId: pom, changes: { netWeightGrams: 5000 } });
    r.ok({ type: 'product.remove', productId: pom });
    // The kept total: a removed product's sales keep their weight, as they keep their revenue;
    // the products' sum (the card's line) loses them.
    expect(r.state.totals.sold).toBe(2007);
    expect(r.state.totals.weightGrams).toBe(10_000_000);
    expect(weight()).toBe(0);
  });
});

describe('formatWeight (shared/money.ts)', () => {
  it.each([
    [0, 'zh-CN', zh, '0 kg'],
    [7_500, 'zh-CN', zh, '7.5 kg'],
    [850_000, 'en', en, '850 kg'],
    [999_940, 'en', en, '999.9 kg'],
    [999_960, 'en', en, '1 t'],
    [12_500_000, 'zh-CN', zh, '12.5 吨'],
    [12_600_000, 'en', en, '12.6 t'],
    [1_234_500_000, 'zh-CN', zh, '1,234.5 吨'],
    [12_500_000, 'fr', fr, '12,5 t'],
  ] as const)('%d g in %s reads %s', (grams, locale, words, text) => {
    expect(formatWeight(grams, locale, words)).toBe(text);
  });
});

describe('the card’s weight', () => {
  it('takes the declared net weight over the unit text, and the unit text only without one', () => {
    expect(cardWeightGrams({ sold: 2500, netWeightGrams: 5000, unit: '2 kg box' })).toBe(12_500_000);
    expect(cardWeightGrams({ sold: 3, netWeightGrams: null, unit: '5 kg box' })).toBe(15_000);
    expect(cardWeightGrams({ sold: 3, netWeightGrams: null, unit: '30 eggs' })).toBeNull();
  });
});

describe('harvest date', () => {
  it.each([
    ['2026-09-12', zh.harvested, 'zh-CN', '9月12日采摘'],
    ['2026-09-12', en.harvested, 'en', 'picked 12 Sep'],
    ['2026-01-01', en.harvested, 'en', 'picked 1 Jan'],
    ['2026-09-12', fr.harvested, 'fr', 'cueilli le 12 sept.'],
  ])('%s reads “%s” in %s', (date, template, lang, text) => {
    expect(harvestText(date, template, lang)).toBe(text);
  });
});
