/**
 * A remote co-host reaches the relay over the internet, through a TLS-terminating reverse proxy:
 * the real haproxy (tests/support/balancer.ts) with a self-signed certificate made by openssl
 * for 127.0.0.1, in front of a real relay (plain HTTP behind it, LIVESHELF_PUBLIC_URL = the
 * proxy's https:// address). Real Chromium on a phone profile opens the co-host link: the page
 * is HTTPS, the socket is WSS (never ws:// or http://, which a browser blocks from an HTTPS
 * page), and a tap on Show reaches the room. The certificate is trusted for this test only
 * (ignoreHTTPSErrors), as a self-signed one must be.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, devices, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomState } from '../../shared/domain';
import { startBalancer, type Balancer } from '../support/balancer';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';
import { freePort } from '../support/relay-process';
import { api, startRelay, type CreatedRoom, type TestRelay } from '../support/relay';

const PEAR = '砀山酥梨';
let dir: string;
let relay: TestRelay;
let proxy: Balancer;
let room: CreatedRoom;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liveshelf-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const pem = join(dir, 'liveshelf.pem');
  writeFileSync(pem, readFileSync(cert, 'utf8') + readFileSync(key, 'utf8'));
  const port = await freePort();
  relay = await startRelay({ config: { publicUrl: `https://127.0.0.1:${port}` } });
  proxy = await startBalancer({ relayUrls: [relay.url], port, tls: pem });
  room = await relay.createRoom({ title: '永胜石榴助农专场', currency: 'CNY', locale: 'zh-CN' });
  const res = await api(relay.url, `/api/rooms/${room.room.id}/commands`, {
    token: room.tokens.host,
    body: { id: 'tls-add-1', type: 'product.add', product: { sku: 'DS-PEAR-5KG', name: PEAR, priceMinor: 3990, unit: '5 kg box', stock: 2000 } },
  });
  if (res.status !== 200) throw new Error(`product.add: ${res.status} ${res.text}`);
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await relay?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the web console behind a TLS-terminating proxy', () => {
  it('the links are https, the page loads over HTTPS, the socket is WSS, a tap reaches the room', async () => {
    expect(room.links.cohost.startsWith(`${proxy.url}/pair#`)).toBe(true);
    const context = await browser.newContext({ ...devices['Pixel 7'], locale: 'zh-CN', ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const urls: string[] = [];
    context.on('request', (r) => urls.push(r.url()));
    page.on('websocket', (ws) => urls.push(ws.url()));
    await page.goto(room.links.cohost);
    await page.getByTestId('connection').filter({ hasText: '已连接' }).waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`${proxy.url}/pair`);
    const sockets = urls.filter((u) => /^wss?:/.test(u));
    expect(sockets.length).toBeGreaterThan(0);
    expect(sockets.every((u) => u.startsWith('wss://127.0.0.1:'))).toBe(true);
    expect(urls.filter((u) => u.startsWith('http:') || u.startsWith('ws:'))).toEqual([]);

    await page.getByRole('button', { name: `展示 ${PEAR}` }).tap();
    const end = Date.now() + 8000;
    let s: RoomState;
    do {
      s = (await api(relay.url, `/api/rooms/${room.room.id}`, { token: room.tokens.host })).json as RoomState;
      if (s.cardVisible) break;
      await new Promise((r) => setTimeout(r, 100));
    } while (Date.now() < end);
    expect(s.cardVisible).toBe(true);
    expect(s.products.find((p) => p.id === s.currentProductId)?.name).toBe(PEAR);
    await context.close();
  });
});
