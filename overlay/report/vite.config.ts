/**
 * Build of the after-show report page (issue 19): `npm run build:report` writes dist/report; the
 * relay answers /report with its index.html and serves the rest at /report/. Its own build, not
 * the console's: the report needs uPlot and no socket, the console neither the chart nor its weight.
 */
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { precompress } from '../../scripts/vite-precompress.js';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/report/',
  plugins: [preact(), precompress()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/report', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    modulePreload: false,
    reportCompressedSize: true,
  },
});
