import { type ReportMinute } from '../../shared/show-report.js';
import type { ReportWords } from './words.js';
export interface ChartProps {
    timeline: ReportMinute[];
    colours: Map<string, string>;
    currency: string;
    locale: string;
    timeZone: string;
    words: ReportWords;
}
export declare function Chart({ timeline, colours, currency, locale, timeZone, words }: ChartProps): import("preact").JSX.Element;
