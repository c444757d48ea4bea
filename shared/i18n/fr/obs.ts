/**
 * What went wrong between LiveShelf and OBS, in French: the codes and {params} of
 * ../en/obs.ts, with OBS's menu names as OBS shows them in this language. Data only.
 */
import type { ObsWords } from '../en/obs.js';

export const obsWords: ObsWords = {
  'obs-invalid-address': '« {url} » n’est pas une adresse OBS. Elle ressemble à ws://127.0.0.1:4455.',
  'obs-unreachable':
    'Impossible de joindre OBS à {url}. OBS est-il lancé ? Dans OBS, ouvrez Outils → Paramètres du serveur WebSocket, cochez « Activer le serveur WebSocket » et vérifiez le port.',
  'obs-password-required': 'OBS demande un mot de passe : copiez-le depuis Outils → Paramètres du serveur WebSocket → Afficher les informations de connexion.',
  'obs-password-refused': 'OBS a refusé le mot de passe : vérifiez Outils → Paramètres du serveur WebSocket.',
  'obs-too-old': 'Cet OBS est trop ancien pour LiveShelf ({found}) : passez à OBS Studio 28 ou plus récent, qui intègre obs-websocket 5.',
  'obs-connection-lost': 'La connexion à OBS est perdue. Reconnexion automatique…',
  'obs-session-invalidated': 'OBS a fermé cette connexion (déconnectée dans OBS, ou réglages du serveur WebSocket modifiés). Reconnectez-vous.',
  'obs-connect-failed': 'Connexion à OBS impossible ({reason}).',
  'obs-not-connected': 'Pas connecté à OBS. Connectez-vous d’abord dans la section OBS.',
  'obs-timeout': 'OBS n’a pas répondu à temps ({request}). Il est peut-être occupé ou figé.',
  'obs-scene-not-found': 'OBS n’a pas de scène nommée « {scene} ». Vérifiez le nom de scène du produit ou dans OBS.',
  'obs-source-not-found': 'OBS n’a pas de source nommée « {source} » dans la scène « {scene} ».',
  'obs-overlay-missing': 'OBS n’a pas de source nommée « {source} » : ajoutez d’abord l’overlay à OBS.',
  'obs-name-taken': 'OBS a déjà une source nommée « {name} » qui n’est pas une source navigateur. Renommez-la dans OBS ou choisissez un autre nom.',
  'obs-no-browser-source':
    'Cet OBS n’a pas de source navigateur : LiveShelf ne peut pas ajouter l’overlay pour vous. Copiez l’URL de l’overlay et ajoutez-la à la main (par exemple avec le plugin obs-browser) : {url}',
  'obs-request-failed': 'OBS n’a pas pu exécuter {request} : {comment}.',
  'obs-unexpected-response': 'OBS a répondu à {request} d’une façon que LiveShelf ne comprend pas ({issue}).',
};
