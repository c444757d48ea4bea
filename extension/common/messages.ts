/**
 * The typed, validated messages between the extension pages (side panel, popup, options) and
 * the background worker. Pages only ask; the worker owns the connection and the outbox.
 * Every request is parsed with zod at the worker (house rule 2: types are not validation).
 */
import { z } from 'zod';
import { CommandSchema, type FieldIssue } from '../../shared/commands';
// Type only (no page code runs in the worker): the pairing refusal's codes are defined with their words.
import type { ConsolePairingError } from '../ui/input-errors';
// Type only: what the relay answered a host call (the page reads it with ui/host-tools.ts).
import type { HostAnswer } from './host-calls';
import type { ObsErrorInfo } from './obs-errors';
import type { ConnectionProblem } from './storage-items';

const roomKey = z.string().min(3).max(300);

// The seller-page reader (issue 13): what its content script and the side panel send the worker.
const LocatorSchema = z.strictObject({
  css: z.string().min(1).max(4000),
  row: z.strictObject({ list: z.string().min(1).max(4000), key: z.string().max(160), inner: z.string().max(4000) }).nullable(),
});
const readTotal = z.number().int().min(0).max(1_000_000_000);
const readText = z.string().max(200);
const bindingId = z.string().min(1).max(100);
const sceneName = z.string().trim().min(1).max(200);

export const RequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('pair'), link: z.string().max(4096) }),
  z.strictObject({ type: z.literal('room.select'), roomKey }),
  z.strictObject({ type: z.literal('room.forget'), roomKey }),
  z.strictObject({
    type: z.literal('room.overlay'),
    roomKey,
    overlayUrl: z
      .string()
      .trim()
      .max(2048)
      .refine((u) => u === '' || (/^https?:\/\//i.test(u) && URL.canParse(u)), 'must be an http(s) URL')
      .nullable(),
  }),
  /** The command carries its id already: it was made when the host clicked. */
  z.strictObject({ type: z.literal('command'), roomKey, command: CommandSchema }),
  z.strictObject({ type: z.literal('sale.undo'), roomKey }),
  /**
   * The host's log and people (ui/host-tools.ts): the worker makes the HTTP call with the room's
   * token (pages never hold it) and answers with what the relay said. Host rooms only.
   */
  z.strictObject({
    type: z.literal('host.call'),
    roomKey,
    call: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('audit'), after: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }),
      z.strictObject({ kind: z.literal('people') }),
      z.strictObject({ kind: z.literal('invite'), name: z.string().max(200), role: z.enum(['host', 'cohost', 'sales']) }),
      z.strictObject({ kind: z.literal('revoke'), id: z.string().min(1).max(200) }),
      z.strictObject({ kind: z.literal('recent'), from: z.number().int().min(0) }),
      z.strictObject({ kind: z.literal('feeds') }),
      z.strictObject({ kind: z.literal('sources') }),
      z.strictObject({ kind: z.literal('map'), feed: z.string().min(1).max(200), sku: z.string().min(1).max(64), productId: z.string().min(1).max(200) }),
    ]),
  }),
  /** The after-show report of a host room, opened in a new tab by the worker (it holds the token). */
  z.strictObject({ type: z.literal('report.open'), roomKey }),
  /** A page opened: wake up and make sure the active room is connected. */
  z.strictObject({ type: z.literal('hello') }),
  /** "Retry now": drop the socket and connect again. */
  z.strictObject({ type: z.literal('reconnect') }),
  // OBS (host role only; the worker refuses these for a co-host room). The address is checked
  // by obs-control itself, which answers with its own clear message.
  z.strictObject({ type: z.literal('obs.connect'), url: z.string().trim().max(500), password: z.string().max(500) }),
  z.strictObject({ type: z.literal('obs.disconnect') }),
  z.strictObject({ type: z.literal('obs.scene'), scene: sceneName }),
  /** Add (or update) the overlay browser source in a scene, with the room's stored overlay link. */
  z.strictObject({ type: z.literal('obs.overlay.add'), roomKey, sceneName }),
  z.strictObject({ type: z.literal('obs.overlay.refresh') }),
  /** Show or hide the overlay source; `visible: null` only reads it. */
  z.strictObject({ type: z.literal('obs.overlay.visible'), roomKey, visible: z.boolean().nullable() }),
  z.strictObject({
    type: z.literal('obs.options'),
    roomKey,
    switchScene: z.boolean().optional(),
    cardSource: z.strictObject({ sceneName, sourceName: sceneName }).nullable().optional(),
  }),
  /** Side panel: the host pressed "Read sales from this page" on that tab (the site's permission is granted). */
  z.strictObject({ type: z.literal('reader.start'), roomKey, tabId: z.number().int().min(0), origin: z.string().url().max(300) }),
  /** Content script: what the host clicked in pick mode (total null: no number of units in it). */
  z.strictObject({ type: z.literal('reader.picked'), locator: LocatorSchema, text: readText, total: readTotal.nullable(), exact: z.boolean() }),
  /** Side panel: bind the picked number to this product. */
  z.strictObject({ type: z.literal('reader.bind'), productId: z.string().min(1).max(80) }),
  /** Side panel or content script (Esc): stop picking. */
  z.strictObject({ type: z.literal('reader.cancel') }),
  z.strictObject({ type: z.literal('reader.remove'), bindingId }),
  /** Content script: a bound number now reads `total`. */
  z.strictObject({ type: z.literal('reader.total'), bindingId, total: readTotal, exact: z.boolean(), text: readText }),
]);

export type Request = z.infer<typeof RequestSchema>;
export type RequestOf<T extends Request['type']> = Extract<Request, { type: T }>;

export type PairProblem = ConnectionProblem | 'bad_link' | 'permission_denied' | 'timeout';

export type Response =
  | { ok: true; roomKey?: string; queued?: number; visible?: boolean; overlay?: { action: 'created' | 'updated'; url: string }; host?: HostAnswer }
  | {
      ok: false;
      problem: PairProblem | 'invalid' | 'forbidden' | 'no_room' | 'nothing_to_undo' | 'obs';
      message: string;
      issues?: FieldIssue[];
      /** With problem 'obs': what OBS said, for obsErrorText in the page's language. */
      obs?: ObsErrorInfo;
      /** With problem 'bad_link': why, for pairingErrorText in the page's language. */
      pairing?: ConsolePairingError;
    };

export function parseRequest(raw: unknown): { ok: true; request: Request } | { ok: false; issues: FieldIssue[] } {
  const r = RequestSchema.safeParse(raw);
  if (r.success) return { ok: true, request: r.data };
  return { ok: false, issues: r.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(message)', message: i.message })) };
}
