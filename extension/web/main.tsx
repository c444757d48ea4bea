/**
 * The web console's page (served by the relay at /pair): reads the pairing from the link's
 * fragment or this browser's storage (web-pairing.ts), then renders the side panel's own
 * ConsoleApp over the web adapter (web-console-state.ts). A link that opens no console gets a
 * page that says why, in the browser's language.
 */
import { render } from 'preact';
import { ConsoleApp } from '../components/ConsoleApp';
import '../components/console.css';
import './web.css';
import { resolveLocale, translator, type MessageKey } from '../ui/i18n';
import { createWebConsoleState } from './web-console-state';
import { pairingFromPage, readLocaleSetting } from './web-pairing';

const app = document.getElementById('app')!;
const preferredLanguages = navigator.languages?.length ? navigator.languages : [navigator.language];
const found = pairingFromPage(location, localStorage, history, Date.now());

function Message({ text }: { text: MessageKey }) {
  const locale = resolveLocale(readLocaleSetting(localStorage), preferredLanguages);
  document.documentElement.lang = locale;
  const t = translator(locale);
  return (
    <main class="console">
      <header class="statusbar">
        <div class="statusbar-main">
          <h1 class="room-title">{t('appName')}</h1>
        </div>
      </header>
      <p class="card web-message" role="alert" data-testid="web-message">
        {t(text)}
      </p>
    </main>
  );
}

const REASONS = { none: 'web.noPairing', cut_short: 'web.cutShort', overlay: 'web.overlayToken', sales: 'web.salesToken' } as const;

if (!found.ok) {
  render(<Message text={REASONS[found.reason]} />, app);
} else {
  const state = createWebConsoleState({ pairing: found.pairing, store: localStorage, preferredLanguages, network: window });
  void state.load();
  const Root = () => {
    if (state.noConsole.value) return <Message text="web.overlayToken" />;
    // A stored pairing the relay now refuses: say so, not a console that never connects.
    const st = state.status.value;
    if (st.phase === 'refused' && st.problem === 'unauthorized' && !state.room.value) return <Message text="web.removed" />;
    return <ConsoleApp s={state} />;
  };
  render(<Root />, app);
}
