/** What the results poster writes (issue 19): sums as a poster says them, the hero figure, the best sellers' order. */
import { describe, expect, it } from 'vitest';
import { posterContent, posterMoney } from '../../overlay/report/poster-figures';
import { wordsFor } from '../../overlay/report/words';
import type { ShowReport } from '../../shared/show-report';

describe('posterMoney', () => {
  it('writes a county-sized sum as 257万元 in Chinese, compact with the currency elsewhere, in full below 10,000', () => {
    expect(posterMoney(257_000_000, 'CNY', 'zh-CN')).toBe('257万元');
    expect(posterMoney(1_725_000, 'CNY', 'zh-CN')).toBe('1.7万元');
    expect(posterMoney(875_490, 'CNY', 'zh-CN')).toBe('¥8,754.90');
    expect(posterMoney(257_000_000, 'CNY', 'en')).toBe('CN¥2.6M');
    expect(posterMoney(257_000_000, 'EUR', 'fr')).toBe('2,6\u00a0M\u00a0€');
    // Yen have no minor digits: 25,000 yen is 25,000 units, compact.
    expect(posterMoney(25_000, 'JPY', 'en')).toBe('¥25K');
  });
});

describe('posterContent', () => {
  const report = {
    room: 'r1',
    from: Date.UTC(2026, 8, 12, 11),
    to: Date.UTC(2026, 8, 12, 13),
    totals: { orders: 2600, units: 2900, revenueMinor: 17_251_000, refundedMinor: 0, weightGrams: 14_500_000 },
    products: [
      { productId: 'a', sku: 'EGG', name: '土鸡蛋', units: 400, revenueMinor: 1_400_000, refundedUnits: 0, weightGrams: null, onAirMs: 0, unitsWhileOnAir: 0, soldOutAt: null },
      { productId: 'b', sku: 'PG', name: '会理软籽石榴', units: 2500, revenueMinor: 15_851_000, refundedUnits: 0, weightGrams: 12_500_000, onAirMs: 0, unitsWhileOnAir: 0, soldOutAt: null },
      { productId: 'c', sku: 'X', name: '未售', units: 0, revenueMinor: 0, refundedUnits: 0, weightGrams: null, onAirMs: 0, unitsWhileOnAir: 0, soldOutAt: null },
    ],
    sources: [],
    timeline: [],
  } as unknown as ShowReport;

  it('leads with the tonnes when the goods have a net weight, the best seller first, unsold products left out', () => {
    const c = posterContent({ title: '会理石榴专场', currency: 'CNY', locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, report, wordsFor('zh-CN'));
    expect(c.hero).toEqual({ label: '已售', value: '14.5 吨' });
    expect(c.figures).toEqual([{ label: '销售额', value: '17.3万元' }, { label: '订单', value: '2,600' }, { label: '件数', value: '2,900' }]);
    expect(c.top.rows).toEqual([{ name: '会理软籽石榴', value: '2,500 件 · 12.5 吨' }, { name: '土鸡蛋', value: '400 件' }]);
    expect(c.date).toBe('2026年9月12日');
  });

  it('leads with the revenue when no product has a weight, in the room language', () => {
    const c = posterContent({ title: 'Market day', currency: 'EUR', locale: 'fr', timeZone: 'Europe/Paris' }, { ...report, totals: { ...report.totals, weightGrams: 0 } }, wordsFor('fr'));
    expect(c.hero.label).toBe('Chiffre d’affaires');
    expect(c.figures.map((f) => f.label)).toEqual(['Commandes', 'Unités']);
    expect(c.top.rows[0]!.value).toBe('2\u202f500 vendus · 12,5 t');
    expect(c.date).toBe('12 septembre 2026');
  });
});
