// Email verification against a real SMTP server: the link on registration (single use, hashed,
// expiring), "send again" limits, registering a known address (same answer, a note to the
// owner), and changing an address (verified first, the old address told).
import { expect } from 'chai';
import { EmailTokenModel } from '../../../src/features/emailLinks/token.model.js';
import { UserModel, isEmailVerified } from '../../../src/features/users/model.js';
import { createTestUser, page, postForm, signIn } from '../../support/app.js';
import { useMailPortal } from '../../support/mailPortal.js';
import { linkIn } from '../../support/smtp.js';
import { sleep } from '../../support/wait.js';

const registration = {
  email: 'Mei@Example.org',
  displayName: '坪山之眼',
  password: 'lantern-by-the-river-9',
  privacy: 'yes',
};

describe('email verification', function () {
  this.timeout(60_000);
  const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en' });

  it('mails a single-use link on registration, in the language of the registration', async function () {
    const agent = mail.portal.agent();
    const res = await postForm(agent.set('Cookie', 'lang=zh-TW'), '/register', registration);
    expect(res.headers.location).to.equal('/register/sent');
    const sent = await mail.smtp.waitFor((m) => m.to.includes('mei@example.org'));
    expect(sent.subject).to.equal('請確認您在燈塔的電郵地址');
    const link = linkIn(sent.text, '/verify/')!;
    const user = await UserModel.findOne({ email: 'mei@example.org' });
    expect(isEmailVerified(user!)).to.equal(false);
    expect(await EmailTokenModel.countDocuments({ _id: link.split('/').pop() })).to.equal(0); // hashed

    // Opening the link shows a button (mail scanners only GET); the POST confirms.
    const visitor = mail.portal.agent();
    expect((await visitor.get(link)).status).to.equal(200);
    expect(await UserModel.exists({ emailVerifiedAt: { $ne: null } })).to.equal(null);
    const done = await postForm(visitor, link, {});
    expect(done.status).to.equal(303);
    expect(isEmailVerified((await UserModel.findOne({ email: 'mei@example.org' }))!)).to.equal(true);
    expect((await visitor.get(link)).status, 'used once').to.equal(410);
  });

  it('answers a registration of a known address exactly as a fresh one and mails the owner instead', async function () {
    await createTestUser({ email: 'mei@example.org', displayName: 'Mei' });
    const fresh = await postForm(mail.portal.agent(), '/register', {
      ...registration,
      email: 'new@example.org',
    });
    const known = await postForm(mail.portal.agent(), '/register', registration);
    expect(known.status).to.equal(fresh.status);
    expect(known.headers.location).to.equal(fresh.headers.location);
    expect(known.text).to.equal(fresh.text);
    const note = await mail.smtp.waitFor((m) => m.to.includes('mei@example.org'));
    expect(note.subject).to.equal('You already have a Lighthouse account');
    expect(linkIn(note.text, '/login')).to.equal('/login');
    expect(linkIn(note.text, '/password/forgot')).to.equal('/password/forgot');
    expect(await UserModel.countDocuments({ email: 'mei@example.org' })).to.equal(1);
    expect((await UserModel.findOne({ email: 'mei@example.org' }))!.displayName).to.equal('Mei');
  });

  it('sends the link again at most three times an hour', async function () {
    await createTestUser({ email: 'mei@example.org', emailVerified: false });
    const agent = mail.portal.agent();
    await signIn(agent, 'mei@example.org');
    const shown = page(await agent.get('/account/email'));
    expect(shown('.current-email').text()).to.contain('not confirmed yet');
    for (let i = 0; i < 3; i++) {
      expect((await postForm(agent, '/account/email', {}, '/account/verify/resend')).status).to.equal(303);
    }
    const refused = await postForm(agent, '/account/email', {}, '/account/verify/resend');
    expect(refused.status).to.equal(429);
    expect(page(refused)('#form-error').text()).to.contain('several links within the hour');
    await sleep(800);
    expect(mail.smtp.received).to.have.length(3);
    // Every link works until one is used; then the address is verified.
    const link = linkIn(mail.smtp.received[1]!.text, '/verify/')!;
    await postForm(mail.portal.agent(), link, {});
    expect(page(await agent.get('/account/email'))('.current-email').text()).to.contain('confirmed');
  });

  it('changes the address only after the new one is confirmed, and tells the old one', async function () {
    await createTestUser({ email: 'mei@example.org', displayName: 'Mei' });
    await createTestUser({ email: 'taken@example.org' });
    const agent = mail.portal.agent();
    await signIn(agent, 'mei@example.org');
    const wrong = await postForm(agent, '/account/email', {
      newEmail: 'new@example.org',
      currentPassword: 'nope-nope-nope',
    });
    expect(wrong.status).to.equal(422);
    expect(page(wrong)('#field-newEmail').val()).to.equal('new@example.org');

    // A taken address answers the same and gets nothing.
    const taken = await postForm(agent, '/account/email', {
      newEmail: 'taken@example.org',
      currentPassword: 'lighthouse-test-2026',
    });
    const res = await postForm(agent, '/account/email', {
      newEmail: 'New@Example.org',
      currentPassword: 'lighthouse-test-2026',
    });
    expect(taken.status).to.equal(res.status).and.to.equal(303);
    const sent = await mail.smtp.waitFor((m) => m.to.includes('new@example.org'));
    expect(sent.subject).to.equal('Confirm your new email address for Lighthouse');
    expect(await UserModel.exists({ email: 'mei@example.org' }), 'unchanged until confirmed').not.to.equal(
      null,
    );

    await postForm(mail.portal.agent(), linkIn(sent.text, '/verify/email/')!, {});
    expect(await UserModel.exists({ email: 'new@example.org' })).not.to.equal(null);
    const notice = await mail.smtp.waitFor((m) => m.to.includes('mei@example.org'));
    expect(notice.subject).to.equal('The email address of your Lighthouse account was changed');
    expect(notice.text).to.contain('new@example.org');
    await sleep(300);
    expect(mail.smtp.received.filter((m) => m.to.includes('taken@example.org'))).to.have.length(0);
    expect((await signIn(mail.portal.agent(), 'new@example.org')).status).to.equal(303);
  });
});
