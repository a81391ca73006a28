// The stored public listing (src/features/directory/listing.ts) follows every write that changes
// what the public sees, at once: each test makes the change through the service the app uses for
// it and then reads the open-data API over HTTP, as a visitor would. The last tests cover the
// start-up rebuild (documents written around the services) and refreshes racing each other.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import {
  applyForMembership,
  approveApplication,
  expireLapsedMemberships,
  findMembershipOfCreator,
  reinstateMember,
  suspendMember,
  withdrawMembership,
} from '../../../../src/features/alliance/membershipService.js';
import { rebuildPublicListings, refreshPublicListing } from '../../../../src/features/directory/listing.js';
import { PublicListingModel } from '../../../../src/features/directory/listing.model.js';
import { AccountModel, type AccountDocument } from '../../../../src/features/registry/account.model.js';
import {
  addAccount,
  enterManualFigure,
  removeAccount,
  requestOwnershipCheck,
} from '../../../../src/features/registry/accountService.js';
import { type CreatorDocument, CreatorModel } from '../../../../src/features/registry/creator.model.js';
import {
  ensureCreatorOfUser,
  setAvatar,
  updateProfile,
} from '../../../../src/features/registry/creatorService.js';
import { deleteCreatorData } from '../../../../src/features/registry/privacyService.js';
import { recordPulledFigure } from '../../../../src/features/registry/pulledFigures.js';
import { decideFigure, decideOwnership } from '../../../../src/features/registry/reviewService.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { markEmailVerified } from '../../../../src/features/users/service.js';
import { type TestApp, createTestUser, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';

interface ApiMember {
  slug: string;
  name: string;
  followers: number;
  accounts: { platform: string; platformId: string; followers?: number | null }[];
}

let portal: TestApp;
let officer: { id: string; email: string; role: 'officer'; streetScope: 'district' };
let seq = 0;

/** What a visitor gets for a slug: the member, or null for the API's 404. */
async function visible(slug: string): Promise<ApiMember | null> {
  const res = await portal.agent().get(`/api/v1/members/${slug}`);
  if (res.status === 404) return null;
  expect(res.status).to.equal(200);
  return (res.body as { data: ApiMember }).data;
}

/** The slugs the directory's first page lists (the API), and its total. */
async function directory(): Promise<{ slugs: string[]; total: number }> {
  const res = await portal.agent().get('/api/v1/members?perPage=50');
  expect(res.status).to.equal(200);
  const body = res.body as { data: { slug: string }[]; meta: { total: number } };
  return { slugs: body.data.map((member) => member.slug), total: body.meta.total };
}

interface Member {
  creator: CreatorDocument;
  userId: string;
  email: string;
  account: AccountDocument;
}

const profileOf = (creator: CreatorDocument, listed: boolean, displayName = creator.displayName) => ({
  displayName,
  kind: 'person' as const,
  street: 'pingshan' as const,
  categories: ['news' as const],
  bio: 'Stories from the district.',
  phone: '+86 139 0000 0000',
  wechat: 'private-wechat',
  slug: creator.slug,
  listed,
});

/** A creator with a complete profile and one account verified by an officer (not yet a member). */
async function eligible(name: string): Promise<Member> {
  seq += 1;
  const email = `listing${seq}@example.org`;
  const user = await createTestUser({ email, displayName: name });
  const created = await ensureCreatorOfUser({ id: user.id, displayName: name });
  const creator = await updateProfile(created, profileOf(created, true, name));
  const added = await addAccount(creator, {
    platform: 'bilibili',
    platformId: String(500000 + seq),
    displayName: name,
  });
  if (added.outcome !== 'added') throw new Error(`account not added: ${added.outcome}`);
  await requestOwnershipCheck(added.account, user.id);
  await decideOwnership(officer, added.account, 'approve', 'bio code found');
  const account = (await AccountModel.findById(added.account._id))!;
  return { creator, userId: user.id, email, account };
}

/** An eligible creator whose application an officer approved. */
async function member(name: string): Promise<Member> {
  const made = await eligible(name);
  const actor = { id: made.userId, email: made.email, role: 'creator' as const, streetScope: undefined };
  const membership = await applyForMembership(actor, made.creator._id, {
    motivation: 'To tell good stories.',
    activities: ['good_stories'],
  });
  await approveApplication(officer, membership);
  return made;
}

const membershipOf = async (creatorId: Types.ObjectId) => (await findMembershipOfCreator(creatorId))!;

describe('directory: the public listing follows every write path at once', function () {
  this.timeout(60_000);
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en', API_RATE_LIMIT: '10000' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    const user = await createTestUser({
      email: 'listing-officer@example.org',
      role: 'officer',
      streetScope: 'district',
    });
    officer = { id: user.id, email: user.email, role: 'officer', streetScope: 'district' };
  });

  it('membership: approval lists, suspension hides, reinstatement lists, withdrawal hides', async function () {
    const made = await eligible('Approved Later');
    const slug = made.creator.slug;
    const actor = { id: made.userId, email: made.email, role: 'creator' as const, streetScope: undefined };
    const membership = await applyForMembership(actor, made.creator._id, {
      motivation: 'To tell good stories.',
      activities: ['good_stories'],
    });
    expect(await visible(slug), 'an applicant').to.equal(null);
    await approveApplication(officer, membership);
    expect((await visible(slug))?.name).to.equal('Approved Later');
    expect(await directory()).to.deep.equal({ slugs: [slug], total: 1 });

    await suspendMember(officer, await membershipOf(made.creator._id), 'Unverified figures');
    expect(await visible(slug), 'suspended').to.equal(null);
    expect(await directory()).to.deep.equal({ slugs: [], total: 0 });
    await reinstateMember(officer, await membershipOf(made.creator._id));
    expect(await visible(slug), 'reinstated').to.not.equal(null);
    await withdrawMembership(actor, await membershipOf(made.creator._id));
    expect(await visible(slug), 'withdrawn').to.equal(null);
    expect((await directory()).total).to.equal(0);
  });

  it('membership: an expired membership leaves the directory', async function () {
    const made = await member('Lapsing Member');
    expect(await visible(made.creator.slug)).to.not.equal(null);
    const later = new Date(Date.now() + 2 * 365 * 24 * 60 * 60 * 1000);
    expect(await expireLapsedMemberships(later)).to.equal(1);
    expect(await visible(made.creator.slug)).to.equal(null);
  });

  it('profile: withdrawing consent hides, giving it again lists, a new name shows at once', async function () {
    const made = await member('Consenting Member');
    const slug = made.creator.slug;
    await updateProfile(made.creator, profileOf(made.creator, false));
    expect(await visible(slug)).to.equal(null);
    expect((await directory()).total).to.equal(0);
    const again = (await CreatorModel.findById(made.creator._id))!;
    await updateProfile(again, profileOf(again, true, 'Renamed Member'));
    expect((await visible(slug))?.name).to.equal('Renamed Member');
    const search = await portal.agent().get('/api/v1/members?q=renamed');
    expect((search.body as { meta: { total: number } }).meta.total).to.equal(1);
  });

  it('profile: a new avatar shows at once', async function () {
    const made = await member('Avatar Member');
    const before = await portal.agent().get(`/members/${made.creator.slug}`);
    expect(before.text).to.not.contain(`/members/${made.creator.slug}/avatar`);
    await setAvatar(made.creator, new (await import('mongoose')).Types.ObjectId());
    const after = await portal.agent().get(`/members/${made.creator.slug}`);
    expect(after.text).to.contain(`/members/${made.creator.slug}/avatar`);
  });

  it('user: a member whose email is not verified appears once it is', async function () {
    const made = await member('Verifying Member');
    // An address changed and not yet proved (no service leaves a member so today; set directly).
    await UserModel.updateOne({ _id: made.userId }, { $unset: { emailVerifiedAt: '' } });
    await refreshPublicListing(made.creator._id);
    expect(await visible(made.creator.slug)).to.equal(null);
    expect(await markEmailVerified(made.userId, made.email)).to.equal(true);
    expect(await visible(made.creator.slug)).to.not.equal(null);
  });

  it('accounts: an account shows once an officer verified it, and goes when removed', async function () {
    const made = await member('Account Member');
    const slug = made.creator.slug;
    const added = await addAccount(made.creator, {
      platform: 'weibo',
      platformId: '6000000001',
      displayName: 'Account Member',
    });
    if (added.outcome !== 'added') throw new Error(added.outcome);
    const platforms = async () => (await visible(slug))!.accounts.map((account) => account.platform).sort();
    expect(await platforms(), 'unverified').to.deep.equal(['bilibili']);
    await requestOwnershipCheck(added.account, made.userId);
    expect(await platforms(), 'pending').to.deep.equal(['bilibili']);
    await decideOwnership(officer, added.account, 'approve', 'bio code found');
    expect(await platforms(), 'verified').to.deep.equal(['bilibili', 'weibo']);
    const filtered = await portal.agent().get('/api/v1/members?platform=weibo');
    expect((filtered.body as { meta: { total: number } }).meta.total).to.equal(1);
    await removeAccount((await AccountModel.findById(added.account._id))!);
    expect(await platforms(), 'removed').to.deep.equal(['bilibili']);
  });

  it('figures: a pulled figure shows at once; a manual one only once an officer confirms it', async function () {
    const made = await member('Figure Member');
    const slug = made.creator.slug;
    await recordPulledFigure(made.account, {
      followers: 12_345,
      precision: 'exact',
      raw: '12345',
      source: 'official_api',
    });
    expect((await visible(slug))?.followers).to.equal(12_345);
    const stats = await portal.agent().get('/api/v1/stats');
    expect((stats.body as { data: { totals: { followers: number } } }).data.totals.followers).to.equal(
      12_345,
    );

    const account = (await AccountModel.findById(made.account._id))!;
    const evidence = new (await import('mongoose')).Types.ObjectId();
    await enterManualFigure(
      account,
      made.creator,
      { ok: true, value: 20_000, precision: 'rounded', raw: '2万', atLeast: false },
      evidence,
      made.userId,
    );
    expect((await visible(slug))?.followers, 'unconfirmed').to.equal(0);
    await decideFigure(officer, (await AccountModel.findById(made.account._id))!, 'approve', '');
    expect((await visible(slug))?.followers, 'confirmed').to.equal(20_000);
    // The district totals are kept per listing version: a listing write moves them at once.
    const after = await portal.agent().get('/api/v1/stats');
    expect((after.body as { data: { totals: { followers: number } } }).data.totals.followers).to.equal(
      20_000,
    );
    const home = await portal.agent().get('/');
    expect(home.text).to.contain('20,000');
  });

  it('deletion: a member who deletes their data is gone from every public read at once', async function () {
    const made = await member('Leaving Member');
    await member('Staying Member');
    expect((await directory()).total).to.equal(2);
    const user = (await UserModel.findById(made.userId))!;
    await deleteCreatorData(
      { id: made.userId, email: made.email, displayName: user.displayName, role: 'creator' } as never,
      (await CreatorModel.findById(made.creator._id))!,
    );
    expect(await visible(made.creator.slug)).to.equal(null);
    expect((await directory()).total).to.equal(1);
    expect(await PublicListingModel.exists({ _id: made.creator._id })).to.equal(null);
  });

  it('start-up rebuild: lists members written around the services and drops listings no longer true', async function () {
    const listed = await member('Listed Member');
    const stale = await member('Stale Member');
    // Written straight to the models (an import, a restore): no service refreshed the listing.
    await CreatorModel.updateOne({ _id: stale.creator._id }, { $set: { 'consent.listed': false } });
    await PublicListingModel.deleteOne({ _id: listed.creator._id });
    expect((await directory()).slugs).to.deep.equal([stale.creator.slug]);
    expect(await rebuildPublicListings()).to.equal(1);
    expect((await directory()).slugs).to.deep.equal([listed.creator.slug]);
  });

  it('refreshes racing a write end with what the sources say', async function () {
    const made = await member('Racing Member');
    const membership = await membershipOf(made.creator._id);
    await Promise.all([
      refreshPublicListing(made.creator._id),
      suspendMember(officer, membership, 'Racing'),
      refreshPublicListing(made.creator._id),
      refreshPublicListing(made.creator._id),
    ]);
    expect(await visible(made.creator.slug)).to.equal(null);
    expect(await PublicListingModel.countDocuments()).to.equal(0);
  });
});
