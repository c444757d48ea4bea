/** The report page's words, by the room's locale (zh-CN, en, fr); anything else reads English. */
export interface ReportWords {
  title: string;
  loading: string;
  noLink: string;
  failed: string;
  orders: string;
  units: string;
  revenue: string;
  refunded: string;
  weight: string;
  kg: string;
  t: string;
  chart: string;
  chartLabel: string;
  ordersPerMinute: string;
  cumulativeRevenue: string;
  offAir: string;
  products: string;
  sources: string;
  product: string;
  sku: string;
  onAir: string;
  whileOnAir: string;
  soldOut: string;
  source: string;
  downloads: string;
  productsCsv: string;
  timelineCsv: string;
  period: string;
  time: string;
  minutes: string;
  poster: string;
  posterPortrait: string;
  posterLandscape: string;
  posterWeight: string;
  posterTop: string;
  /** One product's units on the poster; {n} is the count. */
  posterSold: string;
  seriesTitle: string;
  /** {n}: how many shows. */
  seriesShows: string;
  seriesSold: string;
  shows: string;
  show: string;
  date: string;
  showsCsv: string;
  seriesNoLink: string;
}

const en: ReportWords = {
  title: 'After-show report',
  loading: 'Loading the report…',
  noLink: 'This page needs the report link (it carries the room and the token after #).',
  failed: 'The report could not be read',
  orders: 'Orders',
  units: 'Units',
  revenue: 'Revenue',
  refunded: 'Refunded',
  weight: 'Weight',
  kg: 'kg',
  t: 't',
  chart: 'Orders per minute',
  chartLabel: 'Chart of orders per minute and cumulative revenue; coloured bands show the product on air',
  ordersPerMinute: 'Orders / min',
  cumulativeRevenue: 'Cumulative revenue',
  offAir: 'no card',
  products: 'Products',
  sources: 'Sources',
  product: 'Product',
  sku: 'SKU',
  onAir: 'On air',
  whileOnAir: 'Units while on air',
  soldOut: 'Sold out',
  source: 'Source',
  downloads: 'Spreadsheets',
  productsCsv: 'Products (CSV)',
  timelineCsv: 'Minutes (CSV)',
  period: 'Period',
  time: 'Time',
  minutes: 'min',
  poster: 'Results poster',
  posterPortrait: 'Save poster, portrait 1080×1920 (PNG)',
  posterLandscape: 'Save poster, landscape 1920×1080 (PNG)',
  posterWeight: 'Sold',
  posterTop: 'Best sellers',
  posterSold: '{n} sold',
  seriesTitle: 'Series report',
  seriesShows: '{n} shows',
  seriesSold: 'Sold in all',
  shows: 'Shows',
  show: 'Show',
  date: 'Date',
  showsCsv: 'Shows (CSV)',
  seriesNoLink: 'This page needs the series link: /report#series=<name>&token=<admin token>.',
};

const zh: ReportWords = {
  title: '直播战报',
  loading: '正在读取战报…',
  noLink: '请用战报链接打开此页（# 后带有直播间和令牌）。',
  failed: '无法读取战报',
  orders: '订单',
  units: '件数',
  revenue: '销售额',
  refunded: '已退款',
  weight: '重量',
  kg: '公斤',
  t: '吨',
  chart: '每分钟订单',
  chartLabel: '每分钟订单与累计销售额图表，彩色区段为当时讲解的商品',
  ordersPerMinute: '订单/分钟',
  cumulativeRevenue: '累计销售额',
  offAir: '无商品卡',
  products: '商品',
  sources: '渠道',
  product: '商品',
  sku: '货号',
  onAir: '讲解时长',
  whileOnAir: '讲解期间件数',
  soldOut: '售罄',
  source: '渠道',
  downloads: '表格下载',
  productsCsv: '商品表（CSV）',
  timelineCsv: '分钟表（CSV）',
  period: '时段',
  time: '时间',
  minutes: '分钟',
  poster: '战报海报',
  posterPortrait: '保存海报 · 竖版 1080×1920（PNG）',
  posterLandscape: '保存海报 · 横版 1920×1080（PNG）',
  posterWeight: '已售',
  posterTop: '热销商品',
  posterSold: '{n} 件',
  seriesTitle: '系列战报',
  seriesShows: '{n} 场直播',
  seriesSold: '累计已售',
  shows: '各场直播',
  show: '场次',
  date: '日期',
  showsCsv: '各场表（CSV）',
  seriesNoLink: '请用系列链接打开此页：/report#series=<系列名>&token=<管理员令牌>。',
};

const fr: ReportWords = {
  title: 'Bilan du direct',
  loading: 'Lecture du bilan…',
  noLink: 'Ouvrez cette page avec le lien du bilan (il porte la salle et le jeton après #).',
  failed: 'Le bilan n’a pas pu être lu',
  orders: 'Commandes',
  units: 'Unités',
  revenue: 'Chiffre d’affaires',
  refunded: 'Remboursé',
  weight: 'Poids',
  kg: 'kg',
  t: 't',
  chart: 'Commandes par minute',
  chartLabel: 'Graphique des commandes par minute et du chiffre d’affaires cumulé ; les bandes de couleur montrent le produit à l’antenne',
  ordersPerMinute: 'Commandes / min',
  cumulativeRevenue: 'CA cumulé',
  offAir: 'aucune fiche',
  products: 'Produits',
  sources: 'Sources',
  product: 'Produit',
  sku: 'Réf.',
  onAir: 'À l’antenne',
  whileOnAir: 'Unités à l’antenne',
  soldOut: 'Épuisé',
  source: 'Source',
  downloads: 'Tableurs',
  productsCsv: 'Produits (CSV)',
  timelineCsv: 'Minutes (CSV)',
  period: 'Période',
  time: 'Heure',
  minutes: 'min',
  poster: 'Affiche du bilan',
  posterPortrait: 'Enregistrer l’affiche, portrait 1080×1920 (PNG)',
  posterLandscape: 'Enregistrer l’affiche, paysage 1920×1080 (PNG)',
  posterWeight: 'Vendu',
  posterTop: 'Meilleures ventes',
  posterSold: '{n} vendus',
  seriesTitle: 'Bilan de la série',
  seriesShows: '{n} directs',
  seriesSold: 'Vendu en tout',
  shows: 'Directs',
  show: 'Direct',
  date: 'Date',
  showsCsv: 'Directs (CSV)',
  seriesNoLink: 'Ouvrez cette page avec le lien de la série : /report#series=<nom>&token=<jeton admin>.',
};

export function wordsFor(locale: string): ReportWords {
  if (/^zh/i.test(locale)) return zh;
  if (/^fr/i.test(locale)) return fr;
  return en;
}
