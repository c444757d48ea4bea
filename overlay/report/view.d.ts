import type { ShowReport } from '../../shared/show-report.js';
import type { ReportWords } from './words.js';
export interface RoomInfo {
    title: string;
    currency: string;
    locale: string;
    timeZone?: string;
}
interface Props {
    room: RoomInfo;
    report: ShowReport;
    words: ReportWords;
    download(format: 'csv' | 'timeline.csv', name: string): void;
}
export declare function ReportView({ room, report, words, download }: Props): import("preact").JSX.Element;
export {};
