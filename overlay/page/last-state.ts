/**
 * The last state per room in localStorage, so an OBS reload while the relay is down still shows
 * the card (never blank on stream). Only what the overlay draws is kept (the current product,
 * sold-out names, ticker, countdown), so a 2000-product room stays a few kilobytes.
 */
import type { RoomState } from '../../shared/domain.js';

const key = (room: string) => `liveshelf.overlay.${room}`;

export function slim(state: RoomState): RoomState {
  return { ...state, products: state.products.filter((p) => p.id === state.currentProductId || p.soldOut || p.stock === 0) };
}

export function loadLastState(room: string): RoomState | null {
  try {
    const raw = localStorage.getItem(key(room));
    if (!raw) return null;
    const s = JSON.parse(raw) as RoomState;
    return s && s.id === room && Array.isArray(s.products) && Array.isArray(s.ticker) && typeof s.room?.currency === 'string' ? s : null;
  } catch {
    return null; // storage disabled or a corrupt entry: start empty, the relay will fill it
  }
}

let pending: RoomState | null = null;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Saves at most twice a second; a one-shot timer, so nothing runs while nothing changes. */
export function saveLastState(state: RoomState): void {
  pending = state;
  if (timer !== undefined) return;
  timer = setTimeout(flushLastState, 500);
}

/** Writes a pending save now (on disconnect and when the page goes away). */
export function flushLastState(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  const s = pending;
  pending = null;
  if (!s) return;
  try {
    localStorage.setItem(key(s.id), JSON.stringify(slim(s)));
  } catch {
    // quota or private mode: the live connection still works
  }
}

export function forgetLastState(room: string): void {
  try {
    localStorage.removeItem(key(room));
  } catch {
    /* nothing to forget */
  }
}
