import { useState } from 'preact/hooks';
import type { ConsoleState } from '../lib/console-state';
import type { MessageKey } from '../lib/i18n';

/** "Pairing link" + "Connect", with a clear message for each way it can fail. */
export function PairingForm({ s, compact = false }: { s: ConsoleState; compact?: boolean }) {
  const t = s.t.value;
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await s.pair(link);
      if (r.ok) setLink('');
      else {
        const key = `problem.${r.problem}` as MessageKey;
        const base = t(key, { url: link.split('#')[0]?.replace(/\/pair$/, '') ?? '' });
        setError(r.problem === 'bad_link' ? `${base} ${r.message}` : r.message && r.problem !== 'unreachable' ? `${base} (${r.message})` : base);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class={compact ? 'pairing compact' : 'pairing card'} onSubmit={submit}>
      <label for="pairing-link">{t('pairingLink')}</label>
      <div class="row">
        <input
          id="pairing-link"
          type="text"
          autoComplete="off"
          spellcheck={false}
          placeholder="http://127.0.0.1:4600/pair#…"
          value={link}
          onInput={(e) => setLink(e.currentTarget.value)}
          aria-describedby="pairing-hint pairing-error"
        />
        <button type="submit" class="primary" disabled={busy || link.trim() === ''}>
          {busy ? t('connecting') : t('connect')}
        </button>
      </div>
      <small id="pairing-hint" class="hint">
        {t('pairingHint')}
      </small>
      {error && (
        <p id="pairing-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
