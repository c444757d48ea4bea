import { useEffect } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { formatCount, formatMoney } from '../../../shared/money';
import { CardToggle } from '../../components/CardToggle';
import { PairingForm } from '../../components/PairingForm';
import { StatusBar } from '../../components/StatusBar';
import type { ConsoleState } from '../../ui/console-state';

/** Status and the three quick actions; the full console is the side panel. */
export function PopupApp({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const state = s.room.value;
  const p = s.currentProduct.value;
  useEffect(() => {
    document.documentElement.lang = s.locale.value;
    // The HTML <title> is the manifest placeholder for the toolbar tooltip (see index.html).
    document.title = s.t.value('appName');
  }, [s.locale.value]);
  async function openPanel() {
    // chrome.sidePanel.open needs the user gesture of this click; Firefox has sidebarAction.
    const b = browser as unknown as {
      sidePanel?: { open(o: { windowId: number }): Promise<void> };
      sidebarAction?: { open(): Promise<void> };
    };
    if (b.sidePanel) {
      const win = await browser.windows.getCurrent();
      if (win.id !== undefined) await b.sidePanel.open({ windowId: win.id });
    } else await b.sidebarAction?.open();
    window.close();
  }
  return (
    <main class="popup">
      <StatusBar s={s} />
      {!s.activeRoom.value && <PairingForm s={s} />}
      {state && (
        <section class="card">
          <div class="current-head">
            <span class={`badge ${state.cardVisible ? 'on-air' : 'off-air'}`}>{state.cardVisible ? t('onAir') : t('offAir')}</span>
            <strong>{p?.name ?? t('noCurrent')}</strong>
          </div>
          <p class="hint">
            {t('units')} {formatCount(state.totals.sold, s.locale.value)} · {t('revenue')} {formatMoney(state.totals.revenueMinor, state.room.currency, s.locale.value)}
          </p>
          <div class="row">
            {s.isHost.value && p && (
              <button type="button" class="sale" aria-label={t('plusOne', { name: p.name })} disabled={p.soldOut} onClick={() => void s.command({ type: 'sale.record', productId: p.id, quantity: 1 })}>
                +1
              </button>
            )}
            <button type="button" onClick={() => void s.command({ type: 'card.next' })}>
              {t('next')}
            </button>
            <CardToggle s={s} />
          </div>
        </section>
      )}
      <button type="button" class="primary" onClick={() => void openPanel()}>
        {t('popupOpenPanel')}
      </button>
    </main>
  );
}
