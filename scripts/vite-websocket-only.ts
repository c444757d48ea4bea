/**
 * Vite plugins for the relay's pages (overlay/page, extension/web): socket.io over WebSocket
 * only, and JSON only.
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

/**
 * The relay sends and takes JSON only: room states, patches, command answers, never a binary
 * attachment (no Buffer, ArrayBuffer or Blob in shared/protocol.ts). socket.io-parser still
 * walks every outgoing packet for binary (hasBinary) and bundles the code that splits and
 * joins binary attachments, and engine.io-parser the base64 decoder that only HTTP
 * long-polling uses. This plugin gives the pages' build a JSON-only version of those three
 * modules: hasBinary is false (every packet is encoded as the plain JSON it is), and a binary
 * packet, which the relay never sends, is refused with an error instead of decoded. About
 * 0.9 KB gzipped. The relay and Node clients keep the full parser.
 */
const SIO_PARSER = /[\\/]socket\.io-parser[\\/]build[\\/]esm[\\/]/;
const EIO_BASE64 = /[\\/]engine\.io-parser[\\/]build[\\/]esm[\\/]contrib[\\/]base64-arraybuffer\.js$/;
export function jsonOnly(): Plugin {
  const refuse = (what: string) => `() => { throw new Error("LiveShelf pages take no binary packets (${what})"); }`;
  return {
    name: 'liveshelf:socket-io-json-only',
    enforce: 'pre',
    load(id) {
      if (EIO_BASE64.test(id)) return `export const encode = ${refuse('base64 encode')};\nexport const decode = ${refuse('base64 decode')};\n`;
      if (!SIO_PARSER.test(id)) return null;
      if (/[\\/]is-binary\.js$/.test(id)) {
        return 'export function isBinary(obj) { return obj instanceof ArrayBuffer || ArrayBuffer.isView(obj); }\nexport function hasBinary() { return false; }\n';
      }
      if (/[\\/]binary\.js$/.test(id)) {
        return `export const deconstructPacket = ${refuse('deconstruct')};\nexport const reconstructPacket = ${refuse('reconstruct')};\n`;
      }
      return null;
    },
  };
}
