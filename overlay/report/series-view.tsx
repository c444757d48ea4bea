/** The series report as a page (issue 19): the cumulative totals, one row per show, the best sellers across the shows, the poster, the CSV. */
import { formatCount, formatMoney, formatWeight } from '../../shared/money.js';
import type { SeriesReport } from '../../shared/series-report.js';
import type { PosterSize } from './poster.js';
import { seriesPosterContent } from './poster-figures.js';
import { PosterSection, TableSection, Totals } from './view.js';
import type { ReportWords } from './words.js';

interface Props {
  report: SeriesReport;
  words: ReportWords;
  download(): void;
}

export function SeriesView({ report, words, download }: Props) {
  const { currency, locale } = report;
  const timeZone = report.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const money = (m: number) => formatMoney(m, currency, locale);
  const count = (n: number) => formatCount(n, locale);
  const weight = (g: number | null) => (g ? formatWeight(g, locale, words) : '–');
  const day = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium' });
  const poster = seriesPosterContent(report, words);
  const slug = report.series.replace(/[\\/:*?"<>|\s]+/g, '-');
  const posterName = (size: PosterSize) => `liveshelf-series-${slug}-${size === 'portrait' ? '1080x1920' : '1920x1080'}.png`;
  const t = report.totals;
  const figures: [string, string][] = [
    [words.orders, count(t.orders)],
    [words.units, count(t.units)],
    [words.revenue, money(t.revenueMinor)],
    [words.refunded, money(t.refundedMinor)],
    [words.weight, formatWeight(t.weightGrams, locale, words)],
  ];
  return (
    <>
      <header>
        <h1>
          {words.seriesTitle} · {report.series}
        </h1>
        <p class="period">
          {words.seriesShows.replace('{n}', count(report.shows.length))} · {poster.date}
        </p>
      </header>
      <section aria-labelledby="totals-h">
        <h2 id="totals-h" class="visually-hidden">
          {words.seriesTitle}
        </h2>
        <Totals figures={figures} />
      </section>
      <TableSection
        id="shows-h"
        title={words.shows}
        rows={report.shows}
        rowKey={(x) => x.room}
        columns={[
          { label: words.show, cell: (x) => x.title },
          { label: words.date, cell: (x) => day.format(x.from) },
          { label: words.orders, num: true, cell: (x) => count(x.totals.orders) },
          { label: words.units, num: true, cell: (x) => count(x.totals.units) },
          { label: words.revenue, num: true, cell: (x) => money(x.totals.revenueMinor) },
          { label: words.weight, num: true, cell: (x) => weight(x.totals.weightGrams) },
        ]}
      />
      <TableSection
        id="products-h"
        title={words.products}
        rows={report.products}
        rowKey={(p, i) => p.sku ?? `#${i}`}
        columns={[
          { label: words.product, cell: (p) => p.name ?? p.sku ?? '–' },
          { label: words.sku, cell: (p) => p.sku ?? '–' },
          { label: words.units, num: true, cell: (p) => count(p.units) },
          { label: words.revenue, num: true, cell: (p) => money(p.revenueMinor) },
          { label: words.weight, num: true, cell: (p) => weight(p.weightGrams) },
        ]}
      />
      <PosterSection content={poster} words={words} fileName={posterName} />
      <section aria-labelledby="dl-h">
        <h2 id="dl-h">{words.downloads}</h2>
        <p class="downloads">
          <button type="button" onClick={download}>
            {words.showsCsv}
          </button>
        </p>
      </section>
    </>
  );
}
