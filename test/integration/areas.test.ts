// The layout's promises over real HTTP: each area's guard covers every path under it (a route
// that forgets a guard cannot exist), the creator area moved from /creator to /me, and each field
// limit is one number shared by the model, the form's maxlength and the hint.
import { expect } from 'chai';
import { UserModel } from '../../src/features/users/model.js';
import { limits } from '../../src/http/fields.js';
import { resetDatabase } from '../support/database.js';
import { type TestApp, createTestUser, page, signIn, startTestApp } from '../support/app.js';

describe('areas and shared field rules', function () {
  let portal: TestApp;

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('sends anonymous visitors to sign in from every path of every area, known or not', async function () {
    for (const path of [
      '/me',
      '/me/no-such-page',
      '/office',
      '/office/queue',
      '/admin/anything',
      '/account/x',
    ]) {
      const res = await portal.agent().get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.equal(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('answers 403 to a signed-in person outside their area, before any 404', async function () {
    await createTestUser({ email: 'creator@example.org' });
    const agent = portal.agent();
    await signIn(agent, 'creator@example.org');
    expect((await agent.get('/me')).status).to.equal(200);
    for (const path of ['/office', '/office/no-such-page', '/admin/no-such-page']) {
      expect((await agent.get(path)).status, path).to.equal(403);
    }
    expect((await agent.get('/me/no-such-page')).status).to.equal(404);
  });

  it('moves old /creator links to /me permanently', async function () {
    const res = await portal.agent().get('/creator');
    expect(res.status).to.equal(301);
    expect(res.headers.location).to.equal('/me');
    expect((await portal.agent().get('/creator/profile?tab=1')).headers.location).to.equal(
      '/me/profile?tab=1',
    );
  });

  it('uses one display-name limit in the model, the form and the hint', async function () {
    const $ = page(await portal.agent().get('/register'));
    const modelLimit = (UserModel.schema.path('displayName').options as { maxlength: number }).maxlength;
    expect(modelLimit).to.equal(limits.displayName);
    expect($('#field-displayName').attr('maxlength')).to.equal(String(limits.displayName));
    expect($('#hint-displayName').text()).to.contain(`up to ${limits.displayName} characters`);
    expect($('#field-email').attr('maxlength')).to.equal(String(limits.email));
    expect($('#hint-password').text()).to.contain(`At least ${limits.passwordMin} characters`);
  });
});
