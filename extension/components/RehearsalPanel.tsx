import { useState } from 'preact/hooks';
import { REHEARSAL_LIMITS, type RehearsalField } from '../../shared/commands/rehearsal-limits';
import { formatCount } from '../../shared/money';
import type { ConsoleState } from '../ui/console-state';

const FIELDS: readonly { field: RehearsalField; label: 'rehearsal.ordersPerMinute' | 'rehearsal.rushOrders' | 'rehearsal.rushSeconds' }[] = [
  { field: 'ordersPerMinute', label: 'rehearsal.ordersPerMinute' },
  { field: 'rushOrders', label: 'rehearsal.rushOrders' },
  { field: 'rushSeconds', label: 'rehearsal.rushSeconds' },
];

/** The form's text → a whole number in its range, or undefined (the field error says the range). */
function parsed(field: RehearsalField, text: string): number | undefined {
  const n = Number(text.trim());
  const { min, max } = REHEARSAL_LIMITS[field];
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

/** Start's three fields and its button: the steady pace, and a rush on top of it. */
function StartForm({ s, again }: { s: ConsoleState; again: boolean }) {
  const t = s.t.value;
  const r = s.room.value?.rehearsal;
  const [draft, setDraft] = useState<Record<RehearsalField, string>>({
    ordersPerMinute: String(r?.ordersPerMinute ?? REHEARSAL_LIMITS.ordersPerMinute.fallback),
    rushOrders: String(r?.rushOrders ?? 3000),
    rushSeconds: String(r?.rushSeconds ?? REHEARSAL_LIMITS.rushSeconds.fallback),
  });
  const [tried, setTried] = useState(false);
  const values = { ordersPerMinute: parsed('ordersPerMinute', draft.ordersPerMinute), rushOrders: parsed('rushOrders', draft.rushOrders), rushSeconds: parsed('rushSeconds', draft.rushSeconds) };
  const valid = FIELDS.every(({ field }) => values[field] !== undefined);
  return (
    <form
      class="row rehearsal-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!valid) return;
        void s.command({ type: 'rehearsal.start', ordersPerMinute: values.ordersPerMinute!, rushOrders: values.rushOrders!, rushSeconds: values.rushSeconds! });
      }}
    >
      {FIELDS.map(({ field, label }) => {
        const bad = tried && values[field] === undefined;
        const { min, max } = REHEARSAL_LIMITS[field];
        return (
          <label class="grow" key={field}>
            <span>{t(label)}</span>
            <input
              type="number"
              inputMode="numeric"
              name={field}
              min={min}
              max={max}
              step={1}
              value={draft[field]}
              aria-invalid={bad}
              aria-describedby={bad ? `rh-${field}-error` : undefined}
              onInput={(e) => setDraft({ ...draft, [field]: (e.target as HTMLInputElement).value })}
            />
            {bad && (
              <span class="field-error" id={`rh-${field}-error`}>
                {t('rehearsal.fieldRange', { field: t(label), min, max })}
              </span>
            )}
          </label>
        );
      })}
      <button type="submit" class="primary">
        {again ? t('rehearsal.restart') : t('rehearsal.start')}
      </button>
    </form>
  );
}

/**
 * Issue 19: the rehearsal, in the side panel and the web console. While the room rehearses a
 * large REHEARSAL / 彩排 / RÉPÉTITION banner (a status region: the word and whether the simulated
 * orders run) and, for the host, Stop and End; the co-host sees the banner only. The overlay
 * shows nothing of it: it is what is being practised.
 */
export function RehearsalPanel({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const state = s.room.value;
  const host = s.isHost.value;
  const r = state?.mode === 'rehearsal' ? state.rehearsal : null;
  if (!r) return null;
  const locale = s.locale.value;
  const pace = r.rushOrders > 0 ? t('rehearsal.runningRush', { perMinute: r.ordersPerMinute, rush: formatCount(r.rushOrders, locale), seconds: r.rushSeconds }) : t('rehearsal.running', { perMinute: r.ordersPerMinute });
  return (
    <section class="rehearsal" aria-labelledby="rehearsal-word" data-testid="rehearsal-banner">
      <div role="status" class="rehearsal-banner">
        <strong id="rehearsal-word" class="rehearsal-word">
          {t('rehearsal.banner')}
        </strong>
        <span class="rehearsal-pace">{r.running ? pace : t('rehearsal.stopped')}</span>
      </div>
      <p class="rehearsal-count" data-testid="rehearsal-count">
        {t('rehearsal.counted', { orders: formatCount(r.counted.orders, locale) })}
      </p>
      <p class="rehearsal-hint">{t('rehearsal.bannerHint')}</p>
      {host && (
        <>
          {!r.running && <StartForm s={s} again />}
          <div class="row rehearsal-actions">
            {r.running && (
              <button type="button" onClick={() => void s.command({ type: 'rehearsal.stop' })}>
                {t('rehearsal.stop')}
              </button>
            )}
            <button type="button" class="rehearsal-end" onClick={() => void s.command({ type: 'rehearsal.end' })}>
              {t('rehearsal.end')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** A live room: the host's folded "Rehearse before the show" with the Start form, below the queue (out of the show's way). */
export function RehearsalStart({ s }: { s: ConsoleState }) {
  const state = s.room.value;
  if (!state || state.mode === 'rehearsal' || !s.isHost.value) return null;
  return (
    <details class="card rehearsal-start" data-snapshot="skip">
      <summary>{s.t.value('rehearsal.title')}</summary>
      <StartForm s={s} again={false} />
    </details>
  );
}
