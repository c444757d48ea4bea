/**
 * What the seller-page reader keeps (issue 13), in extension storage like everything else the
 * worker owns: the bindings (which number on which site counts for which product of which
 * room), and the pick in progress. The content script reads the bindings of its own page from
 * here when a page loads (a reload, a browser restart), so it needs no message to start.
 */
import { storage } from 'wxt/utils/storage';
import type { PageLocator } from '../reader/locator';

export interface ReaderBinding {
  id: string;
  roomKey: string;
  /** The page's origin (https://buyin.jinritemai.com): the content script of that origin follows it. */
  origin: string;
  productId: string;
  locator: PageLocator;
  /** The text and total last read (and sent), for the side panel and to send only changes. */
  lastText: string;
  lastTotal: number;
  lastExact: boolean;
  lastAt: number;
}

export const readerBindingsItem = storage.defineItem<ReaderBinding[]>('local:readerBindings', { fallback: [], version: 1 });

/** The pick in progress: the host pressed "Read sales from this page" and has not bound a number yet. */
export interface ReaderPick {
  roomKey: string;
  tabId: number;
  origin: string;
  /** What the host clicked: its text and what it reads as (null: no number of units in it). */
  picked: { locator: PageLocator; text: string; total: number | null; exact: boolean } | null;
}

export const readerPickItem = storage.defineItem<ReaderPick | null>('local:readerPick', { fallback: null });

/** The source a page's sales are counted under: `page:<host name>` (shared/domain.ts SaleSourceSchema). */
export function pageSourceOf(origin: string): `page:${string}` {
  return `page:${new URL(origin).hostname}`;
}

/** The host permission a binding needs: the site (any port: match patterns name no port in Firefox). */
export function sitePatternOf(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}
