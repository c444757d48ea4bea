/**
 * A Vite plugin for the relay's pages (overlay/page, extension/web): socket.io over WebSocket only.
 */
import type { Plugin } from 'vite';

/**
 * The overlay and the web console connect with `transports: ['websocket']` only (OBS's browser
 * and every browser since 2012 have WebSocket). engine.io-client still pulls in its HTTP long-polling and
 * WebTransport code (with module side effects, so tree-shaking keeps it) through its index and
 * its transport table. This plugin gives the build a WebSocket-only index and table; the
 * socket.io protocol is unchanged. It saves about 3.5 KB gzipped of the 25 KB budget.
 */
const ENGINE_ESM = /[\\/]engine\.io-client[\\/]build[\\/]esm[\\/]/;
export function websocketOnly(): Plugin {
  return {
    name: 'liveshelf:engine-io-websocket-only',
    enforce: 'pre',
    load(id) {
      if (!ENGINE_ESM.test(id)) return null;
      if (/[\\/]transports[\\/]index\.js$/.test(id)) {
        return 'import { WS } from "./websocket.js";\nexport const transports = { websocket: WS };\n';
      }
      if (/[\\/]esm[\\/]index\.js$/.test(id)) {
        return [
          'import { Socket } from "./socket.js";',
          'export { Socket };',
          'export const protocol = Socket.protocol;',
          'export { Transport, TransportError } from "./transport.js";',
          'export { transports } from "./transports/index.js";',
          'export { installTimerFunctions } from "./util.js";',
          'export { parse } from "./contrib/parseuri.js";',
          'export { nextTick } from "./globals.node.js";',
          'export { WS as WebSocket } from "./transports/websocket.js";',
          // socket.io-client re-exports these names; the pages never use them.
          'export const Fetch = undefined, NodeXHR = undefined, XHR = undefined, NodeWebSocket = undefined, WebTransport = undefined;',
          '',
        ].join('\n');
      }
      return null;
    },
  };
}
