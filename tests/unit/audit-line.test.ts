/** The console's words for an audit entry (extension/ui/audit-line.ts), in every language. */
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES } from '../../shared/commands.js';
import { auditLine } from '../../extension/ui/audit-line.js';
import { LOCALES, translator } from '../../extension/ui/i18n.js';

const AT = Date.UTC(2026, 11, 3, 6, 2, 11);

describe('audit lines', () => {
  it.each([
    ['zh-CN', { role: 'cohost', personId: 'pe_1', name: '王县长' }, '王县长展示了砀山酥梨 · 14:02:11'],
    ['en', { role: 'cohost', personId: 'pe_1', name: '王县长' }, '王县长 showed 砀山酥梨 · 14:02:11'],
    ['fr', { role: 'cohost' }, 'Co-animateur a affiché 砀山酥梨 · 14:02:11'],
  ] as const)('%s names the person, or the role of a shared token', (locale, by, line) => {
    expect(auditLine({ type: 'card.show', by, summary: { productId: 'p1', name: '砀山酥梨' }, at: AT }, translator(locale), locale, 'Asia/Shanghai')).toBe(line);
  });

  it('has words for every command type in every language, with no placeholder left', () => {
    for (const locale of LOCALES) {
      for (const type of COMMAND_TYPES) {
        const line = auditLine({ type, by: { role: 'host' }, summary: { name: 'n', quantity: 2, stock: 3, text: 'x', seconds: 60 }, at: AT }, translator(locale), locale, 'UTC');
        expect(line, `${locale} ${type}`).not.toMatch(/[{}]|audit\./);
      }
    }
  });
});
