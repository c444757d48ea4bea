/**
 * `HOST=0.0.0.0 npm start` as a host starts it to let a co-host's phone in: the printed links
 * carry this machine's reachable address (never 0.0.0.0), and the co-host link opens the web
 * console on that address. The relay is the real process; the address is this machine's own
 * interface (the expected one is computed from the same interface list).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choosePublicUrl } from '../../overlay/relay/public-url.js';
import { freePort, spawnRelay, type RelayProcess } from '../support/relay-process.js';

let relay: RelayProcess;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'liveshelf-lan-'));
  port = await freePort();
  relay = await spawnRelay({ port, dataDir, adminToken: 'lsa_lan_links_test_token_000000', env: { HOST: '0.0.0.0', LIVESHELF_PUBLIC_URL: '' } });
}, 40_000);

afterAll(async () => {
  await relay?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('HOST=0.0.0.0 without LIVESHELF_PUBLIC_URL', () => {
  it('prints links on the LAN address and opens the co-host console there', async () => {
    const expected = choosePublicUrl('0.0.0.0', port, networkInterfaces()).url;
    const out = relay.output();
    expect(out).not.toContain('0.0.0.0');
    const cohost = /Co-host pairing link\s+:\s+(\S+)/.exec(out)?.[1];
    const overlay = /OBS browser source URL\s+:\s+(\S+)/.exec(out)?.[1];
    expect(cohost?.startsWith(`${expected}/`)).toBe(true);
    expect(overlay?.startsWith(`${expected}/`)).toBe(true);
    // The fragment (the token) never travels; the page itself answers on that address.
    const page = await fetch(cohost!.split('#')[0]!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
  });
});
