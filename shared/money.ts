/**
 * Money is integer minor units plus an ISO 4217 currency code. This module is the one
 * place that converts between what a person types ("59.90") and minor units (5990),
 * and the one formatter for money and counts (house rule 12).
 */

const digitsCache = new Map<string, number>();

/** Number of minor-unit digits of a currency (CNY 2, JPY 0, KWD 3), from Intl. */
export function currencyDigits(currency: string): number {
  let d = digitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, d);
  }
  return d;
}

/**
 * Parses a decimal amount as a host types it ("59.90", "¥1,299", "128") into minor units,
 * without going through floating point. Returns null when it is not a plain amount, has
 * more decimals than the currency allows, or uses a comma as the decimal mark ("12,50"):
 * refusing is safer than reading a price a hundred times too high.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  // Strip a leading symbol or code ("¥", "US$", "CNY ") but never a "." or ",": ".99" is
  // 0.99, not 99.
  const cleaned = text.trim().replace(/^[^\d.,-]+/, '').replace(/[\s_]/g, '');
  const m = /^(\d[\d,]*)?(?:\.(\d*))?$/.exec(cleaned);
  if (!m || (m[1] === undefined && !m[2])) return null;
  // A comma is only a thousands separator when a group of three digits follows it
  // ("1,299", Indian "1,29,900"). "12,50" is a decimal comma: refused, not read as 1250.
  if (m[1] !== undefined && m[1].includes(',') && !/^\d+(?:,\d+)*,\d{3}$/.test(m[1])) return null;
  const whole = (m[1] ?? '0').replace(/,/g, '');
  let frac = m[2] ?? '';
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) return null;
    frac = frac.slice(0, digits);
  }
  frac = frac.padEnd(digits, '0');
  const value = Number(whole) * 10 ** digits + (frac ? Number(frac) : 0);
  return Number.isSafeInteger(value) ? value : null;
}

/** Minor units back to the plain decimal string a form field shows ("59.90"). */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const neg = minor < 0 ? '-' : '';
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${neg}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

const fmtCache = new Map<string, Intl.NumberFormat>();
function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = fmtCache.get(key);
  if (!f) {
    f = make();
    fmtCache.set(key, f);
  }
  return f;
}

/** "¥59.90" / "59,90 €" for the room's locale and currency. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const f = cached(`m|${locale}|${currency}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }),
  );
  // Division by a power of ten is exact enough for display of safe-integer amounts.
  return f.format(minor / 10 ** digits);
}

/** Grouped integer count ("1,600" / "1 600"). */
export function formatCount(n: number, locale: string): string {
  return cached(`c|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(n);
}
