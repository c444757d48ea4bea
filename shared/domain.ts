/**
 * The LiveShelf domain: rooms, products, sales, roles. Types are derived from the zod
 * schemas so that what we validate and what we type can never drift apart.
 * Money is integer minor units (priceMinor) of the room's ISO currency.
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

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

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

const httpUrl = z
  .string()
  .trim()
  .max(2048, 'must be at most 2048 characters')
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an http(s) URL');

/** What a host types for a product: the fields of product.add. */
export const ProductInputSchema = z.strictObject({
  sku: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters')
    .regex(/^[^\s]+$/u, 'must not contain spaces'),
  name: text(120).min(1, 'must not be empty'),
  priceMinor: MinorSchema,
  originalPriceMinor: MinorSchema.nullable().optional(),
  unit: text(40).optional(),
  stock: StockSchema.optional(),
  imageUrl: httpUrl.nullable().optional(),
  origin: text(80).optional(),
  tagline: text(140).optional(),
  obsScene: text(100).nullable().optional(),
});
export type ProductInput = z.infer<typeof ProductInputSchema>;

/**
 * A ProductInputSchema issue as a code a console words in the host's language (the schema's
 * own messages are English, for the API). The text fields have a minimum of 1 and a maximum
 * length, the SKU one pattern (no spaces), the image URL one refinement (http/https).
 */
export type ProductIssueCode = 'required' | 'too_long' | 'too_large' | 'no_spaces' | 'url' | 'invalid';
export function productIssue(issue: z.core.$ZodIssue): { field: string; code: ProductIssueCode; params: Record<string, number> } {
  const field = issue.path.map(String).join('.') || '(row)';
  switch (issue.code) {
    case 'too_small':
      return { field, code: issue.origin === 'string' ? 'required' : 'invalid', params: {} };
    case 'too_big':
      return issue.origin === 'string' ? { field, code: 'too_long', params: { max: Number(issue.maximum) } } : { field, code: 'too_large', params: {} };
    case 'invalid_format':
      return { field, code: 'no_spaces', params: {} };
    case 'custom':
      return { field, code: 'url', params: {} };
    default:
      return { field, code: 'invalid', params: {} };
  }
}

/** product.update changes: any subset of the input fields except stock (stock.set owns it). */
export const ProductChangesSchema = ProductInputSchema.omit({ stock: true })
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'must change at least one field');
export type ProductChanges = z.infer<typeof ProductChangesSchema>;

/** A product as the room holds it, with its live aggregates. */
export interface Product {
  id: string;
  sku: string;
  name: string;
  priceMinor: number;
  originalPriceMinor: number | null;
  unit: string;
  /** Units still available; null = unlimited. Each sale lowers it. */
  stock: number | null;
  imageUrl: string | null;
  origin: string;
  tagline: string;
  obsScene: string | null;
  /** Units sold (non-voided sales). */
  sold: number;
  revenueMinor: number;
  /** Set by product.soldOut; cleared by a restock. */
  soldOutManual: boolean;
  /** Derived: stock === 0 or marked sold out by hand. */
  soldOut: boolean;
}

export interface RoomInfo {
  title: string;
  currency: string;
  locale: string;
}

export const RoomInfoSchema = z.strictObject({
  title: text(100).min(1, 'must not be empty'),
  currency: CurrencySchema,
  locale: LocaleSchema,
});

export interface TickerMessage {
  id: string;
  text: string;
  at: number;
}

export interface Countdown {
  label: string;
  startedAt: number;
  endsAt: number;
}

export const SALE_SOURCES = ['console', 'api', 'webhook', 'shortcut', 'import'] as const;
export type SaleSource = (typeof SALE_SOURCES)[number];

export interface Sale {
  /** The id of the command that recorded it (client-made, unique per room). */
  id: string;
  orderId: string | null;
  productId: string;
  quantity: number;
  unitPriceMinor: number;
  at: number;
  source: SaleSource;
  by: Role;
  voidedAt: number | null;
}

/** The authoritative room state, exactly what clients receive and GET /api/rooms/:room returns. */
export interface RoomState {
  id: string;
  version: number;
  room: RoomInfo;
  /** The queue, in show order. */
  products: Product[];
  currentProductId: string | null;
  cardVisible: boolean;
  ticker: TickerMessage[];
  countdown: Countdown | null;
  totals: { sold: number; revenueMinor: number; orders: number };
  updatedAt: number;
}

export const MAX_PRODUCTS = 2000;
export const MAX_TICKER = 20;

export function emptyRoom(id: string, info: RoomInfo, now: number): RoomState {
  return {
    id,
    version: 0,
    room: info,
    products: [],
    currentProductId: null,
    cardVisible: false,
    ticker: [],
    countdown: null,
    totals: { sold: 0, revenueMinor: 0, orders: 0 },
    updatedAt: now,
  };
}
