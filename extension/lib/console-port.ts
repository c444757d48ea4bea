/**
 * The port pages open to the worker; it pushes each new room state over it at once.
 * Kept apart from messages.ts so the pages' first bundle does not carry zod.
 */
import type { RoomState } from '../../shared/domain';

export const CONSOLE_PORT = 'liveshelf-console';

export interface StatePush {
  type: 'room.state';
  roomKey: string;
  state: RoomState;
}
