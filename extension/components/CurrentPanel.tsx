import { useEffect, useState } from 'preact/hooks';
import { formatCount, formatMoney } from '../../shared/money';
import type { ConsoleState } from '../ui/console-state';
import { CardToggle } from './CardToggle';
import { PresetButtons } from './PresetButtons';
import { useAfterFirstPaint } from './lazy';

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** The current product and the live controls: card, countdown, ticker, totals, preview. */
export function CurrentPanel({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const state = s.room.value;
  const p = s.currentProduct.value;
  const [seconds, setSeconds] = useState('60');
  const [ticker, setTicker] = useState('');
  const [overlayDraft, setOverlayDraft] = useState('');
  const [copied, setCopied] = useState(false);
  const now = useNow(state?.countdown != null);
  // The overlay link is not in the first-paint copy (it holds the overlay token): until storage
  // is read the preview keeps its place empty. Its iframe loads a whole page from the relay, so
  // it starts after the first paint.
  const overlayUrl = s.activeRoom.value?.overlayUrl ?? null;
  const framed = useAfterFirstPaint(overlayUrl !== null);
  if (!state) return null;
  const { currency } = state.room;
  // Numbers in the host's language; the room's locale is the viewers' (the overlay's).
  const locale = s.locale.value;
  const remainingMs = state.countdown ? Math.max(0, state.countdown.endsAt - now) : 0;
  const activeKey = s.activeKey.value;

  return (
    <section class="card current" aria-labelledby="current-h">
      <h2 id="current-h" class="sr-only">
        {t('current')}
      </h2>
      <div class="current-head">
        <span class={`badge ${state.cardVisible ? 'on-air' : 'off-air'}`}>{state.cardVisible ? t('onAir') : t('offAir')}</span>
        <strong class="current-name" data-testid="current-name">
          {p ? p.name : t('noCurrent')}
        </strong>
        {p && <span class="price">{formatMoney(p.priceMinor, currency, locale)}</span>}
      </div>
      <div class="row buttons">
        <CardToggle s={s} />
        <button type="button" class="primary" onClick={() => void s.command({ type: 'card.next' })}>
          {t('next')}
        </button>
        {s.isHost.value && (
          <button type="button" disabled={!s.canUndo.value} onClick={() => void s.undoSale()}>
            {t('undoSale')}
          </button>
        )}
      </div>

      <dl class="totals" aria-label={t('totals')}>
        <div>
          <dt>{t('units')}</dt>
          <dd data-testid="total-units">{formatCount(state.totals.sold, locale)}</dd>
        </div>
        <div>
          <dt>{t('revenue')}</dt>
          <dd data-testid="total-revenue">{formatMoney(state.totals.revenueMinor, currency, locale)}</dd>
        </div>
        <div>
          <dt>{t('orders')}</dt>
          <dd>{formatCount(state.totals.orders, locale)}</dd>
        </div>
      </dl>

      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const n = Number(seconds);
          if (Number.isInteger(n) && n > 0) void s.command({ type: 'countdown.start', seconds: n });
        }}
      >
        <label class="grow">
          <span>{t('countdown')}</span>
          {state.countdown ? (
            <output class="countdown" data-testid="countdown">
              {Math.floor(remainingMs / 60000)}:{String(Math.floor((remainingMs % 60000) / 1000)).padStart(2, '0')}
            </output>
          ) : (
            <input type="number" min={1} max={86400} value={seconds} onInput={(e) => setSeconds(e.currentTarget.value)} aria-label={t('seconds')} />
          )}
        </label>
        {state.countdown ? (
          <button type="button" onClick={() => void s.command({ type: 'countdown.stop' })}>
            {t('stop')}
          </button>
        ) : (
          <button type="submit">{t('start')}</button>
        )}
      </form>

      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (ticker.trim()) void s.command({ type: 'ticker.push', text: ticker.trim() }).then((r) => r.ok && setTicker(''));
        }}
      >
        <label class="grow">
          <span>{t('ticker')}</span>
          <input type="text" maxLength={140} value={ticker} onInput={(e) => setTicker(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('send')}</button>
        {state.ticker.length > 0 && (
          <button type="button" class="quiet" onClick={() => void s.command({ type: 'ticker.clear' })}>
            {t('clearTicker')}
          </button>
        )}
      </form>
      {state.ticker.length > 0 && <p class="ticker-line">“{state.ticker[state.ticker.length - 1]?.text}”</p>}
      <PresetButtons s={s} />

      {/* The preview is the desktop host's (beside OBS); on a phone it would push the queue off screen. */}
      {s.surface === 'extension' && (
        <div class="preview">
          <h3 class="preview-h">{t('overlayPreview')}</h3>
          {s.hasOverlay.value ? (
            <>
              <div class="preview-frame">{framed && overlayUrl && <iframe src={overlayUrl} title={t('overlayPreview')} loading="lazy" />}</div>
              <div class="row">
                <button
                  type="button"
                  disabled={!overlayUrl}
                  onClick={() =>
                    overlayUrl &&
                    void navigator.clipboard.writeText(overlayUrl).then(() => {
                      setCopied(true);
                      setTimeout(() => setCopied(false), 1500);
                    })
                  }
                >
                  {copied ? t('copied') : t('copyOverlay')}
                </button>
                <button type="button" class="quiet" disabled={!overlayUrl} onClick={() => activeKey && void s.setOverlayUrl(activeKey, null)}>
                  {t('changeOverlay')}
                </button>
              </div>
            </>
          ) : (
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                if (activeKey && overlayDraft.trim()) void s.setOverlayUrl(activeKey, overlayDraft.trim()).then((r) => r.ok && setOverlayDraft(''));
              }}
            >
              <label class="grow">
                <span>{t('overlayLink')}</span>
                <input type="url" value={overlayDraft} placeholder="http://127.0.0.1:4600/overlay/?room=…" onInput={(e) => setOverlayDraft(e.currentTarget.value)} />
                <small class="hint">{t('overlayHint')}</small>
              </label>
              <button type="submit">{t('save')}</button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
