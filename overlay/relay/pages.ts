/**
 * The relay's pages that are not the API: the web console a pairing link opens in any browser
 * (extension/web/, built into dist/console: /pair is its page, /console/ its files), and the
 * built overlay page OBS loads. Either not built: a page that says so (for /pair, how to use
 * the link with the extension instead).
 * The console holds a token: its page and files carry a strict Content-Security-Policy (its own
 * scripts, styles and socket only, nothing from another site, no inline script, no framing).
 */
import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RelayConfig, RelayHttp } from './deps.js';

/**
 * How the web console's and the report page's files are served to a browser on another machine
 * (a phone on mobile data): the build's `.br`/`.gz` beside each file when the browser accepts them
 * (scripts/vite-precompress.ts: 53 KB instead of 161 KB for the console's first bundle), and the
 * files under assets/, whose names carry their content's hash, cached for good, so a second visit
 * asks nothing. Other files (the manifest, icons) are asked again each time.
 */
const PAGE_FILES = {
  preCompressed: true,
  cacheControl: false,
  setHeaders(reply: FastifyReply, path: string) {
    if (/[\\/]assets[\\/]/.test(path)) reply.header('cache-control', 'public, max-age=31536000, immutable');
  },
};

/**
 * The console's policy. connect-src names the socket's ws:/wss: origin as well as 'self':
 * browsers that predate CSP 3 (older Safari) do not let 'self' cover WebSockets. No frames:
 * the web console has no overlay preview (the side panel's, beside OBS, has).
 */
export function consolePolicy(host: string | undefined): string {
  const socket = host && /^[a-z0-9.:[\]-]+$/i.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${socket}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The report page's policy: the console's without a socket (it only fetches the report routes)
 * and no manifest. blob: is not needed: the CSV downloads are navigations, not fetches.
 */
export const REPORT_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Headers = { header(name: string, value: string): unknown };

function secureReport(reply: Headers): void {
  reply.header('content-security-policy', REPORT_POLICY);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}

/** The after-show report page (issue 19): /report is its page, /report/ its files; not built, a 503 that says how. */
function registerReport(app: RelayHttp, config: RelayConfig): void {
  const page = config.reportDir ? join(config.reportDir, 'index.html') : null;
  if (!config.reportDir || !page || !existsSync(page)) {
    app.get('/report', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The report page is not built yet: run "npm run build" and restart the relay.'),
    );
    return;
  }
  const html = readFileSync(page, 'utf8');
  // no-store: after an upgrade the page must name the new build's files.
  app.get('/report', async (_req, reply) => {
    secureReport(reply);
    return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  });
  void app.register(async (scope) => {
    scope.addHook('onSend', async (_req, reply) => secureReport(reply));
    await scope.register(fastifyStatic, { root: config.reportDir!, prefix: '/report/', decorateReply: false, ...PAGE_FILES });
  });
}

export function registerPages(app: RelayHttp, config: RelayConfig): void {
  registerReport(app, config);
  const consolePage = config.consoleDir ? join(config.consoleDir, 'index.html') : null;
  if (config.consoleDir && consolePage && existsSync(consolePage)) {
    const html = readFileSync(consolePage, 'utf8');
    const secure = (reply: { header(name: string, value: string): unknown }, host: string | undefined) => {
      reply.header('content-security-policy', consolePolicy(host));
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    };
    // no-store: after an upgrade the page must name the new build's files.
    app.get('/pair', async (req, reply) => {
      secure(reply, req.headers.host);
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
    });
    void app.register(async (scope) => {
      scope.addHook('onSend', async (req, reply) => secure(reply, req.headers.host));
      await scope.register(fastifyStatic, { root: config.consoleDir!, prefix: '/console/', decorateReply: false, ...PAGE_FILES });
    });
    return registerOverlay(app, config);
  }
  app.get('/pair', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>LiveShelf pairing link</title><body style="font:16px system-ui;max-width:40em;margin:3em auto">' +
          '<h1>This is a LiveShelf pairing link</h1><p>Do not open it in a tab: copy the whole link and paste it into the LiveShelf extension, in the side panel field <b>Pairing link</b>, then press <b>Connect</b>.</p>' +
          '<p>这是 LiveShelf 配对链接：请复制完整链接，粘贴到扩展侧边栏的“配对链接”中，然后点击“连接”。</p></body>',
      ),
  );
  registerOverlay(app, config);
}

function registerOverlay(app: RelayHttp, config: RelayConfig): void {
  if (config.overlayDir && existsSync(config.overlayDir)) {
    void app.register(fastifyStatic, { root: config.overlayDir, prefix: '/overlay/', decorateReply: false, cacheControl: false });
  } else {
    app.get('/overlay/*', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The overlay page is not built yet: run "npm run build" and restart the relay.'),
    );
  }
}
