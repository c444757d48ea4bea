import type { ConsoleState } from '../ui/console-state';
import { LOCALE_NAMES, LOCALES, type LocaleSetting } from '../../shared/i18n/locale.js';

/** Always visible: room, role, connection, the outbox count, the language. */
export function StatusBar({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const st = s.status.value;
  const room = s.activeRoom.value;
  const phaseText = { idle: t('idle'), connecting: t('connecting'), online: t('online'), offline: t('offline'), refused: t('refused') }[st.phase];
  const waiting = s.waiting.value;
  return (
    <header class="statusbar">
      <div class="statusbar-main">
        <strong class="room-title">{s.room.value?.room.title ?? room?.title ?? t('appName')}</strong>
        {room && <span class={`badge role-${room.role}`}>{room.role === 'host' ? t('roleHost') : t('roleCohost')}</span>}
      </div>
      <div class="statusbar-line">
        <span class={`conn conn-${st.phase}`} role="status" data-testid="connection" data-snapshot-class="conn conn-connecting" data-snapshot-text={t('connecting')}>
          <span class="dot" aria-hidden="true" />
          {phaseText}
        </span>
        {waiting > 0 && (
          <span class="badge waiting" data-testid="waiting" role="status" data-snapshot="skip">
            {t('waiting', { n: waiting })}
          </span>
        )}
        {s.isHost.value && s.room.value && s.surface === 'extension' && (
          // The OBS section sits below the queue: this jumps to it and shows OBS's state meanwhile.
          <button
            type="button"
            class={`quiet obs-chip obs-${s.obs.value?.status.state ?? 'disconnected'}`}
            data-snapshot-class="quiet obs-chip obs-disconnected"
            aria-label={`OBS: ${t(`obs.state.${s.obs.value?.status.state ?? 'disconnected'}`)}`}
            onClick={() => document.getElementById('obs-h')?.scrollIntoView({ block: 'start' })}
          >
            <span class="dot" aria-hidden="true" />
            OBS
          </button>
        )}
        <label class="lang">
          <span class="sr-only">{t('language')}</span>
          <select value={s.localeSetting.value} onChange={(e) => void s.setLocale(e.currentTarget.value as LocaleSetting)} aria-label={t('language')}>
            <option value="auto">{t('auto')}</option>
            {LOCALES.map((l) => (
              <option value={l} key={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(st.phase === 'offline' || st.phase === 'refused') && st.problem && (
        <p class={`problem problem-${st.phase}`} role="alert" data-snapshot="skip" title={st.detail ?? undefined}>
          {t(`problem.${st.problem}`, { url: room?.relayUrl ?? '' })}
          {/* The relay's English words only for a refusal this console has no text for. */}
          {st.detail && st.phase === 'refused' && st.problem === 'other' ? <small> ({st.detail})</small> : null}
        </p>
      )}
    </header>
  );
}
