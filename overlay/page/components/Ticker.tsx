/**
 * The ticker: sold-out products, then pushed messages, in one of two modes (`ticker=` in the URL).
 *
 * `flip` (default): one item at a time, rolled in with a short transform/opacity animation, held,
 * then replaced; between flips nothing moves, so the compositor draws no frame. A continuous
 * crawl made every Chromium process of a streaming laptop draw 60 frames a second, ~20 % of a
 * core in software compositing (issue 15); the flip, under 2 %. An item wider than the bar
 * crawls once, from its start to its end, before the next flip, so no message is ever cut.
 * A newly pushed message or a product that just sold out is shown at once.
 *
 * `crawl`: the continuous marquee, one CSS animation on transform; two copies of the run make the
 * loop seamless.
 *
 * Every item stays in the DOM (hidden ones with visibility: hidden), so the ticker's text is
 * always all of its items, for screen readers, tests and OBS custom CSS.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TickerMode } from '../overlay-options.js';
import type { TickerItem } from '../overlay-state.js';
import type { Words } from '../words.js';

const PX_PER_CHAR = 34; // about one CJK glyph at the ticker's size
const SPEED_PX_S = 110; // a comfortable reading speed on a 1080p stream
const HOLD_MS = 6000; // each item stays readable this long (a 20-character line at ~4 characters a second, and some)
const CRAWL_PAUSE_MS = 1500; // a long item rests at its start and at its end, so both can be read
const CRAWL_STEP_PX = 4; // whole pixels, ~27 steps a second at SPEED_PX_S: under a stream's 30 fps

function Tick({ t, words, at }: { t: TickerItem; words: Words; at?: 'on' | 'off' | undefined }) {
  return (
    <span class={t.mark ? 'tick tick-sold' : 'tick'} data-at={at}>
      {t.mark && <em class="tick-badge">{words[t.mark]}</em>}
      {t.text}
    </span>
  );
}

function Crawl({ items, words }: { items: TickerItem[]; words: Words }) {
  const chars = items.reduce((n, t) => n + t.text.length + (t.mark ? words[t.mark].length + 2 : 2), 0);
  const seconds = Math.max(12, Math.round((chars * PX_PER_CHAR) / SPEED_PX_S));
  const run = (hidden?: boolean) => (
    <span class="ticker-run" aria-hidden={hidden ? 'true' : undefined}>
      {items.map((t) => (
        <Tick key={t.key} t={t} words={words} />
      ))}
    </span>
  );
  return (
    <div class="ticker-track" style={{ animationDuration: `${seconds}s` }}>
      {run()}
      {run(true)}
    </div>
  );
}

function Flip({ items, words }: { items: TickerItem[]; words: Words }) {
  // `on` is the key of the item on screen, `off` the one rolling out; `turn` counts flips, so a
  // single long item can crawl again (its element is keyed by the turn, which restarts it).
  const [shown, setShown] = useState({ on: items[0]!.key, off: '', turn: 0 });
  const known = useRef(new Set(items.map((t) => t.key)));
  const track = useRef<HTMLDivElement>(null);
  const found = items.findIndex((t) => t.key === shown.on);
  const index = Math.max(0, found); // for one render, until the effect below picks the next item

  useLayoutEffect(() => {
    const fresh = items.filter((t) => !known.current.has(t.key));
    known.current = new Set(items.map((t) => t.key));
    const gone = found < 0;
    if (fresh.length || gone) {
      // News first: the newest new item at once; an item taken away gives way to the next one.
      const next = fresh[fresh.length - 1] ?? items[0]!;
      setShown((s) => ({ on: next.key, off: gone ? '' : s.on, turn: s.turn + 1 }));
    }
  }, [items]);

  useLayoutEffect(() => {
    const el = track.current?.querySelector<HTMLElement>('[data-at="on"]');
    const bar = track.current?.parentElement;
    if (!el || !bar) return;
    const steps = Math.round((el.offsetWidth - bar.clientWidth) / CRAWL_STEP_PX); // ±2 px: inside its padding
    const over = Math.max(0, steps * CRAWL_STEP_PX);
    el.style.setProperty('--crawl', `${-over}px`);
    el.style.setProperty('--crawl-n', String(Math.max(1, steps)));
    el.style.setProperty('--crawl-s', `${over / SPEED_PX_S}s`);
    el.toggleAttribute('data-crawl', over > 0);
    if (items.length < 2 && !over) return; // nothing else to show: stay idle
    const hold = over ? (over / SPEED_PX_S) * 1000 + 2 * CRAWL_PAUSE_MS : HOLD_MS;
    const timer = setTimeout(() => {
      const next = items[(index + 1) % items.length]!;
      setShown((s) => ({ on: next.key, off: next.key === s.on ? '' : s.on, turn: s.turn + 1 }));
    }, hold);
    return () => clearTimeout(timer);
  }, [shown, items]);

  return (
    <div class="ticker-track" ref={track}>
      {items.map((t, i) => (
        <Tick key={items.length < 2 ? `${t.key}:${shown.turn}` : t.key} t={t} words={words} at={i === index ? 'on' : t.key === shown.off ? 'off' : undefined} />
      ))}
    </div>
  );
}

export function Ticker({ items, words, mode }: { items: TickerItem[]; words: Words; mode: TickerMode }) {
  if (items.length === 0) return null;
  return (
    <div class="ticker" data-part="ticker" data-mode={mode}>
      <div class="ticker-window">{mode === 'crawl' ? <Crawl items={items} words={words} /> : <Flip items={items} words={words} />}</div>
    </div>
  );
}
