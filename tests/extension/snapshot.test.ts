/**
 * The side panel's HTML snapshot (extension/ui/snapshot.ts): what the serializer keeps and
 * drops, the secrets lock, and when a stored snapshot may be painted. The DOM here is plain
 * objects with the few members the serializer reads (the unit projects run in Node); the real
 * panel's snapshot is checked in Chromium by tests/e2e/extension-console.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { copyHeader, FIRST_PAINT_HEADER_KEY, makeCopy, writeCopy, type SyncStore } from '../../extension/ui/first-paint';
import { buttonKey, makeSnapshot, readSnapshot, secretsOf, serializeChildren, SNAPSHOT_KEY, writeSnapshot, type SnapNode } from '../../extension/ui/snapshot';
import type { RoomState } from '../../shared/domain';

type Props = Record<string, string> & { $selected?: string; $checked?: string; $value?: string };
function el(tag: string, attrs: Props = {}, ...children: (SnapNode | string)[]): SnapNode {
  const { $selected, $checked, $value, ...plain } = attrs;
  return {
    nodeType: 1,
    nodeName: tag.toUpperCase(),
    attributes: Object.entries(plain).map(([name, value]) => ({ name, value })),
    getAttribute: (n: string) => (n in plain ? plain[n]! : null),
    childNodes: children.map((c) => (typeof c === 'string' ? { nodeType: 3, nodeName: '#text', data: c, childNodes: [] } : c)),
    selected: $selected === 'yes',
    checked: $checked === 'yes',
    value: $value,
  };
}
const root = (...children: SnapNode[]) => el('div', { id: 'app' }, ...children);
const all = { keepRow: () => true };

class MapStore implements SyncStore {
  m = new Map<string, string>();
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.m.set(k, v);
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
}

describe('serializeChildren: an allow-list, not innerHTML', () => {
  it('keeps the markup the first screen is made of, escaped', () => {
    const html = serializeChildren(
      root(el('main', { class: 'console role-host' }, el('li', { class: 'product', 'data-product-id': 'p1', tabindex: '0', draggable: 'true' }, el('span', { class: 'product-name' }, '石榴 <b>&"'), el('button', { type: 'button', 'aria-label': '+1 石榴 "A"', 'aria-pressed': 'false' }, '+1')))),
      all,
    );
    expect(html).toBe(
      '<main class="console role-host"><li class="product" data-product-id="p1" tabindex="0" draggable="true"><span class="product-name">石榴 &lt;b&gt;&amp;"</span><button type="button" aria-label="+1 石榴 &quot;A&quot;" aria-pressed="false">+1</button></li></main>',
    );
  });

  it('leaves out what loads, runs or holds a value: iframes, images, links, scripts, styles, handlers, src, href, value', () => {
    const html = serializeChildren(
      root(
        el('div', { class: 'preview-frame' }, el('iframe', { src: 'http://127.0.0.1:4600/overlay/?room=r&token=SECRETSECRET' })),
        el('img', { src: 'http://cdn/p.jpg' }),
        el('a', { href: 'http://x' }, 'link'),
        el('script', {}, 'alert(1)'),
        el('style', {}, 'body{}'),
        el('textarea', {}, 'typed'),
        el('button', { type: 'button', onclick: 'alert(1)', style: 'background:url(http://x)', src: 'x', href: 'y' }, 'ok'),
        el('input', { type: 'url', value: 'http://127.0.0.1/?token=SECRETSECRET', placeholder: 'http://127.0.0.1:4600/overlay/?room=…' }),
        el('input', { type: 'password', value: 'obs-pass' }),
        el('input', { type: 'number', $value: '60' }),
        el('input', { type: 'text', $value: 'typed ticker' }),
        el('input', { type: 'hidden', value: 'h' }),
      ),
      all,
    );
    expect(html).toBe('<div class="preview-frame"></div><button type="button">ok</button><input type="url" placeholder="http://127.0.0.1:4600/overlay/?room=…"><input type="number" value="60"><input type="text">');
  });

  it('drops skipped subtrees, cuts rows below the first screen, and shows what is true before anything is known', () => {
    const rows = [0, 1, 2, 3, 4].map((i) => el('li', { class: 'product' }, `row ${i}`));
    const html = serializeChildren(
      root(
        el('div', { class: 'notice', 'data-snapshot': 'skip' }, 'relay refused'),
        el('span', { class: 'conn conn-online', 'data-snapshot-class': 'conn conn-connecting', 'data-snapshot-text': 'Connecting…' }, el('span', { class: 'dot' }), 'Connected'),
        el('ol', { class: 'products', 'data-snapshot': 'rows' }, ...rows),
        el('select', {}, el('option', { value: 'auto' }, 'Auto'), el('option', { value: 'en', $selected: 'yes' }, 'English')),
      ),
      { keepRow: (_row, i) => i < 3 },
    );
    expect(html).toBe(
      '<span class="conn conn-connecting"><span class="dot"></span>Connecting…</span>' +
        '<ol class="products"><li class="product">row 0</li><li class="product">row 1</li><li class="product">row 2</li></ol>' +
        '<select><option>Auto</option><option selected>English</option></select>',
    );
  });
});

describe('makeSnapshot / readSnapshot', () => {
  const overlay = 'http://127.0.0.1:4600/overlay/?room=r1&token=ovl_abcdefghijkl';
  const state = { id: 'r1', version: 3, products: [], room: {}, totals: {}, ticker: [] } as unknown as RoomState;
  const copy = makeCopy('r1@127.0.0.1:4600', [{ key: 'r1@127.0.0.1:4600', relayUrl: 'http://127.0.0.1:4600', room: 'r1', role: 'host', title: 't', overlayUrl: overlay }], 'en', state);

  it('is not kept when it would hold the overlay link or its token', () => {
    const secrets = secretsOf([overlay, null]);
    expect(secrets).toEqual([overlay, 'ovl_abcdefghijkl']);
    expect(makeSnapshot('h', 'en', '<p>ovl_abcdefghijkl</p>', secrets)).toBeNull();
    expect(makeSnapshot('h', 'en', `<p title="${overlay.replace(/&/g, '&amp;')}"></p>`, secrets)).toBeNull();
    expect(makeSnapshot('h', 'en', '', secrets)).toBeNull();
    expect(makeSnapshot('h', 'en', '<p>石榴</p>', secrets)).toEqual({ format: 1, header: 'h', lang: 'en', html: '<p>石榴</p>' });
  });

  it('is painted only with the copy it was taken with: same room and language, copy still there', () => {
    const store = new MapStore();
    writeCopy(store, copy);
    const header = store.getItem(FIRST_PAINT_HEADER_KEY);
    expect(header).toBe(copyHeader(copy));
    writeSnapshot(store, makeSnapshot(header!, 'en', '<p>石榴</p>', []));
    expect(readSnapshot(store, store.getItem(FIRST_PAINT_HEADER_KEY))?.html).toBe('<p>石榴</p>');
    // Another page switched the language: the copy's header changes, the snapshot is not used.
    writeCopy(store, { ...copy, locale: 'fr' });
    expect(readSnapshot(store, store.getItem(FIRST_PAINT_HEADER_KEY))).toBeNull();
    // The copy removed (no active room): no header, nothing painted.
    writeCopy(store, copy);
    expect(readSnapshot(store, store.getItem(FIRST_PAINT_HEADER_KEY))).not.toBeNull();
    writeCopy(store, null);
    expect(store.getItem(FIRST_PAINT_HEADER_KEY)).toBeNull();
    expect(readSnapshot(store, store.getItem(FIRST_PAINT_HEADER_KEY))).toBeNull();
    // Malformed or of another format.
    for (const bad of ['{', 'null', '{"format":2,"header":"x","lang":"en","html":""}']) {
      store.setItem(SNAPSHOT_KEY, bad);
      expect(readSnapshot(store, 'x')).toBeNull();
    }
  });

  it('a copy that cannot be written leaves no header behind to vouch for an old snapshot', () => {
    const store = new MapStore();
    writeCopy(store, copy);
    const full: SyncStore = { getItem: (k) => store.getItem(k), removeItem: (k) => store.removeItem(k), setItem: () => { throw new Error('QuotaExceededError'); } };
    writeCopy(full, { ...copy, roomKey: 'r2@127.0.0.1:4600' });
    expect(store.getItem(FIRST_PAINT_HEADER_KEY)).toBeNull();
  });
});

describe('buttonKey', () => {
  it('names a button by its accessible name, its test id, or its text', () => {
    const b = (attrs: Record<string, string>, text: string) => ({ getAttribute: (n: string) => attrs[n] ?? null, textContent: text });
    expect(buttonKey(b({ 'aria-label': '+1 石榴' }, '+1'))).toBe('+1 石榴');
    expect(buttonKey(b({ 'data-testid': 'next' }, 'Next'))).toBe('next');
    expect(buttonKey(b({}, '  Next  '))).toBe('Next');
  });
});
