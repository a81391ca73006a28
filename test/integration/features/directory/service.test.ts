// The directory's one definition of a public member, read straight from the service on the demo
// district: founders are listed, the suspended member, applicants and a creator who withdrew
// consent are not, and no private field leaves the service. The states below are written straight to
// the models and the listing refreshed, as the services do after their writes (listing.test.ts
// proves each write path refreshes it).
import { expect } from 'chai';
import { seedDemoDistrict } from '../../../../seeds/demo.js';
import { refreshPublicListing } from '../../../../src/features/directory/listing.js';
import { PublicListingModel } from '../../../../src/features/directory/listing.model.js';
import {
  type DirectoryQuery,
  listPublicSlugs,
  memberGrowth,
  publicMemberBySlug,
  publicMembers,
  publicStats,
} from '../../../../src/features/directory/service.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { connectedDatabase } from '../../../support/database.js';

const everyone: DirectoryQuery = {
  q: '',
  platform: [],
  category: [],
  street: [],
  sort: 'name',
  page: 1,
  perPage: 50,
};

describe('directory service: public members', function () {
  this.timeout(60_000);
  connectedDatabase();
  before(async function () {
    await seedDemoDistrict();
    // npm start keys them in a start-up hook
    await backfillCreatorSearch();
  });

  it('lists the approved, consenting members only', async function () {
    const { rows, total } = await publicMembers(everyone);
    const names = rows.map((row) => row.displayName).sort();
    expect(names).to.deep.equal(['IN坪山', '坪山之眼', '坪山印象', '坪山同镇', '李高兴'].sort());
    expect(total).to.equal(5);
    expect((await listPublicSlugs()).map((s) => s.slug)).to.have.length(5);
    const json = JSON.stringify(rows);
    for (const secret of ['contact', '139 0000', 'pingshan_eye', 'evidence', 'enteredBy', '@lighthouse'])
      expect(json).to.not.include(secret);
  });

  it('hides a member who withdraws consent, and an unknown slug alike', async function () {
    const member = await publicMemberBySlug('li-gaoxing');
    expect(member).to.not.equal(null);
    await CreatorModel.updateOne({ slug: 'li-gaoxing' }, { $set: { 'consent.listed': false } });
    await refreshPublicListing(member!.creatorId);
    expect(await publicMemberBySlug('li-gaoxing')).to.equal(null);
    expect(await publicMemberBySlug('no-such-member')).to.equal(null);
    expect(await publicMemberBySlug({ $ne: 'x' })).to.equal(null);
    await CreatorModel.updateOne({ slug: 'li-gaoxing' }, { $set: { 'consent.listed': true } });
    await refreshPublicListing(member!.creatorId);
    expect(await publicMemberBySlug('li-gaoxing')).to.not.equal(null);
  });

  it('hides a member whose email is not verified or whose user is disabled', async function () {
    const creator = await CreatorModel.findOne({ slug: 'in-pingshan' }).lean();
    const user = await UserModel.findById(creator!.user).lean();
    await UserModel.updateOne({ _id: user!._id }, { $unset: { emailVerifiedAt: '' } });
    await refreshPublicListing(creator!._id);
    expect(await publicMemberBySlug('in-pingshan')).to.equal(null);
    await UserModel.updateOne(
      { _id: user!._id },
      { $set: { emailVerifiedAt: user!.emailVerifiedAt, status: 'disabled' } },
    );
    await refreshPublicListing(creator!._id);
    expect(await publicMemberBySlug('in-pingshan')).to.equal(null);
    await UserModel.updateOne({ _id: user!._id }, { $set: { status: 'active' } });
    await refreshPublicListing(creator!._id);
    expect(await publicMemberBySlug('in-pingshan')).to.not.equal(null);
  });

  it('finds members by Simplified or Traditional characters, pinyin and initials', async function () {
    for (const [q, slug] of [
      ['坪山之眼', 'pingshanzhiyan'],
      ['psz', 'pingshanzhiyan'],
      ['pingshanzhiyan', 'pingshanzhiyan'],
      ['坪山同鎮', 'pingshan-tongzhen'],
    ]) {
      const { rows } = await publicMembers({ ...everyone, q: q!, sort: 'relevance' });
      expect(rows[0]?.slug, q).to.equal(slug);
    }
    expect((await publicMembers({ ...everyone, q: '石井跑团' })).total).to.equal(0);
  });

  it('takes text-search candidates from the stored suffixes (the incomplete marker always a candidate)', async function () {
    const found = async () => (await publicMembers({ ...everyone, q: '山之' })).rows.map((row) => row.slug);
    expect(await found()).to.include('pingshanzhiyan');
    const listing = await PublicListingModel.findOne({ slug: 'pingshanzhiyan' }).lean();
    expect(listing?.search?.suffixes).to.include.members(['山之眼', 'shanzhiyan']);
    // suffixes that do not lead to the query: no candidate, even though a name still contains it
    await PublicListingModel.updateOne({ _id: listing!._id }, { $set: { 'search.suffixes': ['zzz'] } });
    expect(await found()).not.to.include('pingshanzhiyan');
    // marked incomplete (more suffixes than are stored): a candidate of every search
    await PublicListingModel.updateOne({ _id: listing!._id }, { $set: { 'search.suffixes': [''] } });
    expect(await found()).to.include('pingshanzhiyan');
    await refreshPublicListing(listing!._id);
    expect((await PublicListingModel.findById(listing!._id).lean())?.search?.suffixes).to.deep.equal(
      listing?.search?.suffixes,
    );
  });

  it('shows verified accounts only, and no unconfirmed manual figure', async function () {
    const member = await publicMemberBySlug('pingshan-tongzhen');
    const platforms = member!.accounts.map((a) => a.platform).sort();
    expect(platforms).to.deep.equal(['wechat_oa', 'weibo']);
    const growth = await memberGrowth(member!);
    expect(growth.get(member!.accounts[0]!.id)).to.have.length.greaterThan(3);
    const inPingshan = await publicMemberBySlug('in-pingshan');
    const toutiao = inPingshan!.accounts.find((a) => a.platform === 'toutiao');
    expect(toutiao?.figure).to.equal(undefined);
  });

  it('totals the public members by platform, street and category', async function () {
    const stats = await publicStats();
    expect(stats.totals.members).to.equal(5);
    expect(stats.byPlatform.weibo?.members).to.be.greaterThan(0);
    // the suspended member (石井跑团) and the applicants are in no street's count
    const perStreet = Object.values(stats.byStreet).reduce((sum, street) => sum + street.members, 0);
    expect(perStreet).to.equal(5);
    expect(stats.totals.followers).to.be.greaterThan(0);
  });
});
