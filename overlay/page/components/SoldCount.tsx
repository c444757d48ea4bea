/**
 * Units sold, counting up to the new value in a short requestAnimationFrame tween that stops
 * when it arrives (no idle loop). `data-value` always holds the exact count at once; the
 * digits are tabular so they do not jiggle while counting.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import { formatCount } from '../../../shared/money.js';
import { reducedMotion } from './motion.js';

const DURATION_MS = 600;

export function SoldCount({ value, locale, label }: { value: number; locale: string; label: string }) {
  const digits = useRef<HTMLElement>(null);
  const shown = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = digits.current;
    if (!el) return;
    const from = shown.current;
    const paint = (n: number) => {
      shown.current = n;
      el.textContent = formatCount(n, locale);
    };
    if (from === null || from >= value || reducedMotion()) {
      paint(value);
      return;
    }
    let frame = 0;
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / DURATION_MS);
      const eased = 1 - (1 - t) ** 3;
      paint(t >= 1 ? value : Math.round(from + (value - from) * eased));
      if (t < 1) frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
    // A newer value cancels this tween; the next one starts from what is on screen.
    return () => cancelAnimationFrame(frame);
  }, [value, locale]);

  return (
    <div class="sold" data-part="sold-count" data-value={value}>
      <span class="sold-label">{label}</span>
      <b class="sold-digits" ref={digits} />
    </div>
  );
}
