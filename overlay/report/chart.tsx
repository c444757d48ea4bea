/**
 * The timeline chart: orders per minute (bars) and cumulative revenue (a line on its own scale),
 * over bands coloured by the product on the card in that minute. uPlot (≈ 50 KB min, canvas):
 * 44,640 minutes (a month) draw in milliseconds, where an SVG chart would build one node per bar.
 * Times are in the room's time zone (uPlot.tzDate), not the viewer's.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatCount, formatMoney } from '../../shared/money.js';
import { MINUTE_MS, type ReportMinute } from '../../shared/show-report.js';
import type { ReportWords } from './words.js';

export interface ChartProps {
  timeline: ReportMinute[];
  colours: Map<string, string>;
  currency: string;
  locale: string;
  timeZone: string;
  words: ReportWords;
}

/** Consecutive minutes with the same product on air, as [from, to) in seconds. */
function bands(timeline: ReportMinute[]): { id: string; from: number; to: number }[] {
  const out: { id: string; from: number; to: number }[] = [];
  for (const m of timeline) {
    if (m.onAir === null) continue;
    const last = out[out.length - 1];
    const from = m.at / 1000;
    if (last && last.id === m.onAir && last.to === from) last.to = from + MINUTE_MS / 1000;
    else out.push({ id: m.onAir, from, to: from + MINUTE_MS / 1000 });
  }
  return out;
}

export function Chart({ timeline, colours, currency, locale, timeZone, words }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs: number[] = [];
    const orders: number[] = [];
    const cumulative: number[] = [];
    let sum = 0;
    for (const m of timeline) {
      xs.push(m.at / 1000);
      orders.push(m.orders);
      sum += m.revenueMinor;
      cumulative.push(sum);
    }
    const spans = bands(timeline);
    // The room's clock in the room's language ("19:05"), not uPlot's English "7:05pm".
    const hm = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const clock = (s: number) => hm.format(s * 1000);
    const width = () => Math.max(320, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 340,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone),
        scales: { x: { time: true }, orders: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] }, revenue: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.05] } },
        axes: [
          { stroke: '#374151', grid: { stroke: '#e5e7eb' }, values: (_u, vals) => vals.map(clock) },
          { scale: 'orders', stroke: '#374151', grid: { stroke: '#e5e7eb' }, values: (_u, vals) => vals.map((v) => formatCount(v, locale)) },
          { scale: 'revenue', side: 1, stroke: '#111827', grid: { show: false }, size: 90, values: (_u, vals) => vals.map((v) => formatMoney(v, currency, locale).replace(/[.,]00(?=\D*$)/, '')) },
        ],
        series: [
          { label: words.time, value: (_u, v) => (v === null ? '–' : clock(v)) },
          {
            label: words.ordersPerMinute,
            scale: 'orders',
            stroke: '#1f2937',
            fill: 'rgba(31,41,55,0.55)',
            paths: uPlot.paths.bars!({ size: [0.8, 24] }),
            points: { show: false },
            value: (_u, v) => (v === null ? '–' : formatCount(v, locale)),
          },
          { label: words.cumulativeRevenue, scale: 'revenue', stroke: '#b45309', width: 2.5, points: { show: false }, value: (_u, v) => (v === null ? '–' : formatMoney(v, currency, locale)) },
        ],
        legend: { show: true },
        hooks: {
          // The bands under the series: drawn before them, over the plot area's full height.
          drawClear: [
            (u) => {
              const { ctx, bbox } = u;
              ctx.save();
              for (const b of spans) {
                const x0 = u.valToPos(b.from, 'x', true);
                const x1 = u.valToPos(b.to, 'x', true);
                ctx.fillStyle = `${colours.get(b.id) ?? '#9ca3af'}2e`;
                ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
              }
              ctx.restore();
            },
          ],
        },
      },
      [xs, orders, cumulative],
      el,
    );
    const resize = () => plot.setSize({ width: width(), height: 340 });
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [timeline, colours, currency, locale, timeZone, words]);
  return <div class="chart" ref={box} role="img" aria-label={words.chartLabel} />;
}
