import { useEffect, useState } from 'preact/hooks';
import type { ConsoleState } from '../ui/console-state';
import { relayNoticeText } from '../ui/relay-errors';
import { CurrentPanel } from './CurrentPanel';
import { PairingForm } from './PairingForm';
import { LazyCsvImport as CsvImport, LazyHostTools as HostTools, LazyObsSlot as ObsSlot, LazyProductForm as ProductForm, LazyReaderPanel as ReaderPanel, useAfterFirstPaint } from './lazy';
import { ProductQueue } from './ProductQueue';
import { ReaderAlert } from './ReaderAlert';
import { RehearsalPanel, RehearsalStart } from './RehearsalPanel';
import { RoomsList } from './RoomsList';
import { StatusBar } from './StatusBar';

function NoticeBar({ s }: { s: ConsoleState }) {
  const n = s.notice.value;
  if (!n) return null;
  const t = s.t.value;
  const p = n.productId ? s.room.value?.products.find((x) => x.id === n.productId) : undefined;
  return (
    <div class="notice" role="alert" data-snapshot="skip" data-code={n.code} data-reason={n.reason ?? undefined}>
      {/* The relay's own English words stay in the tooltip, for a bug report. */}
      <span title={n.message}>{relayNoticeText(n, t, { commandType: n.commandType, product: p, locale: s.locale.value })}</span>
      <button type="button" class="quiet" onClick={() => void s.dismissNotice()}>
        {t('dismiss')}
      </button>
    </div>
  );
}

/**
 * The console: the side panel, or the web console at the pairing link (extension/web/). The role
 * decides which controls exist at all; the surface, what only the extension can do (OBS, other rooms).
 */
export function ConsoleApp({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const [panel, setPanel] = useState<'none' | 'add' | 'csv'>('none');
  const state = s.room.value;
  const host = s.isHost.value;
  const web = s.surface === 'web';
  const tools = s.host.value;
  // Below the queue, and it needs the OBS settings from storage: after the first paint.
  const later = useAfterFirstPaint(s.synced.value && state !== null);
  // The remembered rooms (a closed list with a pairing form) sit at the very bottom too.
  const roomsLater = useAfterFirstPaint(s.loaded.value);

  useEffect(() => {
    document.documentElement.lang = s.locale.value;
  }, [s.locale.value]);

  useEffect(() => {
    // For the benchmark and the e2e tests: the first paint with a room state.
    if (state && !performance.getEntriesByName('liveshelf:rendered').length) {
      requestAnimationFrame(() => performance.mark('liveshelf:rendered', { detail: { products: state.products.length } }));
    }
  }, [state]);

  if (!s.loaded.value) return null;
  if (!s.activeRoom.value) {
    return (
      <main class="console">
        <StatusBar s={s} />
        <PairingForm s={s} />
      </main>
    );
  }

  return (
    <main class={`console role-${s.role.value}`}>
      <StatusBar s={s} />
      <NoticeBar s={s} />
      {host && !web && <ReaderAlert s={s} />}
      {state ? (
        <>
          <RehearsalPanel s={s} />
          <CurrentPanel s={s} />
          {!host && (
            <p class="hint cohost-hint">
              {t('readOnlyCohost')} {t('cohostNoSales')}
            </p>
          )}
          {host && (
            <div class="row toolbar">
              <button type="button" aria-pressed={panel === 'add'} onClick={() => setPanel(panel === 'add' ? 'none' : 'add')}>
                {t('addProduct')}
              </button>
              <button type="button" aria-pressed={panel === 'csv'} onClick={() => setPanel(panel === 'csv' ? 'none' : 'csv')}>
                {t('importCsv')}
              </button>
            </div>
          )}
          {host && panel === 'add' && <ProductForm s={s} product={null} onDone={() => setPanel('none')} />}
          {host && panel === 'csv' && <CsvImport s={s} onDone={() => setPanel('none')} />}
          <ProductQueue s={s} />
          <RehearsalStart s={s} />
          {later && tools && <HostTools s={s} tools={tools} />}
          {later && !web && host && <ReaderPanel s={s} />}
          {later && !web && <ObsSlot s={s} isHost={host} />}
        </>
      ) : (
        <p class="card hint">{t('connecting')}</p>
      )}
      {roomsLater && !web && <RoomsList s={s} />}
    </main>
  );
}
