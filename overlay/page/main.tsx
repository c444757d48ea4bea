/**
 * The OBS browser source: reads the overlay URL, shows the remembered state at once (if the
 * relay is down this is all there is), connects to the relay that served the page, and
 * registers the service worker that keeps the page shell available offline.
 */
import { effect } from '@preact/signals-core';
import { render } from 'preact';
import { Overlay } from './components/Overlay.js';
import { loadLastState, flushLastState } from './last-state.js';
import { readOptions } from './overlay-options.js';
import { createOverlayState } from './overlay-state.js';
import { connectOverlay } from './relay-connection.js';
import './overlay.css';

const options = readOptions(location.search);
const state = createOverlayState();
document.documentElement.lang = options.lang;

if (!options.room || !options.token) {
  state.setupFailed('missing');
} else {
  const remembered = loadLastState(options.room);
  if (remembered) state.restore(remembered);
  connectOverlay(location.origin, options.room, options.token, state);
  addEventListener('pagehide', flushLastState);
}

// The page is small: every change of a signal the tree read re-renders it from the top,
// synchronously, in the same task that received the state (the DOM is current before the
// next frame). signals-core alone instead of @preact/signals saves ~1.5 KB gz of the budget.
const root = document.getElementById('app')!;
effect(() => render(<Overlay state={state} options={options} />, root));

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register(new URL('sw.js', location.href).pathname).catch(() => {
    // No service worker (e.g. not served over http(s)): the page still works online.
  });
}
