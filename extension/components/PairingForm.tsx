import { useState } from 'preact/hooks';
import type { ConsoleState } from '../ui/console-state';
import { MESSAGES, type MessageKey } from '../ui/i18n';
import { pairingErrorText } from '../ui/input-errors';

/** "Pairing link" + "Connect", with a clear message for each way it can fail. */
export function PairingForm({ s, compact = false }: { s: ConsoleState; compact?: boolean }) {
  const t = s.t.value;
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const id = compact ? 'pairing-more' : 'pairing';
  const pf = s.pairFailure.value;
  let error: string | null = null;
  if (pf) {
    const failure = pf.response;
    // Any other refusal of the pair request (a pasted text over 4 KB fails the message schema: 'invalid') is no pairing link either.
    const key = `problem.${failure.problem}`;
    const base = t(Object.hasOwn(MESSAGES.en, key) ? (key as MessageKey) : 'problem.bad_link', { url: pf.link.split('#')[0]?.replace(/\/pair$/, '') ?? '' });
    // The relay's own (English) words only where the translated text cannot say it all: a refusal
    // this console has no text for, the relay that was not granted (its origin). Otherwise they stay in the tooltip.
    const withDetail = failure.problem === 'other' || failure.problem === 'permission_denied';
    error = failure.problem === 'bad_link' ? pairingErrorText(failure.pairing, t) : withDetail && failure.message ? `${base} (${failure.message})` : base;
  }

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await s.pair(link);
      if (r.ok) setLink('');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class={compact ? 'pairing compact' : 'pairing card'} onSubmit={submit}>
      <label for={`${id}-link`}>{t('pairingLink')}</label>
      <div class="row">
        <input
          id={`${id}-link`}
          type="text"
          autoComplete="off"
          spellcheck={false}
          placeholder="http://127.0.0.1:4600/pair#…"
          value={link}
          onInput={(e) => setLink(e.currentTarget.value)}
          aria-describedby={`${id}-hint ${id}-error`}
        />
        <button type="submit" class="primary" disabled={busy || link.trim() === ''}>
          {busy ? t('connecting') : t('connect')}
        </button>
      </div>
      <small id={`${id}-hint`} class="hint">
        {t('pairingHint')}
      </small>
      {error && (
        <p id={`${id}-error`} class="field-error pairing-error" role="alert" title={(pf?.response.problem !== 'bad_link' && pf?.response.message) || undefined}>
          {error}
        </p>
      )}
    </form>
  );
}
