/** The report as a page: totals, the chart with its band legend, the per-product and per-source tables, the CSV buttons. */
import { formatCount, formatMoney, formatWeight } from '../../shared/money.js';
import type { ShowReport } from '../../shared/show-report.js';
import { useEffect, useRef } from 'preact/hooks';
import { Chart } from './chart.js';
import { drawPoster, POSTER_PIXELS, savePoster, type PosterContent, type PosterSize } from './poster.js';
import { posterContent } from './poster-figures.js';
import { productColours } from './colours.js';
import type { ReportWords } from './words.js';

export interface RoomInfo {
  title: string;
  currency: string;
  locale: string;
  timeZone?: string;
}

interface Props {
  room: RoomInfo;
  report: ShowReport;
  words: ReportWords;
  download(format: 'csv' | 'timeline.csv', name: string): void;
}

/** A poster drawn at full size and shown scaled down: what the host saves is what they see. */
export function PosterPreview({ size, content, label }: { size: PosterSize; content: PosterContent; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    // Two full-size posters are the page's heaviest drawing, and the totals, chart and tables
    // come first: drawn when it comes into view or when the page is idle, whichever is first (so
    // a printout or a screenshot of a page never scrolled has them too).
    let drawn = false;
    const draw = () => {
      if (drawn) return;
      drawn = true;
      seen.disconnect();
      drawPoster(canvas, size, content);
    };
    const seen = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && draw());
    seen.observe(canvas);
    const idle = typeof requestIdleCallback === 'function' ? requestIdleCallback(draw, { timeout: 1000 }) : setTimeout(draw, 200);
    return () => {
      drawn = true;
      seen.disconnect();
      if (typeof cancelIdleCallback === 'function') cancelIdleCallback(idle as number);
      else clearTimeout(idle as ReturnType<typeof setTimeout>);
    };
  }, [size, content]);
  const [w, h] = POSTER_PIXELS[size];
  // Its size before it is drawn, so the page does not move when it is.
  return <canvas ref={ref} width={w} height={h} class={`poster-preview ${size}`} role="img" aria-label={label} data-poster={size} />;
}

/** The big figures at the top: label and value, each findable by its label (data-total). */
export function Totals({ figures }: { figures: [string, string][] }) {
  return (
    <dl class="totals">
      {figures.map(([label, value]) => (
        <div key={label} data-total={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export interface Column<R> {
  label: string;
  /** A figure: right-aligned, tabular. */
  num?: boolean;
  cell(row: R): string;
}

/** A section with one table: its first column heads each row. The room's and the series' tables. */
export function TableSection<R>({ id, title, columns, rows, rowKey }: { id: string; title: string; columns: Column<R>[]; rows: readonly R[]; rowKey(row: R, index: number): string }) {
  const cls = (c: Column<R>) => (c.num ? 'num' : undefined);
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <div class="scroll">
        <table>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.label} scope="col" class={cls(c)}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={rowKey(r, i)}>
                {columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.label} scope="row" class={cls(c)}>
                      {c.cell(r)}
                    </th>
                  ) : (
                    <td key={c.label} class={cls(c)}>
                      {c.cell(r)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The results poster: both sizes previewed, and a button that saves each as a PNG. */
export function PosterSection({ content, words, fileName }: { content: PosterContent; words: ReportWords; fileName: (size: PosterSize) => string }) {
  return (
    <section aria-labelledby="poster-h">
      <h2 id="poster-h">{words.poster}</h2>
      <div class="posters">
        <PosterPreview size="portrait" content={content} label={words.posterPortrait} />
        <PosterPreview size="landscape" content={content} label={words.posterLandscape} />
      </div>
      <p class="downloads">
        <button type="button" onClick={() => void savePoster('portrait', content, fileName('portrait'))}>
          {words.posterPortrait}
        </button>
        <button type="button" onClick={() => void savePoster('landscape', content, fileName('landscape'))}>
          {words.posterLandscape}
        </button>
      </p>
    </section>
  );
}

export function ReportView({ room, report, words, download }: Props) {
  const { currency, locale } = room;
  const timeZone = room.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const money = (m: number) => formatMoney(m, currency, locale);
  const count = (n: number) => formatCount(n, locale);
  const when = new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const time = new Intl.DateTimeFormat(locale, { timeZone, timeStyle: 'short' });
  const colours = productColours(report.timeline.flatMap((m) => (m.onAir === null ? [] : [m.onAir])));
  const names = new Map(report.products.map((p) => [p.productId, p.name ?? p.sku ?? p.productId]));
  const minutes = (ms: number) => `${count(Math.round(ms / 60_000))} ${words.minutes}`;
  const t = report.totals;
  const poster = posterContent(room, report, words);
  const posterName = (size: PosterSize) => `liveshelf-poster-${report.room}-${size === 'portrait' ? '1080x1920' : '1920x1080'}.png`;
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
          {words.title} · {room.title}
        </h1>
        <p class="period">
          {words.period}: {when.format(report.from)} – {time.format(report.to)} ({timeZone})
        </p>
      </header>
      <section aria-labelledby="totals-h">
        <h2 id="totals-h" class="visually-hidden">
          {words.title}
        </h2>
        <Totals figures={figures} />
      </section>
      <section aria-labelledby="chart-h">
        <h2 id="chart-h">{words.chart}</h2>
        <Chart timeline={report.timeline} colours={colours} currency={currency} locale={locale} timeZone={timeZone} words={words} />
        <ul class="bands" aria-label={words.onAir}>
          {[...colours].map(([id, colour]) => (
            <li key={id}>
              {/* a style object: Preact sets it through the CSSOM, which the CSP allows (a style attribute it would not) */}
              <span class="swatch" aria-hidden="true" style={{ background: colour }} />
              {names.get(id) ?? id}
            </li>
          ))}
        </ul>
      </section>
      <TableSection
        id="products-h"
        title={words.products}
        rows={report.products}
        rowKey={(p) => p.productId}
        columns={[
          { label: words.product, cell: (p) => p.name ?? p.productId },
          { label: words.sku, cell: (p) => p.sku ?? '–' },
          { label: words.units, num: true, cell: (p) => count(p.units) },
          { label: words.revenue, num: true, cell: (p) => money(p.revenueMinor) },
          { label: words.refunded, num: true, cell: (p) => count(p.refundedUnits) },
          { label: words.weight, num: true, cell: (p) => (p.weightGrams === null ? '–' : formatWeight(p.weightGrams, locale, words)) },
          { label: words.onAir, num: true, cell: (p) => minutes(p.onAirMs) },
          { label: words.whileOnAir, num: true, cell: (p) => count(p.unitsWhileOnAir) },
          { label: words.soldOut, cell: (p) => (p.soldOutAt === null ? '–' : time.format(p.soldOutAt)) },
        ]}
      />
      <TableSection
        id="sources-h"
        title={words.sources}
        rows={report.sources}
        rowKey={(x) => x.source}
        columns={[
          { label: words.source, cell: (x) => x.name },
          { label: words.orders, num: true, cell: (x) => count(x.orders) },
          { label: words.units, num: true, cell: (x) => count(x.units) },
          { label: words.revenue, num: true, cell: (x) => money(x.revenueMinor) },
        ]}
      />
      <PosterSection content={poster} words={words} fileName={posterName} />
      <section aria-labelledby="dl-h">
        <h2 id="dl-h">{words.downloads}</h2>
        <p class="downloads">
          <button type="button" onClick={() => download('csv', `liveshelf-report-${report.room}.csv`)}>
            {words.productsCsv}
          </button>
          <button type="button" onClick={() => download('timeline.csv', `liveshelf-timeline-${report.room}.csv`)}>
            {words.timelineCsv}
          </button>
        </p>
      </section>
    </>
  );
}
