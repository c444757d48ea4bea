/**
 * The links' address when LIVESHELF_PUBLIC_URL is unset (overlay/relay/public-url.ts): with
 * HOST=0.0.0.0 a phone must get the LAN address, never 0.0.0.0.
 */
import { describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { choosePublicUrl, type Interfaces } from '../../overlay/relay/public-url.js';

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` });
const v6 = (address: string, internal = false): NetworkInterfaceInfo => ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: `${address}/64`, scopeid: 0 });

const laptop: Interfaces = {
  lo: [v4('127.0.0.1', true), v6('::1', true)],
  docker0: [v4('172.17.0.1')],
  wlan0: [v4('203.0.113.7'), v4('192.168.1.23'), v6('fe80::1'), v6('fd00::23')],
};

describe('choosePublicUrl', () => {
  it('LIVESHELF_PUBLIC_URL wins', () => {
    expect(choosePublicUrl('0.0.0.0', 4600, laptop, 'https://live.example.cn')).toEqual({ url: 'https://live.example.cn', others: [] });
  });

  it('a named host is used as it is', () => {
    expect(choosePublicUrl('127.0.0.1', 4600, laptop).url).toBe('http://127.0.0.1:4600');
    expect(choosePublicUrl('::1', 4600, laptop).url).toBe('http://[::1]:4600');
  });

  it('0.0.0.0: the Wi-Fi address first, a container bridge last, no loopback, no IPv6', () => {
    const { url, others } = choosePublicUrl('0.0.0.0', 4600, laptop);
    expect(url).toBe('http://192.168.1.23:4600');
    expect(others).toEqual(['http://203.0.113.7:4600', 'http://172.17.0.1:4600']);
    expect([url, ...others].join(' ')).not.toMatch(/0\.0\.0\.0|127\.0\.0\.1|\[/);
  });

  it(':: also offers IPv6 (not link-local, which needs a zone a URL cannot carry)', () => {
    const { url, others } = choosePublicUrl('::', 4600, laptop);
    expect(url).toBe('http://192.168.1.23:4600');
    expect(others).toContain('http://[fd00::23]:4600');
    expect(others.join(' ')).not.toContain('fe80');
  });

  it('no network but loopback: the loopback address, not 0.0.0.0', () => {
    expect(choosePublicUrl('0.0.0.0', 4600, { lo: [v4('127.0.0.1', true)] })).toEqual({ url: 'http://127.0.0.1:4600', others: [] });
  });
});
