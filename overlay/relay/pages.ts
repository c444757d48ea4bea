/**
 * The relay's two pages that are not the API: what a pairing link shows when someone opens it
 * in a tab (it is meant for the extension), and the built overlay page OBS loads (or a clear
 * 503 when it was not built).
 */
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { RelayConfig, RelayHttp } from './deps.js';

export function registerPages(app: RelayHttp, config: RelayConfig): void {
  app.get('/pair', async (_req, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><meta charset="utf-8"><title>LiveShelf pairing link</title><body style="font:16px system-ui;max-width:40em;margin:3em auto">' +
          '<h1>This is a LiveShelf pairing link</h1><p>Do not open it in a tab: copy the whole link and paste it into the LiveShelf extension, in the side panel field <b>Pairing link</b>, then press <b>Connect</b>.</p>' +
          '<p>这是 LiveShelf 配对链接：请复制完整链接，粘贴到扩展侧边栏的“配对链接”中，然后点击“连接”。</p></body>',
      ),
  );

  if (config.overlayDir && existsSync(config.overlayDir)) {
    void app.register(fastifyStatic, { root: config.overlayDir, prefix: '/overlay/', decorateReply: false, cacheControl: false });
  } else {
    app.get('/overlay/*', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The overlay page is not built yet: run "npm run build" and restart the relay.'),
    );
  }
}
