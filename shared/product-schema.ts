/**
 * The schemas of the product fields (the zod half of the field table in
 * shared/product-fields.ts, same keys): for each field the input schema product.add validates
 * (its messages are the API's English; consoles word productIssue's codes) and the value a
 * room holds, which a stored room is checked against when it is loaded. The held value is
 * only its type, not the input's limits: a room saved under older, looser limits still loads.
 * From the table: ProductInputSchema, ProductChangesSchema and ProductSchema, and their types.
 */
import { z } from 'zod';
import { PRODUCT_FIELD_META, PRODUCT_FIELDS, type ProductField, type UpdatableField } from './product-fields.js';
import { httpUrl, INVISIBLE_REASON, MinorSchema, NetWeightSchema, StockSchema, text, visible } from './values.js';

const PRODUCT_FIELD_SCHEMAS = {
  sku: {
    input: visible(
      z
        .string()
        .trim()
        .min(1, 'must not be empty')
        .max(64, 'must be at most 64 characters')
        .regex(/^[^\s]+$/u, 'must not contain spaces'),
    ),
    held: z.string(),
  },
  name: { input: text(120).min(1, 'must not be empty'), held: z.string() },
  priceMinor: { input: MinorSchema, held: z.number().int() },
  originalPriceMinor: { input: MinorSchema.nullable().optional(), held: z.number().int().nullable() },
  unit: { input: text(40).optional(), held: z.string() },
  stock: { input: StockSchema.optional(), held: z.number().int().nullable() },
  imageUrl: { input: httpUrl.nullable().optional(), held: z.string().nullable() },
  origin: { input: text(80).optional(), held: z.string() },
  tagline: { input: text(140).optional(), held: z.string() },
  obsScene: { input: text(100).nullable().optional(), held: z.string().nullable() },
  netWeightGrams: { input: NetWeightSchema.nullable().optional(), held: z.number().int().nullable() },
  grade: { input: text(20).optional(), held: z.string() },
  // z.iso.date: YYYY-MM-DD that is a real day (no 2026-02-29, no 2026-04-31).
  harvestDate: { input: z.iso.date('must be a date written YYYY-MM-DD').nullable().optional(), held: z.string().nullable() },
  producer: { input: text(60).optional(), held: z.string() },
  traceUrl: { input: httpUrl.nullable().optional(), held: z.string().nullable() },
} satisfies Record<ProductField, { input: z.ZodType; held: z.ZodType }>;

type Schemas = typeof PRODUCT_FIELD_SCHEMAS;
function shapeOf<K extends 'input' | 'held'>(which: K): { [F in ProductField]: Schemas[F][K] } {
  return Object.fromEntries(PRODUCT_FIELDS.map((f) => [f, PRODUCT_FIELD_SCHEMAS[f][which]])) as { [F in ProductField]: Schemas[F][K] };
}

/** What a host types for a product: the fields of product.add. */
export const ProductInputSchema = z.strictObject(shapeOf('input'));
export type ProductInput = z.infer<typeof ProductInputSchema>;

const UPDATABLE = Object.fromEntries(PRODUCT_FIELDS.filter((f) => PRODUCT_FIELD_META[f].update).map((f) => [f, true])) as { [F in UpdatableField]: true };

/** product.update changes: any subset of the fields product.update may change (not stock: stock.set owns it). */
export const ProductChangesSchema = ProductInputSchema.pick(UPDATABLE)
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'must change at least one field');
export type ProductChanges = z.infer<typeof ProductChangesSchema>;

/** A product as the room holds it, with its live aggregates (key order as the reducer makes them). */
export const ProductSchema = z.object({
  id: z.string(),
  ...shapeOf('held'),
  /** Units sold (non-voided sales). */
  sold: z.number().int(),
  revenueMinor: z.number().int(),
  /** Set by product.soldOut; cleared by a restock. */
  soldOutManual: z.boolean(),
  /** Derived: marked sold out by hand, or stock 0 with no presale running (./commands/apply.ts soldOutOf). */
  soldOut: z.boolean(),
  /**
   * The presale that follows the stock (presale.set, issue 17): once stock is 0, sales go on as
   * presale sales until `sold` reaches `quota` (null: no limit); shipped from `shipBy`
   * (YYYY-MM-DD). Null: none (also for a product stored before presales existed).
   */
  presale: z.object({ shipBy: z.string(), quota: z.number().int().nullable(), sold: z.number().int() }).nullable().default(null),
  /**
   * Units a shop feed or a seller page counted beyond the stock ([R11]); absent when none. The
   * panel shows it to the host; a void or refund of such sales gives these back first, so the
   * stock never grows by units it never had.
   */
  oversold: z.number().int().min(1).optional(),
  /**
   * While the room rehearses (issue 19): what the rehearsal's sales changed in this product, as
   * after − before of each field (stock and its share of oversold since the host's last
   * stock.set). rehearsal.end subtracts it and drops it; absent otherwise.
   */
  rehearsal: z
    .object({ sold: z.number().int(), revenueMinor: z.number().int(), stock: z.number().int(), oversold: z.number().int(), presaleSold: z.number().int() })
    .optional(),
});
export type Product = z.infer<typeof ProductSchema>;

/**
 * A ProductInputSchema issue as a code a console words in the host's language (the schema's
 * own messages are English, for the API). The text fields have a minimum of 1 and a maximum
 * length, the SKU one pattern (no spaces), the harvest date one format (a real YYYY-MM-DD),
 * the URLs one refinement (http/https), and every text field one more (not only invisible
 * characters, shared/values.ts `visible`).
 */
export type ProductIssueCode = 'required' | 'too_long' | 'too_large' | 'no_spaces' | 'date' | 'url' | 'invisible' | 'invalid';
export function productIssue(issue: z.core.$ZodIssue): { field: string; code: ProductIssueCode; params: Record<string, number> } {
  const field = issue.path.map(String).join('.') || '(row)';
  switch (issue.code) {
    case 'too_small':
      return { field, code: issue.origin === 'string' ? 'required' : 'invalid', params: {} };
    case 'too_big':
      return issue.origin === 'string' ? { field, code: 'too_long', params: { max: Number(issue.maximum) } } : { field, code: 'too_large', params: {} };
    case 'invalid_format':
      return { field, code: issue.format === 'date' ? 'date' : 'no_spaces', params: {} };
    case 'custom':
      return { field, code: issue.params?.reason === INVISIBLE_REASON ? 'invisible' : 'url', params: {} };
    default:
      return { field, code: 'invalid', params: {} };
  }
}
