/**
 * The LiveShelf domain: rooms, products, sales, roles. Every type is derived from its zod
 * schema, so that what we validate and what we type can never drift apart. The value schemas
 * live in shared/values.ts, the product's in shared/product-schema.ts (driven by the field
 * table, shared/product-fields.ts); this module re-exports them, so importers need one place.
 * Money is integer minor units (priceMinor) of the room's ISO currency.
 */
import { z } from 'zod';
import { ProductSchema } from './product-schema.js';
import { CurrencySchema, LocaleSchema, RoleSchema, text, TimeZoneSchema } from './values.js';

export { CurrencySchema, IdSchema, LocaleSchema, MinorSchema, ROLES, RoleSchema, StockSchema, type Role } from './values.js';
export {
  ProductChangesSchema,
  ProductInputSchema,
  productIssue,
  ProductSchema,
  type Product,
  type ProductChanges,
  type ProductInput,
  type ProductIssueCode,
} from './product-schema.js';

/** What room.update and room creation accept. */
export const RoomInfoSchema = z.strictObject({
  title: text(100).min(1, 'must not be empty'),
  currency: CurrencySchema,
  locale: LocaleSchema,
  /** Issue 19: the zone the after-show report shows its times in (default: the viewer's). */
  timeZone: TimeZoneSchema.optional(),
  /** Issue 19: the series of shows the room belongs to ("Dangshan pear festival"); '' = none. */
  series: text(60).optional(),
});
export type RoomInfo = z.infer<typeof RoomInfoSchema>;

/**
 * The shapes a room holds. They check types, not the inputs' limits or the runtime's list of
 * currencies: a stored room that was valid when it was written must still load
 * (shared/stored-room.ts parses saved rooms through them).
 */
const count = z.number().int();
const time = z.number();

export const TickerMessageSchema = z.object({ id: z.string(), text: z.string(), at: time });
export type TickerMessage = z.infer<typeof TickerMessageSchema>;

export const CountdownSchema = z.object({ label: z.string(), startedAt: time, endsAt: time });
export type Countdown = z.infer<typeof CountdownSchema>;

export { MAX_COUNTDOWN_PRESETS, MAX_TICKER_PRESETS } from './presets.js';
/**
 * What the host prepares before the show for a co-host to send in one tap (issue 18): ticker
 * lines and countdowns (presets.set). A room stored before presets existed reads none.
 */
export const PresetsSchema = z.object({
  ticker: z.array(z.string()),
  countdowns: z.array(z.object({ label: z.string(), seconds: z.number().int() })),
});
export type Presets = z.infer<typeof PresetsSchema>;

export const SALE_SOURCES = ['console', 'api', 'webhook', 'shortcut', 'import', 'rehearsal'] as const;
/**
 * Where a sale came from: one of SALE_SOURCES, or a named origin of many — `feed:<feed id>` (a
 * shop's signed webhook, issue 13) or `page:<site>` (a number read off a seller console). The
 * name part is an id or a host name, so it is kept to what those can be.
 */
export const SaleSourceSchema = z.union([
  z.enum(SALE_SOURCES),
  z.custom<`feed:${string}` | `page:${string}`>((v) => typeof v === 'string' && /^(feed|page):[A-Za-z0-9._-]{1,80}$/.test(v), {
    message: `must be ${SALE_SOURCES.join(', ')}, feed:<id> or page:<site>`,
  }),
]);
export type SaleSource = z.infer<typeof SaleSourceSchema>;
/** A shop's feed or a seller page: it reports sales that happened, which are counted even beyond the stock ([R11]). */
export const isFactSource = (source: SaleSource): boolean => source.startsWith('feed:') || source.startsWith('page:');

export const SaleSchema = z.object({
  /** The id of the command that recorded it (client-made, unique per room). */
  id: z.string(),
  orderId: z.string().nullable(),
  productId: z.string(),
  quantity: count,
  /**
   * Units of it refunded since (sale.refund): the sale counts quantity − refundedQuantity units.
   * A sale stored before refunds existed has none, so it reads as 0.
   */
  refundedQuantity: count.min(0).default(0),
  unitPriceMinor: count,
  at: time,
  source: SaleSourceSchema,
  by: RoleSchema,
  voidedAt: time.nullable(),
  /**
   * Sold on presale (stock was 0, issue 17): counted in the product's presale.sold, not taken
   * from stock, so a void or refund gives back quota, not stock. False for a sale stored before.
   */
  presale: z.boolean().default(false),
  /**
   * Recorded while the room was in rehearsal (issue 19, [Rh3] in shared/commands/rehearsal.ts),
   * whatever its source: rehearsal.end took it out of the counts, and no report or export shows
   * it. Absent on a live sale (and on every sale stored before rehearsals existed).
   */
  rehearsal: z.literal(true).optional(),
});
export type Sale = z.infer<typeof SaleSchema>;

/**
 * A number of units sold read off a seller page for one product (sale.observe, issue 13; rules
 * [O1]–[O8] in shared/commands/observe.ts): what the room counted from it so far. Kept in the
 * room's state (its stored meta, written whole by every commit) so it survives a restart and is
 * shared by every relay process on Redis under the same optimistic version check as the counts
 * it guards; few per room (one per bound number), each small.
 */
export const ObservedSchema = z.object({
  source: z.string(),
  productId: z.string(),
  /** The highest total counted: the sales from this page add up to total − the baseline. */
  total: count,
  /** false: `total` is the lower bound of a rounded figure (1.2万). */
  exact: z.boolean(),
  /** The room version at which this run of totals began (the baseline, or the last confirmed refund): part of its sales' ids. */
  base: count,
  at: time,
  /** This binding's latest sales still counting units, newest last, as [saleId, units] (at most OBSERVED_RECENT): what a confirmed refund takes back. */
  recent: z.array(z.tuple([z.string(), count])),
  /** An exact total below `total` the page showed: a refund for the host to confirm or dismiss. */
  pending: z.object({ total: count, at: time }).nullable(),
  /** The host dismissed a drop to this total: a reading at or above it raises no refund to confirm again. */
  dismissed: count.nullable(),
});
export type Observed = z.infer<typeof ObservedSchema>;

export const TotalsSchema = z.object({
  sold: count,
  revenueMinor: count,
  orders: count,
  /**
   * Grams sold (Σ counted units × the product's netWeightGrams; a product without one adds 0),
   * kept by the sale commands like sold and revenue (issue 17). A room stored before it existed
   * reads as 0: its earlier sales are not re-weighed.
   */
  weightGrams: count.default(0),
});
export type Totals = z.infer<typeof TotalsSchema>;

/**
 * A rehearsal under way (issue 19, shared/commands/rehearsal.ts): the simulated feed's pace,
 * whether it runs, and what the rehearsal's sales added to the totals, which rehearsal.end takes
 * back (the products keep their own share in Product.rehearsal).
 */
export const RehearsalSchema = z.object({
  startedAt: time,
  /** The simulated feed's steady pace (Poisson arrivals); 0: only the host's own sales. */
  ordersPerMinute: count,
  /** A rush on top of it: this many orders within rushSeconds of the last start (0: none). */
  rushOrders: count,
  rushSeconds: count,
  /** The simulated feed runs (rehearsal.start) or is stopped (rehearsal.stop, or all sold out). */
  running: z.boolean(),
  /** The last rehearsal.start: the rush is counted from here. */
  resumedAt: time,
  /** What this rehearsal's sales (net of their voids and refunds) added to the room's totals. */
  counted: z.object({ sold: count, revenueMinor: count, orders: count, weightGrams: count }),
});
export type Rehearsal = z.infer<typeof RehearsalSchema>;
export const ROOM_MODES = ['live', 'rehearsal'] as const;
export type RoomMode = (typeof ROOM_MODES)[number];

/** The authoritative room state, exactly what clients receive and GET /api/rooms/:room returns. */
export const RoomStateSchema = z.object({
  id: z.string(),
  version: count,
  room: z.object({ title: z.string(), currency: z.string(), locale: z.string(), timeZone: z.string().optional(), series: z.string().optional() }),
  /** The queue, in show order. */
  products: z.array(ProductSchema),
  currentProductId: z.string().nullable(),
  cardVisible: z.boolean(),
  ticker: z.array(TickerMessageSchema),
  countdown: CountdownSchema.nullable(),
  presets: PresetsSchema.default(() => ({ ticker: [], countdowns: [] })),
  totals: TotalsSchema,
  /** Issue 19: in rehearsal every sale is practice, taken back at its end. A room stored before reads live. */
  mode: z.enum(ROOM_MODES).default('live'),
  rehearsal: RehearsalSchema.nullable().default(null),
  /** Seller-page readings per (source, product) (issue 13); absent in a room that never had one. */
  observed: z.array(ObservedSchema).optional(),
  updatedAt: time,
});
export type RoomState = z.infer<typeof RoomStateSchema>;

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
    presets: { ticker: [], countdowns: [] },
    totals: { sold: 0, revenueMinor: 0, orders: 0, weightGrams: 0 },
    mode: 'live',
    rehearsal: null,
    updatedAt: now,
  };
}
