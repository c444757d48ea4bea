/**
 * What can go wrong between LiveShelf and OBS, as stable codes with parameters, so that the
 * side panel can say it in the host's language (zh-CN, fr, …) from the code alone, plus the
 * English wording used when no translation exists. Errors cross the extension's message
 * channel as plain `ObsErrorInfo` objects (an Error instance does not survive structured cloning).
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
  'obs-name-taken',
  'obs-no-browser-source',
  'obs-request-failed',
  'obs-unexpected-response',
] as const;
export type ObsErrorCode = (typeof OBS_ERROR_CODES)[number];

/** Parameters a message may interpolate. Never holds the password. */
export type ObsErrorParams = Record<string, string | number>;

export interface ObsErrorInfo {
  code: ObsErrorCode;
  params: ObsErrorParams;
  /** English text for a person, built from code and params. */
  message: string;
}

const p = (params: ObsErrorParams, key: string): string => String(params[key] ?? '');

/** English wording. A translation is a record of the same shape keyed by the same codes. */
export const OBS_MESSAGES_EN: Record<ObsErrorCode, (params: ObsErrorParams) => string> = {
  'obs-invalid-address': (x) => `"${p(x, 'url')}" is not an OBS address. It looks like ws://127.0.0.1:4455.`,
  'obs-unreachable': (x) =>
    `Could not reach OBS at ${p(x, 'url')}. Is OBS running? In OBS, open Tools → WebSocket Server Settings, tick "Enable WebSocket server" and check the port.`,
  'obs-password-required': () => 'OBS asks for a password: copy it from Tools → WebSocket Server Settings → Show Connect Info.',
  'obs-password-refused': () => 'OBS refused the password: check Tools → WebSocket Server Settings.',
  'obs-too-old': (x) =>
    `This OBS is too old for LiveShelf${x['found'] ? ` (${p(x, 'found')})` : ''}: update to OBS Studio 28 or later, which has obs-websocket 5 built in.`,
  'obs-connection-lost': () => 'The connection to OBS was lost. Reconnecting by itself…',
  'obs-session-invalidated': () => 'OBS closed this connection (the WebSocket server was restarted or its settings changed). Connect again.',
  'obs-connect-failed': (x) => `Could not connect to OBS (${p(x, 'reason') || `code ${p(x, 'closeCode')}`}).`,
  'obs-not-connected': () => 'Not connected to OBS. Connect in the OBS section first.',
  'obs-timeout': (x) => `OBS did not answer in time (${p(x, 'request')}). It may be busy or frozen.`,
  'obs-scene-not-found': (x) => `OBS has no scene named "${p(x, 'scene')}". Check the scene name on the product or in OBS.`,
  'obs-source-not-found': (x) => `OBS has no source named "${p(x, 'source')}"${x['scene'] ? ` in scene "${p(x, 'scene')}"` : ''}.`,
  'obs-name-taken': (x) => `OBS already has a source named "${p(x, 'name')}" that is not a browser source. Rename it in OBS or pick another name.`,
  'obs-no-browser-source': (x) =>
    `This OBS has no browser source, so LiveShelf cannot add the overlay for you. Copy the overlay URL and add it by hand (for example with the obs-browser plugin): ${p(x, 'url')}`,
  'obs-request-failed': (x) => `OBS could not do ${p(x, 'request')}: ${p(x, 'comment') || `status ${p(x, 'status')}`}.`,
  'obs-unexpected-response': (x) => `OBS answered ${p(x, 'request')} in a way LiveShelf does not understand (${p(x, 'issue')}).`,
};

export class ObsError extends Error {
  override readonly name = 'ObsError';
  readonly code: ObsErrorCode;
  readonly params: ObsErrorParams;
  /** Whether trying again later can succeed on its own (OBS restarted, network back). */
  readonly retryable: boolean;

  constructor(code: ObsErrorCode, params: ObsErrorParams = {}, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(OBS_MESSAGES_EN[code](params), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.params = params;
    this.retryable = opts.retryable ?? RETRYABLE.has(code);
  }

  toInfo(): ObsErrorInfo {
    return { code: this.code, params: { ...this.params }, message: this.message };
  }
}

const RETRYABLE = new Set<ObsErrorCode>(['obs-unreachable', 'obs-connection-lost', 'obs-timeout', 'obs-connect-failed']);

export function isObsError(e: unknown): e is ObsError {
  return e instanceof ObsError;
}
