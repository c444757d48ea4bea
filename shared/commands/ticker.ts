/** The ticker commands: the overlay's scrolling messages (the last MAX_TICKER are kept). */
import { z } from 'zod';
import { IdSchema, MAX_TICKER } from '../domain.js';
import { visible } from '../values.js';
import { defineCommand } from './define.js';
import { fail } from './refusals.js';

export const tickerPush = defineCommand('ticker.push', {
  fields: { text: visible(z.string().trim().min(1, 'must not be empty').max(140, 'must be at most 140 characters')) },
  apply(state, cmd, ctx) {
    const message = { id: cmd.id, text: cmd.text, at: ctx.now };
    const ticker = [...state.ticker, message].slice(-MAX_TICKER);
    return { ok: true, state: { ...state, ticker }, events: [{ type: 'ticker.changed' }], result: { messageId: message.id } };
  },
});

export const tickerClear = defineCommand('ticker.clear', {
  fields: { messageId: IdSchema.optional() },
  apply(state, cmd) {
    if (cmd.messageId !== undefined && !state.ticker.some((m) => m.id === cmd.messageId)) {
      return fail('unknown_message', `no ticker message "${cmd.messageId}"`, 'messageId');
    }
    const ticker = cmd.messageId === undefined ? [] : state.ticker.filter((m) => m.id !== cmd.messageId);
    return { ok: true, state: { ...state, ticker }, events: [{ type: 'ticker.changed' }] };
  },
});

export const TICKER_COMMANDS = [tickerPush, tickerClear] as const;
