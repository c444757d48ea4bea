/**
 * The demo room `npm start` prepares on first start: the sample catalog imported, the first
 * product on the card. Its tokens are kept in the data dir (mode 600) so every start can print
 * the same links; the relay itself stores only token hashes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogCsv } from '../../shared/catalog-csv.js';
import { emptyRoom, type Role } from '../../shared/domain.js';
import { overlayLink, pairingLink, reportLink } from '../../shared/pairing.js';
import type { Relay } from './app.js';
import { newRoomId, newRoomTokens } from './tokens.js';

interface DemoFile {
  roomId: string;
  title: string;
  tokens: Record<Role, string>;
}

export async function seedDemoRoom(relay: Relay, publicUrl: string, dataDir: string, csvPath: string) {
  const file = join(dataDir, 'demo-room.json');
  let demo: DemoFile | undefined = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoFile) : undefined;
  if (!demo || !(await relay.hub.get(demo.roomId))) {
    const roomId = newRoomId();
    const title = '永胜石榴助农专场 · Demo';
    const { tokens, hashes } = newRoomTokens();
    await relay.hub.create(emptyRoom(roomId, { title, currency: 'CNY', locale: 'zh-CN' }, Date.now()), hashes);
    const actor = await relay.hub.get(roomId);
    if (!actor) throw new Error('demo room vanished right after creation');
    if (existsSync(csvPath)) {
      const { rows } = parseCatalogCsv(readFileSync(csvPath, 'utf8'), 'CNY');
      for (const row of rows) await actor.submit({ id: `demo-add-${row.line}`, type: 'product.add', product: row.product }, 'host', 'import');
      const first = actor.state.products[0];
      if (first) await actor.submit({ id: 'demo-show', type: 'card.show', productId: first.id }, 'host', 'console');
      await actor.submit({ id: 'demo-ticker', type: 'ticker.push', text: '助农直播 · 产地直发 · 顺丰包邮' }, 'host', 'console');
    }
    demo = { roomId, title, tokens };
    writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  }
  return {
    roomId: demo.roomId,
    title: demo.title,
    links: {
        overlay: overlayLink(publicUrl, demo.roomId, demo.tokens.overlay),
      host: pairingLink(publicUrl, demo.roomId, 'host', demo.tokens.host),
      cohost: pairingLink(publicUrl, demo.roomId, 'cohost', demo.tokens.cohost),
      report: reportLink(publicUrl, demo.roomId, demo.tokens.host),
    },
  };
}
