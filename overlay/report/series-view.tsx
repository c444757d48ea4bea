/** The series report as a page (issue 19): the cumulative totals, one row per show, the best sellers across the shows, the poster, the CSV. */
import { formatCount, formatMoney, formatWeight } from '../../shared/money.js';
import type { SeriesReport } from '../../shared/series-report.js';
import type { PosterSize } from './poster.js';
import { seriesPosterContent } from './poster-figures.js';
import { PosterSection, Totals } from './view.js';
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
      <section aria-labelledby="shows-h">
        <h2 id="shows-h">{words.shows}</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{words.show}</th>
                <th scope="col">{words.date}</th>
                <th scope="col" class="num">{words.orders}</th>
                <th scope="col" class="num">{words.units}</th>
                <th scope="col" class="num">{words.revenue}</th>
                <th scope="col" class="num">{words.weight}</th>
              </tr>
            </thead>
            <tbody>
              {report.shows.map((s) => (
                <tr key={s.room}>
                  <th scope="row">{s.title}</th>
                  <td>{day.format(s.from)}</td>
                  <td class="num">{count(s.totals.orders)}</td>
                  <td class="num">{count(s.totals.units)}</td>
                  <td class="num">{money(s.totals.revenueMinor)}</td>
                  <td class="num">{weight(s.totals.weightGrams)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="products-h">
        <h2 id="products-h">{words.products}</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{words.product}</th>
                <th scope="col">{words.sku}</th>
                <th scope="col" class="num">{words.units}</th>
                <th scope="col" class="num">{words.revenue}</th>
                <th scope="col" class="num">{words.weight}</th>
              </tr>
            </thead>
            <tbody>
              {report.products.map((p, i) => (
                <tr key={p.sku ?? `#${i}`}>
                  <th scope="row">{p.name ?? p.sku ?? '–'}</th>
                  <td>{p.sku ?? '–'}</td>
                  <td class="num">{count(p.units)}</td>
                  <td class="num">{money(p.revenueMinor)}</td>
                  <td class="num">{weight(p.weightGrams)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
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
