/**
 * The web console's pairing (extension/web/web-pairing.ts): the link's fragment is stored in
 * this browser and leaves the address bar at once, whatever it holds; a page opened without
 * one takes the pairing stored last; the overlay's and the integrations' links open no console.
 */
import { describe, expect, it } from 'vitest';
import { pairingLink } from '../../shared/pairing';
import { forgetPairing, pairingFromPage, storedPairings } from '../../extension/web/web-pairing';

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

/** The page's location and history for a URL, recording what the address bar is set to. */
function page(url: string) {
  const u = new URL(url);
  const replaced: string[] = [];
  return { loc: { origin: u.origin, pathname: u.pathname, hash: u.hash, search: u.search }, history: { replaceState: (_d: unknown, _t: string, to?: string | URL | null) => void replaced.push(String(to)) }, replaced };
}

const RELAY = 'http://192.168.1.20:4600';

describe('web console pairing', () => {
  it('stores the link of the fragment and clears the fragment from the address bar', () => {
    const store = memoryStorage();
    const p = page(pairingLink(RELAY, 'r_abc', 'cohost', 'lsc_secret'));
    const got = pairingFromPage(p.loc, store, p.history, 5);
    expect(got).toEqual({ ok: true, fromLink: true, pairing: { key: 'r_abc@192.168.1.20:4600', relayUrl: RELAY, room: 'r_abc', role: 'cohost', token: 'lsc_secret', overlayUrl: null, title: null, pairedAt: 5 } });
    expect(p.replaced).toEqual(['/pair']);
    expect(storedPairings(store).map((s) => s.token)).toEqual(['lsc_secret']);
  });

  it('keeps the path prefix of a relay behind a reverse proxy', () => {
    const p = page(pairingLink('https://shop.example/liveshelf', 'r_abc', 'host', 'lsh_x'));
    const got = pairingFromPage(p.loc, memoryStorage(), p.history, 0);
    expect(got.ok && got.pairing.relayUrl).toBe('https://shop.example/liveshelf');
    expect(p.replaced).toEqual(['/liveshelf/pair']);
  });

  it('opened without a fragment, takes the pairing stored last; none stored: none', () => {
    const store = memoryStorage();
    const first = page(pairingLink(RELAY, 'r_abc', 'cohost', 'lsc_1'));
    pairingFromPage(first.loc, store, first.history, 1);
    const again = page(`${RELAY}/pair`);
    const got = pairingFromPage(again.loc, store, again.history, 2);
    expect(got.ok && got.fromLink).toBe(false);
    expect(got.ok && got.pairing.token).toBe('lsc_1');
    expect(again.replaced).toEqual([]);
    forgetPairing(store, 'r_abc@192.168.1.20:4600');
    expect(pairingFromPage(again.loc, store, again.history, 3)).toEqual({ ok: false, reason: 'none' });
  });

  it.each([
    ['overlay', 'overlay'],
    ['sales', 'sales'],
    ['someone', 'cut_short'],
  ] as const)('a link with role %s opens no console (%s), and still leaves the address bar', (role, reason) => {
    const store = memoryStorage();
    const p = page(`${RELAY}/pair#v=1&room=r_abc&role=${role}&token=lso_x`);
    expect(pairingFromPage(p.loc, store, p.history, 0)).toEqual({ ok: false, reason });
    expect(p.replaced).toEqual(['/pair']);
    expect(storedPairings(store)).toEqual([]);
  });

  it('a link cut short says so', () => {
    const p = page(`${RELAY}/pair#v=1&room=r_abc&role=cohost`);
    expect(pairingFromPage(p.loc, memoryStorage(), p.history, 0)).toEqual({ ok: false, reason: 'cut_short' });
  });
});
