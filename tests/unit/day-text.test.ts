import { describe, expect, it } from 'vitest';
import { dayText } from '../../extension/ui/day-text';

const IN_2026 = Date.UTC(2026, 5, 1);

describe('dayText: a presale ship date in the console language (#17)', () => {
  it.each([
    ['zh-CN', '9月20日'],
    ['en', 'Sep 20'],
    ['fr', '20 sept.'],
  ])('%s writes 2026-09-20 as %s in 2026', (locale, text) => {
    expect(dayText('2026-09-20', locale, IN_2026)).toBe(text);
  });

  it('keeps the year when it is not the current one', () => {
    expect(dayText('2027-01-05', 'en', IN_2026)).toBe('Jan 5, 2027');
    expect(dayText('2027-01-05', 'zh-CN', IN_2026)).toBe('2027年1月5日');
  });

  it('never shifts the day with the time zone (read in UTC)', () => {
    expect(dayText('2026-01-01', 'en', IN_2026)).toBe('Jan 1');
    expect(dayText('2026-12-31', 'en', IN_2026)).toBe('Dec 31');
  });
});
