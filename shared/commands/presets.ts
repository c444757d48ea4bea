/**
 * presets.set (issue 18): the host prepares ticker lines and countdowns before the show; the
 * consoles show them as one-tap buttons, and a co-host sends one as an ordinary ticker.push or
 * countdown.start (so the overlay, the audit log and undo see nothing new).
 * [P1] Each list given replaces that list whole; a list not given stays as it is.
 * [P2] Lines and labels are visible text (trimmed); a line twice in one list is refused, naming
 *      its place, since two equal buttons would be one.
 */
import { z } from 'zod';
import { MAX_COUNTDOWN_PRESETS, MAX_TICKER_PRESETS } from '../presets.js';
import { text } from '../values.js';
import { defineCommand } from './define.js';
import { fail } from './refusals.js';

const line = text(140).pipe(z.string().min(1, 'must not be empty'));
const countdown = z.strictObject({
  label: text(60),
  seconds: z.number().int().min(1, 'must be at least 1').max(86_400, 'must be at most 86400 (a day)'),
});

function firstRepeat(keys: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < keys.length; i++) {
    if (seen.has(keys[i]!)) return i;
    seen.add(keys[i]!);
  }
  return -1;
}

export const presetsSet = defineCommand('presets.set', {
  fields: {
    ticker: z.array(line).max(MAX_TICKER_PRESETS, `at most ${MAX_TICKER_PRESETS} ticker lines`).optional(),
    countdowns: z.array(countdown).max(MAX_COUNTDOWN_PRESETS, `at most ${MAX_COUNTDOWN_PRESETS} countdowns`).optional(),
  },
  apply(state, cmd) {
    const ticker = cmd.ticker ?? state.presets.ticker;
    const countdowns = cmd.countdowns ?? state.presets.countdowns;
    const t = firstRepeat(ticker);
    if (t >= 0) return fail('duplicate_preset', `ticker.${t}: the line "${ticker[t]}" is already in the list`, `ticker.${t}`);
    const c = firstRepeat(countdowns.map((x) => `${x.label}\u0000${x.seconds}`));
    if (c >= 0) return fail('duplicate_preset', `countdowns.${c}: the same countdown is already in the list`, `countdowns.${c}`);
    return { ok: true, state: { ...state, presets: { ticker, countdowns } }, events: [] };
  },
});

export const PRESET_COMMANDS = [presetsSet] as const;
