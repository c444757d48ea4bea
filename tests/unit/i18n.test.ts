/**
 * The one translation system (shared/i18n): every word set — the console's, the OBS messages,
 * the overlay's, the web console's, the host's log and people — has in every language exactly the keys of its English table, none empty,
 * each with the same {params}; one translator reads them all.
 */
import { describe, expect, it } from 'vitest';
import * as enConsole from '../../shared/i18n/en/console.js';
import * as enHost from '../../shared/i18n/en/host.js';
import * as enObs from '../../shared/i18n/en/obs.js';
import * as enOverlay from '../../shared/i18n/en/overlay.js';
import * as enWeb from '../../shared/i18n/en/web.js';
import * as frConsole from '../../shared/i18n/fr/console.js';
import * as frHost from '../../shared/i18n/fr/host.js';
import * as frObs from '../../shared/i18n/fr/obs.js';
import * as frOverlay from '../../shared/i18n/fr/overlay.js';
import * as frWeb from '../../shared/i18n/fr/web.js';
import { fillIn, LOCALE_NAMES, LOCALES, resolveLocale, translatorOf, type Locale } from '../../shared/i18n/locale.js';
import * as zhConsole from '../../shared/i18n/zh-CN/console.js';
import * as zhHost from '../../shared/i18n/zh-CN/host.js';
import * as zhObs from '../../shared/i18n/zh-CN/obs.js';
import * as zhOverlay from '../../shared/i18n/zh-CN/overlay.js';
import * as zhWeb from '../../shared/i18n/zh-CN/web.js';
import { setupWords, WORDS } from '../../overlay/page/words.js';

const SETS: Record<string, Record<Locale, Readonly<Record<string, string>>>> = {
  console: { en: enConsole.consoleWords, 'zh-CN': zhConsole.consoleWords, fr: frConsole.consoleWords },
  obs: { en: enObs.obsWords, 'zh-CN': zhObs.obsWords, fr: frObs.obsWords },
  overlay: { en: enOverlay.overlayWords, 'zh-CN': zhOverlay.overlayWords, fr: frOverlay.overlayWords },
  web: { en: enWeb.webWords, 'zh-CN': zhWeb.webWords, fr: frWeb.webWords },
  host: { en: enHost.hostWords, 'zh-CN': zhHost.hostWords, fr: frHost.hostWords },
};
const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('word sets', () => {
  it.each(Object.keys(SETS))('%s: every language has the English keys, none empty, the same {params}', (name) => {
    const set = SETS[name]!;
    for (const l of LOCALES) {
      expect(Object.keys(set[l]).sort(), `${name} ${l}`).toEqual(Object.keys(set.en).sort());
      for (const [k, text] of Object.entries(set[l])) {
        expect(text.trim(), `${name} ${l} ${k}`).not.toBe('');
        expect(params(text), `${name} ${l} ${k}`).toEqual(params(set.en[k]!));
      }
    }
  });

  it('every language has its name in itself for the picker', () => {
    expect(Object.keys(LOCALE_NAMES).sort()).toEqual([...LOCALES].sort());
  });

  it('fills {params}, leaves an unknown one visible, falls back to English, then to the key', () => {
    expect(fillIn('{n} waiting, {x}', { n: 2 })).toBe('2 waiting, {x}');
    const t = translatorOf<'a' | 'b' | 'c'>({ en: { a: 'A {n}', b: 'B', c: 'C' }, 'zh-CN': { a: '甲 {n}' } as never, fr: { a: 'a' } as never }, 'zh-CN');
    expect([t('a', { n: 1 }), t('b'), t('z' as never)]).toEqual(['甲 1', 'B', 'z']);
  });

  it('picks the language from the primary subtag of the preferred ones', () => {
    expect(resolveLocale('auto', ['zh-Hans-CN'])).toBe('zh-CN');
    expect(resolveLocale('auto', ['de', 'FR-be', 'en'])).toBe('fr');
    expect(resolveLocale('auto', [])).toBe('en');
  });
});

describe('the overlay', () => {
  it('has a setup message for every problem, word for word', () => {
    for (const l of LOCALES) {
      expect(Object.keys(WORDS[l]).filter((k) => k.startsWith('setup.')).sort()).toEqual(['setup.missing', 'setup.not_found', 'setup.protocol_mismatch', 'setup.unauthorized']);
      expect(setupWords(WORDS[l], 'unauthorized')).toBe(SETS.overlay![l]['setup.unauthorized']);
    }
    expect(WORDS.fr.soldOut).toBe('ÉPUISÉ');
  });
});
