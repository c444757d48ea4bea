/** What every benchmark prints and needs: percentiles, durations, HTTP and socket clients for a relay. */
import { io as ioClient, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../shared/protocol.js';

/** Nearest-rank percentile (p99 of 200 samples is the 198th smallest); NaN when there is no sample. */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export const ms = (x: number, digits = 2) => `${x.toFixed(digits)} ms`;

/** A JSON call to the relay's HTTP API with a bearer token (POST when there is a body). */
export async function json(url: string, path: string, token: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

/** A connected socket.io client of a room (websocket only, no reconnection: a bench client that drops is a figure, not a retry). */
export function connect(url: string, room: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = ioClient(url, { transports: ['websocket'], auth: { room, token, protocol: PROTOCOL_VERSION }, reconnection: false, forceNew: true });
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}
