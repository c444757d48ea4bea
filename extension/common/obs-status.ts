/**
 * What the host sees of OBS: the connection's state and OBS's own (program scene, scenes,
 * streaming, recording), and what went wrong as a stable code with parameters, so that a page
 * says it in the host's language from the code alone (obs-errors.ts words it). Plain data the
 * worker posts to its pages (an Error instance does not survive structured cloning). The
 * worker's OBS session (worker/obs-session.ts) makes it; the pages only read it (console-port.ts).
 */

export const OBS_ERROR_CODES = [
  'obs-invalid-address',
  'obs-unreachable',
  'obs-password-required',
  'obs-password-refused',
  'obs-too-old',
  'obs-connection-lost',
  'obs-session-invalidated',
  'obs-connect-failed',
  'obs-not-connected',
  'obs-timeout',
  'obs-scene-not-found',
  'obs-source-not-found',
  'obs-overlay-missing',
  'obs-name-taken',
  'obs-no-browser-source',
  'obs-request-failed',
  'obs-unexpected-response',
] as const;
export type ObsErrorCode = (typeof OBS_ERROR_CODES)[number];

/** Parameters a message interpolates. Never holds the password. */
export type ObsErrorParams = Record<string, string | number>;

export interface ObsErrorInfo {
  code: ObsErrorCode;
  params: ObsErrorParams;
  /** English text for a person, built from code and params. */
  message: string;
}

export type ObsConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** A snapshot; a new object on every change. Plain data: safe to post to the side panel. */
export interface ObsStatus {
  state: ObsConnectionState;
  /** What the host should know about the connection, or null when all is well. */
  error: ObsErrorInfo | null;
  programScene: string | null;
  /** Scene names in OBS's own order (top of its Scenes list first). */
  scenes: readonly string[];
  streaming: boolean;
  recording: boolean;
  obsVersion: string | null;
  obsWebSocketVersion: string | null;
}

/** The status of an ObsControl that is not connected (also what a host without OBS settings shows). */
export const DISCONNECTED_STATUS: ObsStatus = {
  state: 'disconnected',
  error: null,
  programScene: null,
  scenes: [],
  streaming: false,
  recording: false,
  obsVersion: null,
  obsWebSocketVersion: null,
};
