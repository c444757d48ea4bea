/** The overlay page's words in French: the keys of ../en/overlay.ts. Data only. */
import type { OverlayWords } from '../en/overlay.js';

export const overlayWords: OverlayWords = {
  soldOut: 'ÉPUISÉ',
  sold: 'vendus',
  left: 'restants',
  flashSale: 'Vente flash',
  revenue: 'ventes',
  weight: 'total',
  roomWeight: 'tout le direct',
  kg: 'kg',
  t: 't',
  harvested: 'cueilli le {d} {m}',
  // Under the card's QR code: what a viewer's phone will open (the product's traceability page).
  traceQr: 'scanner : origine',
  presale: 'PRÉVENTE',
  presaleShips: 'Prévente · expédié le {d} {m}',
  'setup.missing': "LiveShelf : ce lien d'overlay est incomplet (room ou token manquant) — recopiez l'URL de l'overlay depuis la console de l'hôte",
  'setup.unauthorized': "LiveShelf : le jeton de ce lien d'overlay a été refusé — recopiez l'URL de l'overlay depuis la console de l'hôte",
  'setup.not_found': "LiveShelf : le relais ne connaît pas ce salon — recopiez l'URL de l'overlay depuis la console de l'hôte",
  'setup.protocol_mismatch': "LiveShelf : l'overlay et le relais n'ont pas la même version — videz le cache de cette source navigateur dans OBS",
};
