/**
 * The relay's refusals in the host's language. The relay answers in English
 * (`{code, reason?, message, field?}`, shared/protocol.ts); the console says what happened and
 * what to do from `reason` (the reducer's stable reasons, shared/commands/refusals.ts), else from
 * `code`, with the field's own label for `invalid`. A code this extension does not know (a newer
 * relay) falls back to the relay's English words, quoted. Pure and zod-free: the side panel's
 * first bundle imports it.
 */
import { COMMAND_META, isCommandType, type CommandType } from '../../shared/commands/meta';
import type { RefusalReason } from '../../shared/commands/refusals';
import type { ErrorCode } from '../../shared/protocol';
import { formatCount } from '../../shared/money';
import { fieldErrorLabel, PRODUCT_FIELDS } from '../../shared/product-fields';
import type { MessageKey, Translate } from './i18n';

export interface RelayErrorLike {
  code: string;
  reason?: string | null;
  message: string;
  field?: string | null;
}

/** What the page knows about the refused command, from its room state. */
export interface RelayErrorContext {
  commandType?: string;
  /** The product the command was about, as the room state has it now (undefined when unknown). */
  product?: { name: string; stock: number | null } | undefined;
  locale?: string;
}

/** Every reason the reducer refuses with, and what it says (exhaustive: a new RefusalReason does not compile until it has a text). */
export const REASON_KEYS = {
  too_many_products: 'relayError.too_many_products',
  duplicate_sku: 'relayError.duplicate_sku',
  unknown_product: 'relayError.unknown_product',
  empty_queue: 'relayError.empty_queue',
  nothing_next: 'relayError.nothing_next',
  unknown_sku: 'relayError.unknown_sku',
  price_changed: 'relayError.price_changed',
  sold_out: 'relayError.sold_out',
  out_of_stock: 'relayError.out_of_stock',
  too_large: 'relayError.amount_too_large',
  unknown_sale: 'relayError.unknown_sale',
  already_voided: 'relayError.already_voided',
  refund_too_large: 'relayError.refund_too_large',
  idempotency_mismatch: 'relayError.idempotency_mismatch',
  refund_changed: 'relayError.refund_changed',
  unknown_message: 'relayError.unknown_message',
  currency_locked: 'relayError.currency_locked',
  role: 'relayError.role',
  stale_version: 'relayError.stale_version',
  superseded: 'relayError.superseded',
  not_undoable: 'relayError.not_undoable',
  unknown_command: 'relayError.unknown_command',
  already_undone: 'relayError.already_undone',
  duplicate_preset: 'relayError.duplicate_preset',
  not_rehearsing: 'relayError.not_rehearsing',
  rehearsal_over: 'relayError.rehearsal_over',
} as const satisfies Record<RefusalReason, MessageKey>;

/**
 * Every code of the protocol (exhaustive: a new ErrorCode does not compile until it has a text).
 * `invalid` is worded from its field (fieldLabelKey), so it is not here.
 */
export const CODE_KEYS: Record<Exclude<ErrorCode, 'invalid'>, MessageKey> = {
  unauthorized: 'problem.unauthorized',
  forbidden: 'relayError.forbidden',
  not_found: 'problem.not_found',
  conflict: 'relayError.conflict',
  too_large: 'relayError.too_large',
  rate_limited: 'relayError.rate_limited',
  protocol_mismatch: 'problem.protocol_mismatch',
  unavailable: 'relayError.unavailable',
  internal: 'relayError.internal',
};

/** The last segment of a dotted schema path ("product.priceMinor", "changes.sku", "quantity") → the label a host knows. */
const FIELD_KEYS: Record<string, MessageKey> = {
  // The product's fields are named as in the product form (shared/product-fields.ts).
  ...Object.fromEntries(PRODUCT_FIELDS.map((f) => [f, fieldErrorLabel(f)])),
  unitPriceMinor: 'field.price',
  quantity: 'qty',
  text: 'ticker',
  seconds: 'seconds',
  label: 'field.countdownLabel',
  title: 'field.title',
  currency: 'field.currency',
  locale: 'field.locale',
  position: 'field.position',
  toIndex: 'field.position',
  orderId: 'field.orderId',
  shipBy: 'field.presaleShipBy',
  quota: 'field.presaleQuota',
};

export function fieldLabelKey(field: string | null | undefined): MessageKey | null {
  if (!field) return null;
  const last = field.split('.').pop() ?? '';
  return Object.hasOwn(FIELD_KEYS, last) ? (FIELD_KEYS[last] ?? null) : null;
}

const isKnownCode = (code: string): code is Exclude<ErrorCode, 'invalid'> => Object.hasOwn(CODE_KEYS, code);
const isKnownReason = (reason: string): reason is keyof typeof REASON_KEYS => Object.hasOwn(REASON_KEYS, reason);

/** What happened and what to do, in the page's language. */
export function relayErrorText(error: RelayErrorLike, t: Translate, ctx: RelayErrorContext = {}): string {
  const product = ctx.product ? t('relayError.productName', { name: ctx.product.name }) : t('relayError.thisProduct');
  const reason = error.reason ?? null;
  if (reason !== null && isKnownReason(reason)) {
    if (reason === 'out_of_stock') {
      const stock = ctx.product?.stock;
      return typeof stock === 'number'
        ? t('relayError.out_of_stock', { product, stock: formatCount(stock, ctx.locale ?? 'en') })
        : t('relayError.out_of_stock.noCount', { product });
    }
    return t(REASON_KEYS[reason], { product });
  }
  if (error.code === 'invalid') {
    const label = fieldLabelKey(error.field);
    return label ? t('relayError.invalidField', { field: t(label) }) : t('relayError.invalid', { field: error.field ?? '(body)' });
  }
  if (isKnownCode(error.code)) return t(CODE_KEYS[error.code], { url: '' });
  return t('relayError.unknown', { message: error.message });
}

/** The notice line: which action did not happen, then why and what to do. */
export function relayNoticeText(error: RelayErrorLike, t: Translate, ctx: RelayErrorContext = {}): string {
  const action = ctx.commandType ? commandKey(ctx.commandType) : null;
  const why = relayErrorText(error, t, ctx);
  return action ? t('relayError.notice', { action: t(action), why }) : why;
}

/**
 * The label of every command, from the registry's zod-free table. Typed here so that a label
 * key that is not one of the console's messages does not compile.
 */
const COMMAND_LABELS: { readonly [T in CommandType]: { readonly label: MessageKey } } = COMMAND_META;

export function commandKey(type: string): MessageKey | null {
  return isCommandType(type) ? COMMAND_LABELS[type].label : null;
}
