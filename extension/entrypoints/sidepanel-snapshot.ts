/**
 * A classic script in sidepanel.html, right after #app: paints the panel's last first screen
 * (ui/snapshot.ts) while the HTML is still being parsed, then loads the app's bundle (its
 * address is this script's data-app attribute, written by the build: wxt.config.ts). With a
 * snapshot on screen the bundle is imported after the snapshot's frame: Chrome shows a side
 * panel once its page has loaded, and the bundle (compile, the copy's JSON, Preact's first
 * render) no longer sits before that. Without one it is imported at once. Nothing here may
 * keep the app from loading: a broken snapshot only costs the early paint.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { FIRST_PAINT_HEADER_KEY, pageStore } from '../ui/first-paint';
import { paintSnapshot } from '../ui/snapshot';

export default defineUnlistedScript(() => {
  const src = (document.currentScript as HTMLScriptElement | null)?.dataset['app'];
  let painted = false;
  try {
    const store = pageStore();
    painted = paintSnapshot(document.getElementById('app'), store, store?.getItem(FIRST_PAINT_HEADER_KEY) ?? null);
  } catch {
    // Painted nothing, or something: the app replaces whatever #app holds.
  }
  if (!src) return; // `wxt dev` keeps the page's own module script
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    void import(/* @vite-ignore */ new URL(src, location.href).href);
  };
  if (!painted) return load();
  // After the frame that shows the snapshot (requestAnimationFrame waits while the panel is
  // hidden, i.e. until it has loaded); at the latest 300 ms on, should no frame come.
  requestAnimationFrame(() => setTimeout(load, 0));
  setTimeout(load, 300);
});
