import type { ConsoleState } from '../ui/console-state';
import { PairingForm } from './PairingForm';

/** Several rooms remembered, one active. */
export function RoomsList({ s, open = false, withPairing = true }: { s: ConsoleState; open?: boolean; withPairing?: boolean }) {
  const t = s.t.value;
  const rooms = s.rooms.value;
  return (
    <details class="card rooms" open={open}>
      <summary>
        {t('rooms')} ({rooms.length})
      </summary>
      <ul>
        {rooms.map((r) => (
          <li key={r.key} class={r.key === s.activeKey.value ? 'active' : ''}>
            <span class="room-name">
              {r.title ?? r.room} <small>{r.key}</small> <span class={`badge role-${r.role}`}>{r.role === 'host' ? t('roleHost') : t('roleCohost')}</span>
            </span>
            {r.key !== s.activeKey.value && (
              <button type="button" onClick={() => void s.selectRoom(r.key)}>
                {t('switchRoom')}
              </button>
            )}
            <button type="button" class="quiet" onClick={() => void s.forgetRoom(r.key)}>
              {t('forgetRoom')}
            </button>
          </li>
        ))}
      </ul>
      {withPairing && (
        <>
          <p class="hint">{t('addRoom')}</p>
          <PairingForm s={s} compact />
        </>
      )}
    </details>
  );
}
