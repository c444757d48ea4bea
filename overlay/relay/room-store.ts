/**
 * The storage interface of the relay (house rule 5): SQLite by default, Redis for several
 * relay processes. The core never knows which. `commit` is atomic and durable: the relay
 * acknowledges a command only after the commit that holds it has returned.
 */
import type { Command } from '../../shared/commands.js';
import type { Role, RoomState, Sale } from '../../shared/domain.js';
import type { CommandAnswer, RoomEvent } from '../../shared/room-reducer.js';

export type TokenHashes = Record<Role, string>;

export interface LoadedRoom {
  state: RoomState;
  tokenHashes: TokenHashes;
  /** Answers of every applied command, by command id (exactly-once across restarts). */
  answers: Map<string, CommandAnswer>;
  sales: Map<string, Sale>;
  /** orderId → sale id */
  orders: Map<string, string>;
}

export interface CommitEntry {
  command: Command;
  by: Role;
  at: number;
  answer: CommandAnswer;
  events: RoomEvent[];
}

export interface RoomStore {
  createRoom(state: RoomState, tokenHashes: TokenHashes): Promise<void>;
  loadRoom(roomId: string): Promise<LoadedRoom | undefined>;
  /** Atomically persist a batch of applied commands and the state they led to. */
  commit(prev: RoomState, next: RoomState, entries: readonly CommitEntry[]): Promise<void>;
  setTokenHash(roomId: string, role: Role, hash: string): Promise<void>;
  close(): Promise<void>;
}
