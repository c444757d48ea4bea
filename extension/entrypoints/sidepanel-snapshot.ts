/**
 * A classic script in sidepanel.html, right after #app: paints the panel's last first screen
 * (ui/snapshot.ts) while the HTML is still being parsed, then loads the app's bundle (the
 * build writes its address over the placeholder of the import() below and marks this script
 * data-app: wxt.config.ts; a literal address is what the stores' reviewers can read and check).
 * With a snapshot on screen the bundle is imported after the snapshot's frame: Chrome shows a side
 * panel once its page has loaded, and the bundle (compile, the copy's JSON, Preact's first
 * render) no longer sits before that. Without one it is imported at once. Nothing here may
 * keep the app from loading: a broken snapshot only costs the early paint.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { FIRST_PAINT_HEADER_KEY, pageStore } from '../ui/first-paint';
import { paintSnapshot } from '../ui/snapshot';

export default defineUnlistedScript(() => {
  const built = (document.currentScript as HTMLScriptElement | null)?.hasAttribute('data-app') ?? false;
  let painted = false;
  try {
    const store = pageStore();
    painted = paintSnapshot(document.getElementById('app'), store, store?.getItem(FIRST_PAINT_HEADER_KEY) ?? null);
  } catch {
    // Painted nothing, or something: the app replaces whatever #app holds.
  }
  if (!built) return; // `wxt dev` keeps the page's own module script
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    // The build writes the app bundle's address over this placeholder (wxt.config.ts, appAfterSnapshot).
    // @ts-expect-error: a file of the built package, not a module TypeScript can see.
    void import(/* @vite-ignore */ '/__liveshelf-app-bundle__.js');
  };
  if (!painted) return load();
  // After the frame that shows the snapshot (requestAnimationFrame waits while the panel is
  // hidden, i.e. until it has loaded); at the latest 300 ms on, should no frame come.
  requestAnimationFrame(() => setTimeout(load, 0));
  setTimeout(load, 300);
});
