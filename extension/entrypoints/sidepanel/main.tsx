import { render } from 'preact';
import { ConsoleApp } from '../../components/ConsoleApp';
import '../../components/console.css';
import { browserEnv, createConsoleState } from '../../lib/console-state';

const state = createConsoleState(browserEnv());
void state.load().then(() => {
  performance.mark('liveshelf:loaded');
  render(<ConsoleApp s={state} />, document.getElementById('app')!);
});
