/**
 * The value schemas every shape is built from: roles, ids, money, stock, text (never only
 * invisible characters), URLs, currency and locale. Apart from shared/domain.ts (which re-exports them) so that the product field
 * table (shared/product-schema.ts) and the domain's shapes can both use them without an import
 * cycle. zod's messages here are English, for the API; consoles word the issue codes.
 */
import { z } from 'zod';

export const ROLES = ['host', 'cohost', 'sales', 'overlay'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Ids made by clients (command ids) or the relay (room, product ids): safe in URLs and logs. */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters')
  .regex(/^[A-Za-z0-9_:.\-]+$/, 'may contain only letters, digits and _ : . -');

const MAX_MINOR = 1_000_000_000_00; // 1 billion major units: far above any live-stream price
export const MinorSchema = z
  .number({ error: 'must be a whole number of minor units (e.g. 5990 for 59.90)' })
  .int('must be a whole number of minor units (e.g. 5990 for 59.90), not a decimal')
  .min(0, 'must not be negative')
  .max(MAX_MINOR, 'is too large');

export const StockSchema = z
  .number({ error: 'must be a whole number of units, or null for unlimited' })
  .int('must be a whole number of units')
  .min(0, 'must not be negative')
  .max(1_000_000_000, 'is too large')
  .nullable();

/** A product's net weight per unit in grams (a 5 kg box is 5000); up to 1,000 t per unit, far above any parcel. */
export const NetWeightSchema = z
  .number({ error: 'must be a whole number of grams, or null' })
  .int('must be a whole number of grams')
  .min(1, 'must be at least 1 gram')
  .max(1_000_000_000, 'is too large');

/**
 * Nothing a viewer could see: control and format characters (zero-width spaces and joiners,
 * bidi marks, the BOM), spaces of every kind, lone surrogates, variation selectors, and the
 * fillers that render as blanks (Hangul fillers, the blank Braille pattern). trim() removes
 * only the spaces, so a name of "\u200b" would otherwise pass a "must not be empty" rule.
 */
const INVISIBLE_ONLY = /^[\p{Cc}\p{Cf}\p{Cs}\p{Z}\s\u115f\u1160\u3164\uffa0\u2800\ufe00-\ufe0f\u{e0100}-\u{e01ef}]+$/u;
export const INVISIBLE_MESSAGE = 'must contain a visible character, not only invisible, control or space characters';
/** The refinement's issue param that says "invisible" (consoles word it; shared/product-schema.ts productIssue). */
export const INVISIBLE_REASON = 'invisible';

/** A text schema that also refuses a value of only invisible characters; '' is left to the field's own blank rule. */
export const visible = <T extends z.ZodString>(schema: T): T =>
  schema.refine((s) => !INVISIBLE_ONLY.test(s), { message: INVISIBLE_MESSAGE, params: { reason: INVISIBLE_REASON } });

/** Text people read (names, titles, taglines): trimmed, bounded, and never only invisible characters. */
export const text = (max: number) => visible(z.string().trim().max(max, `must be at most ${max} characters`));

let knownCurrencies: Set<string> | undefined;
export const CurrencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as CNY, USD or EUR')
  // Intl.NumberFormat accepts any well-formed code ("XYZ", "RMB"), so it cannot tell a real
  // currency from a typo; the runtime's list of supported currencies can.
  .refine((c) => {
    knownCurrencies ??= new Set((Intl as { supportedValuesOf?: (key: 'currency') => string[] }).supportedValuesOf?.('currency') ?? []);
    if (knownCurrencies.size > 0) return knownCurrencies.has(c);
    try {
      new Intl.NumberFormat('en', { style: 'currency', currency: c });
      return true;
    } catch {
      return false;
    }
  }, 'is not a currency this runtime knows');

/**
 * An IANA time zone the runtime knows ("Asia/Shanghai", "Europe/Paris", "UTC"): the report shows
 * times in the host's zone, not the relay's. Intl.DateTimeFormat throws a RangeError for an
 * unknown one (supportedValuesOf leaves out "UTC" on some runtimes, so it is not the test).
 */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as Asia/Shanghai or Europe/Paris');

export const LocaleSchema = z
  .string()
  .min(2)
  .max(35)
  .refine((l) => {
    try {
      return Intl.getCanonicalLocales(l).length === 1;
    } catch {
      return false;
    }
  }, 'must be a BCP 47 locale such as zh-CN, en or fr');

export const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http(s) URL');
