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
}
export declare function wordsFor(locale: string): ReportWords;
