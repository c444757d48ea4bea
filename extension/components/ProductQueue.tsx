import { memo } from 'preact/compat';
import type { RefObject } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Product } from '../../shared/domain';
import { formatCount, formatMoney } from '../../shared/money';
import type { ConsoleState } from '../ui/console-state';
import type { Translate } from '../ui/i18n';
import { afterNextFrame, LazyProductForm as ProductForm } from './lazy';
import { dayText } from '../ui/day-text';

interface RowProps {
  p: Product;
  index: number;
  total: number;
  current: boolean;
  onAir: boolean;
  host: boolean;
  currency: string;
  locale: string;
  t: Translate;
  s: ConsoleState;
  dragging: RefObject<string | null>;
}

/** One queue row; secondary controls (and their state) exist only while the row is opened (500 rows stay light). */
const ProductRow = memo(function ProductRow({ p, index, total, current, onAir, host, currency, locale, t, s, dragging }: RowProps) {
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const remaining = p.stock === null ? t('unlimited') : formatCount(p.stock, locale);

  return (
    <li
      class={`product${current ? ' current' : ''}${current && onAir ? ' on-air' : ''}${p.soldOut ? ' sold-out' : ''}`}
      data-product-id={p.id}
      tabIndex={host ? 0 : -1}
      draggable={host}
      onDragStart={(e) => {
        dragging.current = p.id;
        e.dataTransfer?.setData('text/plain', p.id);
      }}
      onDragOver={(e) => host && dragging.current && e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault();
        const id = dragging.current ?? e.dataTransfer?.getData('text/plain');
        dragging.current = null;
        if (id && id !== p.id) void s.command({ type: 'queue.move', productId: id, toIndex: index });
      }}
      onKeyDown={(e) => {
        if (!host || e.target !== e.currentTarget || !e.altKey) return;
        if (e.key === 'ArrowUp') (e.preventDefault(), moveTo(s, p.id, index, index - 1, total));
        if (e.key === 'ArrowDown') (e.preventDefault(), moveTo(s, p.id, index, index + 1, total));
      }}
    >
      <div class="product-main">
        <span class="pos">{index + 1}</span>
        <div class="product-text">
          <span class="product-name">{p.name}</span>
          <span class="product-meta">
            <span class="price">{formatMoney(p.priceMinor, currency, locale)}</span>
            {p.soldOut && <span class="badge sold-out-badge">{t('soldOut')}</span>}
            {/* Units a shop feed counted beyond the stock ([R11]): the host restocks or tells the shop. */}
            {p.oversold !== undefined && <span class="badge oversold-badge" data-testid="oversold">{t('oversold', { count: formatCount(p.oversold, locale) })}</span>}
          </span>
          {/* Each figure stays whole; the line wraps between them when the panel is narrow. */}
          <span class="product-stats" data-testid="stats">
            <span>
              {t('sold')} <b data-testid="sold">{formatCount(p.sold, locale)}</b>
            </span>
            <span>
              · {t('remaining')} <b>{remaining}</b>
            </span>
            {/* Issue 17: the presale that takes over at stock 0, and what is left of its quota. */}
            {p.presale && (
              <span class="badge" data-testid="presale">
                {t('presale')} <time dateTime={p.presale.shipBy}>{dayText(p.presale.shipBy, locale)}</time> · {p.presale.quota === null ? t('presaleUnlimited') : t('presaleLeft', { n: formatCount(Math.max(0, p.presale.quota - p.presale.sold), locale) })}
              </span>
            )}
            {host && p.revenueMinor > 0 && (
              <span class="row-revenue" title={t('revenue')}>
                · Σ {formatMoney(p.revenueMinor, currency, locale)}
              </span>
            )}
          </span>
        </div>
        <div class="product-actions">
          <button type="button" class={current && onAir ? 'on' : ''} aria-pressed={current && onAir} aria-label={t('showProduct', { name: p.name })} onClick={() => void s.command({ type: 'card.show', productId: p.id })}>
            {t('show')}
          </button>
          {host && (
            <>
              <button type="button" class="sale" disabled={p.soldOut} aria-label={t('plusOne', { name: p.name })} onClick={() => sell(s, p.id, 1)}>
                +1
              </button>
              <button type="button" class="sale" disabled={p.soldOut} aria-label={t('plusFive', { name: p.name })} onClick={() => sell(s, p.id, 5)}>
                +5
              </button>
              <button type="button" class="quiet more" aria-expanded={open} aria-label={t('editFor', { name: p.name })} onClick={() => setOpen(!open)}>
                ⋯
              </button>
            </>
          )}
        </div>
      </div>
      {host && open && !editing && <ProductMore p={p} index={index} total={total} t={t} s={s} onEdit={() => setEditing(true)} />}
      {host && editing && <ProductForm s={s} product={p} onDone={() => (setEditing(false), setOpen(false))} />}
    </li>
  );
});

function moveTo(s: ConsoleState, productId: string, index: number, toIndex: number, total: number): void {
  if (toIndex >= 0 && toIndex < total && toIndex !== index) void s.command({ type: 'queue.move', productId, toIndex });
}
function sell(s: ConsoleState, productId: string, quantity: number): void {
  void s.command({ type: 'sale.record', productId, quantity });
}

/**
 * Presale (issue 17): the ship date and the quota (empty: no limit), set or changed in one go;
 * ended by its own button. The relay checks both (a bad date or quota is refused naming it).
 */
function PresaleControls({ p, t, s }: { p: Product; t: Translate; s: ConsoleState }) {
  const [shipBy, setShipBy] = useState(p.presale?.shipBy ?? '');
  const [quota, setQuota] = useState(p.presale?.quota == null ? '' : String(p.presale.quota));
  return (
    <form
      class="row"
      onSubmit={(e) => {
        e.preventDefault();
        const q = quota.trim();
        if (shipBy && (q === '' || /^\d+$/.test(q))) void s.command({ type: 'presale.set', productId: p.id, shipBy, quota: q === '' ? null : Number(q) });
      }}
    >
      <input type="date" required value={shipBy} onInput={(e) => setShipBy(e.currentTarget.value)} aria-label={t('presaleShipsFor', { name: p.name })} />
      <input type="number" min={1} value={quota} placeholder="∞" onInput={(e) => setQuota(e.currentTarget.value)} aria-label={t('presaleQuotaFor', { name: p.name })} />
      <button type="submit">{t('presaleSet')}</button>
      {p.presale && (
        <button type="button" onClick={() => void s.command({ type: 'presale.clear', productId: p.id })}>
          {t('presaleClear')}
        </button>
      )}
    </form>
  );
}

/** The opened row's controls: a quantity sale, restock, presale, sold out, edit, move, remove. */
function ProductMore({ p, index, total, t, s, onEdit }: { p: Product; index: number; total: number; t: Translate; s: ConsoleState; onEdit: () => void }) {
  const [qty, setQty] = useState('2');
  const [restock, setRestock] = useState('');
  return (
    <div class="product-more" data-snapshot="skip">
      <form class="row" onSubmit={(e) => (e.preventDefault(), Number.isInteger(Number(qty)) && Number(qty) > 0 && sell(s, p.id, Number(qty)))}>
        <input type="number" min={1} value={qty} onInput={(e) => setQty(e.currentTarget.value)} aria-label={t('qtyFor', { name: p.name })} />
        <button type="submit" disabled={p.soldOut} aria-label={t('recordFor', { name: p.name })}>
          {t('record')}
        </button>
      </form>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^\d+$/.test(restock.trim())) void s.command({ type: 'stock.set', productId: p.id, stock: Number(restock.trim()) }).then(() => setRestock(''));
        }}
      >
        <input type="number" min={0} value={restock} placeholder={p.stock === null ? '∞' : String(p.stock)} onInput={(e) => setRestock(e.currentTarget.value)} aria-label={t('restockFor', { name: p.name })} />
        <button type="submit">{t('restock')}</button>
      </form>
      <PresaleControls p={p} t={t} s={s} />
      <div class="row">
        <button type="button" onClick={() => void s.command({ type: 'product.soldOut', productId: p.id, soldOut: !p.soldOutManual })}>
          {p.soldOutManual ? t('backOnSale') : t('markSoldOutShort')}
        </button>
        <button type="button" onClick={onEdit}>
          {t('edit')}
        </button>
        <button type="button" aria-label={t('moveUp', { name: p.name })} disabled={index === 0} onClick={() => moveTo(s, p.id, index, index - 1, total)}>
          ↑
        </button>
        <button type="button" aria-label={t('moveDown', { name: p.name })} disabled={index === total - 1} onClick={() => moveTo(s, p.id, index, index + 1, total)}>
          ↓
        </button>
        <button
          type="button"
          class="danger"
          aria-label={t('removeFor', { name: p.name })}
          onClick={() => confirm(t('confirmRemove', { name: p.name })) && void s.command({ type: 'product.remove', productId: p.id })}
        >
          {t('remove')}
        </button>
      </div>
    </div>
  );
}

// A row is ~58 px tall and the queue starts at least ~300 px down (status bar, current product):
// the first render has the rows that can show in this panel's height and two more (14 in a
// 1000 px panel, 7 in Chrome's default ~600 px side panel). Each row more delays the first paint.
const firstPaintRows = () => Math.min(40, Math.max(4, Math.ceil(Math.max(0, (globalThis.innerHeight || 1000) - 300) / 58) + 2));
/** Rows added per task after the first paint: each task stays short, so a click or a pushed state is not held up by one long render of 460 rows. */
const ROWS_PER_STEP = 80;

export function ProductQueue({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const state = s.room.value;
  const [query, setQuery] = useState('');
  const dragging = useRef<string | null>(null);
  // The first frame renders what fits on screen and a margin; the rest of a long queue follows
  // in short steps right after it, so opening the panel with 500 products paints at once.
  const [limit, setLimit] = useState(firstPaintRows);
  const total = state?.products.length ?? 0;
  useEffect(() => {
    if (limit >= total) {
      if (total > 0 && !performance.getEntriesByName('liveshelf:rendered-all').length) {
        requestAnimationFrame(() => performance.mark('liveshelf:rendered-all', { detail: { products: total } }));
      }
      return;
    }
    // After a drawn frame: the first one (a side panel is hidden until it has loaded) is not held
    // up by the next rows, and the host can click between two steps.
    return afterNextFrame(() => setLimit(limit + ROWS_PER_STEP));
  }, [limit, total]);
  if (!state) return null;
  const host = s.isHost.value;
  const { currency } = state.room;
  // Numbers in the host's language; the room's locale is the viewers' (the overlay's).
  const locale = s.locale.value;
  const q = query.trim().toLowerCase();
  const all = state.products;
  const visible = q ? all.map((p, i) => [p, i] as const).filter(([p]) => `${p.name} ${p.sku} ${p.origin}`.toLowerCase().includes(q)) : all.map((p, i) => [p, i] as const);

  return (
    <section class="card queue" aria-labelledby="queue-h">
      <div class="queue-head">
        <h2 id="queue-h">
          {t('queue')} <small>({formatCount(all.length, locale)})</small>
        </h2>
        <input type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} placeholder={t('search')} aria-label={t('search')} />
      </div>
      {host && all.length > 1 && <p class="hint reorder-hint">{t('reorderHint')}</p>}
      {all.length === 0 ? (
        <p class="empty">{t('empty')}</p>
      ) : visible.length === 0 ? (
        <p class="empty">{t('noMatch')}</p>
      ) : (
        <ol class="products" data-snapshot="rows">
          {visible.slice(0, limit).map(([p, i]) => (
            <ProductRow
              key={p.id}
              p={p}
              index={i}
              total={all.length}
              current={p.id === state.currentProductId}
              onAir={state.cardVisible}
              host={host}
              currency={currency}
              locale={locale}
              t={t}
              s={s}
              dragging={dragging}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
