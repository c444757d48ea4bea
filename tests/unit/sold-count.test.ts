/**
 * The seller consoles' units-sold figures (shared/sold-count.ts): the formats issue 13 lists,
 * the ones the consoles really mix in (full-width digits, 万+ lower bounds, a price or a stock
 * count beside the figure), and properties over every integer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSoldCount } from '../../shared/sold-count.js';

describe('parseSoldCount', () => {
  it.each([
    ['12,345', 12_345, true],
    ['1.2万', 12_000, false],
    ['3.5w', 35_000, false],
    ['3.5W', 35_000, false],
    ['已售 3,210 件', 3_210, true],
    ['Sold 1.2K', 1_200, false],
    ['Sold 1.2K units', 1_200, false],
    ['1.2M sold', 1_200_000, false],
    ['10万+', 100_000, false],
    ['已售10万+件', 100_000, false],
    ['2.35万', 23_500, false],
    ['1.2亿', 120_000_000, false],
    ['8千', 8_000, false],
    ['０', 0, true],
    ['已售１２，３４５件', 12_345, true],
    ['12\u202F345 vendus', 12_345, true],
    ['12\u00A0345', 12_345, true],
    ['销量 2.1万 | 库存 300', 21_000, false],
    ['库存 300 已售 12', 12, true],
    ['¥59.9 已售 3,210 件', 3_210, true],
    ['59元 已售 88', 88, true],
    ['5kg 装 · 已售 1,024', 1_024, true],
    ['  987  ', 987, true],
  ])('%s → %d units (exact: %s)', (text, units, exact) => {
    expect(parseSoldCount(text)).toEqual({ units, exact });
  });

  it.each([
    ['--'],
    [''],
    ['暂无销量'],
    ['¥59.9'],
    ['59.9'],
    ['5kg'],
    ['2024 12 03'], // several numbers and no "sold" word: which one is not guessed
    ['12 / 30'],
  ])('%j → null (no units-sold figure to read)', (text) => {
    expect(parseSoldCount(text)).toBeNull();
  });

  it('reads back any whole number written with or without thousands separators, in ASCII or full-width digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.boolean(), fc.boolean(), (n, grouped, fullWidth) => {
        let text = grouped ? n.toLocaleString('en-US') : String(n);
        if (fullWidth) text = text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0)).replace(/,/g, '\uFF0C');
        expect(parseSoldCount(`已售 ${text} 件`)).toEqual({ units: n, exact: true });
      }),
    );
  });

  it('a 万 figure with one decimal is its exact lower bound, never a float rounding below or above it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999 }), fc.integer({ min: 0, max: 9 }), (whole, tenth) => {
        expect(parseSoldCount(`${whole}.${tenth}万`)).toEqual({ units: whole * 10_000 + tenth * 1_000, exact: false });
      }),
    );
  });

  it('never throws and never answers a negative, fractional or unsafe count, whatever the page shows', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const got = parseSoldCount(text);
        if (got !== null) {
          expect(Number.isSafeInteger(got.units)).toBe(true);
          expect(got.units).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
