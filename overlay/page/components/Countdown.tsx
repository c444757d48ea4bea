/**
 * The flash-sale countdown. It ticks once per second only while it runs (a one-shot timer
 * aligned to the next second) and disappears at zero. `skewMs` is relay time minus page time,
 * so a relay on another machine with a different clock still ends on time.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Countdown as CountdownState } from '../../../shared/domain.js';

function mmss(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function Countdown({ countdown, skewMs, fallbackLabel }: { countdown: CountdownState; skewMs: number; fallbackLabel: string }) {
  const remainingNow = () => countdown.endsAt - (Date.now() + skewMs);
  const [remaining, setRemaining] = useState(remainingNow);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () => {
      const r = remainingNow();
      setRemaining(r);
      if (r > 0) timer = setTimeout(tick, (r % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, [countdown.endsAt, skewMs]);

  if (remaining <= 0) return null;
  return (
    <div class="countdown" data-part="countdown">
      <span class="countdown-label">{countdown.label || fallbackLabel}</span>
      <b class="countdown-time">{mmss(remaining)}</b>
    </div>
  );
}
