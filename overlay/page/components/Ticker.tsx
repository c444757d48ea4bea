/**
 * The marquee: sold-out products, then pushed messages. It scrolls with one CSS animation on
 * transform (compositor only, no JS while idle); two copies of the run make the loop seamless.
 */
import type { TickerItem } from '../overlay-state.js';
import type { Words } from '../words.js';

const PX_PER_CHAR = 34; // about one CJK glyph at the ticker's size
const SPEED_PX_S = 110; // a comfortable reading speed on a 1080p stream

function Run({ items, words, hidden }: { items: TickerItem[]; words: Words; hidden?: boolean }) {
  return (
    <span class="ticker-run" aria-hidden={hidden ? 'true' : undefined}>
      {items.map((t) => (
        <span key={t.key} class={t.soldOut ? 'tick tick-sold' : 'tick'}>
          {t.soldOut && <em class="tick-badge">{words.soldOut}</em>}
          {t.text}
        </span>
      ))}
    </span>
  );
}

export function Ticker({ items, words }: { items: TickerItem[]; words: Words }) {
  if (items.length === 0) return null;
  const chars = items.reduce((n, t) => n + t.text.length + (t.soldOut ? words.soldOut.length + 2 : 2), 0);
  const seconds = Math.max(12, Math.round((chars * PX_PER_CHAR) / SPEED_PX_S));
  return (
    <div class="ticker" data-part="ticker">
      <div class="ticker-window">
        <div class="ticker-track" style={{ animationDuration: `${seconds}s` }}>
          <Run items={items} words={words} />
          <Run items={items} words={words} hidden />
        </div>
      </div>
    </div>
  );
}
