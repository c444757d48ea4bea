/**
 * The address put into overlay and pairing links when LIVESHELF_PUBLIC_URL is not set.
 * Listening on every interface (`HOST=0.0.0.0` or `::`, the README's way to let a co-host on
 * the LAN in) must not print `http://0.0.0.0:4600/…`: no phone can open that. Then the links
 * use this machine's LAN address (a private IPv4 first: what a phone on the same Wi-Fi
 * reaches), and the other addresses are printed for the host to pick from. Pure over the
 * interface list so it is tested without the machine's network.
 */
import type { NetworkInterfaceInfo } from 'node:os';

export type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;
export interface PublicUrlChoice {
  url: string;
  /** Other URLs this relay answers on (other interfaces), for the start-up banner. */
  others: string[];
}

const WILDCARD = new Set(['0.0.0.0', '::', '[::]', '']);

function urlOf(address: string, port: number): string {
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * Home and venue Wi-Fi first (192.168/16, then 10/8, then 172.16/12), other IPv4, then IPv6
 * (not link-local, which needs a zone a URL cannot carry). Container and VM bridges (docker0,
 * br-…, virbr…, veth…) last: a phone never reaches them.
 */
const BRIDGE = /^(docker|br-|virbr|veth|vmnet|vboxnet)/;
function rank(name: string, info: NetworkInterfaceInfo): number {
  const bridge = BRIDGE.test(name) ? 10 : 0;
  if (info.family !== 'IPv4') return bridge + 4;
  if (info.address.startsWith('192.168.')) return bridge;
  if (info.address.startsWith('10.')) return bridge + 1;
  if (/^172\.(1[6-9]|2\d|3[01])\./.test(info.address)) return bridge + 2;
  return bridge + 3;
}

export function choosePublicUrl(host: string, port: number, interfaces: Interfaces, fromEnv?: string): PublicUrlChoice {
  if (fromEnv) return { url: fromEnv, others: [] };
  if (!WILDCARD.has(host)) return { url: urlOf(host, port), others: [] };
  const reachable = Object.entries(interfaces)
    .flatMap(([name, list]) => (list ?? []).map((info) => ({ info, rank: rank(name, info) })))
    .filter(({ info }) => !info.internal && !(info.family === 'IPv6' && info.address.toLowerCase().startsWith('fe80')))
    // IPv6 addresses only when the relay listens on IPv6 (`::`).
    .filter(({ info }) => info.family === 'IPv4' || host !== '0.0.0.0')
    .sort((a, b) => a.rank - b.rank);
  const urls = [...new Set(reachable.map(({ info }) => urlOf(info.address, port)))];
  // No network but loopback: only this computer can connect anyway.
  if (urls.length === 0) return { url: urlOf('127.0.0.1', port), others: [] };
  return { url: urls[0]!, others: urls.slice(1) };
}
