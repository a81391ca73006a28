// The creator's own area over HTTP: the dashboard's next steps, the profile form with consent,
// avatars, and bad input (10 kB fields, arrays in scalars, markup, forged choices).
import { expect } from 'chai';
import sharp from 'sharp';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { readStoredImage } from '../../../../src/features/files/storage.js';
import { type TestApp, page, postForm, startTestApp } from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { jpegWithGps, pngPhoto } from '../../../unit/features/files/images.js';
import { postUpload, signedIn } from './helpers.js';

const goodProfile = {
  displayName: '坪山之眼',
  kind: 'organisation',
  street: 'pingshan',
  categories: 'news',
  bio: '记录坪山的每一天。\n第二行。',
  phone: '+86 139 1234 5678',
  wechat: 'pingshan_eye',
  slug: 'pingshanzhiyan',
  listed: 'yes',
};

describe('registry: the creator profile', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('makes a creator on the first visit and says what is missing', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    const res = await agent.get('/me');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('#missing li').length).to.equal(5);
    expect($('#missing').text()).to.contain('your street');
    const creator = await CreatorModel.findOne({});
    expect(creator?.slug).to.equal('eye');
  });

  it('saves every field, records when consent was given, and shows the values again', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    const res = await postForm(agent, '/me/profile', goodProfile);
    expect(res.status).to.equal(303);
    const creator = await CreatorModel.findOne({});
    expect(creator?.displayName).to.equal('坪山之眼');
    expect(creator?.categories).to.deep.equal(['news']);
    expect(creator?.contact?.phone).to.equal('+86 139 1234 5678');
    expect(creator?.consent?.listed).to.equal(true);
    expect(creator?.consent?.at).to.be.instanceOf(Date);
    const form = page(await agent.get('/me/profile'));
    expect(form('#field-slug').val()).to.equal('pingshanzhiyan');
    expect(form('#consent-state').text()).to.contain('Consent given');
    const withdrawn = await postForm(agent, '/me/profile', { ...goodProfile, listed: 'no' });
    expect(withdrawn.status).to.equal(303);
    const after = await CreatorModel.findOne({});
    expect(after?.consent?.listed).to.equal(false);
    expect(after?.consent?.at?.getTime()).to.be.greaterThanOrEqual(creator?.consent?.at?.getTime() ?? 0);
  });

  it('refuses bad input field by field and writes nothing', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    const before = await agent.get('/me');
    expect(before.status).to.equal(200);
    const snapshot = await CreatorModel.findOne({}).lean();
    const res = await postForm(agent, '/me/profile', {
      ...goodProfile,
      bio: 'x'.repeat(10_000),
      street: 'atlantis',
      phone: '<script>',
      slug: 'admin',
      displayName: '<b>me</b>',
    });
    expect(res.status).to.equal(422);
    const $ = page(res);
    for (const field of ['bio', 'street', 'phone', 'slug', 'displayName'])
      expect($(`#error-${field}`).text(), field).not.to.equal('');
    expect($('#field-phone').val()).to.equal('<script>');
    expect(await CreatorModel.findOne({}).lean()).to.deep.equal(snapshot);
  });

  it('refuses arrays in scalar fields and too many categories', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    const form = await agent.get('/me/profile');
    const token = page(form)('input[name=_csrf]').first().val() as string;
    const res = await agent
      .post('/me/profile')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(token)}&displayName=a&displayName=b&kind=person&street=pingshan&slug=abc&categories=news&categories=food&categories=health&categories=sports`,
      );
    expect(res.status).to.equal(422);
    const $ = page(res);
    expect($('#error-displayName').text()).not.to.equal('');
    expect($('#error-categories').text()).to.contain('at most three');
    expect((await CreatorModel.findOne({}))?.displayName).to.equal('eye');
  });

  it('refuses a slug another creator has', async function () {
    const other = await signedIn(portal, 'other@example.org');
    expect((await postForm(other, '/me/profile', goodProfile)).status).to.equal(303);
    const agent = await signedIn(portal, 'eye@example.org');
    const res = await postForm(agent, '/me/profile', { ...goodProfile, displayName: '眼' });
    expect(res.status).to.equal(409);
    expect(page(res)('#error-slug').text()).to.contain('Another creator');
  });

  it('stores an avatar without its GPS metadata and refuses what is not an image', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    const res = await postUpload(agent, '/me/profile', '/me/profile/avatar', 'avatar', await jpegWithGps());
    expect(res.status).to.equal(303);
    const creator = await CreatorModel.findOne({});
    expect(creator?.avatar).to.not.equal(undefined);
    const stored = await readStoredImage(creator!.avatar!);
    const meta = await sharp(stored).metadata();
    expect(meta.format).to.equal('webp');
    expect(meta.exif).to.equal(undefined);
    const served = await agent.get(`/files/${creator!.avatar!.toHexString()}`);
    expect(served.status).to.equal(200);
    expect(served.headers['content-type']).to.equal('image/webp');

    const fake = await postUpload(
      agent,
      '/me/profile',
      '/me/profile/avatar',
      'avatar',
      Buffer.from('<html>not an image</html>'),
    );
    expect(fake.status).to.equal(422);
    expect(page(fake)('#error-avatar').text()).to.contain('Only JPEG');
    const png = await pngPhoto();
    const truncated = await postUpload(
      agent,
      '/me/profile',
      '/me/profile/avatar',
      'avatar',
      png.subarray(0, png.length / 2),
    );
    expect(truncated.status).to.equal(422);
    expect((await CreatorModel.findOne({}))?.avatar?.toHexString()).to.equal(creator!.avatar!.toHexString());
  });

  it('refuses a multipart post without the CSRF token', async function () {
    const agent = await signedIn(portal, 'eye@example.org');
    await agent.get('/me');
    const res = await agent.post('/me/profile/avatar').attach('avatar', await pngPhoto(), 'a.png');
    expect(res.status).to.equal(403);
    expect((await CreatorModel.findOne({}))?.avatar).to.equal(undefined);
  });
});
