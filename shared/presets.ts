/**
 * The bounds of the room's presets (issue 18, presets.set): zod-free, so the side panel's first
 * bundle (the one-tap buttons and their editor) reads them without pulling zod in.
 */
export const MAX_TICKER_PRESETS = 20;
export const MAX_COUNTDOWN_PRESETS = 10;
