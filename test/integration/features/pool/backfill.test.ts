// The start-up backfill keys and summarises creators in batches: 130 creators written around the
// services (three batches), accounts whose latest figures are of different days (so each has its
// own 30-day cut-off), and snapshots on both sides of the cut-off. Every creator's stored summary
// is its own (totals, platforms, growth from the latest snapshot on or before its cut-off), its
// search keys find it over HTTP, and a second run finds nothing left to do.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { searchKeyVersion } from '../../../../src/features/search/keys.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import { type TestApp, page, startTestApp } from '../../../support/app.js';
import { signedIn } from '../registry/helpers.js';

const dayMs = 24 * 60 * 60 * 1000;
const CREATORS = 130;

describe('resource pool: the start-up backfill in batches', function () {
  this.timeout(60_000);
  let portal: TestApp;
  const now = Date.now();
  const daysAgo = (days: number) => new Date(now - days * dayMs);
  const creatorIds: Types.ObjectId[] = [];

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    const creators = [];
    const accounts = [];
    const snapshots = [];
    for (let i = 0; i < CREATORS; i++) {
      const _id = new Types.ObjectId();
      creatorIds.push(_id);
      creators.push({
        _id,
        displayName: `Backfill ${i}`,
        slug: `backfill-${i}`,
        kind: 'person',
        street: 'pingshan',
        categories: ['food'],
        bio: '',
        consent: { listed: true },
        notices: [],
        createdAt: new Date(now),
        updatedAt: new Date(now),
      });
      const asOf = 1 + (i % 5); // five different days, five different cut-offs
      const main = new Types.ObjectId();
      accounts.push({
        _id: main,
        creator: _id,
        platform: 'douyin',
        platformId: `bf${i}main`,
        displayName: `handle${i}`,
        ownership: { state: 'verified', code: 'LH-TEST', history: [] },
        figure: { followers: 1000 + i, precision: 'exact', source: 'official_api', asOf: daysAgo(asOf) },
      });
      if (i % 2 === 0)
        accounts.push({
          _id: new Types.ObjectId(),
          creator: _id,
          platform: 'bilibili',
          platformId: `bf${i}second`,
          displayName: `second${i}`,
          ownership: { state: 'pending', code: 'LH-TEST', history: [] },
          figure: { followers: 200, precision: 'exact', source: 'official_api', asOf: daysAgo(2) },
        });
      if (i % 3 === 0) continue; // no snapshot old enough: growth unknown
      for (const [days, followers] of [
        [asOf + 40, 1], // older than the baseline
        [asOf + 30, 500 + i], // on the cut-off: the baseline
        [asOf + 29, 99_999], // inside the window: not a baseline
      ] as const)
        snapshots.push({
          account: main,
          creator: _id,
          street: 'pingshan',
          platform: 'douyin',
          at: daysAgo(days),
          bucket: `d${days}`,
          followers,
          precision: 'exact',
          source: 'official_api',
        });
    }
    await CreatorModel.collection.insertMany(creators);
    await AccountModel.collection.insertMany(accounts);
    await StatSnapshotModel.collection.insertMany(snapshots);
  });

  after(async function () {
    await portal.stop();
  });

  it('summarises and keys every creator from its own accounts, then has nothing left', async function () {
    expect(await backfillCreatorSearch()).to.equal(CREATORS);
    const stored = await CreatorModel.find({ _id: { $in: creatorIds } }).lean();
    expect(stored).to.have.length(CREATORS);
    for (const creator of stored) {
      const i = Number(creator.slug.replace('backfill-', ''));
      const summary = creator.accountSummary;
      const context = `creator ${i}`;
      expect(summary?.followersTotal, context).to.equal(1000 + i + (i % 2 === 0 ? 200 : 0));
      expect(summary?.platforms, context).to.deep.equal(i % 2 === 0 ? ['bilibili', 'douyin'] : ['douyin']);
      expect(summary?.ownershipStates, context).to.deep.equal(
        i % 2 === 0 ? ['pending', 'verified'] : ['verified'],
      );
      const growth = i % 3 === 0 ? null : Math.round((500 / (500 + i)) * 1000) / 10;
      expect(summary?.growth30d, context).to.equal(growth);
      expect(creator.search?.sortKey, context).to.be.a('string').and.not.equal('');
    }
    expect(await backfillCreatorSearch()).to.equal(0);
  });

  it("finds a creator of the last batch by its account's handle over HTTP", async function () {
    const admin = await signedIn(portal, 'backfill.admin@example.org', 'admin');
    const res = await admin.get('/office/pool?q=handle129');
    expect(res.status).to.equal(200);
    const text = page(res)('main').text();
    expect(text).to.include('Backfill 129');
    expect(text).not.to.include('Backfill 128');
  });

  it('keys again a creator stored with an older key format, which a substring search then finds', async function () {
    const admin = await signedIn(portal, 'rekey.admin@example.org', 'admin');
    const middle = '/office/pool?q=ckfill 12';
    // Keys of format 1 (names and tokens, no suffixes), as stored before the suffixes existed.
    await CreatorModel.collection.updateOne(
      { slug: 'backfill-12' },
      { $set: { 'search.version': 1 }, $unset: { 'search.suffixes': '' } },
    );
    await CreatorModel.collection.updateOne({ slug: 'backfill-13' }, { $unset: { 'search.version': '' } });
    const before = page(await admin.get(middle))('main').text();
    expect(before).not.to.match(/Backfill 12(?!\d)/);
    expect(before).to.include('Backfill 120');

    expect(await backfillCreatorSearch()).to.equal(2);
    const rekeyed = await CreatorModel.findOne({ slug: 'backfill-12' }).select('+search.suffixes').lean();
    expect(rekeyed?.search?.version).to.equal(searchKeyVersion);
    expect(rekeyed?.search?.suffixes).to.include('ckfill12');
    const after = page(await admin.get(middle))('main').text();
    expect(after).to.match(/Backfill 12(?!\d)/);
    expect(await backfillCreatorSearch()).to.equal(0);
  });
});
