/**
 * The seller-page reader's content script (issue 13). It is registered at run time only, for
 * the sites the host bound a number on (the worker: scripting.registerContentScripts with
 * persistAcrossSessions, under the optional host permission asked for that site), and injected
 * once into the tab where the host presses "Read sales from this page": nothing runs on any
 * other page. Two jobs:
 * - pick: highlight what the pointer is over, take the click (the page does not get it) and
 *   tell the worker what was clicked — its locator, text and what it reads as; Esc cancels;
 * - follow: for each binding of this page's origin (read from extension storage, so a reload
 *   or a browser restart needs no message), a MutationObserver reads the number again whenever
 *   the page changes and sends the worker each new total. No timers: nothing is read between changes.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from 'wxt/browser';
import { parseSoldCount } from '../../shared/sold-count';
import { locatorOf, resolveLocator, stillLocated } from '../reader/locator';
import { readerBindingsItem, type ReaderBinding } from '../common/reader-items';

const FLAG = '__liveshelfReader';

export default defineContentScript({
  matches: [],
  registration: 'runtime',
  main() {
    const w = window as unknown as Record<string, unknown>;
    // Injected on a pick into a tab the registered script already runs in: one instance is enough.
    if (w[FLAG]) return;
    w[FLAG] = true;

    // ---- follow ----
    let bindings: ReaderBinding[] = [];
    /** Text last sent per binding: a mutation that leaves the number as it was sends nothing. */
    const sent = new Map<string, string>();
    /** Where each number was found last: checked (cheap) before it is looked for again (every row's text). */
    const found = new Map<string, Element>();
    const elementOf = (b: ReaderBinding): Element | null => {
      const hit = found.get(b.id);
      if (hit && stillLocated(b.locator, hit)) return hit;
      const el = resolveLocator(document, b.locator);
      if (el) found.set(b.id, el);
      else found.delete(b.id);
      return el;
    };
    const read = () => {
      for (const b of bindings) {
        const el = elementOf(b);
        const text = el?.textContent?.replace(/\s+/g, ' ').trim();
        if (!text || sent.get(b.id) === text) continue;
        const count = parseSoldCount(text);
        if (!count) continue; // "--" while the console loads: not a reading
        sent.set(b.id, text);
        void browser.runtime.sendMessage({ type: 'reader.total', bindingId: b.id, total: count.units, exact: count.exact, text }).catch(() => undefined);
      }
    };
    const observer = new MutationObserver(read);
    const follow = (all: ReaderBinding[]) => {
      bindings = all.filter((b) => b.origin === location.origin);
      for (const id of [...sent.keys()]) if (!bindings.some((b) => b.id === id)) sent.delete(id);
      // A binding's locator never changes (binding again makes a new one): what was found stays valid.
      for (const id of [...found.keys()]) if (!bindings.some((b) => b.id === id)) found.delete(id);
      observer.disconnect();
      if (bindings.length) {
        observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true });
        read();
      }
    };
    void readerBindingsItem.getValue().then(follow);
    readerBindingsItem.watch((v) => follow(v ?? []));

    // ---- pick ----
    let hovered: { el: HTMLElement; outline: string; offset: string } | null = null;
    const unhover = () => {
      if (hovered) {
        hovered.el.style.outline = hovered.outline;
        hovered.el.style.outlineOffset = hovered.offset;
      }
      hovered = null;
    };
    const onOver = (e: MouseEvent) => {
      const el = e.target instanceof HTMLElement ? e.target : null;
      if (!el || el === hovered?.el) return;
      unhover();
      hovered = { el, outline: el.style.outline, offset: el.style.outlineOffset };
      el.style.outline = '3px solid #d4145a';
      el.style.outlineOffset = '2px';
    };
    const onClick = (e: MouseEvent) => {
      if (!(e.target instanceof Element)) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      // The figure itself, or the nearest of its two parents that holds one ("件" next to it).
      let el: Element = e.target;
      for (let i = 0; i < 2 && !parseSoldCount(el.textContent ?? '') && el.parentElement; i++) el = el.parentElement;
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200);
      const count = parseSoldCount(text);
      void browser.runtime.sendMessage({ type: 'reader.picked', locator: locatorOf(el), text, total: count?.units ?? null, exact: count?.exact ?? true }).catch(() => undefined);
      if (count) stopPick();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      stopPick();
      void browser.runtime.sendMessage({ type: 'reader.cancel' }).catch(() => undefined);
    };
    let picking = false;
    function startPick() {
      if (picking) return;
      picking = true;
      document.addEventListener('mouseover', onOver, true);
      document.addEventListener('click', onClick, true);
      document.addEventListener('keydown', onKey, true);
    }
    function stopPick() {
      picking = false;
      unhover();
      document.removeEventListener('mouseover', onOver, true);
      document.removeEventListener('click', onClick, true);
      document.removeEventListener('keydown', onKey, true);
    }
    browser.runtime.onMessage.addListener((m: unknown) => {
      const type = (m as { type?: unknown } | null)?.type;
      if (type === 'reader.pick') startPick();
      else if (type === 'reader.stopPick') stopPick();
    });
  },
});
