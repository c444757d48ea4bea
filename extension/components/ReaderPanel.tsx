/**
 * The seller-page reader in the side panel (issue 13), host only: "Read sales from this page",
 * the pick ("click the number of units sold"), the product chooser, the bound numbers with
 * what the page shows and a remove button, and the refunds to confirm (a bound number that went
 * down, [O5] of shared/commands/observe.ts). The bindings and the pick live in extension
 * storage (common/reader-items.ts), which the worker writes; the drops live in the room's state.
 * The site's permission is asked here, in the click (a browser asks only during a user gesture).
 */
import { useEffect, useState } from 'preact/hooks';
import { browser, type Browser } from 'wxt/browser';

type Tab = Browser.tabs.Tab;
import { pendingUnits, refundPlan } from '../../shared/commands/observe';
import type { Observed, Product } from '../../shared/domain';
import { formatCount } from '../../shared/money';
import { pageSourceOf, readerBindingsItem, readerPickItem, sitePatternOf, type ReaderBinding, type ReaderPick } from '../common/reader-items';
import type { Response } from '../common/messages';
import type { ConsoleState, ReaderRequest } from '../ui/console-state';

function useItem<T>(item: { getValue(): Promise<T>; watch(cb: (v: T) => void): () => void }, fallback: T): T {
  const [value, setValue] = useState<T>(fallback);
  useEffect(() => {
    let live = true;
    void item.getValue().then((v) => live && setValue(v));
    const stop = item.watch((v) => setValue(v));
    return () => {
      live = false;
      stop();
    };
  }, [item]);
  return value;
}

/**
 * The tab the host means: the active tab of the window they were last in when the extension
 * may see its address (this side panel sits beside it); else the web page they looked at last
 * that the extension may see (the side panel opened as a tab of its own, as in the tests).
 * Without the `tabs` permission a browser shows a tab's address only for sites the extension
 * may read: for a console not allowed yet, none is found, and the host gives its address
 * (`origin`, once its permission is granted).
 */
async function targetTab(origin?: string): Promise<{ id: number; url: string } | null> {
  const web = (t: Tab): t is Tab & { id: number; url: string } =>
    t.id !== undefined && /^https?:\/\//.test(t.url ?? '') && (origin === undefined || new URL(t.url!).origin === origin);
  const [active] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
  if (active && web(active)) return active;
  const seen = (await browser.tabs.query({})).filter(web).sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return seen[0] ?? null;
}

const siteOf = (origin: string) => new URL(origin).host;

export function ReaderPanel({ s }: { s: ConsoleState }) {
  const t = s.t.value;
  const locale = s.locale.value;
  const room = s.room.value;
  const roomKey = s.activeRoom.value?.key ?? null;
  const bindings = useItem<ReaderBinding[]>(readerBindingsItem, []).filter((b) => b.roomKey === roomKey);
  const pick = useItem<ReaderPick | null>(readerPickItem, null);
  const myPick = pick && pick.roomKey === roomKey ? pick : null;
  const [problem, setProblem] = useState<string | null>(null);
  const send = (request: ReaderRequest) => s.reader?.(request) ?? Promise.resolve<Response>({ ok: false, problem: 'invalid', message: 'not in the extension' });
  const [choice, setChoice] = useState<string>('');
  /** No page the extension may see yet: the host types the console's address. */
  const [asking, setAsking] = useState(false);
  const [address, setAddress] = useState('');
  const products = room?.products ?? [];
  const nameOf = (id: string) => products.find((p) => p.id === id)?.name ?? id;
  const count = (n: number, exact = true) => (exact ? formatCount(n, locale) : t('reader.approx', { n: formatCount(n, locale) }));

  // The chooser starts on the product on air, else the first of the queue.
  useEffect(() => {
    if (myPick?.picked && !products.some((p) => p.id === choice)) setChoice(room?.currentProductId ?? products[0]?.id ?? '');
  }, [myPick?.picked, products.length]);

  /** Asks for the site only (in the click: browsers ask only during a user gesture), then starts the pick on `tab`. */
  async function readOn(origin: string, tab?: { id: number }) {
    if (!roomKey) return;
    const granted = await browser.permissions.request({ origins: [sitePatternOf(origin)] }).catch(() => false);
    if (!granted) return setProblem(t('reader.denied', { site: siteOf(origin) }));
    const target = tab ?? (await targetTab(origin));
    if (!target) return setProblem(t('reader.noPage'));
    setAsking(false);
    const r = await send({ type: 'reader.start', roomKey, tabId: target.id, origin });
    if (!r.ok) setProblem(r.message);
  }

  async function start() {
    setProblem(null);
    const tab = await targetTab();
    if (!tab) return setAsking(true);
    await readOn(new URL(tab.url).origin, tab);
  }

  function allowTyped(e: Event) {
    e.preventDefault();
    setProblem(null);
    const origin = URL.canParse(address.trim()) ? new URL(address.trim()) : null;
    if (!origin || !/^https?:$/.test(origin.protocol)) return setProblem(t('reader.badAddress'));
    void readOn(origin.origin);
  }

  const bind = async () => {
    if (!choice) return;
    const r = await send({ type: 'reader.bind', productId: choice });
    if (!r.ok) setProblem(r.message);
  };

  const observed = (room?.observed ?? []).filter((o) => o.pending);
  const settle = (o: Observed, decision: 'refund' | 'dismiss') =>
    void s.command({ type: 'sale.settle', productId: o.productId, source: o.source as `page:${string}`, total: o.pending!.total, decision, ...(decision === 'refund' && { saleIds: refundPlan(o).map((p) => p.saleId) }) });

  return (
    <section class="card reader" aria-labelledby="reader-h" data-testid="reader" data-snapshot="skip">
      <h2 id="reader-h">{t('reader.title')}</h2>
      {observed.map((o) => (
        <div class="reader-refund" role="alert" key={`${o.source} ${o.productId}`} data-testid="reader-refund">
          <p>
            {t('reader.refundAsk', { site: o.source.slice('page:'.length), product: nameOf(o.productId), to: count(o.pending!.total), from: count(o.total), n: count(pendingUnits(o)) })}
          </p>
          <div class="row">
            <button type="button" class="primary" onClick={() => settle(o, 'refund')}>
              {t('reader.refundConfirm', { n: count(pendingUnits(o)) })}
            </button>
            <button type="button" onClick={() => settle(o, 'dismiss')}>
              {t('reader.refundDismiss')}
            </button>
          </div>
        </div>
      ))}
      {bindings.length === 0 && !myPick && <p class="hint">{t('reader.empty')}</p>}
      {bindings.length > 0 && (
        <ul class="reader-list">
          {bindings.map((b) => (
            <ReaderRow key={b.id} b={b} s={s} product={products.find((p) => p.id === b.productId)} counted={room?.observed?.find((o) => o.source === pageSourceOf(b.origin) && o.productId === b.productId)} count={count} />
          ))}
        </ul>
      )}
      {myPick ? (
        <div class="reader-pick" data-testid="reader-pick">
          {!myPick.picked && <p class="hint" role="status">{t('reader.picking')}</p>}
          {myPick.picked && myPick.picked.total === null && (
            <p class="problem" role="status">
              {t('reader.notANumber', { text: myPick.picked.text })}
            </p>
          )}
          {myPick.picked && myPick.picked.total !== null && (
            <>
              <p role="status">{t('reader.picked', { text: myPick.picked.text, n: count(myPick.picked.total, myPick.picked.exact) })}</p>
              {products.length === 0 ? (
                <p class="hint">{t('reader.noProducts')}</p>
              ) : (
                <div class="row">
                  <label class="grow">
                    <span>{t('reader.product')}</span>
                    <select value={choice} onChange={(e) => setChoice((e.target as HTMLSelectElement).value)}>
                      {products.map((p) => (
                        <option key={p.id} value={p.id}>
                          {p.name}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="button" class="primary" onClick={() => void bind()}>
                    {t('reader.bind')}
                  </button>
                </div>
              )}
            </>
          )}
          <button type="button" class="quiet" onClick={() => void send({ type: 'reader.cancel' })}>
            {t('reader.cancel')}
          </button>
        </div>
      ) : asking ? (
        <form class="reader-address" noValidate onSubmit={allowTyped}>
          <label class="grow">
            <span>{t('reader.address')}</span>
            <input type="url" inputMode="url" value={address} onInput={(e) => setAddress((e.target as HTMLInputElement).value)} />
          </label>
          <div class="row">
            <button type="submit" class="primary">
              {t('reader.allow')}
            </button>
            <button type="button" class="quiet" onClick={() => setAsking(false)}>
              {t('reader.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="reader-start" onClick={() => void start()}>
          {t('reader.start')}
        </button>
      )}
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function ReaderRow({ b, s, product, counted, count }: { b: ReaderBinding; s: ConsoleState; product: Product | undefined; counted: Observed | undefined; count: (n: number, exact?: boolean) => string }) {
  const t = s.t.value;
  const name = product?.name ?? b.productId;
  return (
    <li class="reader-binding" data-testid="reader-binding">
      <div class="grow">
        <strong>{name}</strong>
        <span class="hint">
          {siteOf(b.origin)} · {t('reader.last', { n: b.lastText })}
          {counted ? ` · ${t('reader.counted', { n: count(counted.total, counted.exact) })}` : ''}
        </span>
      </div>
      <button type="button" class="quiet danger" aria-label={t('reader.removeLabel', { product: name, site: siteOf(b.origin) })} onClick={() => void s.reader?.({ type: 'reader.remove', bindingId: b.id })}>
        {t('reader.remove')}
      </button>
    </li>
  );
}
