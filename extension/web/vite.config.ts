/**
 * Build of the web console (the side panel's console for a phone's browser, served by the relay):
 * `npm run build:console` writes dist/console; the relay answers /pair with its index.html and
 * serves the rest at /console/. It lives in extension/ because it is the extension's console
 * (its components, words, outbox and socket module) on another surface, not a second UI; the
 * WXT build does not see it (only extension/entrypoints/ are entrypoints).
 * Vite prints each file's gzipped size: the first bundle's aim is ≤ 60 KB gz on a phone.
 */
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';
import { jsonOnly, websocketOnly } from '../../scripts/vite-websocket-only.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [websocketOnly(), jsonOnly(), preact(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: false,
    reportCompressedSize: true,
  },
});
