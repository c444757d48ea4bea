/**
 * The side panel's first screen as HTML, painted by a tiny classic script
 * (entrypoints/sidepanel-snapshot.ts) before the app's bundle has run. Chrome keeps a side panel
 * hidden until its page has loaded; the app's bundle (compile, the copy's JSON, Preact's first
 * render, the garbage it leaves) used to sit between the HTML and that load event. The snapshot
 * is what the panel showed the last time, taken from its own DOM; the app replaces it as soon as
 * the panel's first frame is drawn, from the first-paint copy and then from storage.
 *
 * Rules:
 * - Built from an allow-list of elements and attributes, never by copying innerHTML, and painted
 *   with DOM calls through the same allow-list, never by assigning HTML: no iframe
 *   (the preview's URL carries the overlay token), no image, no link, no typed text (only a
 *   number input's number), no `src`/`href`,
 *   no event-handler attribute. Text is escaped. A snapshot that would contain one of the
 *   page's secrets (the overlay link and its token) is not written at all.
 * - Subtrees marked `data-snapshot="skip"` are left out (the preview, the OBS section, notices,
 *   an opened row's controls); `data-snapshot="rows"` keeps only the children that show on the
 *   first screen; `data-snapshot-text` / `data-snapshot-class` replace an element's text or class
 *   with what is true before anything is known (the connection is "connecting").
 * - It is painted only when it belongs to the same room and language as the first-paint copy
 *   (first-paint.ts writes that header next to the copy, and removes both together), so another
 *   page switching rooms or languages makes it unused.
 * - It is inert: the app keeps no DOM of it. A click on a button of the snapshot is recorded and
 *   replayed on the same button once the app has rendered, so no +1 is lost in between.
 */
import type { SyncStore } from './first-paint';

export const SNAPSHOT_KEY = 'liveshelf:snapshot';
export const SNAPSHOT_FORMAT = 1;
/** Set on #app while it holds the snapshot (the app's start removes it). */
export const SNAPSHOT_ATTR = 'data-liveshelf-snapshot';

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** first-paint.ts's header of the copy it was taken with: room and language. */
  header: string;
  /** The <html lang> at the time. */
  lang: string;
  html: string;
}

const ELEMENTS = new Set([
  'main', 'header', 'footer', 'section', 'div', 'span', 'p', 'h1', 'h2', 'h3', 'h4', 'small', 'b', 'strong', 'em', 'i', 'ol', 'ul', 'li',
  'button', 'label', 'input', 'select', 'option', 'form', 'output', 'progress', 'meter', 'br', 'hr', 'time', 'abbr', 'dl', 'dt', 'dd',
]);
const VOID = new Set(['input', 'br', 'hr']);
const ATTRIBUTES = new Set([
  'class', 'id', 'role', 'title', 'lang', 'dir', 'hidden', 'disabled', 'type', 'placeholder', 'tabindex', 'draggable', 'for',
  'min', 'max', 'maxlength', 'step', 'data-testid', 'data-product-id', 'data-code',
]);
/** Input types whose look is worth keeping; any other input is left out. */
const INPUT_TYPES = new Set(['text', 'search', 'number', 'url', 'checkbox', 'radio']);

/** The part of the DOM the serializer reads (a real DOM in the page; plain objects in unit tests). */
export interface SnapNode {
  nodeType: number;
  nodeName: string;
  data?: string;
  childNodes: ArrayLike<SnapNode>;
  attributes?: ArrayLike<{ name: string; value: string }>;
  getAttribute?(name: string): string | null;
  /** option.selected, input.checked: state the DOM keeps in properties, not attributes. */
  selected?: boolean;
  checked?: boolean;
  /** input.value: kept for number inputs only (a countdown's seconds); no other typed text is. */
  value?: string;
}

const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => escText(s).replace(/"/g, '&quot;');

export interface SerializeOptions {
  /** Whether a child of a `data-snapshot="rows"` element shows on the first screen. */
  keepRow(row: SnapNode, index: number): boolean;
}

/** The allow-listed HTML of `root`'s children. */
export function serializeChildren(root: SnapNode, opts: SerializeOptions): string {
  let out = '';
  const kids = root.childNodes;
  for (let i = 0; i < kids.length; i++) out += serialize(kids[i]!, opts);
  return out;
}

function serialize(node: SnapNode, opts: SerializeOptions): string {
  if (node.nodeType === 3) return escText(node.data ?? '');
  if (node.nodeType !== 1) return '';
  const tag = node.nodeName.toLowerCase();
  if (!ELEMENTS.has(tag)) return '';
  const get = (n: string) => node.getAttribute?.(n) ?? null;
  const mode = get('data-snapshot');
  if (mode === 'skip') return '';
  if (tag === 'input' && !INPUT_TYPES.has((get('type') ?? 'text').toLowerCase())) return '';
  const classOverride = get('data-snapshot-class');
  let attrs = '';
  const list = node.attributes ?? [];
  for (let i = 0; i < list.length; i++) {
    const { name, value } = list[i]!;
    const n = name.toLowerCase();
    if (!(ATTRIBUTES.has(n) || n.startsWith('aria-'))) continue;
    attrs += ` ${n}="${escAttr(n === 'class' && classOverride !== null ? classOverride : value)}"`;
  }
  if (classOverride !== null && get('class') === null) attrs += ` class="${escAttr(classOverride)}"`;
  if (tag === 'option' && node.selected) attrs += ' selected';
  if (tag === 'input' && node.checked) attrs += ' checked';
  if (tag === 'input' && (get('type') ?? '').toLowerCase() === 'number' && node.value && /^-?\d+(\.\d+)?$/.test(node.value)) attrs += ` value="${node.value}"`;
  if (VOID.has(tag)) return `<${tag}${attrs}>`;
  let inner = '';
  const text = get('data-snapshot-text');
  if (text !== null) {
    // The element's own markup (e.g. a status dot) stays; its text is what is true before anything is known.
    const kids = node.childNodes;
    for (let i = 0; i < kids.length; i++) if (kids[i]!.nodeType === 1) inner += serialize(kids[i]!, opts);
    inner += escText(text);
  } else if (mode === 'rows') {
    const kids = node.childNodes;
    let row = 0;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.nodeType === 1 && !opts.keepRow(k, row++)) break;
      inner += serialize(k, opts);
    }
  } else {
    inner = serializeChildren(node, opts);
  }
  return `<${tag}${attrs}>${inner}</${tag}>`;
}

/**
 * The snapshot of `html`, or null when it must not be kept: empty, or holding one of `secrets`
 * (the allow-list should make that impossible; this is the second lock).
 */
export function makeSnapshot(header: string, lang: string, html: string, secrets: readonly string[]): Snapshot | null {
  if (!html) return null;
  for (const s of secrets) if (s && (html.includes(s) || html.includes(escAttr(s)))) return null;
  return { format: SNAPSHOT_FORMAT, header, lang, html };
}

/** The values to keep out of a snapshot: each overlay link, and the token in it. */
export function secretsOf(overlayUrls: readonly (string | null)[]): string[] {
  const out: string[] = [];
  for (const u of overlayUrls) {
    if (!u) continue;
    out.push(u);
    try {
      for (const [, v] of new URL(u).searchParams) if (v.length >= 8) out.push(v);
    } catch {
      // Not a URL: the whole string is the secret.
    }
  }
  return out;
}

export function writeSnapshot(store: SyncStore | null, snap: Snapshot | null): void {
  try {
    if (snap) store?.setItem(SNAPSHOT_KEY, JSON.stringify(snap));
    else store?.removeItem(SNAPSHOT_KEY);
  } catch {
    // Quota: the next open paints from the copy instead.
  }
}

/** The snapshot to paint: same format, and taken with the copy that is there now (same room and language). */
export function readSnapshot(store: SyncStore | null, header: string | null): Snapshot | null {
  if (!header) return null;
  try {
    const text = store?.getItem(SNAPSHOT_KEY);
    if (!text) return null;
    const v = JSON.parse(text) as Partial<Snapshot> | null;
    if (!v || v.format !== SNAPSHOT_FORMAT || v.header !== header || typeof v.html !== 'string' || typeof v.lang !== 'string') return null;
    return v as Snapshot;
  } catch {
    return null;
  }
}

/** What identifies a button across the snapshot and the app's DOM: its accessible name, or its text. */
export function buttonKey(el: { getAttribute(n: string): string | null; textContent: string | null }): string {
  return el.getAttribute('aria-label') ?? el.getAttribute('data-testid') ?? (el.textContent ?? '').trim();
}

/** What the snapshot script leaves for the app: the clicks made on the snapshot, and how to stop recording them. */
export interface SnapshotHandle {
  clicks: string[];
  stop(): void;
}
const HANDLE = '__liveshelfSnapshot';
type WithHandle = { [HANDLE]?: SnapshotHandle };

/** What the serializer writes besides ATTRIBUTES: the state it keeps from DOM properties (serialize()). */
const STATE_ATTRIBUTES: Readonly<Record<string, ReadonlySet<string>>> = { option: new Set(['selected']), input: new Set(['checked', 'value']) };

/**
 * The stored snapshot as DOM nodes, built with createElement from an inert parse (DOMParser runs
 * no script and loads nothing), never assigned as HTML: the stores' reviewers ask for that, and
 * the allow-list is applied again here because the string is only as trusted as the page's storage.
 */
function buildAllowed(html: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const copy = (from: Node, into: Node): void => {
    for (const node of Array.from(from.childNodes)) {
      if (node.nodeType === 3) {
        into.appendChild(document.createTextNode(node.nodeValue ?? ''));
        continue;
      }
      if (node.nodeType !== 1) continue;
      const src = node as Element;
      const tag = src.localName;
      if (!ELEMENTS.has(tag) || src.getAttribute('data-snapshot') === 'skip') continue;
      const type = (src.getAttribute('type') ?? 'text').toLowerCase();
      if (tag === 'input' && !INPUT_TYPES.has(type)) continue;
      const el = document.createElement(tag);
      for (const { name, value } of Array.from(src.attributes)) {
        if (!(ATTRIBUTES.has(name) || name.startsWith('aria-') || STATE_ATTRIBUTES[tag]?.has(name))) continue;
        if (name === 'value' && !(type === 'number' && /^-?\d+(\.\d+)?$/.test(value))) continue;
        el.setAttribute(name, value);
      }
      if (!VOID.has(tag)) copy(src, el);
      into.appendChild(el);
    }
  };
  copy(new DOMParser().parseFromString(html, 'text/html').body, out);
  return out;
}

/**
 * The snapshot script's work: paints the snapshot into `app` when there is one for the copy that
 * is there, marks the page for the benchmark, and records clicks until the app takes over.
 * Returns whether it painted.
 */
export function paintSnapshot(app: HTMLElement | null, store: SyncStore | null, header: string | null): boolean {
  const snap = app ? readSnapshot(store, header) : null;
  if (!app || !snap) return false;
  document.documentElement.lang = snap.lang;
  app.replaceChildren(buildAllowed(snap.html));
  app.setAttribute(SNAPSHOT_ATTR, '');
  const clicks: string[] = [];
  const onClick = (e: Event) => {
    e.preventDefault();
    e.stopPropagation();
    const b = (e.target as Element | null)?.closest?.('button');
    if (b && !b.disabled) clicks.push(buttonKey(b));
  };
  app.addEventListener('click', onClick, true);
  (globalThis as WithHandle)[HANDLE] = { clicks, stop: () => app.removeEventListener('click', onClick, true) };
  performance.mark('liveshelf:snapshot');
  const rows = app.querySelectorAll('[data-snapshot="rows"] > *').length;
  requestAnimationFrame(() => {
    if (!performance.getEntriesByName('liveshelf:rendered').length) performance.mark('liveshelf:rendered', { detail: { from: 'snapshot', rows } });
  });
  return true;
}

/** The app's side: stops recording, and returns the clicks made on the snapshot (none without one). */
export function takeSnapshotClicks(): string[] {
  const h = (globalThis as WithHandle)[HANDLE];
  if (!h) return [];
  h.stop();
  delete (globalThis as WithHandle)[HANDLE];
  return h.clicks;
}
