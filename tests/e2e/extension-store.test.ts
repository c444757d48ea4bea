/**
 * The packages as the stores receive them (issue #14, "Store-ready extension"): the Firefox build
 * through Mozilla's addons-linter, the validator addons.mozilla.org runs on a submission, which
 * must report nothing at all; the Chrome build (what `npm run zip` packs) against the Chrome Web
 * Store's rules: least permissions, no remote code, description length; and the icons every
 * manifest names. `npm test` builds before vitest,
 * so .output holds this commit's builds; a lone run builds what is missing. Never skipped: a
 * package a store would flag fails here first.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXT_DIR, ROOT } from './extension-browser';

const FIREFOX_DIR = join(ROOT, '.output/firefox-mv2');
const LINTER = join(ROOT, 'node_modules/addons-linter/bin/addons-linter');

interface LintMessage {
  code: string;
  message: string;
  file?: string;
  line?: number;
}
interface LintReport {
  summary: { errors: number; warnings: number; notices: number };
  errors: LintMessage[];
  warnings: LintMessage[];
  notices: LintMessage[];
}

beforeAll(() => {
  if (!existsSync(join(FIREFOX_DIR, 'manifest.json'))) execFileSync('npx', ['wxt', 'build', '-b', 'firefox'], { cwd: ROOT, stdio: 'inherit' });
  if (!existsSync(join(EXT_DIR, 'manifest.json'))) execFileSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit' });
});

const manifestOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;

describe('the Firefox package, as addons.mozilla.org validates it', () => {
  it("passes Mozilla's addons-linter with 0 errors, 0 warnings and 0 notices", () => {
    // The linter exits non-zero when it finds errors; its JSON report is what we judge either way.
    let out: string;
    try {
      out = execFileSync(process.execPath, [LINTER, '--output', 'json', FIREFOX_DIR], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      out = String((err as { stdout?: unknown }).stdout ?? '');
    }
    const report = JSON.parse(out) as LintReport;
    const found = [...report.errors, ...report.warnings, ...report.notices].map((m) => `${m.code} ${m.file ?? ''}:${m.line ?? ''} ${m.message}`);
    expect(found).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notices: 0 });
  });

  it('declares that it collects no data, for a Firefox that reads the declaration', () => {
    expect(manifestOf(FIREFOX_DIR)).toMatchObject({
      browser_specific_settings: { gecko: { data_collection_permissions: { required: ['none'] }, strict_min_version: '140.0' } },
    });
  });
});

/** Every file of a built package, relative to its folder. */
function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

describe('the Chrome package, against the Chrome Web Store rules', () => {
  it('asks for the least permissions: storage, alarms, scripting, the side panel, and a relay on this machine; any other relay, or a seller console, only when the host uses it', () => {
    const m = manifestOf(EXT_DIR);
    // scripting: the seller-page reader (issue 13) injects into, and registers for, only the sites
    // the host bound a number on, under the optional host permission asked for that site.
    expect(m['permissions']).toEqual(['storage', 'alarms', 'scripting', 'sidePanel']);
    expect(m['host_permissions']).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
    expect(m['optional_host_permissions']).toEqual(['http://*/*', 'https://*/*']);
    // Nothing runs in the pages the host visits, and no file of the package is open to them.
    for (const key of ['content_scripts', 'web_accessible_resources', 'externally_connectable', 'optional_permissions']) expect(m[key], key).toBeUndefined();
  });

  it('runs no remote code: only its own scripts, under the default extension CSP, and no code made from strings', () => {
    const m = manifestOf(EXT_DIR);
    expect(m['content_security_policy']).toBeUndefined();
    const files = filesOf(EXT_DIR);
    for (const html of files.filter((f) => f.endsWith('.html'))) {
      const text = readFileSync(join(EXT_DIR, html), 'utf8');
      for (const [, src] of text.matchAll(/<script\b[^>]*\ssrc="([^"]*)"/g)) expect(src, `${html}: <script src>`).toMatch(/^\/[\w./-]+\.js$/);
      expect(text, html).not.toMatch(/<(link|img|iframe)\b[^>]*\s(href|src)="(https?:)?\/\//i);
    }
    // eval, Function, importScripts, and any import() but of a literal path inside the package.
    const DYNAMIC_CODE = /\beval\(|\bnew Function\(|[^.\w]Function\(|importScripts\(|import\((?![`'"]\.{0,2}\/[\w./-]+\.js[`'"]\))/g;
    const found = files
      .filter((f) => f.endsWith('.js'))
      .flatMap((js) => {
        const code = readFileSync(join(EXT_DIR, js), 'utf8');
        return [...code.matchAll(DYNAMIC_CODE)].map((m) => `${js}: …${code.slice(Math.max(0, m.index - 40), m.index + 40)}…`);
      });
    expect(found).toEqual([]);
  });

  it('fits the store: a description of at most 132 characters in every locale, and the icons in the package', () => {
    const m = manifestOf(EXT_DIR);
    expect(m['description']).toBe('__MSG_extDescription__');
    const locales = readdirSync(join(EXT_DIR, '_locales'));
    expect(locales.sort()).toEqual(['en', 'fr', 'zh_CN']);
    for (const locale of locales) {
      const messages = JSON.parse(readFileSync(join(EXT_DIR, '_locales', locale, 'messages.json'), 'utf8')) as Record<string, { message: string }>;
      const description = messages['extDescription']?.message ?? '';
      expect(description.length, locale).toBeGreaterThan(0);
      expect([...description].length, locale).toBeLessThanOrEqual(132);
    }
    expect(filesOf(EXT_DIR)).toEqual(expect.arrayContaining(['icon/16.png', 'icon/32.png', 'icon/48.png', 'icon/128.png']));
  });
});

describe('the icons', () => {
  for (const [name, dir] of [['Chrome', EXT_DIR], ['Firefox', FIREFOX_DIR]] as const) {
    it(`${name}: the manifest and the toolbar button name 16, 32, 48 and 128 px PNGs of those sizes`, () => {
      const m = manifestOf(dir);
      const button = (m['action'] ?? m['browser_action']) as { default_icon?: unknown };
      for (const icons of [m['icons'], button.default_icon] as Record<string, string>[]) {
        expect(Object.keys(icons)).toEqual(['16', '32', '48', '128']);
        for (const [size, file] of Object.entries(icons)) {
          const png = readFileSync(join(dir, file));
          // PNG signature, then the IHDR chunk: width and height as big-endian 32-bit integers.
          expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
          expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([Number(size), Number(size)]);
        }
      }
    });
  }
});
