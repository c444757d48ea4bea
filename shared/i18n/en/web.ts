/**
 * The web console's own words in English (extension/web/: the page a pairing link opens in any
 * browser), for the links that open no console; the console itself speaks ./console.ts. A set of
 * its own so the side panel's bundle does not carry them. Data only.
 */
export const webWords = {
  noPairing: "Open the host or co-host link the relay printed (…/pair#…) to use the console here. This browser has none stored.",
  overlayToken: "This is the overlay's link: it belongs in OBS, as the browser source, and opens no console. Ask the host for the co-host link.",
  salesToken: "This link is for a shop integration, not a person: it opens no console. Ask the host for the co-host link.",
  cutShort: "This link is cut short: copy the whole link, everything after #, and open it again.",
  removed: "The relay refused this link (a new one was made, or the room is gone). Ask the host for a new link.",
  accessRemoved: "Your access to this room was removed by the host: this link no longer works. If you should still be on this show, ask the host for a new link.",
  noObs: "OBS control needs the LiveShelf extension on the computer that runs OBS.",
};

export type WebMessageKey = keyof typeof webWords;
