/**
 * The host's OBS section (issue 5): connect, status, scenes, the overlay source, the per-room
 * "switch scene with the product" option. Host only: a co-host's console renders nothing here,
 * and the worker refuses OBS requests for a co-host room anyway.
 * The page only asks the worker (which owns the one OBS connection) and shows what it reports;
 * OBS's failures arrive as codes and are worded here, in the panel's language (obs-errors.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ConsoleState } from '../ui/console-state';
import { obsErrorText, type ObsErrorInfo } from '../common/obs-errors';
import type { Translate } from '../ui/i18n';
import type { Response } from '../common/messages';

/** Where a message appears: next to the control that caused it, not at the top of the section. */
type Place = 'connection' | 'scenes' | 'overlay' | 'card-source';
type Feedback = ({ kind: 'ok'; text: string } | { kind: 'error'; info: ObsErrorInfo } | { kind: 'plain-error'; problem: string; detail: string }) & { place: Place };

/** A refusal by the worker itself (not by OBS), worded here; its English `message` stays in the tooltip. */
function plainErrorText(problem: string, t: Translate): string {
  if (problem === 'forbidden') return t('obs.hostOnly');
  if (problem === 'no_room') return t('obs.needOverlayLink');
  return t('obs.failed');
}

/** Green for done, amber for "do it this other way" (no browser source), red for a failure. */
function feedbackClass(f: Feedback): string {
  if (f.kind === 'ok') return 'hint obs-ok';
  return f.kind === 'error' && f.info.code === 'obs-no-browser-source' ? 'problem' : 'problem problem-refused';
}

export function ObsSlot({ s, isHost }: { s: ConsoleState; isHost: boolean }) {
  if (!isHost) return null;
  return <ObsPanel s={s} />;
}

function ObsPanel({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const locale = s.locale.value;
  const push = s.obs.value;
  const status = push?.status ?? null;
  const saved = s.obsSettings.value;
  const options = s.obsOptions.value;
  const overlayUrl = s.activeRoom.value?.overlayUrl ?? null;
  const connected = status?.state === 'connected';

  const [url, setUrl] = useState(saved?.url ?? 'ws://127.0.0.1:4455');
  const [password, setPassword] = useState(saved?.password ?? '');
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback | null>(null);
  /** The URL to copy by hand when this OBS cannot hold a browser source. */
  const [manualUrl, setManualUrl] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [overlayScene, setOverlayScene] = useState<string>('');
  const [overlayVisible, setOverlayVisible] = useState<boolean | null>(null);
  const [sourceName, setSourceName] = useState(options.cardSource?.sourceName ?? '');
  const [sourceScene, setSourceScene] = useState(options.cardSource?.sceneName ?? '');

  // The form follows what is saved once it is read from storage (it loads after the first render).
  useEffect(() => {
    if (saved) {
      setUrl(saved.url);
      setPassword(saved.password);
    }
  }, [saved?.url, saved?.password]);

  const scenes = status?.scenes ?? [];
  const chosenScene = overlayScene || options.overlayScene || status?.programScene || scenes[0] || '';

  // Read the overlay source's visibility once connected and a scene for it is known.
  useEffect(() => {
    setOverlayVisible(null);
    if (!connected || !options.overlayScene) return;
    void s.obsOverlayVisible(null).then((r) => r.ok && r.visible !== undefined && setOverlayVisible(r.visible));
  }, [connected, options.overlayScene]);

  /** Runs an action; its message goes next to `place`. Resolves whether it succeeded. */
  async function run(place: Place, action: () => Promise<Response>, ok: (r: Extract<Response, { ok: true }>) => string | null): Promise<boolean> {
    setBusy(true);
    setFeedback(null);
    setManualUrl(null);
    try {
      const r = await action();
      if (r.ok) {
        const text = ok(r);
        setFeedback(text ? { kind: 'ok', text, place } : null);
        return true;
      }
      if (r.obs) {
        setFeedback({ kind: 'error', info: r.obs, place });
        if (r.obs.code === 'obs-no-browser-source' && typeof r.obs.params['url'] === 'string') setManualUrl(r.obs.params['url']);
      } else {
        setFeedback({ kind: 'plain-error', problem: r.problem, detail: r.message, place });
      }
      return false;
    } finally {
      setBusy(false);
    }
  }

  /** The message of the last action, if it was made at `place`. */
  const feedbackAt = (place: Place) =>
    feedback?.place === place ? (
      <p class={feedbackClass(feedback)} role={feedback.kind === 'ok' ? 'status' : 'alert'} data-testid="obs-feedback" title={feedback.kind === 'plain-error' ? feedback.detail : undefined}>
        {feedback.kind === 'error' ? obsErrorText(feedback.info, locale) : feedback.kind === 'plain-error' ? plainErrorText(feedback.problem, t) : feedback.text}
      </p>
    ) : null;

  const connectForm = (
    <form
      class="obs-connect"
      onSubmit={(e) => {
        e.preventDefault();
        void run(
          'connection',
          () => s.obsConnect(url.trim(), password),
          () => (setEditing(false), null),
        );
      }}
    >
      <div class="row">
        <label class="grow">
          <span>{t('obs.address')}</span>
          <input type="text" value={url} spellcheck={false} autoComplete="off" placeholder="ws://127.0.0.1:4455" onInput={(e) => setUrl(e.currentTarget.value)} />
        </label>
        <label class="grow">
          <span>{t('obs.password')}</span>
          <input type="password" value={password} autoComplete="off" onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
      </div>
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {t('obs.connect')}
        </button>
        {editing && (
          <button type="button" class="quiet" onClick={() => setEditing(false)}>
            {t('cancel')}
          </button>
        )}
      </div>
    </form>
  );

  const stateText = t(`obs.state.${status?.state ?? 'disconnected'}`);
  // The connection's own problem (refused password, OBS gone…) unless an action just said more.
  const statusError = status?.error ?? null;
  const cardNotice = push?.notice ?? null;

  return (
    <section class="card obs" aria-labelledby="obs-h" data-testid="obs" data-snapshot="skip">
      <div class="obs-head">
        <h2 id="obs-h">{t('obs.title')}</h2>
        <span class={`conn obs-conn obs-${status?.state ?? 'disconnected'}`} role="status" data-testid="obs-status">
          <span class="dot" aria-hidden="true" />
          {stateText}
        </span>
        {connected && (
          <span class="obs-outputs">
            {status.streaming && <span class="badge on-air">{t('obs.streaming')}</span>}
            {status.recording && <span class="badge on-air">{t('obs.recording')}</span>}
            {!status.streaming && !status.recording && <span class="badge off-air">{t('obs.notStreaming')}</span>}
          </span>
        )}
      </div>

      {statusError && !(feedback?.kind === 'error' && feedback.place === 'connection' && feedback.info.code === statusError.code) && (
        <p class={`problem${status?.state === 'disconnected' ? ' problem-refused' : ''}`} role="alert" data-testid="obs-error">
          {obsErrorText(statusError, locale)}
        </p>
      )}

      {(!connected || editing) && status?.state !== 'connecting' ? (
        connectForm
      ) : connected ? (
        <p class="obs-line">
          <span>
            {t('obs.program')}: <b data-testid="obs-program">{status.programScene ?? '—'}</b>
          </span>
          <span class="obs-line-actions">
            <button type="button" class="quiet" onClick={() => setEditing(true)}>
              {t('obs.changeSettings')}
            </button>
            <button type="button" class="quiet" onClick={() => void run('connection', () => s.obsDisconnect(), () => null)}>
              {t('obs.disconnect')}
            </button>
          </span>
        </p>
      ) : null}

      {feedbackAt('connection')}
      {cardNotice && (
        <p class="problem" role="alert" data-testid="obs-card-notice">
          {t('obs.cardNotice', { message: obsErrorText(cardNotice, locale) })}
        </p>
      )}

      {connected && (
        <>
          <h3 class="obs-sub">{t('obs.scenes')}</h3>
          <ul class="obs-scenes">
            {scenes.map((scene) => (
              <li key={scene}>
                <button
                  type="button"
                  class={scene === status.programScene ? 'on' : ''}
                  aria-pressed={scene === status.programScene}
                  aria-label={t('obs.switchTo', { scene })}
                  onClick={() => void run('scenes', () => s.obsSetScene(scene), () => null)}
                >
                  {scene}
                </button>
              </li>
            ))}
          </ul>
          {feedbackAt('scenes')}
        </>
      )}

      <label class="check">
        <input type="checkbox" checked={options.switchScene} onChange={(e) => void s.obsSetSwitchScene(e.currentTarget.checked)} />
        <span>{t('obs.switchWithProduct')}</span>
      </label>
      <p class="hint">{t('obs.switchHint')}</p>

      {connected && (
        <div class="obs-overlay">
          <h3 class="obs-sub">{t('obs.overlay')}</h3>
          <div class="row">
            <label class="grow">
              <span>{t('obs.overlayScene')}</span>
              <select value={chosenScene} onChange={(e) => setOverlayScene(e.currentTarget.value)}>
                {scenes.map((scene) => (
                  <option key={scene} value={scene}>
                    {scene}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              class="primary"
              disabled={busy || !overlayUrl || !chosenScene}
              onClick={() =>
                void run(
                  'overlay',
                  () => s.obsAddOverlay(chosenScene),
                  (r) => {
                    setOverlayVisible(true);
                    return t(r.overlay?.action === 'updated' ? 'obs.overlayUpdated' : 'obs.overlayAdded', { scene: chosenScene });
                  },
                )
              }
            >
              {t('obs.addOverlay')}
            </button>
          </div>
          {!overlayUrl && <p class="hint">{t('obs.needOverlayLink')}</p>}
          {feedbackAt('overlay')}
          {manualUrl && (
            <div class="row obs-manual">
              <input type="text" readOnly value={manualUrl} aria-label={t('overlayLink')} class="grow-input" onFocus={(e) => e.currentTarget.select()} />
              <button
                type="button"
                onClick={() =>
                  void navigator.clipboard.writeText(manualUrl).then(() => {
                    setCopied(true);
                    setTimeout(() => setCopied(false), 1500);
                  })
                }
              >
                {copied ? t('copied') : t('obs.copyUrl')}
              </button>
            </div>
          )}
          <div class="row">
            <button type="button" disabled={busy} onClick={() => void run('overlay', () => s.obsRefreshOverlay(), () => t('obs.refreshed'))}>
              {t('obs.refreshOverlay')}
            </button>
            {overlayVisible !== null && (
              <label class="check">
                <input
                  type="checkbox"
                  checked={overlayVisible}
                  onChange={(e) => {
                    // Ticked at once; back as it was if OBS refuses.
                    const want = e.currentTarget.checked;
                    setOverlayVisible(want);
                    void run('overlay', () => s.obsOverlayVisible(want), (r) => (setOverlayVisible(r.visible ?? want), null)).then((done) => done || setOverlayVisible(!want));
                  }}
                />
                <span>{t('obs.overlayVisible')}</span>
              </label>
            )}
          </div>

          <details class="obs-card-source" open={options.cardSource !== null}>
            <summary>{t('obs.cardSource')}</summary>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                const name = sourceName.trim();
                const scene = sourceScene || chosenScene;
                void run('card-source', () => s.obsSetCardSource(name ? { sceneName: scene, sourceName: name } : null), () => null);
              }}
            >
              <label class="grow">
                <span>{t('obs.cardSourceName')}</span>
                <input type="text" value={sourceName} onInput={(e) => setSourceName(e.currentTarget.value)} />
              </label>
              <label class="grow">
                <span>{t('obs.cardSourceScene')}</span>
                <select value={sourceScene || chosenScene} onChange={(e) => setSourceScene(e.currentTarget.value)}>
                  {scenes.map((scene) => (
                    <option key={scene} value={scene}>
                      {scene}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit">{t('save')}</button>
            </form>
            {feedbackAt('card-source')}
          </details>
        </div>
      )}
    </section>
  );
}
