/** The whole overlay: card, countdown and ticker on a transparent stage of the chosen layout. */
import { useRef, useState } from 'preact/hooks';
import type { Product } from '../../../shared/domain.js';
import type { OverlayOptions } from '../overlay-options.js';
import type { OverlayState } from '../overlay-state.js';
import { setupWords, WORDS } from '../words.js';
import { Countdown } from './Countdown.js';
import { ProductCard } from './ProductCard.js';
import { SetupNotice } from './SetupNotice.js';
import { Ticker } from './Ticker.js';

function CardSlot({ state, options }: { state: OverlayState; options: OverlayOptions }) {
  const product = state.card.value;
  const room = state.room.value;
  const info = room?.room;
  // The card that is leaving stays mounted until its exit animation ends.
  const last = useRef<Product | null>(null);
  const [, rerender] = useState(0);
  if (product) last.current = product;
  const shown = product ?? last.current;
  if (!shown || !info) return null;
  return (
    <ProductCard
      key={shown.id}
      product={shown}
      info={info}
      words={WORDS[options.lang]}
      extras={options}
      // The relay's kept total (issue 17; the card reads it only with stats=weight). The relay
      // serves this page, so they are one release; a last state saved before it (localStorage)
      // has none, and the line is not shown.
      roomGrams={room!.totals.weightGrams}
      leaving={!product}
      onLeft={() => {
        if (state.card.peek()) return;
        last.current = null;
        rerender((n) => n + 1);
      }}
    />
  );
}

function CountdownSlot({ state, options }: { state: OverlayState; options: OverlayOptions }) {
  const c = state.room.value?.countdown;
  if (!c) return null;
  return <Countdown key={c.endsAt} countdown={c} skewMs={state.skew.value} fallbackLabel={WORDS[options.lang].flashSale} />;
}

export function Overlay({ state, options }: { state: OverlayState; options: OverlayOptions }) {
  const problem = state.setup.value;
  const words = WORDS[options.lang];
  return (
    <main
      class="stage"
      data-layout={options.layout}
      data-theme={options.theme}
      data-link={state.link.value}
      style={{ '--scale': String(options.scale) }}
    >
      {problem ? (
        <SetupNotice text={setupWords(words, problem)} />
      ) : (
        <>
          <CardSlot state={state} options={options} />
          <CountdownSlot state={state} options={options} />
          <Ticker items={state.ticker.value} words={words} mode={options.ticker} />
        </>
      )}
    </main>
  );
}
