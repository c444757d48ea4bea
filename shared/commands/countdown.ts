/** The countdown commands: the overlay's timer, stored as an end time (clients count down themselves). */
import { z } from 'zod';
import { visible } from '../values.js';
import { defineCommand } from './define.js';

export const countdownStart = defineCommand('countdown.start', {
  fields: {
    seconds: z.number().int().min(1, 'must be at least 1').max(86_400, 'must be at most 86400 (a day)'),
    label: visible(z.string().trim().max(60)).optional(),
  },
  apply(state, cmd, ctx) {
    const countdown = { label: cmd.label ?? '', startedAt: ctx.now, endsAt: ctx.now + cmd.seconds * 1000 };
    return { ok: true, state: { ...state, countdown }, events: [{ type: 'countdown.changed' }] };
  },
});

export const countdownStop = defineCommand('countdown.stop', {
  fields: {},
  apply(state) {
    return { ok: true, state: { ...state, countdown: null }, events: [{ type: 'countdown.changed' }] };
  },
});

export const COUNTDOWN_COMMANDS = [countdownStart, countdownStop] as const;
