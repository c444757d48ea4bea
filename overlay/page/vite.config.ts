/**
 * Build of the OBS overlay page: `npm run build:overlay` writes dist/overlay, which the relay
 * serves at /overlay/. `public/sw.js` is copied as-is so it lives at /overlay/sw.js and its
 * default scope is /overlay/.
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { jsonOnly, websocketOnly } from '../../scripts/vite-websocket-only.js';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/overlay/',
  plugins: [websocketOnly(), jsonOnly(), preact()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/overlay', import.meta.url)),
    emptyOutDir: true,
    // ES2022 (class fields, ??=, at()): OBS 28+ browser sources run Chromium 103 or later.
    target: 'es2022',
    // One small JS file and one CSS file: fewer requests for OBS, and one shell for the service worker.
    modulePreload: false,
    reportCompressedSize: false,
  },
});
