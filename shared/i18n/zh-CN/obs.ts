/**
 * What went wrong between LiveShelf and OBS, in Simplified Chinese: the codes and {params} of
 * ../en/obs.ts, with OBS's menu names as OBS shows them in this language. Data only.
 */
import type { ObsWords } from '../en/obs.js';

export const obsWords: ObsWords = {
  'obs-invalid-address': '“{url}”不是 OBS 地址，格式应类似 ws://127.0.0.1:4455。',
  'obs-unreachable': '无法连接到 {url} 上的 OBS。OBS 是否已打开？请在 OBS 的“工具 → WebSocket 服务器设置”中勾选“开启 WebSocket 服务器”，并核对端口。',
  'obs-password-required': 'OBS 需要密码：请在“工具 → WebSocket 服务器设置 → 显示连接信息”中复制密码。',
  'obs-password-refused': 'OBS 拒绝了该密码：请检查“工具 → WebSocket 服务器设置”。',
  'obs-too-old': '此 OBS 版本过旧（{found}）：请升级到内置 obs-websocket 5 的 OBS Studio 28 或更高版本。',
  'obs-connection-lost': '与 OBS 的连接已断开，正在自动重连…',
  'obs-session-invalidated': 'OBS 关闭了此连接（在 OBS 中被断开，或 WebSocket 服务器设置已更改）。请重新连接。',
  'obs-connect-failed': '无法连接到 OBS（{reason}）。',
  'obs-not-connected': '尚未连接 OBS，请先在 OBS 区域连接。',
  'obs-timeout': 'OBS 未及时响应（{request}），可能正忙或已卡住。',
  'obs-scene-not-found': 'OBS 中没有名为“{scene}”的场景。请核对商品上的场景名或 OBS 中的场景。',
  'obs-source-not-found': 'OBS 的场景“{scene}”中没有名为“{source}”的来源。',
  'obs-overlay-missing': 'OBS 中没有名为“{source}”的来源：请先把画面添加到 OBS。',
  'obs-name-taken': 'OBS 中已有一个名为“{name}”的来源，但它不是浏览器来源。请在 OBS 中改名，或换一个名称。',
  'obs-no-browser-source': '此 OBS 没有浏览器来源，LiveShelf 无法自动添加画面。请复制画面链接并手动添加（例如安装 obs-browser 插件后）：{url}',
  'obs-request-failed': 'OBS 无法执行 {request}：{comment}。',
  'obs-unexpected-response': 'OBS 对 {request} 的响应无法识别（{issue}）。',
};
