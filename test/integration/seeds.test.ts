// The demo district: loading it twice changes nothing, and it holds who the demo needs.
import { expect } from 'chai';
import { UserModel } from '../../src/features/users/model.js';
import { verifyPassword } from '../../src/features/auth/passwords.js';
import { demoPassword, demoUsers } from '../../seeds/district.js';
import { seedDemoDistrict } from '../../seeds/demo.js';
import { connectedDatabase } from '../support/database.js';

describe('seeds: the demo district', function () {
  this.timeout(60_000);
  connectedDatabase();

  it('is idempotent: the second run creates nothing and changes nothing', async function () {
    const first = await seedDemoDistrict();
    expect(first.created).to.equal(demoUsers.length);
    expect(first.existing).to.equal(0);
    const snapshot = await UserModel.find().sort({ email: 1 }).lean();

    const second = await seedDemoDistrict();
    expect(second.created).to.equal(0);
    expect(second.existing).to.equal(demoUsers.length);
    expect(await UserModel.find().sort({ email: 1 }).lean()).to.deep.equal(snapshot);
    expect(await UserModel.countDocuments()).to.equal(demoUsers.length);
  });

  it('holds the five self-media accounts of the source article as creators', async function () {
    for (const name of ['坪山同镇', '坪山之眼', '坪山印象', 'IN坪山', '李高兴']) {
      const user = await UserModel.findOne({ displayName: name }).lean();
      expect(user, name).to.not.equal(null);
      expect(user!.role).to.equal('creator');
    }
  });

  it('has an admin and officers for two streets and the whole district, all able to sign in', async function () {
    const admin = await UserModel.findOne({ role: 'admin' }).lean();
    expect(admin).to.not.equal(null);
    expect(await verifyPassword(admin!.passwordHash, demoPassword)).to.equal(true);
    const scopes = (await UserModel.find({ role: 'officer' }).lean())
      .map((officer) => officer.streetScope)
      .sort();
    expect(scopes).to.include('district');
    expect(scopes.filter((scope) => scope !== 'district')).to.have.length.of.at.least(2);
    for (const user of await UserModel.find().lean()) {
      expect(user.status, user.email).to.equal('active');
      expect(user.passwordHash).to.match(/^\$argon2id\$/);
    }
  });
});
