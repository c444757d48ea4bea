/**
 * The ranges of rehearsal.start's fields (issue 19, [Rh1] in ./rehearsal.ts), zod-free: the
 * command's schema and the console's form (extension/components/RehearsalPanel.tsx) read the
 * same numbers, and the side panel's first bundle must not pull zod in (as ./meta.ts).
 */
export const REHEARSAL_LIMITS = {
  ordersPerMinute: { min: 0, max: 600, fallback: 30 },
  rushOrders: { min: 0, max: 10_000, fallback: 0 },
  rushSeconds: { min: 1, max: 600, fallback: 60 },
} as const;

export type RehearsalField = keyof typeof REHEARSAL_LIMITS;
