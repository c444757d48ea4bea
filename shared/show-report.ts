/**
 * The after-show report (issue 19, GET /api/rooms/:room/report): what a county publishes after
 * a stream — totals, per product (with the time it was on the card and what sold meanwhile),
 * per source, and one row per minute with the product on air. Pure and one pass over the
 * sales: the relay pages the sales out of its store and hands them over with the record of
 * card changes, so the same function serves the API, its CSVs and the tests.
 *
 * Rehearsal sales (issue 19) are left out, and a rehearsal's time has nothing on air.
 * It counts exactly as the reducer does ([R6], [R9] in shared/room-reducer.ts): a voided sale
 * counts nothing, a refunded one counts quantity − refundedQuantity units, and an order is a
 * sale that still counts a unit — so over the whole room the report's totals are the room's.
 * A sale belongs to the window [from, to) by its `at`, refunds and voids by the sale they
 * change (the stores keep a sale's latest form, not when it changed).
 */
import Papa from 'papaparse';
import type { Product, RoomState, Sale } from './domain.js';
import { minorToDecimal } from './money.js';

export const MINUTE_MS = 60_000;
/** A longer window is refused (a month of minutes): the timeline is one row per minute. */
export const MAX_REPORT_MINUTES = 31 * 24 * 60;

/** What the card showed from `at` on: a product id, or null when the card was hidden. */
export interface CardChange {
  at: number;
  productId: string | null;
}

/**
 * The product on air in a state: the card's product while the card is shown, else null. While
 * the room rehearses (issue 19) nothing is on air for the report: the card shown then is
 * practice, like the sales ([Rh3]), so the relay's card history records the rehearsal as a
 * hidden card and the card as it is when the rehearsal ends.
 */
export function onAirOf(state: Pick<RoomState, 'cardVisible' | 'currentProductId'> & { mode?: RoomState['mode'] }): string | null {
  return state.cardVisible && state.mode !== 'rehearsal' ? state.currentProductId : null;
}

export interface ReportTotals {
  orders: number;
  units: number;
  revenueMinor: number;
  refundedMinor: number;
  weightGrams: number;
}

export interface ReportProduct {
  productId: string;
  /** As the queue has them now; null for a product removed since. */
  sku: string | null;
  name: string | null;
  units: number;
  revenueMinor: number;
  refundedUnits: number;
  /** Null when the product declares no net weight (or was removed). */
  weightGrams: number | null;
  onAirMs: number;
  unitsWhileOnAir: number;
  /** When its last counted sale emptied the stock, for a product sold out now; else null. */
  soldOutAt: number | null;
  /** Of `units`, those sold on presale (issue 17: they ship at the presale's date, not now). */
  presaleUnits: number;
}

export interface ReportSource {
  source: string;
  name: string;
  orders: number;
  units: number;
  revenueMinor: number;
}

export interface ReportMinute {
  at: number;
  orders: number;
  units: number;
  revenueMinor: number;
  onAir: string | null;
}

export interface ShowReport {
  room: string;
  from: number;
  to: number;
  totals: ReportTotals;
  products: ReportProduct[];
  sources: ReportSource[];
  timeline: ReportMinute[];
}

/** What the report reads of a sale (a store may read only these: issue 19's 100k-sale report). */
export type ReportSale = Pick<Sale, 'productId' | 'quantity' | 'refundedQuantity' | 'unitPriceMinor' | 'at' | 'source' | 'voidedAt' | 'presale' | 'rehearsal'>;

export interface ReportInput {
  state: Pick<RoomState, 'id' | 'products'>;
  sales: Iterable<ReportSale>;
  /** In time order; before the first one the card showed nothing. */
  cards: readonly CardChange[];
  from: number;
  to: number;
  /**
   * A source's display name. The seam for the order feeds (a sale may come to carry its feed's
   * name): today a source is one of SALE_SOURCES and its name is itself.
   */
  sourceName?: (sale: ReportSale) => { source: string; name: string };
}

const defaultSource = (s: ReportSale) => ({ source: s.source, name: s.source });

/** The product on the card at `at`, by binary search over the changes. */
function onAirAt(cards: readonly CardChange[], at: number): string | null {
  let lo = 0;
  let hi = cards.length - 1;
  let found: string | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cards[mid]!;
    if (c.at <= at) {
      found = c.productId;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Orders, units and revenue per source, net of voids and refunds, counted as the report counts
 * them (also the room answer's totals.bySource, so the two never disagree).
 */
export class SourceTally {
  private readonly bySource = new Map<string, ReportSource>();
  constructor(private readonly sourceOf: (sale: ReportSale) => { source: string; name: string } = defaultSource) {}
  /** Adds a sale that still counts `units` (> 0) units. */
  add(sale: ReportSale, units: number): void {
    const key = this.sourceOf(sale);
    let src = this.bySource.get(key.source);
    if (!src) this.bySource.set(key.source, (src = { ...key, orders: 0, units: 0, revenueMinor: 0 }));
    src.orders += 1;
    src.units += units;
    src.revenueMinor += units * sale.unitPriceMinor;
  }
  /** A sale as stored: skipped when voided or wholly refunded. */
  addSale(sale: ReportSale): void {
    // A rehearsal sale is never in a report (issue 19, [Rh3]).
    const units = sale.voidedAt === null && !sale.rehearsal ? sale.quantity - sale.refundedQuantity : 0;
    if (units > 0) this.add(sale, units);
  }
  list(): ReportSource[] {
    return [...this.bySource.values()];
  }
}

export function showReport(input: ReportInput): ShowReport {
  const { state, cards, from, to } = input;
  const sourceOf = input.sourceName ?? defaultSource;
  const queue = new Map<string, Product>(state.products.map((p) => [p.id, p]));
  const rows = new Map<string, ReportProduct & { lastAt: number }>();
  const row = (id: string) => {
    let r = rows.get(id);
    if (!r) {
      const p = queue.get(id);
      r = { productId: id, sku: p?.sku ?? null, name: p?.name ?? null, units: 0, revenueMinor: 0, refundedUnits: 0, weightGrams: p && p.netWeightGrams !== null ? 0 : null, onAirMs: 0, unitsWhileOnAir: 0, soldOutAt: null, presaleUnits: 0, lastAt: -Infinity };
      rows.set(id, r);
    }
    return r;
  };
  for (const p of state.products) row(p.id);

  const first = Math.floor(from / MINUTE_MS) * MINUTE_MS;
  const minutes: ReportMinute[] = [];
  for (let at = first; at < to; at += MINUTE_MS) minutes.push({ at, orders: 0, units: 0, revenueMinor: 0, onAir: onAirAt(cards, at) });

  const totals: ReportTotals = { orders: 0, units: 0, revenueMinor: 0, refundedMinor: 0, weightGrams: 0 };
  const sources = new SourceTally(sourceOf);
  for (const s of input.sales) {
    // A rehearsal sale was practice: rehearsal.end took it out of the counts, and it is in no report.
    if (s.at < from || s.at >= to || s.voidedAt !== null || s.rehearsal) continue;
    const units = s.quantity - s.refundedQuantity;
    const revenue = units * s.unitPriceMinor;
    const r = row(s.productId);
    const p = queue.get(s.productId);
    r.units += units;
    r.revenueMinor += revenue;
    r.refundedUnits += s.refundedQuantity;
    totals.refundedMinor += s.refundedQuantity * s.unitPriceMinor;
    if (units <= 0) continue;
    totals.orders += 1;
    totals.units += units;
    totals.revenueMinor += revenue;
    if (p && p.netWeightGrams !== null) {
      r.weightGrams = (r.weightGrams ?? 0) + units * p.netWeightGrams;
      totals.weightGrams += units * p.netWeightGrams;
    }
    if (s.presale) r.presaleUnits += units;
    if (s.at > r.lastAt) r.lastAt = s.at;
    if (onAirAt(cards, s.at) === s.productId) r.unitsWhileOnAir += units;
    sources.add(s, units);
    const m = minutes[Math.floor((s.at - first) / MINUTE_MS)];
    if (m) {
      m.orders += 1;
      m.units += units;
      m.revenueMinor += revenue;
    }
  }

  // Time on air: each card change holds until the next one, clipped to the window.
  for (let i = 0; i < cards.length; i++) {
    const c = cards[i]!;
    if (c.productId === null) continue;
    const start = Math.max(c.at, from);
    const end = Math.min(cards[i + 1]?.at ?? to, to);
    if (end > start) row(c.productId).onAirMs += end - start;
  }

  const products = [...rows.values()].map(({ lastAt, ...r }) => ({
    ...r,
    // Sold out by its stock running out: the last sale that counted emptied it (a product marked sold out by hand has no such moment).
    soldOutAt: queue.get(r.productId)?.stock === 0 && Number.isFinite(lastAt) ? lastAt : null,
  }));
  return { room: state.id, from, to, totals, products, sources: sources.list(), timeline: minutes };
}

/** Columns are only ever added at the end, as for the sales CSV. */
export const REPORT_CSV_COLUMNS = ['product_id', 'sku', 'name', 'units', 'revenue', 'refunded_units', 'weight_grams', 'on_air_seconds', 'units_while_on_air', 'sold_out_at', 'currency', 'presale_units'] as const;
export const TIMELINE_CSV_COLUMNS = ['minute', 'orders', 'units', 'revenue', 'on_air', 'currency'] as const;

export const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());

export function csv(fields: readonly string[], data: string[][]): string {
  // BOM: Excel reads the Chinese names; escapeFormulae: a name starting with = is not run.
  return '\uFEFF' + Papa.unparse({ fields: [...fields], data }, { newline: '\r\n', escapeFormulae: true }) + '\r\n';
}

export function reportCsv(report: ShowReport, currency: string): string {
  return csv(
    REPORT_CSV_COLUMNS,
    report.products.map((p) => [p.productId, p.sku ?? '', p.name ?? '', String(p.units), minorToDecimal(p.revenueMinor, currency), String(p.refundedUnits), p.weightGrams === null ? '' : String(p.weightGrams), String(Math.round(p.onAirMs / 1000)), String(p.unitsWhileOnAir), iso(p.soldOutAt), currency, String(p.presaleUnits)]),
  );
}

export function timelineCsv(report: ShowReport, currency: string): string {
  return csv(
    TIMELINE_CSV_COLUMNS,
    report.timeline.map((m) => [iso(m.at), String(m.orders), String(m.units), minorToDecimal(m.revenueMinor, currency), m.onAir ?? '', currency]),
  );
}
