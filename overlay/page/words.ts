/** The overlay's fixed words and setup messages in the three languages of `lang`. */
import type { Lang } from './overlay-options.js';

export interface Words {
  soldOut: string;
  sold: string;
  left: string;
  flashSale: string;
  revenue: string;
  weight: string;
  setup: { missing: string; unauthorized: string; not_found: string; protocol_mismatch: string };
}

export const WORDS: Record<Lang, Words> = {
  'zh-CN': {
    soldOut: '已售罄',
    sold: '已售',
    left: '剩余',
    flashSale: '限时秒杀',
    revenue: '销售额',
    weight: '共售出',
    setup: {
      missing: 'LiveShelf：这个叠加层链接不完整（缺少 room 或 token）— 请从主播控制台重新复制叠加层 URL',
      unauthorized: 'LiveShelf：这个叠加层链接的令牌被拒绝 — 请从主播控制台重新复制叠加层 URL',
      not_found: 'LiveShelf：中继服务器上没有这个直播间 — 请从主播控制台重新复制叠加层 URL',
      protocol_mismatch: 'LiveShelf：叠加层与中继服务器版本不一致 — 请在 OBS 中刷新此浏览器源的缓存',
    },
  },
  en: {
    soldOut: 'SOLD OUT',
    sold: 'sold',
    left: 'left',
    flashSale: 'Flash sale',
    revenue: 'revenue',
    weight: 'total',
    setup: {
      missing: "LiveShelf: this overlay link is incomplete (no room or token) — copy the overlay URL again from the host console",
      unauthorized: "LiveShelf: this overlay link's token was refused — copy the overlay URL again from the host console",
      not_found: 'LiveShelf: the relay has no room for this overlay link — copy the overlay URL again from the host console',
      protocol_mismatch: "LiveShelf: this overlay page and the relay are different versions — refresh this browser source's cache in OBS",
    },
  },
  fr: {
    soldOut: 'ÉPUISÉ',
    sold: 'vendus',
    left: 'restants',
    flashSale: 'Vente flash',
    revenue: 'ventes',
    weight: 'total',
    setup: {
      missing: "LiveShelf : ce lien d'overlay est incomplet (room ou token manquant) — recopiez l'URL de l'overlay depuis la console de l'hôte",
      unauthorized: "LiveShelf : le jeton de ce lien d'overlay a été refusé — recopiez l'URL de l'overlay depuis la console de l'hôte",
      not_found: "LiveShelf : le relais ne connaît pas ce salon — recopiez l'URL de l'overlay depuis la console de l'hôte",
      protocol_mismatch: "LiveShelf : l'overlay et le relais n'ont pas la même version — videz le cache de cette source navigateur dans OBS",
    },
  },
};

export type SetupProblem = keyof Words['setup'];
