/**
 * The show's pulse in the host's console (issues 19 and 13), beside the log: the last 30
 * minutes' orders per minute as a small live chart, each shop feed's health (last delivery,
 * counted, rejected, unmatched) and the per-platform split of the one count. Read from the
 * relay's host routes (GET …/report?from=, GET …/feeds, GET …?totals=bySource) through the
 * surface's host calls (host-tools.ts: the web console fetches, the side panel asks the worker),
 * when shown, every 30 s, and a few seconds after the room's orders change. Pure of the browser.
 */
import { effect, signal, type ReadonlySignal } from '@preact/signals';
import type { RoomState } from '../../shared/domain';
import type { HostAnswer, HostCall } from '../common/host-calls';

export const PULSE_MINUTES = 30;
const MINUTE = 60_000;
export const PULSE_EVERY_MS = 30_000;
/** After the orders change, the pulse is read again this much later (a rush is one read, not hundreds). */
export const PULSE_SETTLE_MS = 5_000;

export interface PulseMinute {
  at: number;
  orders: number;
}

export interface FeedHealth {
  id: string;
  platform: string;
  name: string;
  received: number;
  counted: number;
  rejected: number;
  unmatched: number;
  /** The SKUs of the lines waiting for a product, each once, with their units. */
  unmatchedSkus: { sku: string; quantity: number }[];
  lastAt: number | null;
  lastError: string | null;
}

export interface SourceLine {
  source: string;
  name: string;
  orders: number;
  units: number;
  revenueMinor: number;
}

export interface ShowPulse {
  minutes: ReadonlySignal<PulseMinute[]>;
  feeds: ReadonlySignal<FeedHealth[]>;
  sources: ReadonlySignal<SourceLine[]>;
  /** The last read failed: the relay's words (the figures shown are the last good ones). */
  failure: ReadonlySignal<string | null>;
  refresh(): Promise<void>;
  /** Maps a feed's unmatched SKU to a product: its waiting lines count; the failure's words, or null. */
  map(feed: string, sku: string, productId: string): Promise<string | null>;
  stop(): void;
}

export interface ShowPulseEnv {
  api: { call(call: HostCall): Promise<HostAnswer> };
  room: ReadonlySignal<RoomState | null>;
  online: ReadonlySignal<boolean>;
  now?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (t: unknown) => void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The first minute of the window that ends with the minute of `now`. */
export const pulseFrom = (now: number, n = PULSE_MINUTES) => Math.floor(now / MINUTE) * MINUTE - (n - 1) * MINUTE;

/** The last `n` minutes up to the one of `now`, oldest first, from the report's timeline rows (a minute it lacks had no order). */
export function lastMinutes(timeline: readonly { at: number; orders: number }[], now: number, n = PULSE_MINUTES): PulseMinute[] {
  const from = pulseFrom(now, n);
  const byMinute = new Map(timeline.map((m) => [m.at, m.orders]));
  return Array.from({ length: n }, (_, i) => ({ at: from + i * MINUTE, orders: byMinute.get(from + i * MINUTE) ?? 0 }));
}

function unmatchedSkus(lines: unknown): { sku: string; quantity: number }[] {
  const bySku = new Map<string, number>();
  for (const l of Array.isArray(lines) ? lines.filter(isRecord) : []) if (typeof l['sku'] === 'string') bySku.set(l['sku'], (bySku.get(l['sku']) ?? 0) + num(l['quantity']));
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

export function feedHealthOf(body: unknown): FeedHealth[] {
  const feeds = isRecord(body) && Array.isArray(body['feeds']) ? body['feeds'] : [];
  return feeds.filter(isRecord).map((f) => ({
    id: String(f['id'] ?? ''),
    platform: String(f['platform'] ?? ''),
    name: String(f['name'] ?? ''),
    received: num(f['received']),
    counted: num(f['counted']),
    rejected: num(f['rejected']),
    unmatched: Array.isArray(f['unmatched']) ? f['unmatched'].length : 0,
    unmatchedSkus: unmatchedSkus(f['unmatched']),
    lastAt: typeof f['lastAt'] === 'number' ? f['lastAt'] : null,
    lastError: typeof f['lastError'] === 'string' ? f['lastError'] : null,
  }));
}

export function sourcesOf(body: unknown): SourceLine[] {
  const totals = isRecord(body) && isRecord(body['totals']) ? body['totals'] : {};
  const list = Array.isArray(totals['bySource']) ? totals['bySource'] : [];
  return list.filter(isRecord).map((s) => ({ source: String(s['source'] ?? ''), name: String(s['name'] ?? s['source'] ?? ''), orders: num(s['orders']), units: num(s['units']), revenueMinor: num(s['revenueMinor']) }));
}

export function createShowPulse(env: ShowPulseEnv): ShowPulse {
  const now = env.now ?? Date.now;
  const later = env.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const cancel = env.clearTimeout ?? ((t: unknown) => clearTimeout(t as ReturnType<typeof setTimeout>));
  const minutes = signal<PulseMinute[]>(lastMinutes([], now()));
  const feeds = signal<FeedHealth[]>([]);
  const sources = signal<SourceLine[]>([]);
  const failure = signal<string | null>(null);
  let timer: unknown = null;
  /** When the scheduled read is due: a sooner one replaces it, a later one does not. */
  let dueAt = Infinity;
  let reading: Promise<void> | null = null;
  let stopped = false;

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer !== null) {
      // Never postponed: in a rush the orders change every moment, and the read must still come.
      if (now() + ms >= dueAt) return;
      cancel(timer);
    }
    dueAt = now() + ms;
    timer = later(() => {
      timer = null;
      dueAt = Infinity;
      void refresh();
    }, ms);
  }

  async function read(): Promise<void> {
    const at = now();
    const [report, feedList, split] = await Promise.all([env.api.call({ kind: 'recent', from: pulseFrom(at) }), env.api.call({ kind: 'feeds' }), env.api.call({ kind: 'sources' })]);
    const failed = [report, feedList, split].find((a): a is Extract<HostAnswer, { ok: false }> => !a.ok);
    failure.value = failed ? failed.message : null;
    if (report.ok) {
      const timeline = isRecord(report.body) && Array.isArray(report.body['timeline']) ? report.body['timeline'].filter(isRecord).map((m) => ({ at: num(m['at']), orders: num(m['orders']) })) : [];
      minutes.value = lastMinutes(timeline, at);
    }
    if (feedList.ok) feeds.value = feedHealthOf(feedList.body);
    if (split.ok) sources.value = sourcesOf(split.body);
  }

  async function refresh(): Promise<void> {
    if (stopped) return;
    // One read at a time; a refresh asked meanwhile is the next scheduled one.
    reading ??= read().finally(() => (reading = null));
    await reading;
    // The next regular read, counted from this one.
    if (timer !== null) cancel(timer);
    timer = null;
    dueAt = Infinity;
    schedule(PULSE_EVERY_MS);
  }

  // A change of the room's orders (a sale, a refund, a rehearsal's end) reads the pulse again soon.
  let lastOrders: number | undefined;
  const stopWatch = effect(() => {
    const orders = env.room.value?.totals.orders;
    const online = env.online.value;
    if (orders === undefined || !online) return;
    if (lastOrders !== undefined && orders !== lastOrders && timer !== null) schedule(PULSE_SETTLE_MS);
    lastOrders = orders;
  });

  void refresh();
  return {
    minutes,
    feeds,
    sources,
    failure,
    refresh,
    async map(feed, sku, productId) {
      const a = await env.api.call({ kind: 'map', feed, sku, productId });
      if (!a.ok) return a.message;
      await refresh();
      return null;
    },
    stop() {
      stopped = true;
      stopWatch();
      if (timer !== null) cancel(timer);
    },
  };
}
