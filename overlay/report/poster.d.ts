/**
 * The results poster (issue 19): one PNG for the county's publicity, drawn in the page with the
 * Canvas 2D API (no server-side browser, no library: a few rectangles and lines of text). Two
 * sizes, portrait 1080×1920 for phone feeds (WeChat Moments, Douyin) and landscape 1920×1080.
 *
 * The figures come already written in the room's language (poster-figures.ts); this file only
 * lays them out: a kicker, the room title (two lines at most), the date, one hero figure (the
 * tonnes when the goods have a net weight, else the revenue), the other figures, the top products.
 */
export interface PosterContent {
    kicker: string;
    title: string;
    date: string;
    hero: {
        label: string;
        value: string;
    };
    figures: {
        label: string;
        value: string;
    }[];
    top: {
        heading: string;
        rows: {
            name: string;
            value: string;
        }[];
    };
    footer: string;
}
export type PosterSize = 'portrait' | 'landscape';
export declare const POSTER_PIXELS: Record<PosterSize, [number, number]>;
/** Draws the poster on a canvas of the size's pixels. */
export declare function drawPoster(canvas: HTMLCanvasElement, size: PosterSize, c: PosterContent): void;
/** The poster as a PNG file handed to the browser's download (a Blob URL: no request leaves the page). */
export declare function savePoster(size: PosterSize, c: PosterContent, fileName: string): Promise<void>;
