/**
 * The relay's refusals in the console's three languages (extension/ui/relay-errors.ts).
 * The reasons come from the reducer's typed list (REFUSAL_REASONS), the relay's own codes are
 * read from its source, and the refusals in the table are made by the real reducer and the
 * real command schema, so a new reason without a text fails here instead of reaching a host
 * in English.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TYPES, parseCommand } from '../../shared/commands.js';
import { STATUS_OF } from '../../shared/protocol.js';
import { REFUSAL_REASONS, type RoomError } from '../../shared/room-reducer.js';
import { LOCALES, MESSAGES, translator, type Locale, type MessageKey } from '../../extension/ui/i18n.js';
import { CODE_KEYS, commandKey, fieldLabelKey, REASON_KEYS, relayErrorText, relayNoticeText } from '../../extension/ui/relay-errors.js';
import { seededRelay, TestRelay } from './room-harness.js';

const ROOT = join(import.meta.dirname, '../..');
const source = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const t = (l: Locale) => translator(l);
const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Every code/reason pair the reducer can refuse with. */
const reducerReasons = Object.entries(REFUSAL_REASONS).map(([reason, code]) => ({ code, reason }));
/** Codes the relay answers with itself: errorBody('…'), the handshake's fail('…'), room-hub's { code: '…' }, in every file of the relay. */
const relaySources = readdirSync(join(ROOT, 'overlay/relay'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => source(join('overlay/relay', f)));
const relayCodes = new Set(relaySources.flatMap((text) => [...text.matchAll(/(?:errorBody\(|fail\(|code: )'(\w+)'/g)].map((m) => m[1]!)));

function refusal(out: { kind: string; error?: RoomError } | { ok: boolean; error?: RoomError }): RoomError {
  if (!out.error) throw new Error(`expected a refusal, got ${JSON.stringify(out)}`);
  return out.error;
}

describe('relay error texts: coverage read from the code', () => {
  it('lists the reducer’s reasons and finds the relay’s codes in its source', () => {
    expect(reducerReasons.length).toBeGreaterThanOrEqual(16);
    expect([...relayCodes].sort()).toEqual(expect.arrayContaining(['forbidden', 'invalid', 'not_found', 'protocol_mismatch', 'rate_limited', 'unauthorized', 'unavailable']));
  });

  it('has a text for every reason the reducer refuses with, in every language', () => {
    for (const { code, reason } of reducerReasons) {
      expect(Object.keys(REASON_KEYS), `reason ${reason}`).toContain(reason);
      for (const l of LOCALES) {
        const text = relayErrorText({ code, reason, message: `English ${reason}` }, t(l), { product: { name: 'X', stock: 1 } });
        expect(text, `${reason} in ${l}`).not.toContain(`English ${reason}`);
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('has a text for every protocol code and every code the relay answers with, in every language', () => {
    for (const code of new Set([...Object.keys(STATUS_OF), ...relayCodes])) {
      for (const l of LOCALES) {
        const text = relayErrorText({ code, message: `English ${code}` }, t(l));
        expect(text, `${code} in ${l}`).not.toContain(`English ${code}`);
        expect(text).not.toMatch(/\{\w+\}/);
      }
    }
    expect(Object.keys(CODE_KEYS).sort()).toEqual(Object.keys(STATUS_OF).filter((c) => c !== 'invalid').sort());
  });

  it('names the action of every command type', () => {
    for (const type of COMMAND_TYPES) expect(commandKey(type), type).not.toBeNull();
  });
});

describe('relay error texts: refusals made by the real reducer', () => {
  const { r, pom, rice, egg } = seededRelay();
  const pomNow = () => ({ name: r.product(pom).name, stock: r.product(pom).stock });
  r.ok({ type: 'sale.record', productId: pom, quantity: 2 });

  // [code, reason, the refusal, the product the console would name, the texts]
  const table: { name: string; error: () => RoomError; product?: () => { name: string; stock: number | null }; en: string; zh: string; fr: string }[] = [
    {
      name: 'a sale beyond the stock',
      error: () => refusal(r.apply({ type: 'sale.record', productId: pom, quantity: 9 })),
      product: pomNow,
      en: 'Not enough “永春芦柑” in stock: 3 left. Restock it or sell fewer.',
      zh: '“永春芦柑”库存不足：只剩 3 件。请先补货，或减少数量。',
      fr: 'Stock insuffisant pour « 永春芦柑 » : il en reste 3. Réassortez ou vendez moins.',
    },
    {
      name: 'a sale of a product marked sold out',
      error: () => {
        const m = new TestRelay();
        const id = m.ok({ type: 'product.add', product: { sku: 'A', name: '砀山酥梨', priceMinor: 100 } }).productId!;
        m.ok({ type: 'product.soldOut', productId: id });
        return refusal(m.apply({ type: 'sale.record', productId: id }));
      },
      product: () => ({ name: '砀山酥梨', stock: null }),
      en: 'Sales of “砀山酥梨” are paused: it is marked sold out. Put it back on sale (⋯ → Back on sale) first.',
      zh: '“砀山酥梨”已标为售罄，暂停销售。请先恢复在售（⋯ → 恢复在售）。',
      fr: 'Les ventes de « 砀山酥梨 » sont suspendues : il est marqué épuisé. Remettez-le d’abord en vente (⋯ → Remettre en vente).',
    },
    {
      name: 'a sale at a price that changed',
      error: () => refusal(r.apply({ type: 'sale.record', productId: pom, unitPriceMinor: 1 })),
      product: pomNow,
      en: 'The price of “永春芦柑” changed meanwhile. Check the new price and record the sale again.',
      zh: '“永春芦柑”的价格刚刚变了。请核对新价格后重新记一单。',
      fr: 'Le prix de « 永春芦柑 » vient de changer. Vérifiez le nouveau prix et enregistrez la vente à nouveau.',
    },
    {
      name: 'a second product with the same SKU',
      error: () => refusal(r.apply({ type: 'product.add', product: { sku: 'POM', name: 'again', priceMinor: 1 } })),
      en: 'Another product in this room already has this SKU. Give this one a different SKU.',
      zh: '本直播间已有商品使用这个商品编码。请换一个编码。',
      fr: 'Un autre produit du salon a déjà cette référence. Donnez-lui une autre référence.',
    },
    {
      name: 'a command about a removed product',
      error: () => refusal(r.apply({ type: 'card.show', productId: 'p_gone' })),
      en: 'The product is no longer in this room (it was removed, perhaps on another device). The queue below is up to date.',
      zh: '该商品已不在本直播间（可能已在其他设备上删除）。下方队列是最新的。',
      fr: 'Ce produit n’est plus dans le salon (retiré, peut-être depuis un autre appareil). La file ci-dessous est à jour.',
    },
    {
      name: 'a command based on an old version',
      error: () => refusal(r.apply({ type: 'stock.set', productId: rice, stock: 3, baseVersion: 0 })),
      en: 'The room changed on another device meanwhile. The queue is up to date now: check it and try again.',
      zh: '直播间刚在其他设备上被修改。队列已更新，请核对后重试。',
      fr: 'Le salon a changé entre-temps sur un autre appareil. La file est à jour : vérifiez-la et réessayez.',
    },
    {
      name: 'a co-host price change',
      error: () => refusal(r.apply({ type: 'product.update', productId: pom, changes: { priceMinor: 1 } }, 'cohost')),
      en: 'This pairing may not do that: prices, stock and sales belong to the host. Use the host pairing link to change them.',
      zh: '当前配对无权执行此操作：价格、库存和销售由主播管理。如需修改，请使用主播配对链接。',
      fr: 'Cet appairage ne le permet pas : prix, stock et ventes sont réservés à l’animateur. Utilisez le lien d’appairage animateur.',
    },
  ];

  for (const row of table) {
    it(`says in zh-CN, en and fr what happened and what to do: ${row.name}`, () => {
      const error = row.error();
      const ctx = { product: row.product?.(), locale: 'zh-CN' };
      expect(relayErrorText(error, t('en'), ctx)).toBe(row.en);
      expect(relayErrorText(error, t('zh-CN'), ctx)).toBe(row.zh);
      expect(relayErrorText(error, t('fr'), ctx)).toBe(row.fr);
    });
  }

  it('gives every other reducer refusal its own text (not the code’s generic one)', () => {
    const empty = new TestRelay();
    const voided = seededRelay();
    const sale = voided.r.ok({ type: 'sale.record', productId: voided.rice }).saleId!;
    voided.r.ok({ type: 'sale.void', saleId: sale });
    const refunded = seededRelay();
    const partly = refunded.r.ok({ type: 'sale.record', productId: refunded.rice, quantity: 2 }).saleId!;
    refunded.r.ok({ type: 'sale.refund', saleId: partly, quantity: 1 });
    const lonely = new TestRelay();
    const only = lonely.ok({ type: 'product.add', product: { sku: 'ONE', name: 'one', priceMinor: 1 } }).productId!;
    lonely.ok({ type: 'card.show', productId: only });
    const huge = new TestRelay();
    const big = huge.ok({ type: 'product.add', product: { sku: 'BIG', name: 'big', priceMinor: 100_000_000_000 } }).productId!;
    const full = new TestRelay();
    for (let i = 0; i < 2000; i++) full.ok({ type: 'product.add', product: { sku: `S${i}`, name: `n${i}`, priceMinor: 1 } });
    const cases: [string, RoomError][] = [
      ['unknown_sku', refusal(r.apply({ type: 'sale.record', sku: 'NOPE' }))],
      ['empty_queue', refusal(empty.apply({ type: 'card.next' }))],
      ['nothing_next', refusal(lonely.apply({ type: 'card.next' }))],
      ['unknown_sale', refusal(r.apply({ type: 'sale.void', saleId: 'sale_nope' }))],
      ['already_voided', refusal(voided.r.apply({ type: 'sale.void', saleId: sale }))],
      ['refund_too_large', refusal(refunded.r.apply({ type: 'sale.refund', saleId: partly, quantity: 2 }))],
      ['unknown_message', refusal(r.apply({ type: 'ticker.clear', messageId: 'msg_nope' }))],
      ['currency_locked', refusal(r.apply({ type: 'room.update', changes: { currency: 'EUR' } }))],
      ['too_large', refusal(huge.apply({ type: 'sale.record', productId: big, quantity: 100_000 }))],
      ['too_many_products', refusal(full.apply({ type: 'product.add', product: { sku: 'LAST', name: 'last', priceMinor: 1 } }))],
    ];
    // A sold-out product with stock 0 (egg) refuses as out_of_stock, not sold_out.
    expect(refusal(r.apply({ type: 'sale.record', productId: egg })).reason).toBe('out_of_stock');
    const seen = new Set<string>();
    for (const [reason, error] of cases) {
      expect(error.reason).toBe(reason);
      for (const l of LOCALES) {
        const text = relayErrorText(error, t(l));
        expect(text).toBe(t(l)(REASON_KEYS[reason as keyof typeof REASON_KEYS]));
        expect(text).not.toBe(relayErrorText({ code: error.code, message: '' }, t(l)));
        seen.add(`${l}:${text}`);
      }
    }
    expect(seen.size).toBe(cases.length * LOCALES.length);
    // Filling a room to MAX_PRODUCTS through the reducer (2,000 adds, each copying the queue) takes
    // ~1 s alone and over 5 s on a loaded 2-core machine: a longer limit than vitest's 5 s default.
  }, 30_000);

  it('without the product’s stock at hand, still says it is out of stock', () => {
    const error = refusal(r.apply({ type: 'sale.record', productId: pom, quantity: 9 }));
    expect(relayErrorText(error, t('fr'))).toBe('Stock insuffisant pour ce produit. Réassortez ou vendez moins.');
    expect(relayErrorText(error, t('zh-CN'), { product: { name: '永春芦柑', stock: null } })).toBe('“永春芦柑”库存不足。请先补货，或减少数量。');
  });

  it('formats the stock left in the console’s language', () => {
    const error: RoomError = { code: 'conflict', reason: 'out_of_stock', message: 'only 1600 of "x" left, 2000 asked' };
    expect(relayErrorText(error, t('fr'), { product: { name: 'x', stock: 1600 }, locale: 'fr' })).toContain('il en reste 1\u202f600.');
    expect(relayErrorText(error, t('en'), { product: { name: 'x', stock: 1600 }, locale: 'en' })).toContain('1,600 left.');
  });
});

describe('relay error texts: invalid commands name the field', () => {
  /** The relay's own `invalid` answer for a raw command (overlay/relay/answers.ts submit()). */
  function invalid(raw: Record<string, unknown>) {
    const parsed = parseCommand({ id: 'c1', ...raw });
    if (parsed.ok) throw new Error('expected the schema to refuse it');
    const first = parsed.issues[0]!;
    return { code: 'invalid', status: 400, message: `${first.field}: ${first.message}`, field: first.field };
  }

  it.each([
    [{ type: 'product.add', product: { sku: 'A', name: 'a', priceMinor: -1 } }, 'product.priceMinor', 'Price', '售价', 'Prix'],
    [{ type: 'product.update', productId: 'p1', changes: { name: '' } }, 'changes.name', 'Name', '商品名称', 'Nom'],
    [{ type: 'stock.set', productId: 'p1', stock: -3 }, 'stock', 'Stock', '库存', 'Stock'],
    [{ type: 'sale.record', productId: 'p1', quantity: 0 }, 'quantity', 'Quantity', '数量', 'Quantité'],
    [{ type: 'ticker.push', text: 'x'.repeat(141) }, 'text', 'Ticker message', '滚动字幕', 'Message du bandeau'],
    [{ type: 'countdown.start', seconds: 0 }, 'seconds', 'Seconds', '秒', 'Secondes'],
    [{ type: 'room.update', changes: { currency: 'XXXX' } }, 'changes.currency', 'Currency', '币种', 'Devise'],
  ])('%j → field %s', (raw, field, en, zh, fr) => {
    const error = invalid(raw);
    expect(error.field).toBe(field);
    expect(relayErrorText(error, t('en'))).toBe(`The relay did not accept the value of “${en}”. Correct it and try again.`);
    expect(relayErrorText(error, t('zh-CN'))).toBe(`中继不接受“${zh}”的值。请修改后重试。`);
    expect(relayErrorText(error, t('fr'))).toBe(`Le relais n’accepte pas la valeur de « ${fr} ». Corrigez-la et réessayez.`);
  });

  it('a field a host cannot edit (a newer command, an id) says to align the versions', () => {
    const error = invalid({ type: 'card.dance' });
    expect(fieldLabelKey(error.field)).toBeNull();
    expect(relayErrorText(error, t('fr'))).toBe(`Le relais n’accepte pas cette commande (${error.field}). Mettez l’extension et le relais à la même version.`);
  });
});

describe('relay error texts: fallbacks and the notice line', () => {
  it('quotes the relay’s English message for a code this extension does not know', () => {
    const error = { code: 'payment_required', message: 'the room needs a paid plan' };
    expect(relayErrorText(error, t('en'))).toBe('The relay said: “the room needs a paid plan”');
    expect(relayErrorText(error, t('zh-CN'))).toBe('中继返回：“the room needs a paid plan”');
    expect(relayErrorText(error, t('fr'))).toBe('Le relais a répondu : « the room needs a paid plan »');
  });

  it('an unknown reason of a known code gets that code’s text', () => {
    expect(relayErrorText({ code: 'conflict', reason: 'moon_phase', message: 'x' }, t('zh-CN'))).toBe(MESSAGES['zh-CN']['relayError.conflict']);
  });

  it('puts the action that did not happen first', () => {
    const error = { code: 'conflict', reason: 'out_of_stock', message: 'only 2 of "石榴" left, 5 asked' };
    const ctx = { commandType: 'sale.record', product: { name: '石榴', stock: 2 }, locale: 'zh-CN' };
    expect(relayNoticeText(error, t('zh-CN'), ctx)).toBe('销售未记录。“石榴”库存不足：只剩 2 件。请先补货，或减少数量。');
    expect(relayNoticeText(error, t('fr'), { ...ctx, locale: 'fr' })).toBe('Vente non enregistrée. Stock insuffisant pour « 石榴 » : il en reste 2. Réassortez ou vendez moins.');
    expect(relayNoticeText({ code: 'rate_limited', message: 'slow down' }, t('en'))).toBe(MESSAGES.en['relayError.rate_limited']);
  });
});

describe('console messages in zh-CN, en and fr', () => {
  const keys = Object.keys(MESSAGES.en) as MessageKey[];

  it('has every key in every language, with the same {params}', () => {
    for (const l of LOCALES) {
      expect(Object.keys(MESSAGES[l]).sort(), l).toEqual([...keys].sort());
      for (const k of keys) {
        expect(MESSAGES[l][k].trim(), `${l} ${k}`).not.toBe('');
        expect(params(MESSAGES[l][k]), `${l} ${k}`).toEqual(params(MESSAGES.en[k]));
      }
    }
  });

  it('translates every relay error and action (not an English copy)', () => {
    const same = new Set<MessageKey>(['relayError.productName', 'relayError.notice']); // punctuation only
    const relayKeys = keys.filter((k) => k.startsWith('relayError.') || k.startsWith('command.'));
    expect(relayKeys.length).toBeGreaterThan(40);
    for (const k of relayKeys) {
      if (same.has(k)) continue;
      expect(MESSAGES['zh-CN'][k], k).not.toBe(MESSAGES.en[k]);
      expect(MESSAGES['zh-CN'][k], k).toMatch(/[\u4e00-\u9fff]/);
      expect(MESSAGES.fr[k], k).not.toBe(MESSAGES.en[k]);
    }
  });

  it('the French price hint shows an amount the French price field accepts', async () => {
    const { decimalMarkOf, parseMoney } = await import('../../shared/money.js');
    const { amountExamples } = await import('../../extension/ui/input-errors');
    const { example } = amountExamples('EUR', decimalMarkOf('fr'));
    expect(t('fr')('error.price', { example })).toBe('Tapez un montant, comme 59,90');
    expect(parseMoney(example, 'EUR', decimalMarkOf('fr'))).toBe(5990);
  });
});
