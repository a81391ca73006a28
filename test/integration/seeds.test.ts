// The demo district: loading it twice changes nothing, and it holds who the demo needs.
import { expect } from 'chai';
import { AuditEntryModel } from '../../src/features/audit/model.js';
import { UserModel } from '../../src/features/users/model.js';
import { AccountModel } from '../../src/features/registry/account.model.js';
import { ConflictModel } from '../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../src/features/registry/creator.model.js';
import { StatSnapshotModel } from '../../src/features/registry/statSnapshot.model.js';
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
    expect(first.creators).to.equal(5);
    expect(second.creators).to.equal(0);
  });

  it('gives the five creators profiles, accounts in every state, figures with history and one conflict', async function () {
    // The alliance's demo adds creators of its own (an application waiting, a rejected one, …).
    const articleNames = ['坪山同镇', '坪山之眼', '坪山印象', 'IN坪山', '李高兴'];
    const creators = await CreatorModel.find({ displayName: { $in: articleNames } }).lean();
    expect(creators).to.have.length(5);
    expect(await CreatorModel.countDocuments()).to.be.greaterThan(5);
    expect(new Set(creators.map((creator) => creator.street)).size).to.equal(5);
    const states = new Set((await AccountModel.find().lean()).map((account) => account.ownership.state));
    expect([...states].sort()).to.deep.equal(['pending', 'rejected', 'unverified', 'verified']);
    const sources = new Set(
      (await AccountModel.find({ figure: { $exists: true } }).lean()).map((a) => a.figure?.source),
    );
    expect(sources).to.include('manual').and.to.include('official_api');
    expect(
      await AccountModel.countDocuments({
        'figure.source': 'manual',
        'figure.confirmedAt': { $exists: false },
      }),
    ).to.be.greaterThan(0);
    expect(await StatSnapshotModel.countDocuments()).to.be.greaterThan(20);
    expect(await ConflictModel.countDocuments({ state: 'open' })).to.equal(1);
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
  it('holds an import already done: unclaimed creators with claim links and one audit entry with its counts', async function () {
    await seedDemoDistrict();
    await seedDemoDistrict();
    const imported = await CreatorModel.find({ 'claim.importedBy': { $exists: true } }).lean();
    expect(imported.map((creator) => creator.displayName).sort()).to.deep.equal([
      '坑梓客家围',
      '石井社区志愿者',
    ]);
    for (const creator of imported) {
      expect(creator.user).to.equal(undefined);
      expect(creator.claim?.tokenHash).to.match(/^[0-9a-f]{64}$/);
    }
    expect(
      await AccountModel.countDocuments({ creator: { $in: imported.map((creator) => creator._id) } }),
    ).to.equal(3);
    const audit = await AuditEntryModel.find({ action: 'registry.import' }).lean();
    expect(audit).to.have.length(1);
    expect(audit[0]?.details).to.deep.include({ creatorsNew: 2, accountsNew: 3, conflicts: 0 });
  });
});
