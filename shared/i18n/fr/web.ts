/** The web console's own words in French: the keys of ../en/web.ts. Data only. */
import type { WebMessageKey } from '../en/web.js';

export const webWords: Readonly<Record<WebMessageKey, string>> = {
  noPairing: "Ouvrez le lien animateur ou co-animateur affiché par le relais (…/pair#…) pour utiliser la console ici. Ce navigateur n’en a aucun en mémoire.",
  overlayToken: "C’est le lien de l’overlay : il va dans OBS, comme source navigateur, et n’ouvre pas de console. Demandez le lien co-animateur à l’animateur.",
  salesToken: "Ce lien sert à une intégration boutique, pas à une personne : il n’ouvre pas de console. Demandez le lien co-animateur à l’animateur.",
  cutShort: "Ce lien est incomplet : copiez le lien entier, tout ce qui suit #, et ouvrez-le de nouveau.",
  removed: "Le relais a refusé ce lien (un nouveau a été créé, ou le salon n’existe plus). Demandez un nouveau lien à l’animateur.",
  accessRemoved: "L’hôte a retiré votre accès à ce salon : ce lien ne fonctionne plus. Si vous devez encore participer, demandez-lui un nouveau lien.",
  noObs: "Piloter OBS demande l’extension LiveShelf sur l’ordinateur où tourne OBS.",
};
