// The pool's figure, membership and pledge facets over HTTP: figures recorded through the
// registry's one figure function (so the creator's stored summary follows), snapshots 40 days
// back for growth, memberships and pledge signatures as the alliance stores them, and a conflict
// transfer that moves an account (and its platform and name) from one creator to another.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { MembershipModel } from '../../../../src/features/alliance/membership.model.js';
import { PledgeVersionModel } from '../../../../src/features/alliance/pledge.model.js';
import { PledgeSignatureModel } from '../../../../src/features/alliance/signature.model.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { ConflictModel } from '../../../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import type { PlatformKey } from '../../../../src/features/registry/platforms/index.js';
import { decideConflict } from '../../../../src/features/registry/reviewService.js';
import { appendSnapshot, recordFigure } from '../../../../src/features/registry/snapshots.js';
import { type Agent, type TestApp, page, startTestApp } from '../../../support/app.js';
import { signedIn } from '../registry/helpers.js';

const dayMs = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * dayMs);

describe('resource pool: figure, membership and pledge facets', function () {
  this.timeout(60_000);
  let portal: TestApp;
  let admin: Agent;
  const ids: Record<string, Types.ObjectId> = {};

  async function creator(name: string, slug: string): Promise<Types.ObjectId> {
    const created = await CreatorModel.create({
      displayName: name,
      slug,
      street: 'pingshan',
      categories: ['news'],
    });
    ids[name] = created._id;
    return created._id;
  }
  async function account(owner: Types.ObjectId, platform: PlatformKey, platformId: string, displayName = '') {
    return AccountModel.create({
      creator: owner,
      platform,
      platformId,
      displayName,
      ownership: { state: 'verified', code: 'LH-TEST', history: [] },
    });
  }
  async function figure(
    owner: Types.ObjectId,
    acc: { _id: Types.ObjectId; platform: string },
    followers: number,
    asOf: Date,
    before?: number,
  ) {
    const ref = { _id: acc._id, creator: owner, platform: acc.platform };
    if (before !== undefined)
      await appendSnapshot({
        account: ref,
        at: daysAgo(40),
        followers: before,
        precision: 'exact',
        source: 'official_api',
      });
    await recordFigure(ref, 'pingshan', { followers, precision: 'exact', source: 'official_api', asOf });
  }

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    const jia = await creator('甲', 'jia');
    const yi = await creator('乙', 'yi');
    const bing = await creator('丙', 'bing');
    const ding = await creator('丁', 'ding');
    await creator('戊', 'wu');
    // 甲 grows 20 % (fresh); 乙 shrinks 2 % (fresh); 丙's only figure is 45 days old; 丁's are 10 days old
    await figure(jia, await account(jia, 'weibo', '1001'), 1_200, new Date(), 1_000);
    await figure(yi, await account(yi, 'douyin', 'MS4wLjABAAAAyi'), 49_000, new Date(), 50_000);
    await figure(bing, await account(bing, 'bilibili', '2002'), 500, daysAgo(45));
    await figure(ding, await account(ding, 'weibo', '1004'), 150_000, daysAgo(10));
    await figure(ding, await account(ding, 'douyin', 'MS4wLjABAAAAding', '丁的抖音'), 2_000, daysAgo(10));
    // the pledge is at version 2: 甲 signed it, 乙 only version 1
    for (const version of [1, 2])
      await PledgeVersionModel.create({
        version,
        title: 'v',
        body: 'b',
        effectiveAt: daysAgo(90 - version),
        graceDays: 30,
      });
    const user = new Types.ObjectId();
    await PledgeSignatureModel.create({
      version: 2,
      creator: jia,
      user,
      typedName: '甲',
      signedAt: new Date(),
    });
    await PledgeSignatureModel.create({
      version: 1,
      creator: yi,
      user,
      typedName: '乙',
      signedAt: new Date(),
    });
    for (const [owner, status] of [
      [jia, 'approved'],
      [yi, 'applied'],
      [ding, 'suspended'],
    ] as const)
      await MembershipModel.create({ creator: owner, status, motivation: 'm', appliedAt: daysAgo(60) });
    admin = await signedIn(portal, 'admin@example.org', 'admin');
  });

  after(async function () {
    await portal.stop();
  });

  async function names(path: string): Promise<string[]> {
    const res = await admin.get(path);
    expect(res.status, path).to.equal(200);
    const $ = page(res);
    return $('.pool-card h2')
      .map((_, el) => $(el).text().trim())
      .get();
  }
  async function count(path: string, facet: string, value: string): Promise<number> {
    const label = page(await admin.get(path))(`fieldset[data-facet="${facet}"] input[value="${value}"]`)
      .parent()
      .text();
    return Number(/\((\d+)\)/.exec(label)?.[1]);
  }

  it('stores each creator’s figures on the creator when the registry records a figure', async function () {
    const ding = await CreatorModel.findById(ids['丁']).lean();
    expect(ding?.accountSummary?.followersTotal).to.equal(152_000);
    expect(ding?.accountSummary?.platforms).to.deep.equal(['douyin', 'weibo']);
    const jia = await CreatorModel.findById(ids['甲']).lean();
    expect(jia?.accountSummary?.growth30d).to.equal(20);
    expect((await CreatorModel.findById(ids['乙']).lean())?.accountSummary?.growth30d).to.equal(-2);
  });

  it('filters and counts figure freshness', async function () {
    expect(await names('/office/pool?freshness=fresh')).to.have.members(['甲', '乙']);
    expect(await names('/office/pool?freshness=ageing')).to.deep.equal(['丁']);
    expect(await names('/office/pool?freshness=stale')).to.deep.equal(['丙']);
    expect(await names('/office/pool?freshness=none')).to.deep.equal(['戊']);
    expect(await count('/office/pool', 'freshness', 'fresh')).to.equal(2);
    expect(await count('/office/pool', 'freshness', 'none')).to.equal(1);
  });

  it('filters by growth over 30 days and sorts by it', async function () {
    expect(await names('/office/pool?growth=fast')).to.deep.equal(['甲']);
    expect(await names('/office/pool?growth=down')).to.deep.equal(['乙']);
    expect(await names('/office/pool?growth=unknown')).to.have.members(['丙', '丁', '戊']);
    expect((await names('/office/pool?sort=growth')).slice(0, 2)).to.deep.equal(['甲', '乙']);
    expect(await count('/office/pool', 'growth', 'unknown')).to.equal(3);
  });

  it('filters followers per platform, on the chosen platforms only', async function () {
    expect(await names('/office/pool?platformFollowers=100k')).to.deep.equal(['丁']);
    expect(await names('/office/pool?platform=douyin&platformFollowers=10k')).to.deep.equal(['乙']);
    expect(await names('/office/pool?platform=douyin&platformFollowers=1k')).to.deep.equal(['丁']);
    expect(await count('/office/pool?platform=douyin', 'platformFollowers', '10k')).to.equal(1);
    expect(await count('/office/pool?platform=douyin', 'platformFollowers', '100k')).to.equal(0);
  });

  it('filters and counts membership and pledge status', async function () {
    expect(await names('/office/pool?membership=approved')).to.deep.equal(['甲']);
    expect(await names('/office/pool?membership=approved&membership=suspended')).to.have.members([
      '甲',
      '丁',
    ]);
    expect(await names('/office/pool?membership=none')).to.have.members(['丙', '戊']);
    expect(await names('/office/pool?pledge=signed')).to.deep.equal(['甲']);
    expect(await names('/office/pool?pledge=renewal_due')).to.deep.equal(['乙']);
    expect(await names('/office/pool?pledge=not_signed&membership=suspended')).to.deep.equal(['丁']);
    expect(await count('/office/pool', 'membership', 'none')).to.equal(2);
    expect(await count('/office/pool?freshness=fresh', 'pledge', 'signed')).to.equal(1);
    const res = await admin.get('/office/pool?membership=approved');
    expect(page(res)('.pool-card .membership').text()).to.equal('Member');
    expect(page(res)('.pool-card .pledge').text()).to.equal('Signed the current version');
  });

  it('says which unknown facet values it left out', async function () {
    const res = await admin.get('/office/pool?membership=vip&growth=fast');
    expect(res.status).to.equal(400);
    expect(page(res)('[role=alert]').text()).to.include('Membership: unknown value “vip” left out.');
    expect(page(res)('.pool-card h2').text()).to.equal('甲');
  });

  it('moves the platform, name and figures with an account on a conflict transfer', async function () {
    const held = await AccountModel.findOne({ platformId: 'MS4wLjABAAAAding' }).orFail();
    const conflict = await ConflictModel.create({
      platform: 'douyin',
      platformId: held.platformId,
      account: held._id,
      holder: ids['丁'],
      claimant: ids['戊'],
    });
    const actor = {
      id: new Types.ObjectId().toHexString(),
      email: 'a@example.org',
      role: 'admin' as const,
      streetScope: undefined,
    };
    expect(await decideConflict(actor, conflict, 'transfer', 'proof')).to.equal(true);
    expect(await names('/office/pool?platform=douyin')).to.have.members(['乙', '戊']);
    expect(await names(`/office/pool?q=${encodeURIComponent('丁的抖音')}`)).to.deep.equal(['戊']);
    const ding = await CreatorModel.findById(ids['丁']).lean();
    expect(ding?.accountSummary?.followersTotal).to.equal(150_000);
  });
});
