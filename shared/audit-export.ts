/**
 * The audit log as a CSV for a spreadsheet (GET /api/rooms/:room/audit?format=csv): UTF-8 with a
 * BOM so Excel reads the Chinese names, times as ISO 8601 UTC, the summary as its JSON (its
 * fields differ by command type). Formula-looking cells are escaped: names and ticker texts
 * are typed by people.
 */
import Papa from 'papaparse';
import type { AuditEntry } from './audit.js';

export const AUDIT_CSV_COLUMNS = ['seq', 'at', 'command_id', 'type', 'role', 'person_id', 'name', 'summary'] as const;

/** Header first with the BOM; `header: false` for a following page. */
export function auditCsv(entries: readonly AuditEntry[], { header }: { header: boolean }): string {
  const rows = entries.map((e) => [String(e.seq), new Date(e.at).toISOString(), e.commandId, e.type, e.by.role, e.by.personId ?? '', e.by.name ?? '', JSON.stringify(e.summary)]);
  const body = Papa.unparse({ fields: [...AUDIT_CSV_COLUMNS], data: rows }, { header, newline: '\r\n', escapeFormulae: true });
  return header ? '\uFEFF' + body + '\r\n' : rows.length ? body + '\r\n' : '';
}
