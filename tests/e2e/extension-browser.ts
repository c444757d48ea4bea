/**
 * Real Chromium with the built extension loaded (../shared/design/testing.md): builds
 * .output/chrome-mv3 when it is missing, launches a persistent profile, finds the extension id
 * from its service worker, and opens the side panel as a tab (it renders the same page).
 * Also the steps every panel test starts with: pasting a pairing link, and asking the worker
 * directly (what a page's message would do) to check that the worker itself refuses.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium.js';
import type { CreatedRoom } from '../support/relay.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const EXT_DIR = join(ROOT, '.output/chrome-mv3');
export const ARTIFACTS = join(ROOT, 'tests/artifacts');

export function ensureExtensionBuilt(): void {
  if (existsSync(join(EXT_DIR, 'manifest.json'))) return;
  execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  openPanel(opts?: { width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** `extDir`: another build of the extension (benchmarks compare two builds); the default is .output/chrome-mv3. */
/** `profile`: a profile directory of the caller's, kept on close (a browser restart on the same profile). */
export async function launchWithExtension(opts: { locale?: string; extDir?: string; profile?: string } = {}): Promise<ExtensionBrowser> {
  const extDir = opts.extDir ?? EXT_DIR;
  if (!opts.extDir) ensureExtensionBuilt();
  const profile = opts.profile ?? mkdtempSync(join(tmpdir(), 'liveshelf-chromium-'));
  const locale = opts.locale ?? 'en-US';
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    locale,
    args: [
      ...CHROMIUM_ARGS,
      `--lang=${locale}`,
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
    ],
  });
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(sw.url()).host;
  return {
    context,
    extensionId,
    async openPanel({ width = 400, height = 1000 } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      await page.goto(`chrome-extension://${extensionId}/sidepanel.html`);
      return page;
    },
    async close() {
      await context.close();
      if (!opts.profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Pastes a link into the panel's "Pairing link" field and presses Connect (English UI); does not wait for the outcome. */
export async function submitPairingLink(panel: Page, link: string): Promise<void> {
  await panel.getByLabel('Pairing link').fill(link);
  await panel.getByRole('button', { name: 'Connect' }).click();
}

/** Pairs the panel with a pairing link and waits until the relay accepted it (the status bar says Connected). */
export async function pairWith(panel: Page, link: string): Promise<void> {
  await submitPairingLink(panel, link);
  await panel.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
}

export const pairAsHost = (panel: Page, room: CreatedRoom) => pairWith(panel, room.links.host);
export const pairAsCohost = (panel: Page, room: CreatedRoom) => pairWith(panel, room.links.cohost);

/** The extension's key of a paired room (storage-items roomKeyOf) for a relay on this machine. */
export function roomKey(room: CreatedRoom): string {
  return `${room.room.id}@${new URL(room.links.host).host}`;
}

/** Sends a message to the extension's worker from a page, as the panel's own actions do, and returns its answer. */
export function askWorker(page: Page, message: Record<string, unknown>): Promise<unknown> {
  return page.evaluate(
    (m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m),
    message,
  );
}
