/**
 * The one way the suites start Debian's Firefox ESR with the built Firefox extension
 * (.output/firefox-mv2): puppeteer-core over WebDriver BiDi, never a downloaded browser.
 *
 * - The extension is installed as a temporary add-on (BiDi `webExtension.install`, Firefox 138+).
 * - Its moz-extension:// host is a random UUID per profile; the pref
 *   `extensions.webextensions.uuids` pins it, keyed by the add-on id from the built manifest.
 * - Firefox 153's remote agent refuses to navigate to any URL outside http(s), file, blob and
 *   about:blank ("Navigation to moz-extension://… is not allowed in this context") unless the
 *   browser is started with --remote-allow-system-access. That flag only widens what the
 *   automation may do; the extension page itself runs as it does for a user.
 * - For a moz-extension:// page Firefox 153 sends browsingContext.navigationStarted and
 *   navigationCommitted but never domContentLoaded or load (nor log.entryAdded), so puppeteer's
 *   `page.goto` never resolves there; `openExtensionPage` sends `browsingContext.navigate` with
 *   `wait: 'complete'` itself, whose answer does arrive (then wait for what you need on the
 *   page, as with any page: the answer can come before puppeteer has seen the page's realm).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Throws a message that says how to get Firefox when the binary is not there (CI installs it). */
export function assertFirefoxInstalled(): void {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox ESR is not installed at ${FIREFOX_PATH}: run \`bash scripts/ensure-system-deps.sh\` (installs Debian's firefox-esr) or set FIREFOX_PATH.`);
  }
}

export interface FirefoxWithExtension {
  browser: Browser;
  /** moz-extension://<uuid> of the installed extension. */
  origin: string;
  /**
   * Opens an extension page (e.g. 'sidepanel.html') in a new tab and returns it once Firefox
   * reports the navigation complete.
   * Firefox sends no BiDi log events for extension pages either: puppeteer's 'console' and
   * 'pageerror' stay silent there (use `collectPageErrors`).
   */
  openExtensionPage(path: string, opts?: { width?: number; height?: number }): Promise<Page>;
  close(): Promise<void>;
}

/** The subset of puppeteer's (internal) BiDi connection used to navigate; checked at runtime. */
interface BidiSend {
  send(method: 'browsingContext.navigate', params: { context: string; url: string; wait: 'complete' }): Promise<unknown>;
}

function bidiConnection(browser: Browser): BidiSend {
  const connection = (browser as unknown as { connection?: Partial<BidiSend> }).connection;
  if (typeof connection?.send !== 'function') throw new Error('puppeteer-core no longer exposes its BiDi connection: see tests/support/firefox.ts');
  return connection as BidiSend;
}

/** The page's BiDi browsing context id (puppeteer keeps it as the frame's internal `_id`). */
function contextId(page: Page): string {
  const id = (page.mainFrame() as unknown as { _id?: unknown })._id;
  if (typeof id !== 'string') throw new Error('puppeteer-core no longer keeps the BiDi context id in Frame._id: see tests/support/firefox.ts');
  return id;
}

export async function launchFirefoxWithExtension(extDir: string, opts: { locale?: string } = {}): Promise<FirefoxWithExtension> {
  assertFirefoxInstalled();
  const manifest = JSON.parse(readFileSync(join(extDir, 'manifest.json'), 'utf8')) as { browser_specific_settings?: { gecko?: { id?: string } } };
  const addonId = manifest.browser_specific_settings?.gecko?.id;
  if (!addonId) throw new Error(`${extDir}/manifest.json has no browser_specific_settings.gecko.id (set it in wxt.config.ts)`);
  const uuid = randomUUID();
  const profile = mkdtempSync(join(tmpdir(), 'liveshelf-firefox-'));
  const locale = opts.locale ?? 'en-US';
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    timeout: 60_000,
    protocolTimeout: 60_000,
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [addonId]: uuid }),
      'intl.locale.requested': locale,
      'intl.accept_languages': locale,
      // The machine has no internet: no update, telemetry or remote-settings traffic to wait on.
      'app.update.enabled': false,
      'extensions.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
    },
  });
  try {
    const installed = await browser.installExtension(extDir);
    if (installed !== addonId) throw new Error(`Firefox installed the extension as ${installed}, expected ${addonId}`);
  } catch (err) {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const origin = `moz-extension://${uuid}`;
  return {
    browser,
    origin,
    async openExtensionPage(path, { width = 400, height = 1000 } = {}) {
      const page = await browser.newPage();
      await page.setViewport({ width, height });
      await bidiConnection(browser).send('browsingContext.navigate', { context: contextId(page), url: `${origin}/${path}`, wait: 'complete' });
      return page;
    },
    async close() {
      // puppeteer closes the browser it launched over BiDi and waits for the process to exit.
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Records, inside the page, what it throws (uncaught errors, unhandled rejections) and logs
 * with console.error from now on; the returned function reads the list. An error while the
 * page first loaded shows as a page that never renders, which the tests wait for anyway.
 */
export async function collectPageErrors(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const errors: string[] = [];
    (globalThis as { __pageErrors?: string[] }).__pageErrors = errors;
    addEventListener('error', (e) => errors.push(`uncaught: ${e.message}`));
    addEventListener('unhandledrejection', (e) => errors.push(`unhandled rejection: ${String(e.reason)}`));
    const original = console.error.bind(console);
    console.error = (...args: unknown[]) => {
      errors.push(`console.error: ${args.map(String).join(' ')}`);
      original(...args);
    };
  });
  return () => page.evaluate(() => [...((globalThis as { __pageErrors?: string[] }).__pageErrors ?? ['the page was reloaded: its error list is gone'])]);
}
