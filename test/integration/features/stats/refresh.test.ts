// "Refresh now" over HTTP: the creator's button on their own account (hourly), the officer's on
// the creator page and the pool's quick view (street scope, audited), manual platforms without a
// button, CSRF. The `stats.refresh` job then runs against the fixture server, and the account's
// figure, source and as-of change as the creator sees them.
import { expect } from 'chai';
import mongoose, { type Types } from 'mongoose';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { type Agent, page, postForm, startTestApp, type TestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { until } from '../../../support/wait.js';
import { signedIn } from '../registry/helpers.js';
import { insertAccounts } from './accounts.js';
import { type FixtureServer, pullerEnv, requestsFor, startFixtureServer } from './helpers.js';

// Bilibili's recorded answer for vmid 10000001 (fixtures/bilibili/relation_stat_ok.json).
const recordedFollowers = 919515;

const refreshJobs = () => mongoose.connection.collection('jobs').countDocuments({ name: 'stats.refresh' });
const flashText = async (agent: Agent, path: string) => page(await agent.get(path))('.flash').text();

describe('stats puller: refresh now', function () {
  this.timeout(30_000);
  let server: FixtureServer;
  let portal: TestApp;

  before(async function () {
    server = await startFixtureServer();
    // The puller on (this instance runs the refresh job), the recurring run a week away.
    portal = await startTestApp(
      pullerEnv(server, { PULLER_ENABLED: '1', PULLER_INTERVAL_MINUTES: '10080', DEFAULT_LANGUAGE: 'en' }),
    );
  });
  beforeEach(async function () {
    await resetDatabase();
    server.requests.length = 0;
  });
  after(async function () {
    await portal?.stop();
    await server?.close();
  });

  async function creatorWithAccount(email: string, platform: 'bilibili' | 'douyin', id: string) {
    const agent = await signedIn(portal, email);
    const user = await UserModel.findOne({ email }).lean();
    const [account] = await insertAccounts(platform, [id], {
      user: user?._id,
      street: 'pingshan',
      followers: 900_000,
    });
    return { agent, account: account as Types.ObjectId };
  }

  it("refreshes the creator's own account: the job pulls it and the page shows the new figure, source and as-of", async function () {
    const { agent, account } = await creatorWithAccount('eye@example.org', 'bilibili', '10000001');
    const before = await AccountModel.findById(account).lean();
    const path = `/me/accounts/${String(account)}`;
    const $ = page(await agent.get(path));
    expect($(`form[action="${path}/refresh"] button`).text()).to.equal('Refresh now');

    const res = await postForm(agent, path, {}, `${path}/refresh`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(path);
    expect(await flashText(agent, path)).to.include('Refresh requested');

    await until(
      async () => (await AccountModel.findById(account).lean())?.figure?.followers === recordedFollowers,
    );
    const after = await AccountModel.findById(account).lean();
    expect(after?.figure).to.include({
      followers: recordedFollowers,
      source: 'public_web',
      precision: 'exact',
    });
    expect(after?.figure?.asOf.getTime()).to.be.greaterThan(before?.figure?.asOf.getTime() ?? Infinity);
    expect(requestsFor(server, 'bilibili', 'vmid=10000001')).to.have.length(1);
    const figure = page(await agent.get(path))('#figure').text();
    expect(figure).to.include('919,515').and.include('public page');
    // the dashboard shows it too, with its source and as-of
    const dashboard = page(await agent.get('/me'))('#account-steps .figure').text();
    expect(dashboard).to.include('919,515 followers · public page').and.include('as of');
    // no audit entry for a creator's own request (only officers' actions are audited)
    expect(await AuditEntryModel.countDocuments({ action: 'stats.account.refresh' })).to.equal(0);
  });

  it('answers a second request within the hour with a clear message, not a 500, and queues nothing', async function () {
    const { agent, account } = await creatorWithAccount('eye@example.org', 'bilibili', '10000001');
    const path = `/me/accounts/${String(account)}`;
    expect((await postForm(agent, path, {}, `${path}/refresh`)).status).to.equal(303);
    await agent.get(path); // the first message, shown once
    const again = await postForm(agent, path, {}, `${path}/refresh`);
    expect(again.status).to.equal(303);
    expect(await flashText(agent, path)).to.include('less than an hour ago');
    expect(await refreshJobs()).to.equal(1);
  });

  it("answers 404 for another creator's account and queues nothing", async function () {
    const { account } = await creatorWithAccount('eye@example.org', 'bilibili', '10000001');
    const other = await signedIn(portal, 'other@example.org');
    await other.get('/me');
    const res = await postForm(other, '/me/accounts', {}, `/me/accounts/${String(account)}/refresh`);
    expect(res.status).to.equal(404);
    expect(await refreshJobs()).to.equal(0);
    expect((await AccountModel.findById(account).lean())?.pull?.refreshRequestedAt).to.equal(undefined);
  });

  it('shows no button on a manual platform, and a posted request says "manual with evidence"', async function () {
    const { agent, account } = await creatorWithAccount('ls@example.org', 'douyin', 'MS4wLjABAAAAdemo');
    const path = `/me/accounts/${String(account)}`;
    const $ = page(await agent.get(path));
    expect($(`form[action="${path}/refresh"]`).length).to.equal(0);
    expect($('.manual-only').text()).to.include('Manual with evidence');
    const res = await postForm(agent, path, {}, `${path}/refresh`);
    expect(res.status).to.equal(303);
    expect(await flashText(agent, path)).to.include('manual with evidence');
    expect(await refreshJobs()).to.equal(0);
  });

  it('refuses a request without a valid CSRF token', async function () {
    const { agent, account } = await creatorWithAccount('eye@example.org', 'bilibili', '10000001');
    const res = await agent
      .post(`/me/accounts/${String(account)}/refresh`)
      .type('form')
      .send({ _csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(await refreshJobs()).to.equal(0);
  });

  it("lets an officer covering the street refresh from the pool's quick view (audited, no hourly limit)", async function () {
    const [account] = await insertAccounts('bilibili', ['10000001'], {
      street: 'pingshan',
      followers: 900_000,
    });
    await backfillCreatorSearch();
    const stored = await AccountModel.findById(account).lean();
    const creatorId = String(stored?.creator);
    const officer = await signedIn(portal, 'officer-ps@example.org', 'officer', 'pingshan');
    const quickView = `/office/pool/creators/${creatorId}`;
    const action = `/office/accounts/${String(account)}/refresh`;
    expect(page(await officer.get(quickView))(`form[action="${action}"] button`).text()).to.equal(
      'Refresh now',
    );

    const res = await postForm(officer, quickView, { back: 'pool' }, action);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(quickView);
    expect(await flashText(officer, quickView)).to.include('Refresh requested');
    await until(
      async () => (await AccountModel.findById(account).lean())?.figure?.followers === recordedFollowers,
    );
    // the pool's row and quick view follow the pulled figure: followers, source, as-of
    const $pool = page(await officer.get('/office/pool'));
    expect($pool('.pool-card .followers').text()).to.equal('919,515');
    expect($pool('.pool-card .sources').text()).to.equal('public page');
    const $quick = page(await officer.get(quickView));
    expect($quick('#quick-facts .followers').text()).to.equal('919,515');
    expect($quick('#quick-accounts').text()).to.include('public page');
    const entry = await AuditEntryModel.findOne({ action: 'stats.account.refresh' }).lean();
    expect(entry?.target).to.deep.include({ type: 'account', id: String(account) });
    expect(entry?.actor?.email).to.equal('officer-ps@example.org');

    // from the creator page, again at once: officers are not limited
    const creatorPage = `/office/creators/${creatorId}`;
    const second = await postForm(officer, creatorPage, { back: 'creator' }, action);
    expect(second.headers.location).to.equal(creatorPage);
    expect(await AuditEntryModel.countDocuments({ action: 'stats.account.refresh' })).to.equal(2);
  });

  it('answers 404 to an officer of another street, and 400 to a malformed form; nothing queued or audited', async function () {
    const [account] = await insertAccounts('bilibili', ['10000001'], { street: 'pingshan' });
    const action = `/office/accounts/${String(account)}/refresh`;
    const outside = await signedIn(portal, 'officer-kz@example.org', 'officer', 'kengzi');
    expect((await postForm(outside, '/office', {}, action)).status).to.equal(404);
    const inside = await signedIn(portal, 'officer-ps@example.org', 'officer', 'pingshan');
    expect((await postForm(inside, '/office', { back: 'elsewhere' }, action)).status).to.equal(400);
    expect(await refreshJobs()).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ action: 'stats.account.refresh' })).to.equal(0);
  });
});
