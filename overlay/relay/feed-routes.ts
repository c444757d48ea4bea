/**
 * A room's shop feeds (issue 13), host token only: make one (its secret shown once), list them
 * with their health (never a secret), delete one (its hook URL answers 404 from then on), and map
 * an unmatched SKU to a product (the lines waiting for it are counted, once).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Role } from '../../shared/domain.js';
import { FEED_PLATFORMS } from '../../shared/feeds/common.js';
import { IdSchema } from '../../shared/values.js';
import { errorBody } from './answers.js';
import type { Clock, RelayHttp } from './deps.js';
import type { FeedIntake } from './feed-intake.js';
import { HttpError } from './http-errors.js';
import type { RoomActor } from './room-hub.js';
import type { RoomStore, StoredFeed } from './room-store.js';

export const FeedCreateSchema = z.strictObject({
  platform: z.enum(FEED_PLATFORMS),
  name: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
  secret: z.string().min(8, 'must be at least 8 characters').max(200, 'must be at most 200 characters').optional(),
});
export const FeedMapSchema = z.strictObject({
  sku: z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters'),
  productId: IdSchema,
});

export interface FeedRouteDeps {
  store: RoomStore;
  clock: Clock;
  intake: FeedIntake;
  publicUrl: () => string;
  authorize: (req: FastifyRequest, roomId: string) => Promise<{ actor: RoomActor; role: Role }>;
  parseBody: <T>(schema: z.ZodType<T>, body: unknown) => T;
  storageFailed: (err: unknown) => never;
}

/** A Standard Webhooks key is `whsec_` + base64 of the key bytes (what its libraries read); the others take any text. */
function newSecret(platform: StoredFeed['platform']): string {
  return platform === 'standard' ? 'whsec_' + randomBytes(24).toString('base64') : randomBytes(24).toString('base64url');
}

export function registerFeedRoutes(app: RelayHttp, { store, clock, intake, publicUrl, authorize, parseBody, storageFailed }: FeedRouteDeps): void {
  const urlOf = (id: string) => new URL(`/hooks/${id}`, publicUrl()).href;
  const view = (f: StoredFeed) => ({ id: f.id, platform: f.platform, name: f.name, url: urlOf(f.id) });

  async function hostOf(req: FastifyRequest, roomId: string): Promise<RoomActor> {
    const { actor, role } = await authorize(req, roomId);
    if (role !== 'host') throw new HttpError(errorBody('forbidden', 'only the host token may manage the feeds of a room'));
    return actor;
  }
  async function feedOf(roomId: string, feedId: string): Promise<StoredFeed> {
    const feed = await store.feedById(feedId).catch(storageFailed);
    if (!feed || feed.roomId !== roomId) throw new HttpError(errorBody('not_found', `no feed "${feedId}" in this room`, { field: 'feed' }));
    return feed;
  }

  app.post<{ Params: { room: string } }>('/api/rooms/:room/feeds', async (req, reply) => {
    const actor = await hostOf(req, req.params.room);
    const b = parseBody(FeedCreateSchema, req.body ?? {});
    if (b.platform === 'standard' && b.secret !== undefined && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(b.secret)) {
      throw new HttpError(errorBody('invalid', 'secret: a Standard Webhooks secret is "whsec_" followed by base64', { field: 'secret' }));
    }
    const secret = b.secret ?? newSecret(b.platform);
    const feed: StoredFeed = {
      id: 'fd_' + randomBytes(12).toString('base64url'),
      roomId: actor.state.id,
      platform: b.platform,
      name: b.name ?? b.platform,
      secret,
      createdAt: clock.now(),
      received: 0,
      counted: 0,
      rejected: 0,
      lastAt: null,
      lastError: null,
      unmatched: [],
      skuMap: {},
      cancelled: [],
    };
    await store.addFeed(feed).catch(storageFailed);
    return reply.code(201).send({ feed: view(feed), secret });
  });

  app.get<{ Params: { room: string } }>('/api/rooms/:room/feeds', async (req) => {
    const actor = await hostOf(req, req.params.room);
    const feeds = await store.listFeeds(actor.state.id).catch(storageFailed);
    return {
      feeds: feeds.map((f) => ({
        ...view(f),
        received: f.received,
        counted: f.counted,
        rejected: f.rejected,
        unmatched: f.unmatched.map(({ sku, quantity, orderId }) => ({ sku, quantity, orderId })),
        lastAt: f.lastAt,
        lastError: f.lastError,
      })),
    };
  });

  app.delete<{ Params: { room: string; feed: string } }>('/api/rooms/:room/feeds/:feed', async (req) => {
    const actor = await hostOf(req, req.params.room);
    const removed = await store.removeFeed(actor.state.id, req.params.feed).catch(storageFailed);
    if (!removed) throw new HttpError(errorBody('not_found', `no feed "${req.params.feed}" in this room`, { field: 'feed' }));
    return { ok: true, deleted: req.params.feed };
  });

  app.post<{ Params: { room: string; feed: string } }>('/api/rooms/:room/feeds/:feed/map', async (req) => {
    const actor = await hostOf(req, req.params.room);
    const { sku, productId } = parseBody(FeedMapSchema, req.body);
    await feedOf(actor.state.id, req.params.feed);
    if (!actor.state.products.some((p) => p.id === productId)) {
      throw new HttpError(errorBody('not_found', `no product "${productId}" in this room`, { field: 'productId' }));
    }
    const out = await intake.map(req.params.feed, sku, productId).catch(storageFailed);
    if (!out) throw new HttpError(errorBody('not_found', `no feed "${req.params.feed}" in this room`, { field: 'feed' }));
    return { ok: true, sku, productId, counted: out.counted, unmatched: out.left };
  });
}
