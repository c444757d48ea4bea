import { describe, expect, it } from 'vitest';
import { collectLookups, COMMAND_TYPES, parseCommand, roleMay, type Command, type LookupKeys } from '../../shared/commands.js';
import { RoomInfoSchema } from '../../shared/domain.js';

const add = (product: Record<string, unknown>) => ({ id: 'c1', type: 'product.add', product: { sku: 'POM', name: '芦柑', priceMinor: 5990, ...product } });

describe('command schema: field-level errors', () => {
  // [what, input, field, message fragment]
  const refused: [string, unknown, string, string | RegExp][] = [
    ['a decimal price', add({ priceMinor: 59.9 }), 'product.priceMinor', /whole number of minor units.*not a decimal/],
    ['a price as a string', add({ priceMinor: '5990' }), 'product.priceMinor', 'whole number of minor units'],
    ['a negative price', add({ priceMinor: -1 }), 'product.priceMinor', 'must not be negative'],
    ['a decimal original price', add({ originalPriceMinor: 79.9 }), 'product.originalPriceMinor', 'not a decimal'],
    ['an empty name', add({ name: '' }), 'product.name', 'must not be empty'],
    ['a name of spaces only', add({ name: '   ' }), 'product.name', 'must not be empty'],
    ['a SKU with a space', add({ sku: 'YS POM' }), 'product.sku', 'must not contain spaces'],
    ['a fractional stock', add({ stock: 1.5 }), 'product.stock', 'whole number of units'],
    ['a negative stock', add({ stock: -3 }), 'product.stock', 'must not be negative'],
    ['a javascript: image URL', add({ imageUrl: 'javascript:alert(1)' }), 'product.imageUrl', 'http(s) URL'],
    ['an unknown product field', add({ colour: 'red' }), 'product', 'unknown field(s): colour'],
    ['an unknown top-level field', { id: 'c1', type: 'card.hide', extra: 1 }, '(body)', 'unknown field(s): extra'],
    ['an id with a space', { id: 'a b', type: 'card.hide' }, 'id', 'letters, digits'],
    ['an id with a slash', { id: 'a/b', type: 'card.hide' }, 'id', 'letters, digits'],
    ['an empty id', { id: '', type: 'card.hide' }, 'id', 'must not be empty'],
    ['an id of 81 characters', { id: 'x'.repeat(81), type: 'card.hide' }, 'id', 'at most 80'],
    ['a missing id', { type: 'card.hide' }, 'id', /./],
    ['an unknown type', { id: 'c1', type: 'card.fly' }, 'type', 'unknown command type'],
    ['a missing type', { id: 'c1' }, 'type', 'unknown command type'],
    ['a negative baseVersion', { id: 'c1', type: 'card.hide', baseVersion: -1 }, 'baseVersion', /./],
    ['sale.record without productId or sku', { id: 'c1', type: 'sale.record', quantity: 1 }, 'productId', 'give productId or sku'],
    ['sale.record of 0 units', { id: 'c1', type: 'sale.record', productId: 'p1', quantity: 0 }, 'quantity', 'at least 1'],
    ['sale.record of 1.5 units', { id: 'c1', type: 'sale.record', productId: 'p1', quantity: 1.5 }, 'quantity', 'whole number'],
    ['sale.record with a decimal unit price', { id: 'c1', type: 'sale.record', productId: 'p1', unitPriceMinor: 59.9 }, 'unitPriceMinor', 'not a decimal'],
    ['sale.record with an empty orderId', { id: 'c1', type: 'sale.record', productId: 'p1', orderId: ' ' }, 'orderId', /./],
    ['stock.set without stock', { id: 'c1', type: 'stock.set', productId: 'p1' }, 'stock', 'or null for unlimited'],
    ['stock.set below 0', { id: 'c1', type: 'stock.set', productId: 'p1', stock: -1 }, 'stock', 'must not be negative'],
    ['product.update with no change', { id: 'c1', type: 'product.update', productId: 'p1', changes: {} }, 'changes', 'at least one field'],
    ['product.update of stock (stock.set owns it)', { id: 'c1', type: 'product.update', productId: 'p1', changes: { stock: 3 } }, 'changes', 'unknown field(s): stock'],
    ['product.update with a decimal price', { id: 'c1', type: 'product.update', productId: 'p1', changes: { priceMinor: 0.5 } }, 'changes.priceMinor', 'not a decimal'],
    ['ticker.push of spaces', { id: 'c1', type: 'ticker.push', text: '   ' }, 'text', 'must not be empty'],
    ['ticker.push of 141 characters', { id: 'c1', type: 'ticker.push', text: '字'.repeat(141) }, 'text', 'at most 140'],
    ['countdown.start of 0 seconds', { id: 'c1', type: 'countdown.start', seconds: 0 }, 'seconds', 'at least 1'],
    ['countdown.start of more than a day', { id: 'c1', type: 'countdown.start', seconds: 86_401 }, 'seconds', 'at most 86400'],
    ['room.update with a lower-case currency', { id: 'c1', type: 'room.update', changes: { currency: 'usd' } }, 'changes.currency', 'ISO 4217'],
    ['room.update with a made-up currency', { id: 'c1', type: 'room.update', changes: { currency: 'XYZ' } }, 'changes.currency', 'not a currency'],
    ['room.update with a bad locale', { id: 'c1', type: 'room.update', changes: { locale: 'not a locale!' } }, 'changes.locale', 'BCP 47'],
    ['room.update with nothing', { id: 'c1', type: 'room.update', changes: {} }, 'changes', 'at least one field'],
    ['a body that is not an object', 'card.hide', '(body)', /./],
    ['a null body', null, '(body)', /./],
  ];

  it.each(refused)('refuses %s, naming the field', (_what, input, field, message) => {
    const r = parseCommand(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const issue = r.issues.find((i) => i.field === field);
    expect(issue, `issues were ${JSON.stringify(r.issues)}`).toBeDefined();
    if (typeof message === 'string') expect(issue?.message).toContain(message);
    else expect(issue?.message).toMatch(message);
  });

  // [what, input, expected parsed fields]
  const accepted: [string, unknown, Record<string, unknown>][] = [
    ['a product with integer minor units', add({ stock: null, originalPriceMinor: 7990 }), { product: { sku: 'POM', name: '芦柑', priceMinor: 5990, stock: null, originalPriceMinor: 7990 } }],
    ['a price of 0 (a gift)', add({ priceMinor: 0 }), { product: expect.objectContaining({ priceMinor: 0 }) }],
    ['names and SKUs are trimmed', add({ sku: ' POM ', name: ' 芦柑 ' }), { product: expect.objectContaining({ sku: 'POM', name: '芦柑' }) }],
    ['ids with _ : . -', { id: 'ext:a_b.c-1', type: 'card.hide' }, { id: 'ext:a_b.c-1' }],
    ['sale.record by SKU only', { id: 'c1', type: 'sale.record', sku: 'POM' }, { sku: 'POM' }],
    ['sale.record with a baseVersion', { id: 'c1', type: 'sale.record', productId: 'p1', quantity: 2, baseVersion: 7 }, { quantity: 2, baseVersion: 7 }],
    ['stock.set to unlimited', { id: 'c1', type: 'stock.set', productId: 'p1', stock: null }, { stock: null }],
    ['a real currency change', { id: 'c1', type: 'room.update', changes: { currency: 'JPY' } }, { changes: { currency: 'JPY' } }],
  ];

  it.each(accepted)('accepts %s', (_what, input, fields) => {
    const r = parseCommand(input);
    expect(r.ok ? r.value : r.issues).toMatchObject(fields);
  });
});

describe('money in commands is integers only', () => {
  it.each([59.9, 0.1, 1e-9, Number.NaN, Number.POSITIVE_INFINITY, '5990', null])('refuses priceMinor %s', (priceMinor) => {
    const r = parseCommand(add({ priceMinor }));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map((i) => i.field)).toContain('product.priceMinor');
  });

  it.each([0, 1, 5990, 1_000_000_000_00])('accepts priceMinor %s', (priceMinor) => {
    expect(parseCommand(add({ priceMinor })).ok).toBe(true);
  });

  it('refuses a price above a billion major units', () => {
    const r = parseCommand(add({ priceMinor: 1_000_000_000_01 }));
    expect(r.ok ? [] : r.issues).toEqual([{ field: 'product.priceMinor', message: 'is too large' }]);
  });
});

describe('COMMAND_TYPES and roleMay', () => {
  it('lists the sixteen command types of the issue, sale.refund and the seller-page reader\'s (issue 13), the presale commands (issue 17), presets.set (issue 18) and the rehearsal (issue 19)', () => {
    expect([...COMMAND_TYPES].sort()).toEqual(
      ['card.hide', 'card.next', 'card.show', 'command.undo', 'countdown.start', 'countdown.stop', 'product.add', 'product.remove', 'product.soldOut', 'product.update', 'presale.clear', 'presale.set', 'presets.set', 'queue.move', 'rehearsal.end', 'rehearsal.start', 'rehearsal.stop', 'room.update', 'sale.observe', 'sale.record', 'sale.refund', 'sale.settle', 'sale.unobserve', 'sale.void', 'stock.set', 'ticker.clear', 'ticker.push'].sort(),
    );
  });

  it('[R8] the host may send every command and the overlay none', () => {
    expect(COMMAND_TYPES.every((t) => roleMay('host', t))).toBe(true);
    expect(COMMAND_TYPES.some((t) => roleMay('overlay', t))).toBe(false);
  });

  it('[R8] a sales token may record a sale and refund one (a shop reports both) but not undo one or change stock', () => {
    expect(COMMAND_TYPES.filter((t) => roleMay('sales', t))).toEqual(['sale.record', 'sale.refund']);
  });
});

describe('the stored records a batch looks up', () => {
  const parsed = (input: Record<string, unknown>): Command => {
    const r = parseCommand({ id: 'c1', ...input });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return r.value;
  };

  it('are the sales sale.void undoes and the orderIds sale.record repeats, in batch order', () => {
    const keys: LookupKeys = { saleIds: [], orderIds: [], auditIds: [] };
    for (const c of [
      parsed({ type: 'sale.record', productId: 'p1', orderId: 'o-1' }),
      parsed({ type: 'sale.record', productId: 'p1' }),
      parsed({ type: 'sale.void', saleId: 's-1' }),
      parsed({ type: 'card.show', productId: 'p1' }),
      parsed({ type: 'sale.record', sku: 'POM', orderId: 'o-2' }),
      parsed({ type: 'sale.void', saleId: 's-2' }),
    ]) {
      collectLookups(c, keys);
    }
    expect(keys).toEqual({ saleIds: ['s-1', 's-2'], orderIds: ['o-1', 'o-2'], auditIds: [] });
  });

  it('include the sale a sale.refund refunds', () => {
    const keys: LookupKeys = { saleIds: [], orderIds: [], auditIds: [] };
    for (const c of [parsed({ type: 'sale.refund', saleId: 's-1', quantity: 1 }), parsed({ type: 'sale.void', saleId: 's-2' })]) collectLookups(c, keys);
    expect(keys).toEqual({ saleIds: ['s-1', 's-2'], orderIds: [], auditIds: [] });
  });

  it("include the audit entry command.undo reverses, and the sale of the same id (undoing a sale.record voids it)", () => {
    const keys: LookupKeys = { saleIds: [], orderIds: [], auditIds: [] };
    collectLookups(parsed({ type: 'command.undo', commandId: 'show-1' }), keys);
    expect(keys).toEqual({ saleIds: ['show-1'], orderIds: [], auditIds: ['show-1'] });
  });

  it('sale.refund needs a whole, positive quantity', () => {
    for (const quantity of [0, -1, 1.5, '2', undefined]) {
      const r = parseCommand({ id: 'c1', type: 'sale.refund', saleId: 's-1', quantity });
      expect(r.ok, String(quantity)).toBe(false);
      expect(r.ok ? [] : r.issues.map((i) => i.field)).toEqual(['quantity']);
    }
  });
});

describe('RoomInfoSchema', () => {
  it.each([
    [{ title: '周末直播', currency: 'CNY', locale: 'zh-CN' }, true],
    [{ title: 'Soirée', currency: 'EUR', locale: 'fr' }, true],
    [{ title: '', currency: 'CNY', locale: 'zh-CN' }, false],
    [{ title: 'x', currency: 'RMB', locale: 'zh-CN' }, false],
    [{ title: 'x', currency: 'CNY', locale: 'zh_CN!' }, false],
    [{ title: 'x', currency: 'CNY', locale: 'zh-CN', extra: 1 }, false],
    [{ title: 'x', currency: 'CNY', locale: 'zh-CN', timeZone: 'Asia/Shanghai', series: '砀山梨花节' }, true],
    [{ title: 'x', currency: 'EUR', locale: 'fr', timeZone: 'UTC' }, true],
    [{ title: 'x', currency: 'CNY', locale: 'zh-CN', timeZone: 'Mars/Olympus_Mons' }, false],
    [{ title: 'x', currency: 'CNY', locale: 'zh-CN', series: 'x'.repeat(61) }, false],
  ])('%j valid: %s', (info, ok) => {
    expect(RoomInfoSchema.safeParse(info).success).toBe(ok);
  });
});
