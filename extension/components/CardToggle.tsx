import type { ConsoleState } from '../ui/console-state';

/** Hide the card while it is on air, show the current product otherwise (side panel and popup). */
export function CardToggle({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const p = s.currentProduct.value;
  return s.room.value?.cardVisible ? (
    <button type="button" onClick={() => void s.command({ type: 'card.hide' })}>
      {t('hide')}
    </button>
  ) : (
    <button type="button" disabled={!p} onClick={() => p && void s.command({ type: 'card.show', productId: p.id })}>
      {t('showCard')}
    </button>
  );
}
