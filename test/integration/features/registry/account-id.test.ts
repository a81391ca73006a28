// Correcting an account's platform id over HTTP: validated per platform, unique across the
// registry (someone else's id opens a conflict and changes nothing), ownership starts again.
import { expect } from 'chai';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { ConflictModel } from '../../../../src/features/registry/conflict.model.js';
import { type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { addAccountVia, signedIn } from './helpers.js';

describe('registry: correcting an account id', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('corrects the id, resets ownership, refuses bad ids and opens a conflict for an id someone holds', async function () {
    const agent = await signedIn(portal, 'me@example.org');
    const id = (await addAccountVia(agent, 'https://space.bilibili.com/546195')).toHexString();
    await AccountModel.updateOne({ _id: id }, { $set: { 'ownership.state': 'verified' } });
    const before = await AccountModel.findById(id).lean();
    const form = `/me/accounts/${id}`;

    for (const bad of ['not-a-uid', 'https://weibo.com/u/5044281310', 'javascript:alert(1)']) {
      const res = await postForm(agent, form, { platformId: bad }, `${form}/id`);
      expect(res.status, bad).to.equal(422);
      expect(page(res)('#error-platformId').text()).to.not.equal('');
      expect(page(res)('#field-platformId').attr('value')).to.equal(bad);
    }
    const arrays = await postForm(agent, form, { 'platformId[]': '1' }, `${form}/id`);
    expect(arrays.status).to.equal(422);
    expect(await AccountModel.findById(id).lean()).to.deep.equal(before);

    const changed = await postForm(
      agent,
      form,
      { platformId: 'https://m.bilibili.com/space/777' },
      `${form}/id`,
    );
    expect(changed.status).to.equal(303);
    const after = await AccountModel.findById(id);
    expect(after?.platformId).to.equal('777');
    expect(after?.url).to.equal('https://space.bilibili.com/777');
    expect(after?.ownership.state).to.equal('unverified');
    expect(after?.ownership.code).to.not.equal(before?.ownership.code);

    // another creator's id: a conflict for the officers, nothing changes here
    const other = await signedIn(portal, 'other@example.org');
    await addAccountVia(other, 'https://space.bilibili.com/888');
    const taken = await postForm(agent, form, { platformId: '888' }, `${form}/id`);
    expect(taken.status).to.equal(303);
    expect((await AccountModel.findById(id))?.platformId).to.equal('777');
    expect(await ConflictModel.countDocuments({ platformId: '888', state: 'open' })).to.equal(1);

    // someone else's account in the URL: 404, nothing changed
    const foreign = await postForm(
      agent,
      form,
      { platformId: '999' },
      `/me/accounts/${(await AccountModel.findOne({ platformId: '888' }))!.id}/id`,
    );
    expect(foreign.status).to.equal(404);
    expect(await AccountModel.countDocuments({ platformId: '999' })).to.equal(0);
  });
});
