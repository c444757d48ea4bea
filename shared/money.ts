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
 * The decimal mark a person types in a language: "." (en, zh-CN) or "," (fr), from Intl so a
 * new console language needs no table here. Not UI wording: which character separates decimals.
 */
export type DecimalMark = '.' | ',';
const markCache = new Map<string, DecimalMark>();
export function decimalMarkOf(locale: string): DecimalMark {
  let m = markCache.get(locale);
  if (m === undefined) {
    m = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value === ',' ? ',' : '.';
    markCache.set(locale, m);
  }
  return m;
}

/**
 * Why a typed amount was refused, as a code the UI words in the host's language:
 * `separators` the marks do not follow the language's convention ("12,50" in English, "1.299,00"
 * in French, "12 50"); `ambiguous` three digits after the decimal mark in a currency with one or
 * two minor digits ("1.299" CNY: 1.299 yuan cannot be, 1 299 yuan could); `too_many_decimals`
 * more minor digits than the currency has ("12.5" or "12.000" JPY).
 */
export type MoneyError = 'empty' | 'not_amount' | 'negative' | 'separators' | 'ambiguous' | 'too_many_decimals' | 'too_large';
export type MoneyParse = { ok: true; minor: number } | { ok: false; error: MoneyError };

/** Thousands may be grouped by a space, a no-break space or a narrow no-break space (what Intl fr writes). */
const SPACE = /[ \u00a0\u202f]/;
const SPACE_GROUPS = /^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$/;
/** Digits and marks, with single spaces between them only. */
const AMOUNT_CHARS = /^[\d.,]+(?:[ \u00a0\u202f][\d.,]+)*$/;
/** Comma grouping, Western ("1,299,000") and Indian ("1,29,900"): the last group has three digits. */
const COMMA_GROUPS = /^\d+(?:,\d+)*,\d{3}$/;
const count = (s: string, c: string) => s.split(c).length - 1;

/**
 * Parses an amount as a host types it in their language into minor units, without floating
 * point. `mark` is the language's decimal mark (decimalMarkOf): with "." a comma groups
 * thousands ("1,299.00"); with "," spaces do ("1 299,00"), and a lone "." followed by one or
 * two digits is read as a decimal point too ("12.50": a French numeric keypad types it, and no
 * convention groups thousands by two digits). Anything that two conventions read differently
 * is refused, never guessed: a price a thousand times off is a real loss on air.
 * A leading symbol or code ("¥", "US$", "CNY ") is skipped, never a "." or ",": ".99" is 0.99.
 */
export function parseAmount(text: string, currency: string, mark: DecimalMark = '.'): MoneyParse {
  const fail = (error: MoneyError): MoneyParse => ({ ok: false, error });
  const digits = currencyDigits(currency);
  const trimmed = text.trim();
  if (trimmed === '') return fail('empty');
  const s = trimmed.replace(/^[^\d.,\-\u2212]+/, '');
  if (/^[-\u2212]\s*[\d.,]/.test(s)) return fail('negative');
  if (!/\d/.test(s) || !AMOUNT_CHARS.test(s)) return fail('not_amount');

  let whole = s;
  let frac: string | null = null;
  const own = count(s, mark);
  if (own > 1) return fail('separators');
  if (own === 1) [whole, frac] = s.split(mark) as [string, string];
  else if (mark === ',' && count(s, '.') === 1 && !SPACE.test(s) && !/\.\d{3}$/.test(s)) [whole, frac] = s.split('.') as [string, string];
  if (frac !== null && !/^\d*$/.test(frac)) return fail('separators');
  if (whole === '' && !frac) return fail('not_amount');

  const grouped = /[^\d]/.test(whole);
  if (grouped) {
    const ok = mark === '.' ? COMMA_GROUPS.test(whole) || SPACE_GROUPS.test(whole) : SPACE_GROUPS.test(whole);
    if (!ok) return fail('separators');
  }
  frac ??= '';
  // "1.299" / "1,299" in CNY: a thousands group in one convention, decimals in the other
  // (even "12.000" in JPY, which has no decimals at all: 12 or 12 000 yen?).
  if (frac.length === 3 && !grouped && digits < 3) return fail(digits === 0 ? 'too_many_decimals' : 'ambiguous');
  if (frac.length > digits) {
    if (/[^0]/.test(frac.slice(digits))) return fail('too_many_decimals');
    frac = frac.slice(0, digits);
  }
  frac = frac.padEnd(digits, '0');
  const value = Number(whole.replace(/[^\d]/g, '') || '0') * 10 ** digits + (frac ? Number(frac) : 0);
  return Number.isSafeInteger(value) ? { ok: true, minor: value } : fail('too_large');
}

/** parseAmount's minor units, or null when refused (for callers that only need yes or no). */
export function parseMoney(text: string, currency: string, mark: DecimalMark = '.'): number | null {
  const r = parseAmount(text, currency, mark);
  return r.ok ? r.minor : null;
}

/** Minor units back to the plain decimal string a form field shows ("59.90", "59,90" with mark ","). */
export function minorToDecimal(minor: number, currency: string, mark: DecimalMark = '.'): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const neg = minor < 0 ? '-' : '';
  const s = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${neg}${s.slice(0, -digits)}${mark}${s.slice(-digits)}`;
}

const fmtCache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
/**
 * One Intl formatter per key (locale, options): making one costs ~90 µs, formatting with one
 * ~1.4 µs, and the consoles format their figures and times again on every state they receive.
 */
export function cachedFormat<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
  let f = fmtCache.get(key) as F | undefined;
  if (!f) {
    f = make();
    fmtCache.set(key, f);
  }
  return f;
}
const cached = cachedFormat<Intl.NumberFormat>;

/** "¥59.90" / "59,90 €" for the room's locale and currency. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const f = cached(`m|${locale}|${currency}`, () =>
    new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits }),
  );
  // Division by a power of ten is exact enough for display of safe-integer amounts.
  return f.format(minor / 10 ** digits);
}

/** An amount without its currency sign, grouped, with the currency's minor digits ("1,299.00" / "1 299,00"). */
export function formatDecimal(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const f = cached(`d|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  return f.format(minor / 10 ** digits);
}

/** Grouped integer count ("1,600" / "1 600"). */
export function formatCount(n: number, locale: string): string {
  return cached(`c|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })).format(n);
}

/** The words of a weight in the reader's language: kilograms and tonnes ("kg" / "t", "公斤"/"吨"…). */
export interface WeightUnits {
  kg: string;
  t: string;
}

/**
 * A weight sold as a person reads it: in kg below 1,000 kg, in tonnes from there ("850 kg",
 * "12.5 t" / "12.5 吨"), one decimal at most, grouped like the other numbers of the locale.
 */
export function formatWeight(grams: number, locale: string, units: WeightUnits): string {
  const kg = grams / 1000;
  const f = cached(`w|${locale}`, () => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));
  // Rounded first, so 999.96 kg reads "1 t", not "1,000 kg".
  return Math.round(kg * 10) < 10_000 ? `${f.format(kg)} ${units.kg}` : `${f.format(kg / 1000)} ${units.t}`;
}
