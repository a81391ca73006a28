// The open-data API under /api/v1 (anyone; read-only): public members, one member, district
// totals and the OpenAPI document that describes them (openapi.ts). Stateless: mounted before
// sessions and CSRF, so it sets no cookie and can be cached by anyone (ETag + 304 come from
// Express's res.json). CORS for GET from any origin; a per-IP limit per minute; errors are
// {"error":{"code","message"}} with their status, whatever went wrong.
import cors from 'cors';
import { type ErrorRequestHandler, type Request, type Response, Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RateLimitStoreFactory } from '../../http/rateLimits.js';
import { currentPledge, signatureOf } from '../alliance/pledgeService.js';
import { openApiDocument } from './openapi.js';
import {
  type GrowthPoint,
  type PublicAccount,
  type PublicMember,
  memberGrowth,
  publicMemberBySlug,
  publicMembers,
  publicStats,
} from './service.js';
import { queryString } from './view.js';
import { directoryQueryOf, directoryQueryRules } from './validation.js';

/** Browsers and proxies may keep an answer this long (seconds); ETag revalidation after that. */
export const apiMaxAgeSeconds = 60;

export type ApiErrorCode =
  | 'invalid_parameter'
  | 'not_found'
  | 'page_out_of_range'
  | 'not_acceptable'
  | 'method_not_allowed'
  | 'too_many_requests'
  | 'internal_error';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    /** A catalogue key (translated in the caller's language) and its values. */
    readonly messageKey: string,
    readonly values: Record<string, unknown> = {},
  ) {
    super(messageKey);
  }
}

const iso = (date: Date | undefined): string | null => (date ? date.toISOString() : null);

function accountJson(account: PublicAccount, history?: GrowthPoint[]) {
  return {
    platform: account.platform,
    platformId: account.platformId,
    name: account.displayName,
    url: account.url ?? null,
    followers: account.figure
      ? {
          count: account.figure.followers,
          precision: account.figure.precision,
          source: account.figure.source,
          asOf: account.figure.asOf.toISOString(),
          shown: account.figure.raw ?? null,
        }
      : null,
    ...(history
      ? {
          history: history.map((p) => ({ at: p.at.toISOString(), followers: p.followers, source: p.source })),
        }
      : {}),
  };
}

function memberJson(member: PublicMember, origin: string) {
  return {
    slug: member.slug,
    name: member.displayName,
    kind: member.kind,
    street: member.street ?? null,
    categories: member.categories,
    memberNumber: member.memberNumber,
    memberSince: iso(member.memberSince),
    followers: member.followers,
    asOf: iso(member.asOf),
    url: `${origin}/members/${member.slug}`,
    avatar: member.hasAvatar ? `${origin}/members/${member.slug}/avatar` : null,
    badge: `${origin}/members/${member.slug}/badge.svg`,
    accounts: member.accounts.map((account) => accountJson(account)),
  };
}

const originOf = (req: Request, publicUrl: string | undefined): string =>
  (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');

/** A cacheable JSON answer: Express adds the ETag and answers 304 when it matches. */
function sendCached(res: Response, body: unknown, contentType = 'application/json'): void {
  res.set('Cache-Control', `public, max-age=${apiMaxAgeSeconds}`);
  res.type(contentType);
  res.send(JSON.stringify(body));
}

export interface DirectoryApiOptions {
  publicUrl: string | undefined;
  stores: RateLimitStoreFactory;
  perMinute: number;
}

/** Errors raised before a handler (a malformed path escape: 400) keep their status. */
function fromHttpError(error: unknown): ApiError {
  const status = (error as { status?: unknown }).status;
  if (status === 400) return new ApiError(400, 'invalid_parameter', 'directory.api.badRequest');
  if (status === 404) return new ApiError(404, 'not_found', 'directory.api.notFound');
  return new ApiError(500, 'internal_error', 'directory.api.internal');
}

export function directoryApi(options: DirectoryApiOptions): Router {
  const api = Router();
  const minuteMs = 60 * 1000;

  api.use(
    cors({
      origin: '*',
      methods: ['GET', 'HEAD'],
      exposedHeaders: ['ETag', 'RateLimit', 'RateLimit-Policy', 'Retry-After'],
      maxAge: 86400,
    }),
  );
  api.use(
    rateLimit({
      windowMs: minuteMs,
      limit: options.perMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: options.stores('api', minuteMs),
      keyGenerator: (req) => `api:${ipKeyGenerator(req.ip ?? '')}`,
      handler: (_req, _res, next) => next(new ApiError(429, 'too_many_requests', 'directory.api.tooMany')),
    }),
  );
  // Read-only: anything but GET and HEAD (CORS preflights were answered above) is refused.
  api.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.set('Allow', 'GET, HEAD');
    next(new ApiError(405, 'method_not_allowed', 'directory.api.methodNotAllowed'));
  });
  // JSON only (application/json, or the OpenAPI document's own type); anything else is 406.
  api.use((req, _res, next) => {
    if (req.accepts(['application/json', 'application/openapi+json'])) return next();
    next(new ApiError(406, 'not_acceptable', 'directory.api.notAcceptable'));
  });

  /** GET /api/v1/openapi.json — anyone: the OpenAPI 3.1 description of this API. */
  api.get('/openapi.json', (req, res) => {
    sendCached(res, openApiDocument(originOf(req, options.publicUrl)));
  });

  /** GET /api/v1/members?q=&platform=&category=&street=&sort=&page=&perPage= — anyone. */
  api.get('/members', directoryQueryRules, async (req: Request, res: Response) => {
    const { query, errors } = directoryQueryOf(req);
    const error = errors[0];
    if (error) throw new ApiError(400, 'invalid_parameter', error.key, { param: error.param });
    const result = await publicMembers(query);
    const pages = Math.max(1, Math.ceil(result.total / query.perPage));
    if (query.page > pages)
      throw new ApiError(404, 'page_out_of_range', 'directory.api.pageOutOfRange', { pages });
    const origin = originOf(req, options.publicUrl);
    const link = (page: number) => {
      const qs = queryString(query, { page });
      return `${origin}/api/v1/members${qs ? `?${qs}` : ''}`;
    };
    sendCached(res, {
      data: result.rows.map((member) => memberJson(member, origin)),
      meta: { total: result.total, page: query.page, perPage: query.perPage, pages },
      links: {
        self: link(query.page),
        first: link(1),
        last: link(pages),
        prev: query.page > 1 ? link(query.page - 1) : null,
        next: query.page < pages ? link(query.page + 1) : null,
      },
    });
  });

  /** GET /api/v1/members/:slug — anyone: one public member with each account's history. */
  api.get('/members/:slug', async (req, res) => {
    const member = await publicMemberBySlug(req.params.slug);
    if (!member) throw new ApiError(404, 'not_found', 'directory.api.notFound');
    const [growth, pledge] = await Promise.all([memberGrowth(member), currentPledge()]);
    const signed = pledge ? !!(await signatureOf(member.creatorId, pledge.version)) : false;
    const origin = originOf(req, options.publicUrl);
    const summary = memberJson(member, origin);
    sendCached(res, {
      data: {
        ...summary,
        bio: member.bio,
        pledge: pledge ? { version: pledge.version, signed } : null,
        accounts: member.accounts.map((account) => accountJson(account, growth.get(account.id) ?? [])),
      },
    });
  });

  /** GET /api/v1/stats — anyone: district totals by platform, street and category. */
  api.get('/stats', async (_req, res) => {
    const stats = await publicStats();
    const total = (t: { members: number; accounts: number; followers: number; asOf?: Date }) => ({
      members: t.members,
      accounts: t.accounts,
      followers: t.followers,
      asOf: iso(t.asOf),
    });
    const keyed = (group: Record<string, Parameters<typeof total>[0]>) =>
      Object.fromEntries(Object.entries(group).map(([key, value]) => [key, total(value)]));
    sendCached(res, {
      data: {
        totals: total(stats.totals),
        byPlatform: keyed(stats.byPlatform),
        byStreet: keyed(stats.byStreet),
        byCategory: keyed(stats.byCategory),
      },
    });
  });

  api.use((_req, _res, next) => {
    next(new ApiError(404, 'not_found', 'directory.api.notFound'));
  });

  const errors: ErrorRequestHandler = (error: unknown, req, res, _next) => {
    const known = error instanceof ApiError ? error : fromHttpError(error);
    if (known.status >= 500) req.log.error({ err: error }, 'api request failed');
    res.status(known.status);
    res.set('Cache-Control', 'no-store');
    res.json({ error: { code: known.code, message: req.t(known.messageKey, known.values) } });
  };
  api.use(errors);
  return api;
}
