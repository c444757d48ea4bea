/**
 * The overlay's one socket to the relay. An outage (relay restart, dropped Wi-Fi) is silent:
 * socket.io reconnects with backoff and the relay pushes the full state on every connect, so
 * the page resyncs to the exact current state. A setup mistake (unknown room, refused token,
 * version mismatch) is not retried: it is reported once, for the person setting up OBS.
 */
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ConnectErrorData, type HandshakeAuth, type ServerToClientEvents } from '../../shared/protocol.js';
import type { OverlayState } from './overlay-state.js';
import type { SetupProblem } from './words.js';
import { flushLastState, saveLastState } from './last-state.js';
import { followRoom } from '../../shared/room-follow.js';

const SETUP_CODES: readonly string[] = ['unauthorized', 'not_found', 'protocol_mismatch'] satisfies SetupProblem[];

export function connectOverlay(relayUrl: string, room: string, token: string, state: OverlayState): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(relayUrl, {
    transports: ['websocket'],
    // patches: after the full state on connect, only what changed (shared/room-follow.ts).
    auth: { room, token, protocol: PROTOCOL_VERSION, patches: true } satisfies HandshakeAuth,
    // Retries at most ~1.9 s apart (1.5 s ± 25 %), so the page is back within about 2 s of the
    // relay answering again; a refused TCP connect every 1.5 s costs nothing.
    reconnectionDelay: 250,
    reconnectionDelayMax: 1500,
    randomizationFactor: 0.25,
  });
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const retryLater = () => {
    // socket.io does not retry by itself after a refused handshake or a server-side disconnect.
    if (retry !== undefined) return;
    const delay = Math.min(1500, 250 * 2 ** Math.min(failures++, 3));
    retry = setTimeout(() => {
      retry = undefined;
      socket.connect();
    }, delay);
  };

  socket.on('connect', () => {
    // One request per connect: the relay's clock against ours, halfway through the round trip.
    const t0 = Date.now();
    fetch(new URL('/healthz', relayUrl), { cache: 'no-store' })
      .then((r) => r.json() as Promise<{ time?: unknown }>)
      .then((h) => {
        if (typeof h.time === 'number') state.clockMeasured(h.time - (t0 + Date.now()) / 2);
      })
      .catch(() => {});
  });
  followRoom(socket, (s) => {
    failures = 0;
    state.receive(s);
    saveLastState(s);
  });
  socket.on('disconnect', (reason) => {
    state.linkChanged('offline');
    flushLastState();
    // "io server disconnect" is the relay closing (restart, token rotation): come back when it is
    // up again; a rotated token then gets a clear "unauthorized".
    if (reason === 'io server disconnect') retryLater();
  });
  socket.on('connect_error', (err) => {
    state.linkChanged('offline');
    const data = (err as Error & { data?: ConnectErrorData }).data;
    if (data && SETUP_CODES.includes(data.code)) {
      state.setupFailed(data.code as SetupProblem);
      return;
    }
    if (!socket.active) retryLater(); // e.g. "unavailable": the relay is up but its storage is not
  });
  return socket;
}
