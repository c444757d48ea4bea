import type { ShowReport } from '../../shared/show-report.js';
import type { PosterContent } from './poster.js';
import type { RoomInfo } from './view.js';
import type { ReportWords } from './words.js';
/** A sum of money as a poster writes it: in full below 10,000 (major units), compact above. */
export declare function posterMoney(minor: number, currency: string, locale: string): string;
export declare function posterContent(room: RoomInfo, report: ShowReport, words: ReportWords): PosterContent;
