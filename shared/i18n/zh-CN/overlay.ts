/** The overlay page's words in Simplified Chinese: the keys of ../en/overlay.ts. Data only. */
import type { OverlayWords } from '../en/overlay.js';

export const overlayWords: OverlayWords = {
  soldOut: '已售罄',
  sold: '已售',
  left: '剩余',
  flashSale: '限时秒杀',
  revenue: '销售额',
  weight: '共售出',
  roomWeight: '全场',
  kg: 'kg',
  t: '吨',
  harvested: '{m}{d}日采摘',
  // Under the card's QR code: what a viewer's phone will open (the product's traceability page).
  traceQr: '扫码溯源',
  presale: '预售中',
  presaleShips: '预售 · {m}{d}日发货',
  'setup.missing': 'LiveShelf：这个叠加层链接不完整（缺少 room 或 token）— 请从主播控制台重新复制叠加层 URL',
  'setup.unauthorized': 'LiveShelf：这个叠加层链接的令牌被拒绝 — 请从主播控制台重新复制叠加层 URL',
  'setup.not_found': 'LiveShelf：中继服务器上没有这个直播间 — 请从主播控制台重新复制叠加层 URL',
  'setup.protocol_mismatch': 'LiveShelf：叠加层与中继服务器版本不一致 — 请在 OBS 中刷新此浏览器源的缓存',
};
