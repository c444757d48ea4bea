/** The web console's own words in Chinese: the keys of ../en/web.ts. Data only. */
import type { WebMessageKey } from '../en/web.js';

export const webWords: Readonly<Record<WebMessageKey, string>> = {
  noPairing: "请打开中继打印的主播或副播链接（…/pair#…）来使用控制台。此浏览器中没有保存的链接。",
  overlayToken: "这是叠加层链接：应放在 OBS 的浏览器源中，不能打开控制台。请向主播索取副播链接。",
  salesToken: "这是店铺对接用的链接，不是给人用的：不能打开控制台。请向主播索取副播链接。",
  cutShort: "链接不完整：请复制完整链接（包括 # 后面的全部内容）后重新打开。",
  removed: "中继拒绝了此链接（已生成新链接，或房间已不存在）。请向主播索取新链接。",
  accessRemoved: "主播已移除您对此房间的访问权限：此链接已失效。如需继续参与本场直播，请向主播索取新链接。",
  noObs: "控制 OBS 需要在运行 OBS 的电脑上安装 LiveShelf 扩展。",
};
