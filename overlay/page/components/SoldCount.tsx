/**
 * Units sold as an odometer: each digit is a 0–9 strip (CSS generated content) that rolls to
 * its new place with a transform transition, so the count visibly counts up with no JavaScript
 * animation at all (no rAF, nothing running while idle). The exact grouped count is also in the
 * element's text, for screen readers, tests and OBS custom CSS; `data-value` is the raw number.
 */
import { formatCount } from '../../../shared/money.js';

export function SoldCount({ value, locale, label }: { value: number; locale: string; label: string }) {
  const text = formatCount(value, locale);
  const chars = [...text];
  return (
    <div class="sold" data-part="sold-count" data-value={value}>
      <span class="sold-label">{label}</span>
      <b class="sold-digits">
        <span class="odo" aria-hidden="true">
          {chars.map((c, i) => {
            // Keyed from the right: the units cell stays the units cell as the number grows.
            const key = chars.length - i;
            return /\d/.test(c) ? <i key={key} class="odo-d" style={{ '--d': c }} /> : <span key={key + 's'} class="odo-s">{c}</span>;
          })}
        </span>
        <span class="sold-text">{text}</span>
      </b>
    </div>
  );
}
