/**
 * What the host typed or pasted that the console refused — a pairing link, a price, a CSV row —
 * in the host's language. shared/ returns codes with parameters (shared/pairing.ts,
 * shared/money.ts, shared/catalog-csv.ts); this module words them, like relay-errors.ts does
 * for the relay's refusals. The code → text tables are exhaustive: a new code does not compile
 * until it has a text, and tests/unit/input-errors.test.ts checks each text in every language.
 * Type-only imports of catalog-csv, domain and pairing: neither papaparse nor zod comes with it
 * (the product field table, shared/product-fields.ts, is zod-free).
 */
import type { CsvErrorCode, CsvRowError } from '../../shared/catalog-csv';
import type { ProductIssueCode } from '../../shared/domain';
import { currencyDigits, formatDecimal, minorToDecimal, type DecimalMark, type MoneyError } from '../../shared/money';
import type { PairingErrorCode } from '../../shared/pairing';
import { fieldErrorLabel, FIELD_OF_CSV_COLUMN } from '../../shared/product-fields';
import type { MessageKey, Translate } from './i18n';
import { fieldLabelKey } from './relay-errors';

/** The shared parse's codes, and one the worker adds: a well-formed pairing link for the sales role. */
export type ConsolePairingErrorCode = PairingErrorCode | 'sales_link';
export interface ConsolePairingError {
  code: ConsolePairingErrorCode;
  params: Record<string, string>;
}

export const PAIRING_ERROR_KEYS: Record<ConsolePairingErrorCode, MessageKey> = {
  not_a_link: 'pairing.not_a_link',
  not_http: 'pairing.not_http',
  overlay_link: 'pairing.overlay_link',
  not_pairing: 'pairing.not_pairing',
  cut_short: 'pairing.cut_short',
  unknown_role: 'pairing.unknown_role',
  sales_link: 'pairing.sales_link',
};

export function pairingErrorText(error: { code: string; params?: Record<string, string> } | undefined, t: Translate): string {
  if (!error || !Object.hasOwn(PAIRING_ERROR_KEYS, error.code)) return t('problem.bad_link');
  return t(PAIRING_ERROR_KEYS[error.code as ConsolePairingErrorCode], error.params ?? {});
}

/** Example amounts in a decimal convention, for the hints: "59.90" / "59,90", "1,299.00" / "1 299,00" (JPY "5990", "1,299"). */
export function amountExamples(currency: string, mark: DecimalMark): { example: string; grouped: string } {
  return {
    example: minorToDecimal(5990, currency, mark),
    // Intl writes the grouping of the convention; "en" and "fr" stand for the two conventions here.
    grouped: formatDecimal(1299 * 10 ** currencyDigits(currency), currency, mark === ',' ? 'fr' : 'en'),
  };
}

export interface MoneyContext {
  currency: string;
  /** The decimal mark the amount was read with: the console language's, or the CSV file's. */
  mark: DecimalMark;
  /** What was typed (for the "thousands" reading of an ambiguous amount). */
  value: string;
}

/** Why a price was refused, and an amount that would be accepted. */
export function moneyErrorText(error: MoneyError, t: Translate, ctx: MoneyContext): string {
  const digits = currencyDigits(ctx.currency);
  const { example, grouped } = amountExamples(ctx.currency, ctx.mark);
  switch (error) {
    case 'empty':
      return t('error.required');
    case 'not_amount':
      return t('error.price', { example });
    case 'negative':
      return t('money.negative');
    case 'separators':
      return t(ctx.mark === ',' ? 'money.separators.comma' : 'money.separators.point', { example, grouped });
    case 'ambiguous':
      return t('money.ambiguous', { thousands: ctx.value.replace(/\D/g, ''), digits, example });
    case 'too_many_decimals':
      return digits === 0 ? t('money.no_decimals', { currency: ctx.currency, example }) : t('money.too_many_decimals', { currency: ctx.currency, digits, example });
    case 'too_large':
      return t('error.tooLarge');
  }
}

/** The price codes of a CSV row, worded by moneyErrorText ('too_large' is a schema code too). */
type MoneyRowCode = Exclude<MoneyError, 'empty' | 'too_large'>;
/** A product schema issue (shared/domain.ts productIssue), in the product form and in a CSV row. */
export const PRODUCT_ISSUE_KEYS: Record<ProductIssueCode, MessageKey> = {
  required: 'error.required',
  too_long: 'error.tooLong',
  too_large: 'error.tooLarge',
  no_spaces: 'error.noSpaces',
  date: 'error.date',
  url: 'error.url',
  invisible: 'error.invisible',
  invalid: 'error.invalidValue',
};

/** Every other CSV code and its text. */
const CSV_KEYS: Record<Exclude<CsvErrorCode, MoneyRowCode>, MessageKey> = {
  ...PRODUCT_ISSUE_KEYS,
  not_whole_number: 'csv.not_whole_number',
  whole_number: 'csv.whole_number',
  duplicate_sku: 'csv.duplicate_sku',
  missing_columns: 'csv.missing_columns',
  too_many_fields: 'csv.too_many_fields',
  too_few_fields: 'csv.too_few_fields',
  quotes: 'csv.quotes',
  malformed: 'csv.malformed',
};
const MONEY_ROW_CODES: Record<MoneyRowCode, true> = { not_amount: true, negative: true, separators: true, ambiguous: true, too_many_decimals: true };
const MONEY_CODES: ReadonlySet<string> = new Set(Object.keys(MONEY_ROW_CODES));
/** Every code a CSV row error can carry (for the tests' check that each has a text). */
export const CSV_ERROR_CODES = [...Object.keys(CSV_KEYS), ...MONEY_CODES] as CsvErrorCode[];

/** The column's label as the host knows it from the product form. */
export function csvFieldLabel(field: string, t: Translate): string {
  if (field === '(row)') return t('csv.field.row');
  if (field === '(header)') return t('csv.field.header');
  if (Object.hasOwn(FIELD_OF_CSV_COLUMN, field)) return t(fieldErrorLabel(FIELD_OF_CSV_COLUMN[field]!));
  const key = fieldLabelKey(field);
  return key ? t(key) : field;
}

/** Why the row was refused (the value itself is quoted by csvRowText). */
export function csvErrorText(error: Pick<CsvRowError, 'code' | 'params'>, t: Translate, ctx: { currency: string; mark: DecimalMark }): string {
  if (MONEY_CODES.has(error.code) || (error.code === 'too_large' && 'value' in error.params)) {
    return moneyErrorText(error.code as MoneyError, t, { ...ctx, value: String(error.params['value'] ?? '') });
  }
  return t(CSV_KEYS[error.code as keyof typeof CSV_KEYS] ?? 'csv.malformed', error.params);
}

/** "Line 3 · Price “12,50”: …" — the line, the column and what it held, why. */
export function csvRowText(error: CsvRowError, t: Translate, ctx: { currency: string; mark: DecimalMark }): string {
  const label = csvFieldLabel(error.field, t);
  const value = error.params['value'];
  const field = value === undefined ? label : t('csv.fieldValue', { field: label, value });
  return t('csv.row', { line: t('csvLine', { line: error.line }), field, why: csvErrorText(error, t, ctx) });
}
