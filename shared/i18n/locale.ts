/**
 * The languages LiveShelf speaks, in one place, and the one way their words are used. Every
 * surface (the extension's console and its OBS messages, the overlay page) takes its Locale from
 * here and its words from the per-locale files beside this one: ./<locale>/<word set>.ts, one
 * flat key → template table per word set, so each surface bundles only the sets it shows (the
 * overlay: ./<locale>/overlay.ts). A language is added with its folder and an entry below; the
 * compiler then names every table it lacks.
 * Pure (house rule 1): Intl is the language's own, no DOM, no Node.
 */

export const LOCALES = ['zh-CN', 'en', 'fr'] as const;
export type Locale = (typeof LOCALES)[number];

/** The console's language setting: a Locale, or whatever the browser prefers. */
export type LocaleSetting = 'auto' | Locale;
export const isLocaleSetting = (v: unknown): v is LocaleSetting => v === 'auto' || (LOCALES as readonly unknown[]).includes(v);

/** Each language's name in itself, for the language picker. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { 'zh-CN': '中文', en: 'English', fr: 'Français' };

/** Picks the language from the setting and the browser's preferred languages (BCP 47 tags); English when none fits. */
export function resolveLocale(setting: LocaleSetting, preferred: readonly string[]): Locale {
  if (setting !== 'auto') return setting;
  for (const tag of preferred) {
    // The primary language decides: zh-TW and zh-Hans read the Chinese words, fr-CA the French.
    const lower = tag.toLowerCase();
    const hit = LOCALES.find((l) => lower.startsWith(l.split('-')[0]!.toLowerCase()));
    if (hit) return hit;
  }
  return 'en';
}

export type Params = Record<string, string | number>;
/** A word set read in one language: the text of a key with its {params} filled in. */
export type Translate<K extends string = string> = (key: K, params?: Params) => string;

/** Fills `{name}` from params; a {name} it is not given stays visible rather than vanish. */
export function fillIn(template: string, params?: Params): string {
  return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : template;
}

/**
 * A word set (one table per locale) read in `locale`. A key with no text (one built at run time
 * that a newer worker sends) falls back to English, then to the key itself: never a crash.
 */
export function translatorOf<K extends string>(words: Readonly<Record<Locale, Readonly<Record<K, string>>>>, locale: Locale): Translate<K> {
  const dict = words[locale];
  return (key, params) => fillIn(dict[key] ?? words.en[key] ?? key, params);
}

const pluralRules = new Map<string, Intl.PluralRules>();
/** Whether `n` takes the singular in `locale` (fr: 0 and 1; en: 1 only; zh: never needs it, same text). */
export function isSingular(n: number, locale: string): boolean {
  let r = pluralRules.get(locale);
  if (!r) pluralRules.set(locale, (r = new Intl.PluralRules(locale)));
  return r.select(n) === 'one';
}
