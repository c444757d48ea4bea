/**
 * The calls of the relay's host routes that the host's log and people make (ui/host-tools.ts),
 * and the one way both surfaces make them: an HTTP request with the host token, answered with
 * the relay's JSON or its error body. The web console's page calls it with the token it holds;
 * in the extension the worker does (pages never hold a token), for the page that asked
 * (messages.ts 'host.call'). No signals, no DOM: the worker bundles it.
 */
import type { Role } from '../../shared/domain';

/** The roles a person may be invited with (the overlay's token is not a person's). */
export type PersonRole = Exclude<Role, 'overlay'>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A call of the relay's host routes, as the surface makes it (HTTP with the host token). */
export type HostCall =
  | { kind: 'audit'; after: number; limit: number }
  | { kind: 'people' }
  | { kind: 'invite'; name: string; role: PersonRole }
  | { kind: 'revoke'; id: string }
  // The show's pulse (ui/show-pulse.ts): the report's minutes since `from`, the feeds' health, the per-source split.
  | { kind: 'recent'; from: number }
  | { kind: 'feeds' }
  | { kind: 'sources' }
  // A shop line whose SKU matched no product, mapped to one (its waiting lines then count, once).
  | { kind: 'map'; feed: string; sku: string; productId: string };

/** What the relay answered (body: its JSON), or why there was no answer (status 0). */
export type HostAnswer = { ok: true; body: unknown } | { ok: false; status: number; code: string; message: string; field?: string };

/** The relay's HTTP request for a call: method, path under /api/rooms/<room>, body. */
export function hostRequest(room: string, call: HostCall): { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown } {
  const base = `/api/rooms/${encodeURIComponent(room)}`;
  switch (call.kind) {
    case 'audit':
      return { method: 'GET', path: `${base}/audit?after=${call.after}&limit=${call.limit}` };
    case 'people':
      return { method: 'GET', path: `${base}/people` };
    case 'invite':
      return { method: 'POST', path: `${base}/people`, body: { name: call.name, role: call.role } };
    case 'revoke':
      return { method: 'DELETE', path: `${base}/people/${encodeURIComponent(call.id)}` };
    case 'recent':
      return { method: 'GET', path: `${base}/report?from=${call.from}` };
    case 'feeds':
      return { method: 'GET', path: `${base}/feeds` };
    case 'sources':
      return { method: 'GET', path: `${base}?totals=bySource` };
    case 'map':
      return { method: 'POST', path: `${base}/feeds/${encodeURIComponent(call.feed)}/map`, body: { sku: call.sku, productId: call.productId } };
  }
}

/** One HTTP call of the host routes with a token, as both surfaces make it (the page's fetch, the worker's). */
export async function fetchHostCall(relayUrl: string, room: string, token: string, call: HostCall, fetchFn: typeof fetch = fetch): Promise<HostAnswer> {
  const { method, path, body } = hostRequest(room, call);
  let res: globalThis.Response;
  try {
    res = await fetchFn(relayUrl.replace(/\/+$/, '') + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
  } catch (err) {
    return { ok: false, status: 0, code: 'unreachable', message: err instanceof Error ? err.message : String(err) };
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    /* a body that is not JSON: said below by the status */
  }
  if (res.ok) return { ok: true, body: json };
  const error = isRecord(json) && isRecord(json['error']) ? json['error'] : {};
  return {
    ok: false,
    status: res.status,
    code: typeof error['code'] === 'string' ? error['code'] : 'internal',
    message: typeof error['message'] === 'string' ? error['message'] : `HTTP ${res.status}`,
    ...(typeof error['field'] === 'string' && { field: error['field'] }),
  };
}
