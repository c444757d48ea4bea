/**
 * A series of shows (issue 19, GET /api/series/:series/report): a county sells over several
 * streams — Dangshan's 2.57 million yuan came from three — and publishes the sum. Pure: the
 * relay builds each room's report (shared/show-report.ts) and hands them here, in any order.
 *
 * [S1] The shows are in the order they happened (their report's `from`), then by room id.
 * [S2] The totals are the sums of the shows' totals, every field.
 * [S3] One currency: money of two currencies is not added up. The relay refuses a series that
 *      mixes them (409 mixed_currencies) before calling this; `currency` is then every room's.
 * [S5] The series speaks the language of its first show (`locale`, `timeZone`): the page and
 *      the poster are written in it.
 * [S4] The best sellers across the series add up the products of the same SKU (the same box
 *      of pomegranates sold in three shows is one product of the series); a product without a
 *      SKU stands alone.
 */
import { csv, iso, type ReportTotals, type ShowReport } from './show-report.js';
import { minorToDecimal } from './money.js';

export interface SeriesShow {
  room: string;
  title: string;
  from: number;
  to: number;
  totals: ReportTotals;
}

export interface SeriesProduct {
  sku: string | null;
  name: string | null;
  units: number;
  revenueMinor: number;
  weightGrams: number | null;
}

export interface SeriesReport {
  series: string;
  currency: string;
  locale: string;
  timeZone?: string;
  shows: SeriesShow[];
  totals: ReportTotals;
  products: SeriesProduct[];
}

export interface SeriesInput {
  title: string;
  locale: string;
  timeZone?: string | undefined;
  report: ShowReport;
}

const zero = (): ReportTotals => ({ orders: 0, units: 0, revenueMinor: 0, refundedMinor: 0, weightGrams: 0 });

const inOrder = (a: SeriesInput, b: SeriesInput) => a.report.from - b.report.from || (a.report.room < b.report.room ? -1 : a.report.room > b.report.room ? 1 : 0);

export function seriesReport(series: string, currency: string, rooms: readonly SeriesInput[]): SeriesReport {
  const ordered = [...rooms].sort(inOrder);
  const shows = ordered.map(({ title, report: r }) => ({ room: r.room, title, from: r.from, to: r.to, totals: { ...r.totals } }));
  const first = ordered[0];
  const totals = zero();
  for (const s of shows) for (const k of Object.keys(totals) as (keyof ReportTotals)[]) totals[k] += s.totals[k];
  const bySku = new Map<string, SeriesProduct>();
  const products: SeriesProduct[] = [];
  for (const { report } of rooms) {
    for (const p of report.products) {
      const key = p.sku ?? undefined;
      const known = key === undefined ? undefined : bySku.get(key);
      if (known) {
        known.units += p.units;
        known.revenueMinor += p.revenueMinor;
        known.weightGrams = known.weightGrams === null && p.weightGrams === null ? null : (known.weightGrams ?? 0) + (p.weightGrams ?? 0);
        continue;
      }
      const row: SeriesProduct = { sku: p.sku, name: p.name, units: p.units, revenueMinor: p.revenueMinor, weightGrams: p.weightGrams };
      products.push(row);
      if (key !== undefined) bySku.set(key, row);
    }
  }
  products.sort((a, b) => b.revenueMinor - a.revenueMinor || b.units - a.units);
  return { series, currency, locale: first?.locale ?? 'en', ...(first?.timeZone !== undefined && { timeZone: first.timeZone }), shows, totals, products };
}

/** Columns are only ever added at the end. */
export const SERIES_CSV_COLUMNS = ['room', 'title', 'from', 'to', 'orders', 'units', 'revenue', 'refunded', 'weight_grams', 'currency'] as const;

/** One row per show, then a total row (room empty, title "total"). */
export function seriesCsv(r: SeriesReport): string {
  const row = (room: string, title: string, from: string, to: string, t: ReportTotals) => [room, title, from, to, String(t.orders), String(t.units), minorToDecimal(t.revenueMinor, r.currency), minorToDecimal(t.refundedMinor, r.currency), String(t.weightGrams), r.currency];
  return csv(SERIES_CSV_COLUMNS, [...r.shows.map((s) => row(s.room, s.title, iso(s.from), iso(s.to), s.totals)), row('', 'total', '', '', r.totals)]);
}
