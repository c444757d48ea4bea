/**
 * Everything the extension keeps, declared once (house style). All of it lives in
 * `storage.local`, never in worker globals: Chrome stops an idle MV3 worker at any time, and
 * the outbox of unacknowledged commands must survive that and a browser restart.
 * Tokens live here and only here (never in a page URL the stream could show).
 */
import { storage } from 'wxt/utils/storage';
import type { Command } from '../../shared/commands';
import type { Role, RoomState } from '../../shared/domain';
import type { LocaleSetting } from '../../shared/i18n/locale.js';

export type { LocaleSetting };

export interface SavedRoom {
  /** `room@host`: one relay may hold many rooms, and one room id could exist on two relays. */
  key: string;
  relayUrl: string;
  room: string;
  role: Role;
  token: string;
  /** The overlay link (with the read-only overlay token), pasted by the host for the preview. */
  overlayUrl: string | null;
  /** Last known room title, for the room switcher. */
  title: string | null;
  pairedAt: number;
}

/**
 * v1 (the first options page) kept a single pairing; v2 remembers several rooms.
 * The migration turns the single one into a one-element list.
 */
export const roomsItem = storage.defineItem<SavedRoom[]>('local:rooms', {
  fallback: [],
  version: 2,
  migrations: {
    2: (old: unknown): SavedRoom[] => {
      if (Array.isArray(old)) return old as SavedRoom[];
      if (old && typeof old === 'object' && 'room' in old && 'token' in old && 'relayUrl' in old) {
        const o = old as { relayUrl: string; room: string; token: string; role?: Role };
        return [
          {
            key: roomKeyOf(o.relayUrl, o.room),
            relayUrl: o.relayUrl,
            room: o.room,
            role: o.role ?? 'host',
            token: o.token,
            overlayUrl: null,
            title: null,
            pairedAt: 0,
          },
        ];
      }
      return [];
    },
  },
});

export const activeRoomItem = storage.defineItem<string | null>('local:activeRoom', { fallback: null });

export interface OutboxEntry {
  /** Same as command.id: made at click time, the relay's exactly-once key. */
  id: string;
  roomKey: string;
  command: Command;
  queuedAt: number;
  attempts: number;
}

export const outboxItem = storage.defineItem<OutboxEntry[]>('local:outbox', { fallback: [], version: 1 });

export type ConnectionPhase = 'idle' | 'connecting' | 'online' | 'offline' | 'refused';
export type ConnectionProblem = 'unreachable' | 'unauthorized' | 'not_found' | 'protocol_mismatch' | 'other';

export interface ConnectionStatus {
  roomKey: string | null;
  phase: ConnectionPhase;
  role: Role | null;
  problem: ConnectionProblem | null;
  /** The relay's own words, shown under the translated message. */
  detail: string | null;
  since: number;
}

export const IDLE_STATUS: ConnectionStatus = { roomKey: null, phase: 'idle', role: null, problem: null, detail: null, since: 0 };
export const connectionItem = storage.defineItem<ConnectionStatus>('local:connection', { fallback: IDLE_STATUS });

export interface Settings {
  locale: LocaleSetting;
}
export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: { locale: 'auto' }, version: 1 });

/** A command the relay refused (it left the outbox): the panel shows it once. */
export interface Notice {
  id: string;
  at: number;
  commandType: Command['type'];
  code: string;
  reason: string | null;
  message: string;
  field: string | null;
  /** The product the command was about, so the panel can name it (absent in notices stored before). */
  productId?: string | null;
}
export const noticeItem = storage.defineItem<Notice | null>('local:notice', { fallback: null });

/** Sales recorded from this browser, newest last, for "Undo last sale". */
export interface RecentSale {
  saleId: string;
  roomKey: string;
  productId: string;
  quantity: number;
}
export const recentSalesItem = storage.defineItem<RecentSale[]>('local:recentSales', { fallback: [] });

export function roomKeyOf(relayUrl: string, room: string): string {
  let host = relayUrl;
  try {
    host = new URL(relayUrl).host;
  } catch {
    /* keep the raw text: the key only has to be stable */
  }
  return `${room}@${host}`;
}

/** The cached state of one room, so the panel renders instantly on open. */
export const stateKey = (roomKey: string) => `local:state.${roomKey}` as const;

export async function getCachedState(roomKey: string): Promise<RoomState | null> {
  return storage.getItem<RoomState>(stateKey(roomKey));
}

export async function setCachedState(roomKey: string, state: RoomState): Promise<void> {
  await storage.setItem(stateKey(roomKey), state);
}

export async function removeCachedState(roomKey: string): Promise<void> {
  await storage.removeItem(stateKey(roomKey));
}

/**
 * Where this computer's OBS listens, and its obs-websocket password. One OBS per computer, so
 * one setting for all rooms. The password lives here and only here: it is never sent to the
 * relay, never put in a status, a message or a log.
 */
export interface ObsSettings {
  url: string;
  password: string;
}
export const obsSettingsItem = storage.defineItem<ObsSettings | null>('local:obs', { fallback: null });

/** The OBS choices of one room (the products and the show differ per room). */
export interface ObsRoomOptions {
  /** "Switch OBS scene with the product": on by default. */
  switchScene: boolean;
  /** The scene the overlay source was added to (for its visibility toggle). */
  overlayScene: string | null;
  /** Optional: a source shown while a card is on air, hidden with it. */
  cardSource: { sceneName: string; sourceName: string } | null;
}
export const DEFAULT_OBS_ROOM_OPTIONS: ObsRoomOptions = { switchScene: true, overlayScene: null, cardSource: null };
export const obsRoomOptionsItem = storage.defineItem<Record<string, ObsRoomOptions>>('local:obsRooms', { fallback: {} });

export function obsOptionsOf(all: Record<string, ObsRoomOptions>, roomKey: string | null): ObsRoomOptions {
  return { ...DEFAULT_OBS_ROOM_OPTIONS, ...(roomKey ? all[roomKey] : undefined) };
}
