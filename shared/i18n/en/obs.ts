/**
 * What went wrong between LiveShelf and OBS, in English, one template per error code
 * (extension/common/obs-status.ts lists the codes; obs-errors.ts beside it makes the compiler
 * check each has its text here and in ../zh-CN/obs.ts, ../fr/obs.ts). OBS menu names are
 * quoted as OBS itself shows them in that language. English is also the worker's own text
 * for an error (ObsError.message). Data only.
 */
export const obsWords = {
  'obs-invalid-address': '"{url}" is not an OBS address. It looks like ws://127.0.0.1:4455.',
  'obs-unreachable':
    'Could not reach OBS at {url}. Is OBS running? In OBS, open Tools → WebSocket Server Settings, tick "Enable WebSocket server" and check the port.',
  'obs-password-required': 'OBS asks for a password: copy it from Tools → WebSocket Server Settings → Show Connect Info.',
  'obs-password-refused': 'OBS refused the password: check Tools → WebSocket Server Settings.',
  'obs-too-old': 'This OBS is too old for LiveShelf ({found}): update to OBS Studio 28 or later, which has obs-websocket 5 built in.',
  'obs-connection-lost': 'The connection to OBS was lost. Reconnecting by itself…',
  'obs-session-invalidated': 'OBS closed this connection (it was disconnected in OBS, or the WebSocket server settings changed). Connect again.',
  'obs-connect-failed': 'Could not connect to OBS ({reason}).',
  'obs-not-connected': 'Not connected to OBS. Connect in the OBS section first.',
  'obs-timeout': 'OBS did not answer in time ({request}). It may be busy or frozen.',
  'obs-scene-not-found': 'OBS has no scene named "{scene}". Check the scene name on the product or in OBS.',
  'obs-source-not-found': 'OBS has no source named "{source}" in the scene "{scene}".',
  'obs-overlay-missing': 'OBS has no source named "{source}": add the overlay to OBS first.',
  'obs-name-taken': 'OBS already has a source named "{name}" that is not a browser source. Rename it in OBS or pick another name.',
  'obs-no-browser-source':
    'This OBS has no browser source, so LiveShelf cannot add the overlay for you. Copy the overlay URL and add it by hand (for example with the obs-browser plugin): {url}',
  'obs-request-failed': 'OBS could not do {request}: {comment}.',
  'obs-unexpected-response': 'OBS answered {request} in a way LiveShelf does not understand ({issue}).',
};

export type ObsWords = Readonly<Record<keyof typeof obsWords, string>>;
