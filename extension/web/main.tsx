/**
 * The web console's page (served by the relay at /pair): reads the pairing from the link's
 * fragment or this browser's storage (web-pairing.ts), then renders the side panel's own
 * ConsoleApp over the web adapter (web-console-state.ts). A link that opens no console gets a
 * page that says why, in the browser's language.
 */
import './random-uuid';
import { render } from 'preact';
import { ConsoleApp } from '../components/ConsoleApp';
import '../components/console.css';
import './web.css';
import { webWords as en, type WebMessageKey } from '../../shared/i18n/en/web.js';
import { webWords as fr } from '../../shared/i18n/fr/web.js';
import { translatorOf } from '../../shared/i18n/locale.js';
import { webWords as zh } from '../../shared/i18n/zh-CN/web.js';
import { resolveLocale, translator, type Locale } from '../ui/i18n';
import { createWebConsoleState } from './web-console-state';
import { pairingFromPage, readLocaleSetting } from './web-pairing';

const app = document.getElementById('app')!;
const preferredLanguages = navigator.languages?.length ? navigator.languages : [navigator.language];
const found = pairingFromPage(location, localStorage, history, Date.now());

const words = (locale: Locale) => translatorOf({ en, 'zh-CN': zh, fr }, locale);

function Message({ text }: { text: WebMessageKey }) {
  const locale = resolveLocale(readLocaleSetting(localStorage), preferredLanguages);
  document.documentElement.lang = locale;
  const t = translator(locale);
  const w = words(locale);
  return (
    <main class="console">
      <header class="statusbar">
        <div class="statusbar-main">
          <h1 class="room-title">{t('appName')}</h1>
        </div>
      </header>
      <p class="card web-message" role="alert" data-testid="web-message">
        {w(text)}
      </p>
    </main>
  );
}

const REASONS = { none: 'noPairing', cut_short: 'cutShort', overlay: 'overlayToken', sales: 'salesToken' } as const;

if (!found.ok) {
  render(<Message text={REASONS[found.reason]} />, app);
} else {
  const state = createWebConsoleState({ pairing: found.pairing, store: localStorage, preferredLanguages, network: window });
  void state.load();
  const Root = () => {
    if (state.noConsole.value) return <Message text="overlayToken" />;
    // A pairing the relay now refuses: say so, not a console that never connects or a dead one.
    const st = state.status.value;
    // After a console was shown here: the host revoked this person (or rotated the token) meanwhile.
    if (st.phase === 'refused' && st.problem === 'unauthorized') return <Message text={state.room.value ? 'accessRemoved' : 'removed'} />;
    return (
      <>
        <ConsoleApp s={state} />
        {/* Said once, below the console: the side panel's OBS section has no place here. */}
        {state.isHost.value && state.room.value && (
          <footer class="hint web-no-obs">{words(state.locale.value)('noObs')}</footer>
        )}
      </>
    );
  };
  render(<Root />, app);
}
