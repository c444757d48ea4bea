/** The room command: the room's title, currency and locale. */
import { RoomInfoSchema, type RoomState } from '../domain.js';
import { defineCommand } from './define.js';
import { fail } from './refusals.js';

export const roomUpdate = defineCommand('room.update', {
  fields: { changes: RoomInfoSchema.partial().refine((c) => Object.keys(c).length > 0, 'must change at least one field') },
  apply(state, cmd) {
    const c = cmd.changes;
    if (c.currency !== undefined && c.currency !== state.room.currency && (state.products.length > 0 || state.totals.orders > 0)) {
      // Prices and takings are minor units of the currency: changing it would silently reprice
      // every product and the totals (which keep the sales of removed products).
      return fail('currency_locked', 'the currency can only change while the room has no products and no sales', 'changes.currency');
    }
    const room = { ...state.room, ...c } as RoomState['room'];
    return { ok: true, state: { ...state, room }, events: [{ type: 'room.updated' }] };
  },
});

export const ROOM_COMMANDS = [roomUpdate] as const;
