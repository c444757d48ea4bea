/**
 * What the results poster says (issue 19), written in the room's language from the report: the
 * hero figure is the weight sold when the goods have a net weight (what a county publishes:
 * "12.5 吨"), else the revenue. Large sums read the way a poster says them: 257万元, CN¥2.6M.
 */
import { currencyDigits, formatCount, formatMoney, formatWeight } from '../../shared/money.js';
import type { SeriesReport } from '../../shared/series-report.js';
import type { ReportTotals, ShowReport } from '../../shared/show-report.js';
import type { PosterContent } from './poster.js';
import type { RoomInfo } from './view.js';
import type { ReportWords } from './words.js';

/** A sum of money as a poster writes it: in full below 10,000 (major units), compact above. */
export function posterMoney(minor: number, currency: string, locale: string): string {
  const major = minor / 10 ** currencyDigits(currency);
  if (Math.abs(major) < 10_000) return formatMoney(minor, currency, locale);
  // Chinese publicity writes 257万元, not ¥257.0万.
  if (/^zh/i.test(locale) && currency === 'CNY') return `${new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(major)}元`;
  return new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(major);
}

/**
 * The hero and the other figures of a show's or a series' totals: the weight sold leads when the
 * goods have a net weight (`soldLabel` says it: 已售, 累计已售), else the revenue, which then is
 * not repeated among the figures.
 */
function headline(t: ReportTotals, currency: string, locale: string, words: ReportWords, soldLabel: string): Pick<PosterContent, 'hero' | 'figures'> {
  const money = posterMoney(t.revenueMinor, currency, locale);
  const count = (n: number) => formatCount(n, locale);
  const byWeight = t.weightGrams > 0;
  return {
    hero: byWeight ? { label: soldLabel, value: formatWeight(t.weightGrams, locale, words) } : { label: words.revenue, value: money },
    figures: [...(byWeight ? [{ label: words.revenue, value: money }] : []), { label: words.orders, value: count(t.orders) }, { label: words.units, value: count(t.units) }],
  };
}

export function posterContent(room: RoomInfo, report: ShowReport, words: ReportWords): PosterContent {
  const { currency, locale } = room;
  const timeZone = room.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const count = (n: number) => formatCount(n, locale);
  const rows = report.products
    .filter((p) => p.units > 0)
    .sort((a, b) => b.revenueMinor - a.revenueMinor || b.units - a.units)
    .map((p) => ({
      name: p.name ?? p.sku ?? p.productId,
      value: [words.posterSold.replace('{n}', count(p.units)), ...(p.weightGrams ? [formatWeight(p.weightGrams, locale, words)] : [])].join(' · '),
    }));
  return {
    kicker: words.title,
    title: room.title,
    date: new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' }).format(report.from),
    ...headline(report.totals, currency, locale, words, words.posterWeight),
    top: { heading: words.posterTop, rows },
    footer: 'LiveShelf',
  };
}

/** The series poster: "3 场直播" over the series name, the shows' dates, the cumulative figures, one row per show. */
export function seriesPosterContent(r: SeriesReport, words: ReportWords): PosterContent {
  const { currency, locale } = r;
  const timeZone = r.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const count = (n: number) => formatCount(n, locale);
  const day = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'long' });
  const first = r.shows[0];
  const last = r.shows[r.shows.length - 1];
  // ICU writes a Chinese range of long dates as 2026/12/3 – 2026/12/5: two dates in full instead.
  const range = (a: number, b: number) => (/^zh/i.test(locale) ? `${day.format(a)} – ${day.format(b)}` : day.formatRange(a, b));
  const dates = first && last ? (r.shows.length === 1 ? day.format(first.from) : range(first.from, last.from)) : '';
  return {
    kicker: `${words.seriesTitle} · ${words.seriesShows.replace('{n}', count(r.shows.length))}`,
    title: r.series,
    date: dates,
    ...headline(r.totals, currency, locale, words, words.seriesSold),
    top: {
      heading: words.shows,
      rows: r.shows.map((s) => ({
        name: s.title,
        value: [posterMoney(s.totals.revenueMinor, currency, locale), ...(s.totals.weightGrams > 0 ? [formatWeight(s.totals.weightGrams, locale, words)] : [])].join(' · '),
      })),
    },
    footer: 'LiveShelf',
  };
}
