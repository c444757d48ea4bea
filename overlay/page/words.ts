/**
 * The overlay's words in each language, as its components read them: the overlay word set of
 * shared/i18n (shared/i18n/<locale>/overlay.ts), as it is: a setup message is read by its key,
 * `setup.<problem>` (setupWords), not regrouped at load, which cost the page's budget bytes.
 * Only this word set is bundled, not the console's (the page's budget is 25 KB gzipped).
 */
import { overlayWords as en, type OverlayWords } from '../../shared/i18n/en/overlay.js';
import { overlayWords as fr } from '../../shared/i18n/fr/overlay.js';
import type { Locale } from '../../shared/i18n/locale.js';
import { overlayWords as zh } from '../../shared/i18n/zh-CN/overlay.js';

type After<K, P extends string> = K extends `${P}${infer Rest}` ? Rest : never;
/** How the overlay's link can be wrong: no room or token, or the relay's refusal of it. */
export type SetupProblem = After<keyof OverlayWords, 'setup.'>;

export type Words = OverlayWords;

export const WORDS: Readonly<Record<Locale, Words>> = { 'zh-CN': zh, en, fr };

/** The setup message for `problem`, in the words' language. */
export const setupWords = (words: Words, problem: SetupProblem): string => words[`setup.${problem}`];
