/**
 * The after-show report page (issue 19), opened from the room's `links.report`:
 * `/report#room=…&token=…`. The token stays in the fragment (never sent to a server, never in a
 * request URL): the page reads it, takes it out of the address bar (kept in this tab's
 * sessionStorage for a reload) and sends it only as `Authorization: Bearer` to the report routes.
 * All figures come from GET …/report; the room answer gives the title, currency, locale and time zone.
 * The same page opened as `/report#series=…&token=<admin token>` shows a series of shows
 * (GET /api/series/:series/report) with its cumulative poster.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import type { ShowReport } from '../../shared/show-report.js';
import type { SeriesReport } from '../../shared/series-report.js';
import { SeriesView } from './series-view.js';
import { ReportView, type RoomInfo } from './view.js';
import { wordsFor } from './words.js';
import './report.css';

/** A room's report (room id) or a series' (series name), with the token that reads it. */
type Access = { room: string; series?: undefined; token: string } | { series: string; room?: undefined; token: string };

const STORE_KEY = 'liveshelf.report';

/** The room and token from the fragment (then out of the address bar), else from this tab's earlier visit. */
function access(): Access | null {
  const hash = new URLSearchParams(location.hash.slice(1));
  const room = hash.get('room');
  const series = hash.get('series');
  const token = hash.get('token');
  if ((room || series) && token) {
    const a: Access = room ? { room, token } : { series: series!, token };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(a));
    history.replaceState(null, '', location.pathname);
    return a;
  }
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as Access | null;
    return saved && (typeof saved.room === 'string' || typeof saved.series === 'string') && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function get(a: Access, path: string): Promise<Response> {
  const base = a.series !== undefined ? `/api/series/${encodeURIComponent(a.series)}` : `/api/rooms/${encodeURIComponent(a.room)}`;
  return fetch(`${base}${path}`, { headers: { authorization: `Bearer ${a.token}` } });
}

/** Hands a fetched file to the browser as a Blob URL (the CSV needs the Authorization header, a link could not send it). */
async function saveFetched(res: Response, name: string): Promise<void> {
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function SeriesApp({ a }: { a: Access & { series: string } }) {
  const [report, setReport] = useState<SeriesReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get(a, '/report')
      .then((r) => json<SeriesReport>(r))
      .then((r) => {
        document.documentElement.lang = r.locale;
        document.title = `${wordsFor(r.locale).seriesTitle} · ${r.series}`;
        setReport(r);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [a]);
  const words = wordsFor(report?.locale ?? navigator.language);
  if (error) return <p class="note" role="alert">{words.failed}: {error}</p>;
  if (!report) return <p class="note" aria-live="polite">{words.loading}</p>;
  const download = async () => {
    const res = await get(a, '/report?format=csv');
    if (!res.ok) return setError(`HTTP ${res.status}`);
    await saveFetched(res, `liveshelf-series-${report.series.replace(/[\\/:*?"<>|\s]+/g, '-')}.csv`);
  };
  return <SeriesView report={report} words={words} download={() => void download()} />;
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

type Loaded = { room: RoomInfo; report: ShowReport };

function App({ a }: { a: Access | null }) {
  if (a?.series !== undefined) return <SeriesApp a={a} />;
  return <RoomApp a={a} />;
}

function RoomApp({ a }: { a: (Access & { room: string }) | null }) {
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!a) return;
    Promise.all([get(a, '').then((r) => json<{ room: RoomInfo }>(r)), get(a, '/report').then((r) => json<ShowReport>(r))])
      .then(([state, report]) => {
        document.documentElement.lang = state.room.locale;
        document.title = `${wordsFor(state.room.locale).title} · ${state.room.title}`;
        setData({ room: state.room, report });
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [a]);
  const words = wordsFor(data?.room.locale ?? navigator.language);
  if (!a) return <p class="note">{words.noLink}</p>;
  if (error) return <p class="note" role="alert">{words.failed}: {error}</p>;
  if (!data) return <p class="note" aria-live="polite">{words.loading}</p>;
  const download = async (format: 'csv' | 'timeline.csv', name: string) => {
    // The CSV needs the header too: fetched, then handed to the browser as a Blob URL.
    const res = await get(a, `/report?format=${format}`);
    if (!res.ok) return setError(`HTTP ${res.status}`);
    await saveFetched(res, name);
  };
  return <ReportView room={data.room} report={data.report} words={words} download={download}  />;
}

// A new link pasted into this tab changes only the fragment: read it as a new visit.
addEventListener('hashchange', () => location.reload());
render(<App a={access()} />, document.getElementById('app')!);
