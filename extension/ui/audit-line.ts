/**
 * One audit entry as a line of the console's log, in the viewer's language: "王县长 showed
 * 砀山酥梨 · 14:02:11". The relay stores values only (shared/audit.ts); the words are made
 * here, so a log read in Paris and in 砀山 says the same thing in two languages. A shared role
 * token has no name: the line names its role.
 */
import type { AuditEntry } from '../../shared/audit.js';
import { cachedFormat } from '../../shared/money.js';
import type { Locale, MessageKey, Translate } from './i18n.js';

/** Who sent it: the person's name, else the shared token's role. */
export const auditWho = (entry: Pick<AuditEntry, 'by'>, t: Translate): string => entry.by.name ?? t(`audit.by.${entry.by.role}` as MessageKey);

/**
 * When, as the log writes it (24-hour clock, seconds), in the room's time zone when it has one.
 * The log's 50 lines are written again on every state: one formatter per locale and zone.
 */
export function auditTime(at: number, locale: Locale, timeZone?: string): string {
  const clock = cachedFormat(`audit|${locale}|${timeZone ?? ''}`, () => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, ...(timeZone !== undefined && { timeZone }) }));
  return clock.format(at);
}

/** What was done, without the time: "王县长 showed 砀山酥梨". */
export function auditWhat(entry: Pick<AuditEntry, 'type' | 'by' | 'summary'>, t: Translate): string {
  const s = entry.summary;
  return t(`audit.${entry.type}` as MessageKey, {
    who: auditWho(entry, t),
    name: s.name ?? s.productId ?? '—',
    quantity: s.quantity ?? 1,
    stock: s.stock === null ? '∞' : (s.stock ?? ''),
    text: s.text ?? '',
    seconds: s.seconds ?? 0,
    label: s.label ?? '',
    perMinute: s.perMinute ?? 0,
    orders: s.orders ?? 0,
  });
}

export function auditLine(entry: Pick<AuditEntry, 'type' | 'by' | 'summary' | 'at'>, t: Translate, locale: Locale, timeZone?: string, what = auditWhat(entry, t)): string {
  return t('audit.line', { what, time: auditTime(entry.at, locale, timeZone) });
}
