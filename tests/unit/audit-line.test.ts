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

  it.each([
    ['zh-CN', 'rehearsal.start', { perMinute: 30, quantity: 3000, seconds: 60 }, '主播开始彩排：每分钟 30 单，60 秒冲刺 3000 单 · 14:02:11'],
    ['en', 'rehearsal.start', { perMinute: 30, quantity: 3000, seconds: 60 }, 'Host started a rehearsal: 30 orders/min, rush 3000 in 60 s · 14:02:11'],
    ['fr', 'rehearsal.stop', {}, 'Hôte a arrêté les commandes simulées · 14:02:11'],
    ['en', 'rehearsal.end', { orders: 3012 }, 'Host ended the rehearsal: 3012 practice orders taken out · 14:02:11'],
    ['zh-CN', 'rehearsal.end', { orders: 3012 }, '主播结束彩排：撤出 3012 笔练习订单 · 14:02:11'],
  ] as const)('%s words %s with its pace or the orders it took out', (locale, type, summary, line) => {
    expect(auditLine({ type, by: { role: 'host' }, summary, at: AT }, translator(locale), locale, 'Asia/Shanghai')).toBe(line);
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
