// The pool's, the dashboard's and the export's real pipelines give the same answers with the
// offline lane's compiled stages on and off (every stage through mingo, as before them): the
// search results with their facet counts, the dashboard figures, the export rows, and the pages
// an officer reads over HTTP. Skipped on a real MongoDB (there is no lane to switch).
import { expect } from 'chai';
import { Types } from 'mongoose';
import { useCompiledStages } from '../../../../src/db/offline/index.js';
import { MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import { PledgeVersionModel } from '../../../../src/features/alliance/pledge.model.js';
import { PledgeSignatureModel } from '../../../../src/features/alliance/signature.model.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { dashboardFigures } from '../../../../src/features/pool/dashboard.js';
import {
  poolPipeline,
  rowProjection,
  searchContext,
  searchPool,
} from '../../../../src/features/pool/service.js';
import type { PoolQuery } from '../../../../src/features/pool/validation.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { categories, streets } from '../../../../src/features/registry/catalogue.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { backfillMonthlyFigures } from '../../../../src/features/registry/monthlyFigures.js';
import { platformKeys } from '../../../../src/features/registry/platforms/index.js';
import { StatSnapshotModel, snapshotBucket } from '../../../../src/features/registry/statSnapshot.model.js';
import { type Agent, type TestApp, page, startTestApp } from '../../../support/app.js';
import { random } from '../../../support/random.js';
import { signedIn } from '../registry/helpers.js';

const dayMs = 24 * 60 * 60 * 1000;
const onLane = !process.env.MONGODB_URI;

/** A value written out with its types and field order (deep-equal is blind to both). */
function typed(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (value instanceof Types.ObjectId) return `oid:${value.toHexString()}`;
  if (Array.isArray(value)) return `[${value.map(typed).join(',')}]`;
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${JSON.stringify(key)}:${typed(item)}`)
      .join(',')}}`;
  return `${typeof value}:${JSON.stringify(value)}`;
}

/** `run` with the compiled stages on, then off; both answers. */
async function bothWays<T>(run: () => Promise<T>): Promise<[T, T]> {
  try {
    useCompiledStages(true);
    const compiled = await run();
    useCompiledStages(false);
    const interpreted = await run();
    return [compiled, interpreted];
  } finally {
    useCompiledStages(true);
  }
}

describe('resource pool: the offline lane’s compiled stages answer as mingo does', function () {
  this.timeout(120_000);
  let portal: TestApp;
  let officer: Agent;
  const rand = random(20_261_203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;

  before(async function () {
    if (!onLane) this.skip();
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    const now = Date.now();
    const places = ['坪山', '坑梓', '龙田', '燈塔'];
    const topics = ['之眼', '美食', '生活', '印象'];
    const creators = [];
    const accounts = [];
    const snapshots = [];
    const memberships = [];
    const signatures = [];
    for (let i = 0; i < 160; i++) {
      const _id = new Types.ObjectId();
      creators.push({
        _id,
        displayName: `${pick(places)}${pick(topics)}${i}`,
        slug: `creator-${i}`,
        kind: 'person',
        ...(i % 11 === 0 ? {} : { street: pick(streets) }),
        categories:
          i % 7 === 0 ? [] : [pick(categories), pick(categories)].filter((c, k, all) => all.indexOf(c) === k),
        bio: `${pick(places)}的${pick(topics)}`,
        consent: { listed: true },
        notices: [],
        createdAt: new Date(now - rand() * 365 * dayMs),
        updatedAt: new Date(),
      });
      for (let a = 0; a < i % 4; a++) {
        const account = new Types.ObjectId();
        const platform = pick(platformKeys);
        const followers = Math.floor(rand() ** 3 * 2_000_000);
        const asOf = new Date(now - pick([1, 3, 10, 40]) * dayMs);
        accounts.push({
          _id: account,
          creator: _id,
          platform,
          platformId: `lane${i}x${a}`,
          displayName: `${pick(places)}${pick(topics)}`,
          ownership: {
            state: pick(['unverified', 'pending', 'verified', 'rejected']),
            code: 'LH-T',
            history: [],
          },
          ...(rand() < 0.85
            ? { figure: { followers, precision: 'exact', source: 'official_api', asOf } }
            : {}),
          createdAt: new Date(),
          updatedAt: new Date(),
        });
        if (i % 3 !== 0) continue;
        for (const days of [70, 45, 35]) {
          const at = new Date(asOf.getTime() - days * dayMs);
          snapshots.push({
            account,
            creator: _id,
            street: 'pingshan',
            platform,
            at,
            bucket: snapshotBucket('official_api', at),
            followers: Math.round(followers * (0.8 + rand() * 0.4)),
            precision: 'exact',
            source: 'official_api',
          });
        }
      }
      if (i % 5 !== 4)
        memberships.push({
          creator: _id,
          status: pick(['applied', 'approved', 'approved', 'rejected', 'suspended', 'withdrawn', 'expired']),
          motivation: 'm',
          appliedAt: new Date(now - 60 * dayMs),
        });
      if (i % 3 !== 2)
        signatures.push({
          version: pick([1, 2]),
          creator: _id,
          user: new Types.ObjectId(),
          typedName: 'n',
          signedAt: new Date(),
        });
    }
    await CreatorModel.collection.insertMany(creators);
    await AccountModel.collection.insertMany(accounts);
    await StatSnapshotModel.collection.insertMany(snapshots);
    await MembershipModel.collection.insertMany(memberships);
    await PledgeSignatureModel.collection.insertMany(signatures);
    for (const version of [1, 2])
      await PledgeVersionModel.create({
        version,
        title: 'v',
        body: 'b',
        effectiveAt: new Date(now - (90 - version) * dayMs),
        graceDays: 30,
      });
    await backfillCreatorSearch();
    await backfillMonthlyFigures();
    officer = await signedIn(portal, 'lane.officer@example.org', 'officer', 'district');
  });

  after(async function () {
    useCompiledStages(true);
    await portal?.stop();
  });

  const district = { role: 'officer', streetScope: 'district' } as const;
  const queries: Partial<PoolQuery>[] = [
    {},
    { q: '坪山' },
    { q: 'ps', sort: 'relevance' },
    { q: '燈塔之眼', sort: 'relevance' },
    { q: 'pingshan', sort: 'name' },
    { selected: { street: ['pingshan', 'kengzi'], category: ['food'] } },
    { selected: { followers: ['10k', '100k'], growth: ['up', 'down', 'unknown'] }, sort: 'growth' },
    { selected: { platform: ['douyin'], platformFollowers: ['1k', '100k'] } },
    { selected: { membership: ['approved', 'none'], pledge: ['renewal_due', 'not_signed'] }, sort: 'newest' },
    { selected: { freshness: ['fresh', 'stale', 'none'], ownership: ['verified'] }, page: 2, perPage: 10 },
  ];
  const full = (query: Partial<PoolQuery>): PoolQuery => ({
    q: '',
    selected: {},
    sort: 'followers',
    page: 1,
    perPage: 20,
    ids: [],
    ...query,
  });

  it('gives the same search results and facet counts', async function () {
    const now = new Date();
    let rows = 0;
    for (const query of queries) {
      for (const actor of [district, { role: 'officer', streetScope: 'pingshan' } as const]) {
        const [compiled, interpreted] = await bothWays(() => searchPool(actor, full(query), now));
        expect(typed(compiled), JSON.stringify(query)).to.equal(typed(interpreted));
        rows += compiled.rows.length;
      }
    }
    expect(rows).to.be.above(100); // the searches found creators to compare
  });

  it('gives the same export rows', async function () {
    for (const query of [queries[0]!, queries[1]!, queries[8]!]) {
      const context = await searchContext(full(query));
      const [compiled, interpreted] = await bothWays(() =>
        CreatorModel.aggregate([...poolPipeline(district, full(query), context), rowProjection]),
      );
      expect(compiled.length, JSON.stringify(query)).to.be.above(0);
      expect(typed(compiled), JSON.stringify(query)).to.equal(typed(interpreted));
    }
  });

  it('gives the same dashboard figures', async function () {
    const now = new Date();
    for (const actor of [district, { role: 'officer', streetScope: 'pingshan' } as const]) {
      const [compiled, interpreted] = await bothWays(() => dashboardFigures(actor, now));
      expect(compiled.creators).to.be.above(0);
      expect(typed(compiled)).to.equal(typed(interpreted));
    }
  });

  it('shows the officer the same pool pages, dashboard and CSV', async function () {
    await officer.get('/office'); // the sign-in's welcome message shows once, here
    for (const path of [
      '/office/pool?q=%E5%9D%AA%E5%B1%B1',
      '/office/pool?street=pingshan&category=food&followers=10k&followers=100k',
      '/office/pool?membership=approved&pledge=signed&sort=name',
      '/office',
    ]) {
      const [compiled, interpreted] = await bothWays(async () => {
        const res = await officer.get(path);
        expect(res.status, path).to.equal(200);
        return page(res)('main').text().replace(/\s+/g, ' ');
      });
      expect(compiled, path).to.equal(interpreted);
    }
    const $ = page(await officer.get('/office/pool?q=%E5%9D%AA%E5%B1%B1'));
    expect($('.pool-card').length).to.be.above(0);
    const [csv, csvInterpreted] = await bothWays(
      async () => (await officer.get('/office/pool.csv?street=pingshan')).text,
    );
    expect(csv.split('\n').length).to.be.above(5);
    expect(csv).to.equal(csvInterpreted);
  });
});
