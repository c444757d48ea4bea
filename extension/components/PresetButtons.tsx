/**
 * The host's prepared ticker lines and countdowns (issue 18, presets.set) as one-tap buttons for
 * whoever runs the ticker (host or co-host): a tap sends an ordinary ticker.push or
 * countdown.start through the outbox. The host prepares them in the editor below the buttons.
 */
import { useState } from 'preact/hooks';
import type { Presets } from '../../shared/domain';
import { MAX_COUNTDOWN_PRESETS, MAX_TICKER_PRESETS } from '../../shared/presets';
import type { ConsoleState } from '../ui/console-state';

/** 90 → "1:30", 3600 → "60:00": the countdown's own face. */
export const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

function PresetEditor({ s, presets }: { s: ConsoleState; presets: Presets }) {
  const t = s.t.value;
  const [lines, setLines] = useState(presets.ticker.join('\n'));
  const [countdowns, setCountdowns] = useState(presets.countdowns.map((c) => ({ label: c.label, seconds: String(c.seconds) })));
  const [saved, setSaved] = useState(false);
  const save = async (e: Event) => {
    e.preventDefault();
    const ticker = lines
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const r = await s.command({ type: 'presets.set', ticker, countdowns: countdowns.map((c) => ({ label: c.label.trim(), seconds: Number(c.seconds) })) });
    if (r.ok) {
      setSaved(true);
      setTimeout(() => setSaved(false), 1500);
    }
  };
  return (
    <details class="preset-editor">
      <summary>{t('presets.edit')}</summary>
      <form onSubmit={(e) => void save(e)}>
        <label>
          <span>{t('presets.lines', { max: MAX_TICKER_PRESETS })}</span>
          <textarea rows={4} value={lines} onInput={(e) => setLines(e.currentTarget.value)} />
        </label>
        <fieldset>
          <legend>{t('presets.countdowns')}</legend>
          {countdowns.map((c, i) => (
            <div class="row" key={i}>
              <label class="grow">
                <span>{t('presets.label')}</span>
                <input type="text" maxLength={60} value={c.label} onInput={(e) => setCountdowns(countdowns.map((x, j) => (j === i ? { ...x, label: e.currentTarget.value } : x)))} />
              </label>
              <label>
                <span>{t('presets.seconds')}</span>
                <input type="number" min={1} max={86400} value={c.seconds} onInput={(e) => setCountdowns(countdowns.map((x, j) => (j === i ? { ...x, seconds: e.currentTarget.value } : x)))} />
              </label>
              <button type="button" class="quiet" onClick={() => setCountdowns(countdowns.filter((_, j) => j !== i))}>
                {t('presets.remove', { label: c.label || clock(Number(c.seconds) || 0) })}
              </button>
            </div>
          ))}
          {countdowns.length < MAX_COUNTDOWN_PRESETS && (
            <button type="button" onClick={() => setCountdowns([...countdowns, { label: '', seconds: '60' }])}>
              {t('presets.addCountdown')}
            </button>
          )}
        </fieldset>
        <div class="row">
          <button type="submit" class="primary">
            {saved ? t('presets.saved') : t('presets.save')}
          </button>
        </div>
      </form>
    </details>
  );
}

export function PresetButtons({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const state = s.room.value;
  if (!state) return null;
  const { ticker, countdowns } = state.presets;
  const host = s.isHost.value;
  if (!host && ticker.length === 0 && countdowns.length === 0) return null;
  return (
    <div class="presets" data-snapshot="skip">
      {(ticker.length > 0 || countdowns.length > 0) && (
        <div role="group" aria-labelledby="presets-h">
          <h3 id="presets-h" class="presets-h">
            {t('presets.heading')}
          </h3>
          <div class="preset-list">
            {ticker.map((text) => (
              <button type="button" key={`t:${text}`} class="preset" aria-label={t('presets.sendLine', { text })} onClick={() => void s.command({ type: 'ticker.push', text })}>
                {text}
              </button>
            ))}
            {countdowns.map((c) => (
              <button
                type="button"
                key={`c:${c.label}:${c.seconds}`}
                class="preset countdown-preset"
                aria-label={t('presets.startCountdown', { label: c.label, time: clock(c.seconds) }).replace(/\s+$/, '')}
                onClick={() => void s.command({ type: 'countdown.start', seconds: c.seconds, ...(c.label && { label: c.label }) })}
              >
                {`${c.label} ${clock(c.seconds)}`.trim()}
              </button>
            ))}
          </div>
        </div>
      )}
      {/* Keyed on the presets: a save (here or in another console) starts the editor afresh. */}
      {host && <PresetEditor key={JSON.stringify(state.presets)} s={s} presets={state.presets} />}
    </div>
  );
}
