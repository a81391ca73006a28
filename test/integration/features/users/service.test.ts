// The users service against a real database lane: it alone writes users, refuses a taken email
// without writing, and raises the credentials version whenever older sessions must end.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { UserModel } from '../../../../src/features/users/model.js';
import {
  EmailTakenError,
  changePassword,
  createOfficer,
  createUser,
  setOfficerStatus,
} from '../../../../src/features/users/service.js';
import { connectedDatabase, resetDatabase } from '../../../support/database.js';

const password = 'harbour-lantern-violet-42';

describe('users service', function () {
  const actor = { id: new mongoose.Types.ObjectId().toString(), email: 'admin@example.org' };
  connectedDatabase();
  beforeEach(resetDatabase);

  it('refuses an email that is taken in another letter case, and writes nothing', async function () {
    await createUser({ email: 'writer@example.org', password, displayName: 'Writer' });
    await expect(
      createUser({ email: ' WRITER@example.org ', password, displayName: 'Other' }),
    ).to.be.rejectedWith(EmailTakenError, 'writer@example.org');
    expect(await UserModel.countDocuments()).to.equal(1);
  });

  it('marks seeded demo log-ins, and only those', async function () {
    await createUser({ email: 'demo@example.org', password, displayName: 'Demo', demo: true });
    await createUser({ email: 'real@example.org', password, displayName: 'Real' });
    expect(await UserModel.find({ demo: true }).distinct('email')).to.deep.equal(['demo@example.org']);
  });

  it('raises the credentials version on a password change and on disabling, not on enabling', async function () {
    const officer = await createOfficer(actor, {
      email: 'officer@example.org',
      displayName: 'Officer',
      password,
      streetScope: 'pingshan',
    });
    expect(officer.credentialsVersion).to.equal(0);
    const changed = await changePassword(officer.id, password, 'another-harbour-lantern-7');
    expect(changed?.credentialsVersion).to.equal(1);
    expect(await changePassword(officer.id, 'wrong-password-1', 'x-harbour-lantern-8')).to.equal(undefined);

    expect(await setOfficerStatus(actor, changed!, 'disabled')).to.equal(true);
    const disabled = (await UserModel.findById(officer.id))!;
    expect(disabled.credentialsVersion).to.equal(2);
    expect(await setOfficerStatus(actor, disabled, 'active')).to.equal(true);
    expect((await UserModel.findById(officer.id))!.credentialsVersion).to.equal(2);
  });
});
