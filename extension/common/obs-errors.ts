/**
 * What went wrong between LiveShelf and OBS, in words: the error codes (obs-status.ts) with
 * their parameters said in the host's language, and the worker's ObsError. The words are the OBS
 * word set of shared/i18n (one file per language, `{param}` templates like the console's), apart
 * from the console's so that the worker, which words errors in English for its logs, carries
 * these and not the console's; and the codes are apart from the words so that a page carries the
 * words only where it shows them (the side panel's OBS section, a chunk of its own).
 */
import { obsWords as en } from '../../shared/i18n/en/obs.js';
import { obsWords as fr } from '../../shared/i18n/fr/obs.js';
import { translatorOf, type Locale } from '../../shared/i18n/locale.js';
import { obsWords as zh } from '../../shared/i18n/zh-CN/obs.js';
import type { ObsErrorCode, ObsErrorInfo, ObsErrorParams } from './obs-status.js';

export { OBS_ERROR_CODES, type ObsErrorCode, type ObsErrorInfo, type ObsErrorParams } from './obs-status.js';

/** Every code's words in every language (shared/i18n/<locale>/obs.ts): a code without them does not compile. */
export const OBS_MESSAGES: Readonly<Record<Locale, Readonly<Record<ObsErrorCode, string>>>> = { en, 'zh-CN': zh, fr };

/** The message for an error in a locale; unknown `{param}`s are left visible rather than dropped. */
export function obsErrorText(error: Pick<ObsErrorInfo, 'code' | 'params'>, locale: Locale = 'en'): string {
  return translatorOf(OBS_MESSAGES, locale)(error.code, error.params);
}

const RETRYABLE = new Set<ObsErrorCode>(['obs-unreachable', 'obs-connection-lost', 'obs-timeout', 'obs-connect-failed']);

export class ObsError extends Error {
  override readonly name = 'ObsError';
  readonly code: ObsErrorCode;
  readonly params: ObsErrorParams;
  /** Whether trying again later can succeed on its own (OBS restarted, network back). */
  readonly retryable: boolean;

  constructor(code: ObsErrorCode, params: ObsErrorParams = {}, opts: { cause?: unknown } = {}) {
    super(obsErrorText({ code, params }), opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.params = params;
    this.retryable = RETRYABLE.has(code);
  }

  toInfo(): ObsErrorInfo {
    return { code: this.code, params: { ...this.params }, message: this.message };
  }
}

export function isObsError(e: unknown): e is ObsError {
  return e instanceof ObsError;
}
