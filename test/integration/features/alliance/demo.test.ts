// The alliance in the demo district: founders are members who signed pledge v1, and every other
// state can be seen; seeding twice changes nothing.
import { expect } from 'chai';
import {
  MembershipModel,
  type MembershipStatus,
} from '../../../../src/features/alliance/membership.model.js';
import { PledgeSignatureModel } from '../../../../src/features/alliance/signature.model.js';
import { seedDemoDistrict } from '../../../../seeds/demo.js';
import { resetDatabase } from '../../../support/database.js';
import { type TestApp, page, startTestApp } from '../../../support/app.js';

describe('alliance: demo data', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'zh-CN' });
    await resetDatabase();
  });
  after(async function () {
    await portal.stop();
  });

  it('has the five founders as members who signed v1, and every other state, idempotently', async function () {
    await seedDemoDistrict();
    const count = async (status: MembershipStatus) => MembershipModel.countDocuments({ status });
    // the five founders, and the directory demo's member who is not listed publicly
    expect(await count('approved')).to.equal(6);
    expect(await count('suspended')).to.equal(1);
    expect(await count('rejected')).to.equal(1);
    expect(await count('applied')).to.equal(2);
    expect(await MembershipModel.countDocuments({ 'infoRequest.at': { $exists: true } })).to.equal(1);
    expect(await PledgeSignatureModel.countDocuments({ version: 1 })).to.equal(6);

    const before = await MembershipModel.find().sort({ _id: 1 }).lean();
    await seedDemoDistrict();
    const after = await MembershipModel.find().sort({ _id: 1 }).lean();
    expect(after.map((m) => m.history.length)).to.deep.equal(before.map((m) => m.history.length));

    const wall = page(await portal.agent().get('/pledge'))('#wall').text();
    for (const name of ['坪山同镇', '坪山之眼', '坪山印象', 'IN坪山', '李高兴'])
      expect(wall).to.contain(name);
    expect(wall).to.not.contain('石井跑团');
  });
});
