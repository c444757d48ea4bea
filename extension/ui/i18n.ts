/**
 * The console's words (side panel, popup, options) in the host's language: the console word
 * set of shared/i18n, one file per language (shared/i18n/<locale>/console.ts), read through the
 * one translator of shared/i18n/locale.ts. The language follows the browser unless the host
 * picks one. Numbers and money are formatted by shared/money.ts (Intl), not here.
 * A small dictionary instead of browser.i18n because the manual override must switch at once.
 */
import { consoleWords as en, type ConsoleWords, type MessageKey } from '../../shared/i18n/en/console.js';
import { consoleWords as zh } from '../../shared/i18n/zh-CN/console.js';
import { consoleWords as fr } from '../../shared/i18n/fr/console.js';
import { translatorOf, type Locale, type Translate as TranslateOf } from '../../shared/i18n/locale.js';

export { isSingular, LOCALES, resolveLocale, type Locale } from '../../shared/i18n/locale.js';
export type { MessageKey };
export type Translate = TranslateOf<MessageKey>;

/** Every message in every language (the tests check that no key is missing or drops a {param}). */
export const MESSAGES: Readonly<Record<Locale, ConsoleWords>> = { 'zh-CN': zh, en, fr };

export function translator(locale: Locale): Translate {
  return translatorOf(MESSAGES, locale);
}
