/**
 * Which browser origins may open a socket to the relay (socket.io's `allowRequest`). A page
 * on another site must not drive a room with a token it read somewhere; the relay's own
 * pages, the extension and clients without a browser may.
 */
import type { IncomingMessage } from 'node:http';
import type { RelayConfig } from './deps.js';

export function originPolicy(config: RelayConfig, publicUrl: () => string): (req: IncomingMessage) => boolean {
  return function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // Non-browser clients (integrations, Stream Deck, tests) send no Origin; browsers always do.
    if (!origin) return true;
    if (config.allowedOrigins?.includes(origin)) return true;
    if (config.allowedOrigins === undefined && /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/i.test(origin)) return true;
    if (origin === new URL(publicUrl()).origin) return true;
    const host = req.headers.host;
    return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
  };
}
