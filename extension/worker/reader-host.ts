/**
 * The worker's half of the seller-page reader (issue 13): it injects the content script into
 * the tab where the host starts a pick, keeps the bindings (extension storage, common/
 * reader-items.ts), registers the content script for the bound sites only, and turns each new
 * total the content script reads into a `sale.observe` through the outbox — which keeps it
 * across a worker stop and sends it exactly once ([O3] of shared/commands/observe.ts makes a
 * total sent again harmless too).
 *
 * Re-attaching after a reload and a browser restart: `scripting.registerContentScripts` with
 * `persistAcrossSessions: true`, one registration per bound site, under the host permission the
 * host granted for that site. The browser then injects the script itself on every load of that
 * site, worker asleep or not (re-injecting on tabs.onUpdated would need the worker awake and
 * the `tabs` events for every page). The registrations are also checked against the bindings
 * whenever the worker starts (Firefox MV2 may not keep them across a restart).
 *
 * Messages from a content script are trusted only for their own tab and origin: a pick only
 * from the tab the pick was started in, a total only for a binding of the sender's origin.
 */
import { browser, type Browser } from 'wxt/browser';
import type { Command } from '../../shared/commands';
import { newCommandId } from '../common/ids';
import type { Request, RequestOf, Response } from '../common/messages';
import { pageSourceOf, readerBindingsItem, readerPickItem, sitePatternOf, type ReaderBinding } from '../common/reader-items';
import type { SavedRoom } from '../common/storage-items';

const SCRIPT = 'content-scripts/reader.js';
const REGISTRATION = 'liveshelf-reader-';

export interface ReaderHostDeps {
  enqueue(roomKey: string, command: Command): Promise<Response>;
  room(roomKey: string): Promise<SavedRoom | undefined>;
  now(): number;
}

type Sender = Browser.runtime.MessageSender | undefined;

const refused = (message: string): Response => ({ ok: false, problem: 'forbidden', message });
const originOf = (url: string | undefined): string | null => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

export function createReaderHost(deps: ReaderHostDeps) {
  // One change of the bindings at a time: totals of several numbers arrive together.
  let chain: Promise<unknown> = Promise.resolve();
  function serial<T>(f: () => Promise<T>): Promise<T> {
    const run = chain.then(f);
    chain = run.catch(() => undefined);
    return run;
  }

  async function syncRegistrations(): Promise<void> {
    const scripting = browser.scripting;
    if (!scripting?.registerContentScripts) return;
    const bindings = await readerBindingsItem.getValue();
    const wanted = new Map<string, string>();
    for (const b of bindings) {
      const pattern = sitePatternOf(b.origin);
      if (await browser.permissions.contains({ origins: [pattern] })) wanted.set(REGISTRATION + new URL(b.origin).hostname, pattern);
    }
    const registered = (await scripting.getRegisteredContentScripts()).filter((r) => r.id.startsWith(REGISTRATION));
    const stale = registered.filter((r) => !wanted.has(r.id) || r.matches?.[0] !== wanted.get(r.id)).map((r) => r.id);
    if (stale.length) await scripting.unregisterContentScripts({ ids: stale });
    const have = new Set(registered.map((r) => r.id).filter((id) => !stale.includes(id)));
    const add = [...wanted].filter(([id]) => !have.has(id));
    if (add.length) {
      await scripting.registerContentScripts(add.map(([id, pattern]) => ({ id, matches: [pattern], js: [SCRIPT], runAt: 'document_idle' as const, persistAcrossSessions: true })));
    }
  }

  async function start(r: RequestOf<'reader.start'>): Promise<Response> {
    const room = await deps.room(r.roomKey);
    if (room?.role !== 'host') return refused('Only the host reads sales from a page.');
    const origin = new URL(r.origin).origin;
    if (!(await browser.permissions.contains({ origins: [sitePatternOf(origin)] }))) return refused(`No permission for ${origin}.`);
    await browser.scripting.executeScript({ target: { tabId: r.tabId }, files: [SCRIPT] });
    await readerPickItem.setValue({ roomKey: r.roomKey, tabId: r.tabId, origin, picked: null });
    await browser.tabs.sendMessage(r.tabId, { type: 'reader.pick' });
    return { ok: true };
  }

  async function picked(r: RequestOf<'reader.picked'>, sender: Sender): Promise<Response> {
    const pick = await readerPickItem.getValue();
    if (!pick || sender?.tab?.id !== pick.tabId || originOf(sender.url) !== pick.origin) return refused('No pick in progress on this page.');
    await readerPickItem.setValue({ ...pick, picked: { locator: r.locator, text: r.text, total: r.total, exact: r.exact } });
    return { ok: true };
  }

  async function stopPick(): Promise<void> {
    const pick = await readerPickItem.getValue();
    await readerPickItem.setValue(null);
    if (pick) await browser.tabs.sendMessage(pick.tabId, { type: 'reader.stopPick' }).catch(() => undefined);
  }

  const sameNumber = (a: Pick<ReaderBinding, 'roomKey' | 'origin' | 'productId'>, b: Pick<ReaderBinding, 'roomKey' | 'origin' | 'productId'>) =>
    a.roomKey === b.roomKey && pageSourceOf(a.origin) === pageSourceOf(b.origin) && a.productId === b.productId;

  async function bind(r: RequestOf<'reader.bind'>): Promise<Response> {
    const pick = await readerPickItem.getValue();
    const p = pick?.picked;
    if (!pick || !p || p.total === null) return { ok: false, problem: 'invalid', message: 'Click the number of units sold first.' };
    const binding: ReaderBinding = { id: newCommandId('bind'), roomKey: pick.roomKey, origin: pick.origin, productId: r.productId, locator: p.locator, lastText: p.text, lastTotal: p.total, lastExact: p.exact, lastAt: deps.now() };
    const all = await readerBindingsItem.getValue();
    // One number per (site, product) in a room: binding it again replaces the old one, and the
    // room's count goes on from its last total (the same source and product on the relay).
    await readerBindingsItem.setValue([...all.filter((b) => !sameNumber(b, binding)), binding]);
    await stopPick();
    // [O1] the number as it reads now is the baseline (queued first: the registration below only matters from the next load).
    const queued = await deps.enqueue(binding.roomKey, { id: newCommandId('obs'), type: 'sale.observe', productId: binding.productId, source: pageSourceOf(binding.origin), total: binding.lastTotal, exact: binding.lastExact });
    await syncRegistrations();
    return queued;
  }

  async function remove(r: RequestOf<'reader.remove'>): Promise<Response> {
    const all = await readerBindingsItem.getValue();
    const gone = all.find((b) => b.id === r.bindingId);
    if (!gone) return { ok: true };
    await readerBindingsItem.setValue(all.filter((b) => b !== gone));
    // [O8] the room forgets it too, so binding it again later starts from a new baseline.
    const queued = await deps.enqueue(gone.roomKey, { id: newCommandId('unobs'), type: 'sale.unobserve', productId: gone.productId, source: pageSourceOf(gone.origin) });
    // The script of a site with no binding left stops being injected (it would read nothing anyway).
    await syncRegistrations();
    return queued;
  }

  async function total(r: RequestOf<'reader.total'>, sender: Sender): Promise<Response> {
    const all = await readerBindingsItem.getValue();
    const b = all.find((x) => x.id === r.bindingId);
    if (!b || originOf(sender?.url) !== b.origin) return refused('No such binding on this page.');
    if (b.lastTotal === r.total && b.lastExact === r.exact) {
      if (b.lastText !== r.text) await readerBindingsItem.setValue(all.map((x) => (x === b ? { ...b, lastText: r.text } : x)));
      return { ok: true };
    }
    await readerBindingsItem.setValue(all.map((x) => (x === b ? { ...b, lastText: r.text, lastTotal: r.total, lastExact: r.exact, lastAt: deps.now() } : x)));
    return deps.enqueue(b.roomKey, { id: newCommandId('obs'), type: 'sale.observe', productId: b.productId, source: pageSourceOf(b.origin), total: r.total, exact: r.exact });
  }

  /** The reader's requests; null for any other. */
  function handle(request: Request, sender: Sender): Promise<Response> | null {
    switch (request.type) {
      case 'reader.start':
        return serial(() => start(request));
      case 'reader.picked':
        return serial(() => picked(request, sender));
      case 'reader.bind':
        return serial(() => bind(request));
      case 'reader.cancel':
        return serial(() => stopPick().then(() => ({ ok: true }) as Response));
      case 'reader.remove':
        return serial(() => remove(request));
      case 'reader.total':
        return serial(() => total(request, sender));
      default:
        return null;
    }
  }

  return { handle, syncRegistrations };
}
