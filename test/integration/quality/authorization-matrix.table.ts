// The authorization matrix: every route of the app (read from the router at runtime, so a route
// without a row here fails authorization-matrix.test.ts) × six actors, with the answer each gets.
//
// Columns, in order: anonymous, creator A (street X), creator B (street Y), officer X, officer Y,
// admin. Route parameters are filled with creator A's records (A's account, A's application…; see
// test/support/world.ts), so creator B and officer Y show the object-level answer (404).
//
//   'login'  303 to /login?next=… (anonymous visitors of a signed-in area)
//   'flash'  303 back to the list with an error message, and nothing changed (a refusal that reads
//            exactly like an unknown id)
//   403      signed in, outside the area (the area's guard in src/app.ts)
//   404      inside the area, someone else's record (answers exactly like a missing one)
//   200/303/422/…  what the allowed actor gets: GET the page; POST with only a valid CSRF token
//            (so 422 is the form back with its messages, 303 a done-and-redirected action)
//
// Adding a route is one line, e.g.  'GET /members': anyone(200),
// or with a parameter of its own:  'GET /office/x/:id': office(200, 404, 200, { id: 'membershipA' }),
import type { Actor, World, WorldId } from '../../support/world.js';

export type Expected = number | 'login' | 'flash';
export type Params = Partial<Record<string, WorldId>>;
export interface Row {
  expect: Record<Actor, Expected>;
  params?: Params;
}

export function row(
  anonymous: Expected,
  creatorA: Expected,
  creatorB: Expected,
  officerX: Expected,
  officerY: Expected,
  admin: Expected,
  params?: Params,
): Row {
  return { expect: { anonymous, creatorA, creatorB, officerX, officerY, admin }, params };
}
/** The same answer for everyone (public pages). */
export const anyone = (status: Expected, params?: Params): Row =>
  row(status, status, status, status, status, status, params);
/** /me: creators only; `b` is creator B's answer on A's record. */
export const me = (a: Expected, b: Expected = a, params?: Params): Row =>
  row('login', a, b, 403, 403, 403, params);
/** /office: officers and admins; `y` is officer Y's answer on a street-X record. */
export const office = (x: Expected, y: Expected = x, admin: Expected = x, params?: Params): Row =>
  row('login', 403, 403, x, y, admin, params);
/** /admin: admins only. */
export const adminOnly = (status: Expected, params?: Params): Row =>
  row('login', 403, 403, 403, 403, status, params);

/** Parameters filled the same way on every route (override per row with `params`). */
export const paramDefaults: Params = {
  accountId: 'accountA',
  conflictId: 'conflictAB',
  creatorId: 'creatorA',
  fileId: 'avatarA',
  slug: 'slugB',
  version: 'pledgeVersion',
  code: 'language',
  token: 'token',
  platform: 'platform',
};

export const matrix: Record<string, Row> = {
  // public: health, home, language, sign-in, registration, mail links (an unknown token: 410 Gone)
  'GET /healthz': anyone(200),
  'GET /readyz': anyone(200),
  'GET /': anyone(200),
  'GET /language/:code': anyone(303),
  'GET /login': anyone(200),
  'POST /login': anyone(422),
  'POST /logout': row('login', 303, 303, 303, 303, 303),
  'GET /register': anyone(200),
  'POST /register': anyone(422),
  'GET /register/sent': anyone(200),
  'GET /password/forgot': anyone(200),
  'POST /password/forgot': anyone(422),
  'GET /password/reset/:token': anyone(410),
  'POST /password/reset/:token': anyone(410),
  'GET /verify/email/:token': anyone(410),
  'POST /verify/email/:token': anyone(410),
  'GET /verify/:token': anyone(410),
  'POST /verify/:token': anyone(410),
  // public alliance pages; the badge is creator B's (an approved member)
  'GET /pledge': anyone(200),
  'GET /pledge/v/:version': anyone(200),
  'GET /members/:slug/badge.svg': anyone(200),
  // the public directory, its CSV and the open-data API (creator B is a listed member)
  'GET /members': anyone(200),
  'GET /members.csv': anyone(200),
  'GET /members/:slug': anyone(200),
  'GET /members/:slug/avatar': anyone(404),
  'GET /api/v1/openapi.json': anyone(200),
  'GET /api/v1/members': anyone(200),
  'GET /api/v1/members/:slug': anyone(200),
  'GET /api/v1/stats': anyone(200),
  // web conventions
  'GET /robots.txt': anyone(200),
  'GET /sitemap.xml': anyone(200),
  // an imported profile's claim link: an unknown token is 404; only a creator can claim (officers and
  // admins are sent back to the page, which says so)
  'GET /claim/:token': anyone(404),
  'POST /claim/:token': row('login', 404, 404, 303, 303, 303),
  // /account: anyone signed in, their own account
  'GET /account/password': row('login', 200, 200, 200, 200, 200),
  'POST /account/password': row('login', 422, 422, 422, 422, 422),
  'GET /account/email': row('login', 200, 200, 200, 200, 200),
  'POST /account/email': row('login', 422, 422, 422, 422, 422),
  'POST /account/verify/resend': row('login', 303, 303, 303, 303, 303),
  // /files: A's avatar, for A and the officers covering street X
  'GET /files/:fileId': row('login', 200, 404, 200, 404, 200),
  // /me: creators, their own records (B on A's account: 404)
  'GET /me': me(200),
  'GET /me/profile': me(200),
  'POST /me/profile': me(422),
  'POST /me/profile/avatar': me(422),
  'GET /me/accounts': me(200),
  'POST /me/accounts': me(422),
  'GET /me/accounts/:accountId': me(200, 404),
  'POST /me/accounts/:accountId': me(303, 404),
  'POST /me/accounts/:accountId/remove': me(303, 404),
  'POST /me/accounts/:accountId/id': me(422, 404),
  'POST /me/accounts/:accountId/check': me(303, 404),
  'POST /me/accounts/:accountId/evidence': me(422, 404),
  'POST /me/accounts/:accountId/figure': me(422, 404),
  // "refresh now" (stats puller): queued for A's Bilibili account, 404 for B
  'POST /me/accounts/:accountId/refresh': me(303, 404),
  'GET /me/privacy': me(200),
  'POST /me/privacy/download': me(422),
  'POST /me/privacy/delete': me(422),
  'GET /me/alliance': me(200),
  'POST /me/alliance/apply': me(422),
  'POST /me/alliance/withdraw': me(303),
  'POST /me/alliance/renew': me(409),
  'GET /me/alliance/pledge': me(200),
  'POST /me/alliance/pledge': me(422),
  'GET /me/notifications': me(200),
  'POST /me/notifications/read-all': me(303),
  'GET /me/notifications/settings': me(200),
  'POST /me/notifications/settings': me(303),
  // someone else's notification reads like an unknown one: back to the list, nothing marked
  'POST /me/notifications/:id/read': me(303, 'flash', { id: 'notificationA' }),
  // /office: officers and admins; street-X records (officer Y: 404; a conflict with a party on
  // each street is in both officers' scope)
  'GET /office': office(200),
  'GET /office/ownership': office(200),
  'GET /office/figures': office(200),
  'GET /office/conflicts': office(200),
  'POST /office/accounts/:accountId/ownership': office(422, 404),
  'POST /office/accounts/:accountId/figure': office(422, 404),
  'POST /office/conflicts/:conflictId': office(422, 422),
  'GET /office/creators/:creatorId': office(200, 404),
  // A has signed up already: "already claimed", back to the creator page, nothing issued
  'POST /office/creators/:creatorId/claim-link': office(303, 404),
  'GET /office/import': office(200),
  'POST /office/import': office(422),
  'GET /office/import/:uploadId': office(404, 404, 404, { uploadId: 'unknownId' }),
  'POST /office/import/:uploadId': office(404, 404, 404, { uploadId: 'unknownId' }),
  'GET /office/pool/creators/:creatorId': office(200, 404),
  'GET /office/pool/saved': office(200),
  'POST /office/pool/saved': office(422),
  'GET /office/pool/saved/:searchId': office(404, 404, 404, { searchId: 'unknownId' }),
  'POST /office/pool/saved/:searchId/delete': office(404, 404, 404, { searchId: 'unknownId' }),
  'GET /office/stats': office(200),
  // pausing is for admins and district-wide officers; a form without its action answers 400
  'POST /office/stats/platforms/:platform': office(403, 403, 400),
  // "refresh now" of A's account: officers covering street X (audited), not officer Y
  'POST /office/accounts/:accountId/refresh': office(303, 404),
  'GET /office/audit': office(200),
  'GET /office/pool': office(200),
  'GET /office/pool.csv': office(200),
  'GET /office/pool.xlsx': office(200),
  'GET /office/applications': office(200),
  'GET /office/applications/:id': office(200, 404, 200, { id: 'membershipA' }),
  'POST /office/applications/:id/approve': office(303, 404, 303, { id: 'membershipA' }),
  'POST /office/applications/:id/reject': office(422, 404, 422, { id: 'membershipA' }),
  'POST /office/applications/:id/info': office(422, 404, 422, { id: 'membershipA' }),
  'POST /office/applications/:id/suspend': office(422, 404, 422, { id: 'membershipA' }),
  'POST /office/applications/:id/reinstate': office(409, 404, 409, { id: 'membershipA' }),
  'GET /office/notifications': office(200),
  'POST /office/notifications/read-all': office(303),
  'GET /office/notifications/settings': office(200),
  'POST /office/notifications/settings': office(303),
  // officer X's own notification: not officer Y's, not the admin's
  'POST /office/notifications/:id/read': office(303, 'flash', 'flash', { id: 'notificationOfficerX' }),
  // /admin: admins only
  'GET /admin': adminOnly(200),
  'GET /admin/officers': adminOnly(200),
  'POST /admin/officers': adminOnly(422),
  'POST /admin/officers/:id/scope': adminOnly(422, { id: 'officerX' }),
  'POST /admin/officers/:id/status': adminOnly(422, { id: 'officerX' }),
  'POST /admin/officers/:id/unlock': adminOnly(303, { id: 'officerX' }),
  'GET /admin/pledges': adminOnly(200),
  'POST /admin/pledges': adminOnly(422),
  'GET /admin/outbox': adminOnly(200),
  'GET /admin/outbox/:id/html': adminOnly(200, { id: 'mail' }),
};

/** The route's path with its parameters filled from the world; throws naming a parameter without a value. */
export function fillPath(key: string, path: string, row: Row | undefined, world: World): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_match, name: string) => {
    const id = row?.params?.[name] ?? paramDefaults[name];
    if (!id)
      throw new Error(
        `${key}: no value for :${name} (add params: { ${name}: '…' } to its row in test/integration/quality/authorization-matrix.table.ts)`,
      );
    return encodeURIComponent(world.ids[id]);
  });
}
