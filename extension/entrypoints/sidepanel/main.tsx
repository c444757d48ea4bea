import { render } from 'preact';
import { ConsoleApp } from '../../components/ConsoleApp';
import '../../components/console.css';
import { afterNextFrame } from '../../components/lazy';
import { browserEnv } from '../../ui/console-env';
import { createConsoleState } from '../../ui/console-state';
import { pageStore } from '../../ui/first-paint';
import { buttonKey, makeSnapshot, secretsOf, serializeChildren, SNAPSHOT_ATTR, takeSnapshotClicks, writeSnapshot } from '../../ui/snapshot';

// Marks for the benchmark: the bundle is evaluated, the in-page copy is read and applied, the DOM
// is built, the queue is painted (by the snapshot script, or here); storage is read (in parallel,
// off the first paint's path); the app's own DOM is on screen ('liveshelf:live').
performance.mark('liveshelf:script');
const app = document.getElementById('app')!;
const store = pageStore();

/** Storage is read after the frame painted from the copy (or at the latest 100 ms on, should the page stay hidden). */
const afterFirstPaint = () =>
  new Promise<void>((resolve) => {
    const cancel = afterNextFrame(() => (clearTimeout(timer), resolve()));
    const timer = setTimeout(() => (cancel(), resolve()), 100);
  });

/** The rows that show on the first screen (and the one cut by its bottom edge) go into the snapshot. */
let screenHeight = innerHeight;
function takeSnapshot(header: string | null, s: ReturnType<typeof createConsoleState>): void {
  if (!header) return writeSnapshot(store, null);
  if (innerHeight > 0) screenHeight = innerHeight;
  const bottom = scrollY + Math.max(screenHeight, 300);
  const html = serializeChildren(app, { keepRow: (row) => (row as unknown as Element).getBoundingClientRect().top + scrollY < bottom });
  writeSnapshot(store, makeSnapshot(header, document.documentElement.lang, html, secretsOf(s.rooms.value.map((r) => r.overlayUrl))));
}

function start(): void {
  const state = createConsoleState({ ...browserEnv(), afterFirstPaint, onCopySaved: (header) => takeSnapshot(header, state) });
  // Applies the first-paint copy synchronously (when there is one), then reads storage.
  const loading = state.load();
  performance.mark('liveshelf:copy');
  // The snapshot leaves in the same task as the app's first render: no frame shows an empty panel between them.
  const clicks = takeSnapshotClicks();
  if (app.firstChild) app.replaceChildren();
  app.removeAttribute(SNAPSHOT_ATTR);
  render(<ConsoleApp s={state} />, app);
  // A click on the snapshot's button happens now, on the app's same button (it waits for storage like any early click).
  for (const key of clicks) [...app.querySelectorAll('button')].find((b) => !b.disabled && buttonKey(b) === key)?.click();

  /** The frame that paints the queue: from the copy, or from storage when there was no copy. */
  const markRendered = (from: 'copy' | 'storage') => {
    const products = state.room.value?.products.length;
    if (products === undefined || performance.getEntriesByName('liveshelf:live').length) return;
    // render() committed the DOM synchronously; the next frame paints it.
    requestAnimationFrame(() => {
      if (!performance.getEntriesByName('liveshelf:rendered').length) performance.mark('liveshelf:rendered', { detail: { products, from } });
      if (!performance.getEntriesByName('liveshelf:live').length) performance.mark('liveshelf:live', { detail: { products, from } });
    });
  };
  if (state.room.value) {
    performance.mark('liveshelf:committed');
    markRendered('copy');
  }
  void loading.then(() => {
    performance.mark('liveshelf:loaded');
    // Signals re-render in a microtask, before the next frame.
    if (!performance.getEntriesByName('liveshelf:committed').length) performance.mark('liveshelf:committed');
    markRendered('storage');
  });
}

// The snapshot script imports this bundle after the snapshot's frame (entrypoints/sidepanel-snapshot.ts): start at once.
start();
