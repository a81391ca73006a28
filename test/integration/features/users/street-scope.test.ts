// The street-scope rule over HTTP on both sides that used to disagree: the registry's creator
// pages and queues, and the pool with its exports. A district officer sees both streets, a
// street officer one, and an officer without a scope (not a state the portal makes; here forced
// in the database) nothing, on both sides.
import { expect } from 'chai';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { UserModel } from '../../../../src/features/users/model.js';
import { type Agent, type TestApp, page, startTestApp } from '../../../support/app.js';
import { xlsxRows } from '../../../support/xlsx.js';
import { signedIn } from '../registry/helpers.js';

describe('street scope: the registry and the pool apply one rule', function () {
  this.timeout(60_000);
  let portal: TestApp;
  let district: Agent;
  let pingshan: Agent;
  let unscoped: Agent;
  const ids: Record<string, string> = {};

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    for (const [slug, displayName, street] of [
      ['eye', '坪山之眼', 'pingshan'],
      ['abao', '阿宝美食', 'kengzi'],
    ] as const) {
      const creator = await CreatorModel.create({ displayName, slug, street, categories: ['news'] });
      ids[slug] = creator._id.toHexString();
      await AccountModel.create({
        creator: creator._id,
        platform: 'bilibili',
        platformId: slug === 'eye' ? '1001' : '1002',
        displayName,
        ownership: { state: 'pending', code: 'LH-TEST', requestedAt: new Date(), history: [] },
      });
    }
    await backfillCreatorSearch();
    district = await signedIn(portal, 'district@office.example', 'officer', 'district');
    pingshan = await signedIn(portal, 'pingshan@office.example', 'officer', 'pingshan');
    unscoped = await signedIn(portal, 'unscoped@office.example', 'officer', 'district');
    // The user is read again on every request, so this takes effect at once.
    await UserModel.updateOne({ email: 'unscoped@office.example' }, { $unset: { streetScope: 1 } });
  });
  after(async function () {
    await portal.stop();
  });

  it('registry: creator pages and the ownership queue', async function () {
    const status = async (agent: Agent, slug: string) =>
      (await agent.get(`/office/creators/${ids[slug]}`)).status;
    expect([await status(district, 'eye'), await status(district, 'abao')]).to.deep.equal([200, 200]);
    expect([await status(pingshan, 'eye'), await status(pingshan, 'abao')]).to.deep.equal([200, 404]);
    expect([await status(unscoped, 'eye'), await status(unscoped, 'abao')]).to.deep.equal([404, 404]);
    const queued = async (agent: Agent) =>
      page(await agent.get('/office/ownership'))('#queue [data-account]').length;
    expect([await queued(district), await queued(pingshan), await queued(unscoped)]).to.deep.equal([2, 1, 0]);
  });

  it('pool: the search, the quick view and the exports', async function () {
    const names = async (agent: Agent) => {
      const $ = page(await agent.get('/office/pool?sort=name'));
      return $('.pool-card h2')
        .map((_, el) => $(el).text())
        .get();
    };
    expect(await names(district)).to.deep.equal(['阿宝美食', '坪山之眼']);
    expect(await names(pingshan)).to.deep.equal(['坪山之眼']);
    expect(await names(unscoped)).to.deep.equal([]);
    expect((await unscoped.get(`/office/pool/creators/${ids.eye}`)).status).to.equal(404);
    expect((await pingshan.get(`/office/pool/creators/${ids.abao}`)).status).to.equal(404);
    const csv = await unscoped.get('/office/pool.csv');
    expect(csv.text.slice(1).trim().split(/\r?\n/)).to.have.length(1); // the header only
    const xlsx = await unscoped.get('/office/pool.xlsx').responseType('blob');
    expect(await xlsxRows(xlsx.body as Buffer)).to.have.length(1);
  });
});
