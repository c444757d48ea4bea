/**
 * The after-show report page (issue 19), opened from the room's `links.report`:
 * `/report#room=…&token=…`. The token stays in the fragment (never sent to a server, never in a
 * request URL): the page reads it, takes it out of the address bar (kept in this tab's
 * sessionStorage for a reload) and sends it only as `Authorization: Bearer` to the report routes.
 * All figures come from GET …/report; the room answer gives the title, currency, locale and time zone.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import type { ShowReport } from '../../shared/show-report.js';
import { ReportView, type RoomInfo } from './view.js';
import { wordsFor } from './words.js';
import './report.css';

interface Access {
  room: string;
  token: string;
}

const STORE_KEY = 'liveshelf.report';

/** The room and token from the fragment (then out of the address bar), else from this tab's earlier visit. */
function access(): Access | null {
  const hash = new URLSearchParams(location.hash.slice(1));
  const room = hash.get('room');
  const token = hash.get('token');
  if (room && token) {
    sessionStorage.setItem(STORE_KEY, JSON.stringify({ room, token }));
    history.replaceState(null, '', location.pathname);
    return { room, token };
  }
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as Access | null;
    return saved && typeof saved.room === 'string' && typeof saved.token === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function get(a: Access, path: string): Promise<Response> {
  return fetch(`/api/rooms/${encodeURIComponent(a.room)}${path}`, { headers: { authorization: `Bearer ${a.token}` } });
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok || !body) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

type Loaded = { room: RoomInfo; report: ShowReport };

function App({ a }: { a: Access | null }) {
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
    const url = URL.createObjectURL(await res.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return <ReportView room={data.room} report={data.report} words={words} download={download}  />;
}

render(<App a={access()} />, document.getElementById('app')!);
