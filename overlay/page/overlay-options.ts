/**
 * The overlay URL's query: room and token (required), and the look (layout, lang, theme,
 * scale, ticker). OBS users type these by hand, so an unknown value falls back to the default
 * instead of breaking the page.
 */
import { LOCALES, type Locale } from '../../shared/i18n/locale.js';

export const LAYOUTS = ['landscape', 'portrait'] as const;
export const THEMES = ['dark', 'light', 'festive'] as const;
/** `flip` (one message at a time, idle in between) costs a streaming laptop under 2 % of a core; `crawl` ~12–20 % in software compositing (issue 15). */
export const TICKERS = ['flip', 'crawl'] as const;

export type Layout = (typeof LAYOUTS)[number];
export type Theme = (typeof THEMES)[number];
export type TickerMode = (typeof TICKERS)[number];

export interface OverlayOptions {
  room: string;
  token: string;
  layout: Layout;
  lang: Locale;
  theme: Theme;
  ticker: TickerMode;
  /** Multiplies every size of the graphics; 0.5 to 2. */
  scale: number;
  /** Extra lines under the sold count: `stats=revenue,weight`. */
  revenue: boolean;
  weight: boolean;
  /** The card's traceability QR, on unless `qr=0`. */
  qr: boolean;
}

function oneOf<T extends string>(list: readonly T[], value: string | null, fallback: T): T {
  if (value === null) return fallback;
  const hit = list.find((v) => v.toLowerCase() === value.trim().toLowerCase());
  return hit ?? fallback;
}

export function readOptions(search: string): OverlayOptions {
  const q = new URLSearchParams(search);
  const scale = Number(q.get('scale') ?? '1');
  const stats = (q.get('stats') ?? '').toLowerCase().split(',').map((x) => x.trim());
  return {
    room: (q.get('room') ?? '').trim(),
    token: (q.get('token') ?? '').trim(),
    layout: oneOf(LAYOUTS, q.get('layout'), 'landscape'),
    // "zh", "zh-cn" and "zh-Hans" all mean the Chinese words.
    lang: oneOf(LOCALES, /^zh/i.test(q.get('lang') ?? '') ? 'zh-CN' : q.get('lang'), 'zh-CN'),
    theme: oneOf(THEMES, q.get('theme'), 'dark'),
    ticker: oneOf(TICKERS, q.get('ticker'), 'flip'),
    scale: Number.isFinite(scale) && scale >= 0.5 && scale <= 2 ? scale : 1,
    revenue: stats.includes('revenue'),
    weight: stats.includes('weight'),
    qr: q.get('qr')?.trim() !== '0',
  };
}
