import { render } from 'preact';
import '../../components/console.css';
import { browserEnv } from '../../ui/console-env';
import { createConsoleState } from '../../ui/console-state';
import { PopupApp } from './PopupApp';

const state = createConsoleState(browserEnv());
void state.load().then(() => render(<PopupApp s={state} />, document.getElementById('app')!));
