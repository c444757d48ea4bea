/**
 * The manifest's texts are `__MSG_key__` placeholders filled from
 * extension/public/_locales/<locale>/messages.json (copied as-is to the build's root). A missing
 * key shows the raw placeholder in chrome://extensions (or makes Chrome refuse to load the
 * extension), so: every placeholder the manifest definition uses (wxt.config.ts, plus the popup's
 * <title>, which WXT makes action.default_title) exists in every locale, no message is empty, and
 * Chrome's limits hold. When the extension is built (`npm test` builds first), the built manifests
 * are checked too: they carry the placeholders and the _locales folders.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, type Locale } from '../../extension/ui/i18n.js';
import config from '../../wxt.config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCALES_DIR = join(ROOT, 'extension/public/_locales');
const POPUP_HTML = join(ROOT, 'extension/entrypoints/popup/index.html');
/** _locales folder names use an underscore (zh_CN); the console's locales a hyphen (zh-CN). */
const FOLDERS = ['en', 'zh_CN', 'fr'] as const;
const folderOf = (locale: Locale) => locale.replace('-', '_');

type Messages = Record<string, { message: string; description?: string }>;
const messages = Object.fromEntries(
  FOLDERS.map((folder) => [folder, JSON.parse(readFileSync(join(LOCALES_DIR, folder, 'messages.json'), 'utf8')) as Messages]),
) as Record<(typeof FOLDERS)[number], Messages>;

type Browser = 'chrome' | 'firefox';
/** The manifest as defined in the sources: wxt.config.ts, and the popup's <title> as the action's title (WXT does that). */
async function manifestFor(browser: Browser): Promise<Record<string, unknown>> {
  const env = { browser, manifestVersion: browser === 'firefox' ? 2 : 3, mode: 'production', command: 'build' } as const;
  const m = config.manifest;
  const manifest = (await (typeof m === 'function' ? m(env) : m)) as Record<string, unknown>;
  const title = /<title>([^<]*)<\/title>/.exec(readFileSync(POPUP_HTML, 'utf8'))?.[1];
  return { ...manifest, action: { ...(manifest.action as object | undefined), ...(title && { default_title: title }) } };
}
const BUILT = { chrome: join(ROOT, '.output/chrome-mv3'), firefox: join(ROOT, '.output/firefox-mv2') } as const;

/** Every string value in the manifest, with its path (to name the field in a failure). */
function strings(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  return [];
}
const PLACEHOLDER = /__MSG_(\w+?)__/g;
const placeholders = (manifest: Record<string, unknown>) =>
  strings(manifest).flatMap(([path, s]) => [...s.matchAll(PLACEHOLDER)].map((match) => ({ path, key: match[1]! })));

/** Chrome: a message name is ASCII letters, digits and underscores; names starting with @@ are reserved. */
const CHROME_KEY = /^[A-Za-z0-9_]+$/;
/** Chrome's limits, once the placeholder is replaced (Chrome Web Store / manifest reference). */
const MAX_DESCRIPTION = 132;
const MAX_NAME = 75;

describe('manifest texts: _locales', () => {
  it('has exactly the folders en, zh_CN and fr, one per console locale, and en is the default locale', async () => {
    expect(readdirSync(LOCALES_DIR).sort()).toEqual([...FOLDERS].sort());
    expect(LOCALES.map(folderOf).sort()).toEqual([...FOLDERS].sort());
    for (const browser of ['chrome', 'firefox'] as const) expect((await manifestFor(browser)).default_locale).toBe('en');
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    it(`${browser}: every __MSG_ placeholder in the manifest has a message in every locale`, async () => {
      const manifest = await manifestFor(browser);
      const used = placeholders(manifest);
      // The texts that are localized: if one goes back to a literal, this says which.
      expect(used.map((u) => u.path).sort()).toEqual(
        ['action.default_title', 'commands.card-next.description', 'commands.card-toggle.description', 'commands.sale-plus-one.description', 'description'].sort(),
      );
      for (const folder of FOLDERS) for (const { path, key } of used) expect(messages[folder][key]?.message, `${folder}: ${key} (${path})`).toBeTruthy();
      expect(manifest.name).toBe('LiveShelf');
    });
  }

  it('every locale has the same keys, each allowed by Chrome, none with an empty message', () => {
    const keys = Object.keys(messages.en).sort();
    for (const folder of FOLDERS) {
      expect(Object.keys(messages[folder]).sort(), folder).toEqual(keys);
      for (const [key, entry] of Object.entries(messages[folder])) {
        expect(key, `${folder}: ${key}`).toMatch(CHROME_KEY);
        expect(key.startsWith('@@'), `${folder}: ${key} is reserved`).toBe(false);
        expect(typeof entry.message, `${folder}: ${key}`).toBe('string');
        expect(entry.message.trim(), `${folder}: ${key} is empty`).not.toBe('');
        // A `$` starts a placeholder in messages.json; none of these texts has one.
        expect(entry.message, `${folder}: ${key}`).not.toContain('$');
      }
    }
  });

  it('holds Chrome’s limits: description ≤ 132 characters, name ≤ 75', async () => {
    const manifest = await manifestFor('chrome');
    const resolve = (text: string, folder: (typeof FOLDERS)[number]) => text.replace(PLACEHOLDER, (_, key: string) => messages[folder][key]!.message);
    for (const folder of FOLDERS) {
      expect([...resolve(manifest.description as string, folder)].length, `${folder} description`).toBeLessThanOrEqual(MAX_DESCRIPTION);
      expect([...resolve(manifest.name as string, folder)].length, `${folder} name`).toBeLessThanOrEqual(MAX_NAME);
    }
  });

  it('the shortcuts use the console’s words (extension/ui/i18n.ts)', () => {
    for (const locale of LOCALES) {
      const ui = MESSAGES[locale];
      const m = messages[folderOf(locale) as (typeof FOLDERS)[number]];
      const has = (key: string, word: string) => expect(m[key]!.message.toLowerCase(), `${locale}: ${key}`).toContain(word.toLowerCase());
      has('commandSalePlusOne', ui.plusOne.replace('{name}', '').trim()); // "+1"
      has('commandSalePlusOne', ui.current);
      has('commandCardNext', ui.showProduct.replace('{name}', '').trim());
      has('commandCardNext', ui.next);
      has('commandCardToggle', ui.hide);
    }
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    // In CI the build always precedes the tests (npm test): there it must exist, and a missing one fails.
    it.skipIf(!process.env.CI && !existsSync(join(BUILT[browser], 'manifest.json')))(`${browser} build: the manifest keeps the placeholders and _locales is copied`, () => {
      const built = JSON.parse(readFileSync(join(BUILT[browser], 'manifest.json'), 'utf8')) as Record<string, unknown>;
      const action = browser === 'firefox' ? 'browser_action' : 'action';
      expect(built).toMatchObject({
        name: 'LiveShelf',
        default_locale: 'en',
        description: '__MSG_extDescription__',
        [action]: { default_title: '__MSG_actionTitle__' },
        commands: {
          'sale-plus-one': { description: '__MSG_commandSalePlusOne__' },
          'card-next': { description: '__MSG_commandCardNext__' },
          'card-toggle': { description: '__MSG_commandCardToggle__' },
        },
      });
      for (const folder of FOLDERS) {
        const file = join(BUILT[browser], '_locales', folder, 'messages.json');
        expect(existsSync(file), file).toBe(true);
        expect(JSON.parse(readFileSync(file, 'utf8')), file).toEqual(messages[folder]);
      }
      for (const { key } of placeholders(built)) expect(messages.en[key], key).toBeDefined();
    });
  }
});
