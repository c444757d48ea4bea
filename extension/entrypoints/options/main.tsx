import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import '../../components/console.css';
import { PairingForm } from '../../components/PairingForm';
import { RoomsList } from '../../components/RoomsList';
import { StatusBar } from '../../components/StatusBar';
import { ObsSlot } from '../../components/ObsSlot';
import { browserEnv } from '../../ui/console-env';
import { createConsoleState, type ConsoleState } from '../../ui/console-state';

/** Settings: pairing, remembered rooms, language (in the status bar); OBS settings mount here too. */
function OptionsApp({ s }: { s: ConsoleState }) {
  // The page's language and tab title follow the console's, like the side panel's.
  useEffect(() => {
    document.documentElement.lang = s.locale.value;
    document.title = s.t.value('options.title');
  }, [s.locale.value]);
  return (
    <main class="console" style={{ maxWidth: '640px', margin: '0 auto' }}>
      <StatusBar s={s} />
      <PairingForm s={s} />
      <RoomsList s={s} open withPairing={false} />
      <ObsSlot s={s} isHost={s.isHost.value} />
    </main>
  );
}

const state = createConsoleState(browserEnv());
void state.load().then(() => render(<OptionsApp s={state} />, document.getElementById('app')!));
