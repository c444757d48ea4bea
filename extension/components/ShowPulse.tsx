/**
 * The show's pulse for the host (issues 19 and 13), above the log: the last 30 minutes' orders
 * per minute as a small bar chart (SVG, no library), a button to the after-show report, each
 * shop feed's health and the per-source split of the count. State and reads: ui/show-pulse.ts.
 */
import { useState } from 'preact/hooks';
import { cachedFormat, formatCount, formatMoney } from '../../shared/money';
import type { HostWordKey } from '../../shared/i18n/en/host';
import type { Translate as TranslateOf } from '../../shared/i18n/locale';
import type { ConsoleState } from '../ui/console-state';
import type { HostTools } from '../ui/host-tools';
import type { PulseMinute, ShowPulse } from '../ui/show-pulse';

type HostTranslate = TranslateOf<HostWordKey>;

const W = 300;
const H = 56;

/** 19:05 in the room's zone; drawn again with every state, so one formatter per locale and zone. */
function timeOf(at: number, locale: string, timeZone?: string): string {
  return cachedFormat(`pulse|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone !== undefined && { timeZone }) })).format(at);
}

function MinuteBars({ minutes, h, locale, timeZone }: { minutes: PulseMinute[]; h: HostTranslate; locale: string; timeZone?: string }) {
  const total = minutes.reduce((a, m) => a + m.orders, 0);
  const peak = minutes.reduce((best, m) => (m.orders > best.orders ? m : best), minutes[0] ?? { at: 0, orders: 0 });
  const max = Math.max(1, peak.orders);
  const bw = W / Math.max(1, minutes.length);
  const label = total === 0 ? h('pulse.quiet') : h('pulse.chartLabel', { orders: formatCount(total, locale), peak: formatCount(peak.orders, locale), time: timeOf(peak.at, locale, timeZone) });
  return (
    <figure class="pulse-chart">
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={label} data-testid="pulse-chart">
        {minutes.map((m, i) => {
          const bh = m.orders === 0 ? 0 : Math.max(2, (m.orders / max) * (H - 2));
          return <rect key={m.at} x={i * bw + 1} y={H - bh} width={Math.max(1, bw - 2)} height={bh} class={i === minutes.length - 1 ? 'now' : undefined} data-orders={m.orders} />;
        })}
        <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} class="axis" />
      </svg>
      <figcaption>
        <span>{h('pulse.chart')}</span>
        <span class="pulse-total" aria-hidden="true">
          {label}
        </span>
      </figcaption>
    </figure>
  );
}

/** A shop line whose SKU matched no product: the host picks the product, and its waiting lines count once. */
function MapSku({ s, pulse, feed, sku, quantity, h }: { s: ConsoleState; pulse: ShowPulse; feed: string; sku: string; quantity: number; h: HostTranslate }) {
  const products = s.room.value?.products ?? [];
  const [productId, setProductId] = useState(products[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <li class="map-sku">
      <span>{h('pulse.waiting', { sku, quantity: formatCount(quantity, s.locale.value) })}</span>
      <div class="row">
        <select aria-label={h('pulse.mapLabel', { sku })} value={productId} onChange={(e) => setProductId(e.currentTarget.value)}>
          {products.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} · {p.sku}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy || !productId}
          onClick={async () => {
            setBusy(true);
            const failed = await pulse.map(feed, sku, productId);
            setBusy(false);
            setError(failed);
          }}
        >
          {h('pulse.map')}
        </button>
      </div>
      {error && (
        <p class="field-error" role="alert">
          {h('pulse.mapFailed', { message: error })}
        </p>
      )}
    </li>
  );
}

const SOURCE_WORDS = new Set(['console', 'shortcut', 'api', 'webhook', 'import', 'rehearsal']);

export function ShowPulsePanel({ s, tools, h }: { s: ConsoleState; tools: HostTools; h: HostTranslate }) {
  const pulse = tools.pulse();
  const state = s.room.value;
  const locale = s.locale.value;
  const timeZone = state?.room.timeZone;
  const currency = state?.room.currency ?? 'CNY';
  const feeds = pulse.feeds.value;
  const sources = pulse.sources.value;
  const sourceName = (source: string, name: string) => (SOURCE_WORDS.has(source) ? h(`source.${source}` as HostWordKey) : name);
  return (
    <section class="card pulse" aria-labelledby="pulse-h" data-testid="show-pulse">
      <div class="row pulse-head">
        <h2 id="pulse-h" class="grow">
          {h('pulse.title')}
        </h2>
        {tools.openReport && (
          <button type="button" onClick={() => tools.openReport?.()}>
            {h('pulse.report')}
          </button>
        )}
      </div>
      <MinuteBars minutes={pulse.minutes.value} h={h} locale={locale} {...(timeZone !== undefined && { timeZone })} />
      {pulse.failure.value && (
        <p class="hint" role="status">
          {h('pulse.failed', { message: pulse.failure.value })}
        </p>
      )}
      {sources.length > 0 && (
        <table class="pulse-table" data-testid="pulse-sources">
          <caption>{h('pulse.sources')}</caption>
          <thead>
            <tr>
              <th scope="col">{h('pulse.source')}</th>
              <th scope="col" class="num">
                {h('pulse.orders')}
              </th>
              <th scope="col" class="num">
                {h('pulse.units')}
              </th>
              <th scope="col" class="num">
                {h('pulse.revenue')}
              </th>
            </tr>
          </thead>
          <tbody>
            {sources.map((x) => (
              <tr key={x.source}>
                <th scope="row">{sourceName(x.source, x.name)}</th>
                <td class="num">{formatCount(x.orders, locale)}</td>
                <td class="num">{formatCount(x.units, locale)}</td>
                <td class="num">{formatMoney(x.revenueMinor, currency, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {feeds.length > 0 && (
        <table class="pulse-table" data-testid="pulse-feeds">
          <caption>{h('pulse.feeds')}</caption>
          <thead>
            <tr>
              <th scope="col">{h('pulse.feed')}</th>
              <th scope="col">{h('pulse.last')}</th>
              <th scope="col" class="num">
                {h('pulse.counted')}
              </th>
              <th scope="col" class="num">
                {h('pulse.rejected')}
              </th>
              <th scope="col" class="num">
                {h('pulse.unmatched')}
              </th>
            </tr>
          </thead>
          <tbody>
            {feeds.map((f) => (
              <tr key={f.id} class={f.rejected > 0 || f.unmatched > 0 ? 'warn' : undefined}>
                <th scope="row">
                  {f.name || f.platform}
                  {f.lastError && <small class="feed-error">{h('pulse.feedError', { message: f.lastError })}</small>}
                </th>
                <td>{f.lastAt === null ? h('pulse.never') : timeOf(f.lastAt, locale, timeZone)}</td>
                <td class="num">{formatCount(f.counted, locale)}</td>
                <td class="num">{formatCount(f.rejected, locale)}</td>
                <td class="num">{formatCount(f.unmatched, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {feeds.some((f) => f.unmatchedSkus.length > 0) && (
        <ul class="map-list" data-testid="pulse-unmatched">
          {feeds.flatMap((f) => f.unmatchedSkus.map((u) => <MapSku key={`${f.id}:${u.sku}`} s={s} pulse={pulse} feed={f.id} sku={u.sku} quantity={u.quantity} h={h} />))}
        </ul>
      )}
    </section>
  );
}
