/**
 * The overlay page's words in English: its fixed labels and its setup messages ('setup.<problem>',
 * one per way its link can be wrong), the only words the OBS overlay bundles (overlay/page/words.ts).
 * English defines the keys; ../zh-CN/overlay.ts and ../fr/overlay.ts have the same. Data only.
 */
export const overlayWords = {
  soldOut: 'SOLD OUT',
  sold: 'sold',
  left: 'left',
  flashSale: 'Flash sale',
  revenue: 'revenue',
  weight: 'total',
  roomWeight: 'stream total',
  kg: 'kg',
  t: 't',
  // {d} the day's number, {m} the month as this language shortens it (Intl: "9月", "Sep", "sept.").
  harvested: 'picked {d} {m}',
  // Under the card's QR code: what a viewer's phone will open (the product's traceability page).
  traceQr: 'scan to trace',
  // Presale (issue 17): the ticker's badge for it, and the card's badge with the ship date ({d} {m} as harvested).
  presale: 'PRESALE',
  presaleShips: 'Presale · ships {d} {m}',
  'setup.missing': "LiveShelf: this overlay link is incomplete (no room or token) — copy the overlay URL again from the host console",
  'setup.unauthorized': "LiveShelf: this overlay link's token was refused — copy the overlay URL again from the host console",
  'setup.not_found': 'LiveShelf: the relay has no room for this overlay link — copy the overlay URL again from the host console',
  'setup.protocol_mismatch': "LiveShelf: this overlay page and the relay are different versions — refresh this browser source's cache in OBS",
};

export type OverlayWords = Readonly<Record<keyof typeof overlayWords, string>>;
