/**
 * What can go wrong between LiveShelf and OBS, as stable codes with parameters, so that the
 * side panel can say it in the host's language from the code alone. Wording is kept as
 * `{param}` templates (the console's i18n style) in zh-CN, en and fr; OBS menu names are
 * quoted as OBS itself shows them in that language. Errors cross the extension's message
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

export type ObsMessageLocale = 'zh-CN' | 'en' | 'fr';

export const OBS_MESSAGES: Record<ObsMessageLocale, Record<ObsErrorCode, string>> = {
  en: {
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
  },
  'zh-CN': {
    'obs-invalid-address': '“{url}”不是 OBS 地址，格式应类似 ws://127.0.0.1:4455。',
    'obs-unreachable': '无法连接到 {url} 上的 OBS。OBS 是否已打开？请在 OBS 的“工具 → WebSocket 服务器设置”中勾选“开启 WebSocket 服务器”，并核对端口。',
    'obs-password-required': 'OBS 需要密码：请在“工具 → WebSocket 服务器设置 → 显示连接信息”中复制密码。',
    'obs-password-refused': 'OBS 拒绝了该密码：请检查“工具 → WebSocket 服务器设置”。',
    'obs-too-old': '此 OBS 版本过旧（{found}）：请升级到内置 obs-websocket 5 的 OBS Studio 28 或更高版本。',
    'obs-connection-lost': '与 OBS 的连接已断开，正在自动重连…',
    'obs-session-invalidated': 'OBS 关闭了此连接（在 OBS 中被断开，或 WebSocket 服务器设置已更改）。请重新连接。',
    'obs-connect-failed': '无法连接到 OBS（{reason}）。',
    'obs-not-connected': '尚未连接 OBS，请先在 OBS 区域连接。',
    'obs-timeout': 'OBS 未及时响应（{request}），可能正忙或已卡住。',
    'obs-scene-not-found': 'OBS 中没有名为“{scene}”的场景。请核对商品上的场景名或 OBS 中的场景。',
    'obs-source-not-found': 'OBS 的场景“{scene}”中没有名为“{source}”的来源。',
    'obs-overlay-missing': 'OBS 中没有名为“{source}”的来源：请先把画面添加到 OBS。',
    'obs-name-taken': 'OBS 中已有一个名为“{name}”的来源，但它不是浏览器来源。请在 OBS 中改名，或换一个名称。',
    'obs-no-browser-source': '此 OBS 没有浏览器来源，LiveShelf 无法自动添加画面。请复制画面链接并手动添加（例如安装 obs-browser 插件后）：{url}',
    'obs-request-failed': 'OBS 无法执行 {request}：{comment}。',
    'obs-unexpected-response': 'OBS 对 {request} 的响应无法识别（{issue}）。',
  },
  fr: {
    'obs-invalid-address': '« {url} » n’est pas une adresse OBS. Elle ressemble à ws://127.0.0.1:4455.',
    'obs-unreachable':
      'Impossible de joindre OBS à {url}. OBS est-il lancé ? Dans OBS, ouvrez Outils → Paramètres du serveur WebSocket, cochez « Activer le serveur WebSocket » et vérifiez le port.',
    'obs-password-required': 'OBS demande un mot de passe : copiez-le depuis Outils → Paramètres du serveur WebSocket → Afficher les informations de connexion.',
    'obs-password-refused': 'OBS a refusé le mot de passe : vérifiez Outils → Paramètres du serveur WebSocket.',
    'obs-too-old': 'Cet OBS est trop ancien pour LiveShelf ({found}) : passez à OBS Studio 28 ou plus récent, qui intègre obs-websocket 5.',
    'obs-connection-lost': 'La connexion à OBS est perdue. Reconnexion automatique…',
    'obs-session-invalidated': 'OBS a fermé cette connexion (déconnectée dans OBS, ou réglages du serveur WebSocket modifiés). Reconnectez-vous.',
    'obs-connect-failed': 'Connexion à OBS impossible ({reason}).',
    'obs-not-connected': 'Pas connecté à OBS. Connectez-vous d’abord dans la section OBS.',
    'obs-timeout': 'OBS n’a pas répondu à temps ({request}). Il est peut-être occupé ou figé.',
    'obs-scene-not-found': 'OBS n’a pas de scène nommée « {scene} ». Vérifiez le nom de scène du produit ou dans OBS.',
    'obs-source-not-found': 'OBS n’a pas de source nommée « {source} » dans la scène « {scene} ».',
    'obs-overlay-missing': 'OBS n’a pas de source nommée « {source} » : ajoutez d’abord l’overlay à OBS.',
    'obs-name-taken': 'OBS a déjà une source nommée « {name} » qui n’est pas une source navigateur. Renommez-la dans OBS ou choisissez un autre nom.',
    'obs-no-browser-source':
      'Cet OBS n’a pas de source navigateur : LiveShelf ne peut pas ajouter l’overlay pour vous. Copiez l’URL de l’overlay et ajoutez-la à la main (par exemple avec le plugin obs-browser) : {url}',
    'obs-request-failed': 'OBS n’a pas pu exécuter {request} : {comment}.',
    'obs-unexpected-response': 'OBS a répondu à {request} d’une façon que LiveShelf ne comprend pas ({issue}).',
  },
};

/** The message for an error in a locale; unknown `{param}`s are left visible rather than dropped. */
export function obsErrorText(error: Pick<ObsErrorInfo, 'code' | 'params'>, locale: ObsMessageLocale = 'en'): string {
  const template = OBS_MESSAGES[locale][error.code];
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in error.params ? String(error.params[key]) : whole));
}

const RETRYABLE = new Set<ObsErrorCode>(['obs-unreachable', 'obs-connection-lost', 'obs-timeout', 'obs-connect-failed']);

export class ObsError extends Error {
  override readonly name = 'ObsError';
  readonly code: ObsErrorCode;
  readonly params: ObsErrorParams;
  /** Whether trying again later can succeed on its own (OBS restarted, network back). */
  readonly retryable: boolean;

  constructor(code: ObsErrorCode, params: ObsErrorParams = {}, opts: { cause?: unknown } = {}) {
    super(obsErrorText({ code, params }), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.params = params;
    this.retryable = RETRYABLE.has(code);
  }

  toInfo(): ObsErrorInfo {
    return { code: this.code, params: { ...this.params }, message: this.message };
  }
}

export function isObsError(e: unknown): e is ObsError {
  return e instanceof ObsError;
}
