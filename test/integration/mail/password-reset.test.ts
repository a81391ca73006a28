// Forgotten password end to end, against a real SMTP server: the same answer for known and
// unknown addresses, a single-use link that expires in 30 minutes, every session ended and the
// sign-in lock lifted, and bad or flooded requests answered without a 500 or a leak.
import { expect } from 'chai';
import { EmailTokenModel } from '../../../src/features/emailLinks/token.model.js';
import { UserModel } from '../../../src/features/users/model.js';
import { createTestUser, page, postForm, signIn } from '../../support/app.js';
import { useMailPortal } from '../../support/mailPortal.js';
import { linkIn } from '../../support/smtp.js';
import { sleep } from '../../support/wait.js';

const newPassword = 'a-brand-new-lantern-77';

describe('forgotten password', function () {
  this.timeout(60_000);
  const mail = useMailPortal({ DEFAULT_LANGUAGE: 'en', LOGIN_MAX_FAILURES: '3' });

  async function resetLinkFor(email: string): Promise<string> {
    const res = await postForm(mail.portal.agent(), '/password/forgot', { email });
    expect(res.status).to.equal(200);
    const sent = await mail.smtp.waitFor((m) => m.to.includes(email.toLowerCase()));
    const link = linkIn(sent.text, '/password/reset/');
    expect(link, sent.text).to.be.a('string');
    return link!;
  }

  it('answers the same for a known and an unknown address, and mails only the known one', async function () {
    await createTestUser({ email: 'mei@example.org' });
    const known = await postForm(mail.portal.agent(), '/password/forgot', { email: 'mei@example.org' });
    const unknown = await postForm(mail.portal.agent(), '/password/forgot', { email: 'nobody@example.org' });
    expect(known.status).to.equal(unknown.status).and.to.equal(200);
    const text = (res: typeof known) => page(res)('main').text().replace(/\s+/g, ' ');
    expect(text(known)).to.equal(text(unknown));
    expect(text(known)).to.contain('expires in 30 minutes');
    const sent = await mail.smtp.waitFor(() => true);
    expect(sent.to).to.deep.equal(['mei@example.org']);
    expect(sent.subject).to.equal('Choose a new Lighthouse password');
    await sleep(500);
    expect(mail.smtp.received).to.have.length(1);
  });

  it('sets a new password once, ends every session and lifts the sign-in lock', async function () {
    const user = await createTestUser({ email: 'mei@example.org' });
    const elsewhere = mail.portal.agent();
    await signIn(elsewhere, 'mei@example.org');
    expect((await elsewhere.get('/me')).status).to.equal(200);
    // Locked by failures (from anywhere).
    for (let i = 0; i < 3; i++) await signIn(mail.portal.agent(), 'mei@example.org', 'wrong-password-123');
    expect((await signIn(mail.portal.agent(), 'mei@example.org')).status).to.equal(423);

    const link = await resetLinkFor('mei@example.org');
    const stored = await EmailTokenModel.findOne({ user: user._id }).lean();
    expect(link).not.to.contain(stored!._id); // only the hash is stored
    expect(stored!.expiresAt.getTime() - Date.now()).to.be.within(29 * 60_000, 30 * 60_000);

    const agent = mail.portal.agent();
    const form = await agent.get(link);
    expect(form.status).to.equal(200);
    expect(form.headers['cache-control']).to.equal('no-store');
    const mismatch = await postForm(agent, link, { newPassword, confirmPassword: 'something-else-42' });
    expect(mismatch.status).to.equal(422);
    const done = await postForm(agent, link, { newPassword, confirmPassword: newPassword });
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/login');

    expect((await elsewhere.get('/me')).status, 'the old session ended').to.equal(303);
    expect((await signIn(mail.portal.agent(), 'mei@example.org')).status, 'old password').to.equal(401);
    expect((await signIn(mail.portal.agent(), 'mei@example.org', newPassword)).status).to.equal(303);
    expect((await UserModel.findById(user._id).lean())!.credentialsVersion).to.equal(1);

    // Used once: the same link again is refused and changes nothing.
    const again = await mail.portal.agent().get(link);
    expect(again.status).to.equal(410);
    expect(page(again)('h1').text()).to.equal('This link cannot be used');
    const replay = await postForm(
      mail.portal.agent(),
      '/password/forgot',
      {
        newPassword: 'yet-another-lantern-88',
        confirmPassword: 'yet-another-lantern-88',
      },
      link,
    );
    expect(replay.status).to.equal(410);
    expect((await signIn(mail.portal.agent(), 'mei@example.org', newPassword)).status).to.equal(303);
  });

  it('refuses an expired, altered or unknown link with the same page', async function () {
    await createTestUser({ email: 'mei@example.org' });
    const link = await resetLinkFor('mei@example.org');
    const token = link.split('/').pop()!;
    const altered = `/password/reset/${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const path of [altered, '/password/reset/short', `/password/reset/${'x'.repeat(5000)}`]) {
      const res = await mail.portal.agent().get(path);
      expect(res.status, path).to.equal(410);
    }
    await EmailTokenModel.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await mail.portal.agent().get(link)).status).to.equal(410);
  });

  it('mails at most three links an hour for one address however often it is asked', async function () {
    await createTestUser({ email: 'mei@example.org' });
    for (let i = 0; i < 6; i++) {
      expect(
        (await postForm(mail.portal.agent(), '/password/forgot', { email: 'mei@example.org' })).status,
      ).to.equal(200);
    }
    await sleep(1500);
    expect(mail.smtp.received).to.have.length(3);
  });

  it('gives the form back for an address that is not one', async function () {
    const res = await postForm(mail.portal.agent(), '/password/forgot', { email: 'not an address' });
    expect(res.status).to.equal(422);
    expect(page(res)('#error-email').text()).to.equal('Please enter a valid email address.');
  });
});
