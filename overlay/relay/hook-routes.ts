/**
 * `POST /hooks/:feedId` (issue 13): where a shop delivers its order webhooks. No bearer token:
 * the platform's signature over the raw body bytes authenticates it, so this plugin has its own
 * content-type parser (any type, kept as a Buffer, 256 KB at most) and checks, constant-time:
 * Shopify's and WooCommerce's base64 HMAC-SHA256 of the body, and Standard Webhooks'
 * `id.timestamp.body` signature with the reference `standardwebhooks` verifier. A refused
 * delivery is logged without the secret or the body and counted in the feed's `rejected`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyRequest } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { FeedPayloadError, parseFeedJson, type FeedEvent } from '../../shared/feeds/common.js';
import { shopifyEvent } from '../../shared/feeds/shopify.js';
import { standardEvent } from '../../shared/feeds/standard.js';
import { woocommerceEvent } from '../../shared/feeds/woocommerce.js';
import { errorBody } from './answers.js';
import type { Clock, Logger, RelayHttp } from './deps.js';
import type { FeedIntake } from './feed-intake.js';
import { HttpError } from './http-errors.js';
import type { RoomStore, StoredFeed } from './room-store.js';

/** Shops send whole orders; 256 KB is far above a real one and bounds what a stranger makes us hash. */
export const HOOK_BODY_LIMIT = 256 * 1024;
/** Standard Webhooks' replay window: a timestamp further off than this is refused. */
export const HOOK_TOLERANCE_MS = 5 * 60 * 1000;

export interface HookRouteDeps {
  store: RoomStore;
  clock: Clock;
  logger: Logger;
  intake: FeedIntake;
  storageFailed: (err: unknown) => never;
}

type Verified = { ok: true; event: () => FeedEvent } | { ok: false; field: string; why: string } | { ok: 'ping' };

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** base64 HMAC-SHA256 of the raw body, compared in constant time (Shopify's and WooCommerce's scheme). */
function hmacMatches(secret: string, body: Buffer, given: string | undefined): boolean {
  if (!given) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const sent = Buffer.from(given, 'base64');
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

const parseJson = (body: Buffer): unknown => parseFeedJson(body.toString('utf8'));

function verify(feed: StoredFeed, req: FastifyRequest, body: Buffer, now: number): Verified {
  switch (feed.platform) {
    case 'shopify': {
      if (!hmacMatches(feed.secret, body, header(req, 'x-shopify-hmac-sha256'))) return { ok: false, field: 'x-shopify-hmac-sha256', why: 'missing or wrong X-Shopify-Hmac-Sha256 signature' };
      const topic = header(req, 'x-shopify-topic') ?? '';
      return { ok: true, event: () => shopifyEvent(topic, parseJson(body)) };
    }
    case 'woocommerce': {
      const signature = header(req, 'x-wc-webhook-signature');
      // WooCommerce pings a webhook's URL, unsigned and form-encoded, when the webhook is saved.
      if (!signature && /^webhook_id=\d+$/.test(body.toString('latin1').trim())) return { ok: 'ping' };
      if (!hmacMatches(feed.secret, body, signature)) return { ok: false, field: 'x-wc-webhook-signature', why: 'missing or wrong X-WC-Webhook-Signature signature' };
      const topic = header(req, 'x-wc-webhook-topic') ?? '';
      return { ok: true, event: () => woocommerceEvent(topic, parseJson(body)) };
    }
    case 'standard': {
      const id = header(req, 'webhook-id');
      const timestamp = header(req, 'webhook-timestamp');
      const signature = header(req, 'webhook-signature');
      if (!id || !timestamp || !signature) return { ok: false, field: 'webhook-signature', why: 'missing webhook-id, webhook-timestamp or webhook-signature' };
      const at = Number(timestamp) * 1000;
      // Checked here against the relay's clock (the library reads Date.now()), so the answer names the cause.
      if (!Number.isFinite(at) || Math.abs(now - at) > HOOK_TOLERANCE_MS) return { ok: false, field: 'webhook-timestamp', why: 'webhook-timestamp is more than 5 minutes off' };
      try {
        new Webhook(feed.secret).verify(body, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature });
      } catch {
        return { ok: false, field: 'webhook-signature', why: 'wrong webhook-signature' };
      }
      return { ok: true, event: () => standardEvent(parseJson(body), id) };
    }
  }
}

export function registerHookRoutes(app: RelayHttp, { store, clock, logger, intake, storageFailed }: HookRouteDeps): void {
  void app.register(async (hooks) => {
    // Own parser in this plugin only: every content type, the bytes as sent (signatures are over them).
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_req, body, done) => done(null, body));
    hooks.setErrorHandler((err: FastifyError, _req, reply) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        // Counted on a known feed like any other refused delivery (a shop sending oversized orders
        // is a fault the host must see); an unknown id costs one read and nothing is kept for it.
        const feedId = (_req.params as { feedId?: string } | undefined)?.feedId;
        if (feedId) {
          void store
            .feedById(feedId)
            .then((feed) => feed && intake.reject(feedId, `(body): larger than ${HOOK_BODY_LIMIT / 1024} KB`))
            .catch(() => {
              /* the store is failing: the answer is the same 413 */
            });
        }
        return reply.code(413).send({ ok: false, error: errorBody('too_large', `the body is larger than ${HOOK_BODY_LIMIT / 1024} KB`, { field: '(body)' }) });
      }
      throw err; // the app's one error answer (http-errors.ts)
    });

    hooks.post<{ Params: { feedId: string } }>('/hooks/:feedId', { bodyLimit: HOOK_BODY_LIMIT }, async (req, reply) => {
      const { feedId } = req.params;
      const feed = await store.feedById(feedId).catch(storageFailed);
      if (!feed) throw new HttpError(errorBody('not_found', `no feed "${feedId.slice(0, 80)}" on this relay (it may have been deleted)`, { field: 'feedId' }));
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const v = verify(feed, req, body, clock.now());
      if (v.ok === 'ping') return { ok: true, ping: true };
      if (!v.ok) {
        // Never the secret nor the body: what was refused and why is enough to diagnose.
        logger.warn({ feedId, platform: feed.platform, why: v.why }, 'feed delivery refused');
        intake.reject(feedId, v.why);
        throw new HttpError(errorBody('unauthorized', v.why, { field: v.field }));
      }
      let event: FeedEvent;
      try {
        event = v.event();
      } catch (err) {
        if (!(err instanceof FeedPayloadError)) throw err;
        intake.reject(feedId, err.message);
        throw new HttpError(errorBody('invalid', err.message, { field: err.field }));
      }
      const outcome = await intake.count(feedId, event).catch(storageFailed);
      if (!outcome) throw new HttpError(errorBody('not_found', `no feed "${feedId}" on this relay (it was deleted)`, { field: 'feedId' }));
      return reply.code(200).send(outcome);
    });
  });
}
