/** Remaining of total (remaining + sold) as a bar that scales on the compositor (transform only). */
import { formatCount } from '../../../shared/money.js';

export function StockBar({ remaining, sold, locale, label }: { remaining: number; sold: number; locale: string; label: string }) {
  const total = remaining + sold;
  const ratio = total > 0 ? remaining / total : 0;
  return (
    <div class="stock" data-part="stock-bar" data-remaining={remaining} data-ratio={ratio.toFixed(4)}>
      <div class="stock-track">
        <i class="stock-fill" style={{ transform: `scaleX(${ratio})` }} />
      </div>
      <span class="stock-text">
        {label} {formatCount(remaining, locale)}
      </span>
    </div>
  );
}
