// The authorization matrix over real HTTP: every route of the app × six actors (anonymous,
// creator A, creator B, officer of street X, officer of street Y, admin), each answer compared
// with the table in authorization-matrix.table.ts. Route parameters are creator A's records, so
// creator B and officer Y try A's ids. A POST carries a valid CSRF token for its actor (the guard,
// not the CSRF check, must refuse), and a refused request (303 to sign in, 403, 404) must leave
// every collection as it was (sessions, rate-limit counters and the scheduler's jobs aside).
// Each cell starts from the same world: the database is restored from a snapshot before it.
//
// MATRIX_PRINT=1 prints every route's observed answers as table lines (to review, never to paste blindly).
import { expect } from 'chai';
import { type TestApp, startTestApp } from '../../support/app.js';
import { listRoutes } from '../../support/routes.js';
import {
  type Actor,
  type Snapshot,
  type World,
  actors,
  buildWorld,
  changedCollections,
} from '../../support/world.js';
import { type Expected, fillPath, matrix } from './authorization-matrix.table.js';

const tableFile = 'test/integration/quality/authorization-matrix.table.ts';
const refusals = (expected: Expected): boolean =>
  expected === 'login' || expected === 'flash' || expected === 403 || expected === 404;

function describeAnswer(status: number, location: string | undefined): string {
  return location ? `${status} → ${location}` : String(status);
}

function matches(expected: Expected, status: number, location: string | undefined): boolean {
  if (expected === 'login') return status === 303 && (location ?? '').startsWith('/login?next=');
  if (expected === 'flash') return status === 303;
  return status === expected;
}

const rows = Object.entries(matrix);

describe(`authorization matrix (${rows.length} routes × ${actors.length} actors = ${rows.length * actors.length} cases)`, function () {
  this.timeout(120_000);
  let portal: TestApp;
  let world: World;
  let base: Snapshot;
  let cases = 0;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    world = await buildWorld(portal);
    await world.settle();
    base = await world.snapshot();
  });
  after(async function () {
    await portal?.stop();
  });

  it('has a row for every route of the app, and no row for a route that is gone', function () {
    const routes = listRoutes(portal.app).map((route) => route.key);
    const missing = routes.filter((key) => !(key in matrix));
    const stale = Object.keys(matrix).filter((key) => !routes.includes(key));
    expect(
      missing,
      `routes without a row in ${tableFile} (add one line each, e.g. '${missing[0] ?? 'GET /x'}': anyone(200),)`,
    ).to.deep.equal([]);
    expect(stale, `rows in ${tableFile} for routes the app no longer has`).to.deep.equal([]);
  });

  function request(actor: Actor, method: string, path: string) {
    const req = world.send(actor, method, path);
    return method === 'GET' ? req : req.type('form').send({ _csrf: world.csrf[actor] });
  }

  for (const [key, row] of rows) {
    it(key, async function () {
      const [method = '', path = ''] = key.split(' ');
      const url = fillPath(key, path, row, world);
      const wrong: string[] = [];
      const observed: string[] = [];
      await world.reset(base);
      for (const actor of actors) {
        const res = await request(actor, method, url);
        cases += 1;
        const location: string | undefined = res.headers.location;
        const expected = row.expect[actor];
        observed.push(
          res.status === 303 && location?.startsWith('/login?next=') ? `'login'` : String(res.status),
        );
        if (res.status >= 500) wrong.push(`${actor}: ${res.status} (a server error)`);
        else if (!matches(expected, res.status, location))
          wrong.push(`${actor}: expected ${expected}, got ${describeAnswer(res.status, location)}`);
        const after = await world.snapshot();
        if (refusals(expected) && matches(expected, res.status, location)) {
          const changed = changedCollections(base, after);
          if (changed.length) wrong.push(`${actor}: refused, yet changed ${changed.join(', ')}`);
        }
        // the next actor starts from the same world
        await world.reset(base, after);
      }
      if (process.env.MATRIX_PRINT) console.log(`  '${key}': row(${observed.join(', ')}),`);
      expect(wrong, `${key} (${url})`).to.deep.equal([]);
    });
  }

  it('ran every case', function () {
    console.log(
      `      authorization matrix: ${cases} cases (${rows.length} routes × ${actors.length} actors)`,
    );
    expect(cases).to.equal(rows.length * actors.length);
  });
});
