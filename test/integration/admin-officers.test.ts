// Officers managed by admins at /admin/officers, over real HTTP: who may reach it, creating an
// officer who can then work in /office, changing scope and status, bad input, and the audit trail.
import { expect } from 'chai';
import { AuditEntryModel } from '../../src/features/audit/model.js';
import { UserModel } from '../../src/features/users/model.js';
import {
  type Agent,
  type TestApp,
  createTestUser,
  csrfFrom,
  postForm,
  signIn,
  startTestApp,
  testPassword,
} from '../support/app.js';
import { resetDatabase } from '../support/database.js';

const adminEmail = 'admin@example.org';
const officerPassword = 'officer-start-2026';

async function counts(): Promise<{ users: number; audits: number }> {
  return { users: await UserModel.countDocuments(), audits: await AuditEntryModel.countDocuments() };
}

describe('admin: officers (/admin/officers)', function () {
  let portal: TestApp;
  let admin: Agent;

  before(async function () {
    portal = await startTestApp();
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(async function () {
    await resetDatabase();
    await createTestUser({ email: adminEmail, role: 'admin', displayName: '系统管理员' });
    admin = portal.agent();
    expect((await signIn(admin, adminEmail)).status).to.equal(303);
  });

  describe('access', function () {
    it('sends anonymous visitors to sign in', async function () {
      for (const path of ['/admin', '/admin/officers']) {
        const res = await portal.agent().get(path);
        expect(res.status, path).to.equal(303);
        expect(res.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
      }
    });

    it('answers 403 to creators and officers, on pages and on forms', async function () {
      const officer = await createTestUser({
        email: 'pingshan@example.org',
        role: 'officer',
        streetScope: 'pingshan',
      });
      await createTestUser({ email: 'creator@example.org' });
      for (const email of ['creator@example.org', 'pingshan@example.org']) {
        const agent = portal.agent();
        expect((await signIn(agent, email)).status).to.equal(303);
        expect((await agent.get('/admin')).status, `${email} /admin`).to.equal(403);
        const page = await agent.get('/admin/officers');
        expect(page.status, `${email} /admin/officers`).to.equal(403);
        expect(page.text).to.contain('您无权访问此页面');
        const post = await postForm(
          agent,
          '/account/password',
          { streetScope: 'district' },
          `/admin/officers/${officer.id}/scope`,
        );
        expect(post.status).to.equal(403);
        const create = await postForm(
          agent,
          '/account/password',
          { email: 'x@example.org', displayName: 'X', password: officerPassword, streetScope: 'district' },
          '/admin/officers',
        );
        expect(create.status).to.equal(403);
      }
      const stored = await UserModel.findById(officer._id).lean();
      expect(stored!.streetScope).to.equal('pingshan');
      expect(await UserModel.countDocuments({ email: 'x@example.org' })).to.equal(0);
      expect(await AuditEntryModel.countDocuments()).to.equal(0);
    });
  });

  describe('listing and creating', function () {
    it('lists officers with email, name, street scope and status', async function () {
      await createTestUser({
        email: 'kengzi@example.org',
        role: 'officer',
        displayName: '坑梓街道 陈干事',
        streetScope: 'kengzi',
      });
      await createTestUser({ email: 'creator@example.org', displayName: '坪山之眼' });
      const page = await admin.get('/admin/officers');
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('kengzi@example.org');
      expect(page.text).to.contain('坑梓街道 陈干事');
      expect(page.text).to.match(/<option value="kengzi" selected>坑梓<\/option>/);
      expect(page.text).to.contain('正常');
      expect(page.text, 'creators are not officers').not.to.contain('creator@example.org');
      for (const label of ['坪山', '坑梓', '龙田', '碧岭', '马峦', '石井', '全区'])
        expect(page.text).to.contain(`>${label}</option>`);
    });

    it('labels streets in Traditional Chinese and English too', async function () {
      await admin.get('/language/zh-TW');
      const tw = await admin.get('/admin/officers');
      for (const label of ['坪山', '坑梓', '龍田', '碧嶺', '馬巒', '石井', '全區'])
        expect(tw.text).to.contain(`>${label}</option>`);
      await admin.get('/language/en');
      const en = await admin.get('/admin/officers');
      for (const label of ['Pingshan', 'Kengzi', 'Longtian', 'Biling', 'Maluan', 'Shijing', 'Whole district'])
        expect(en.text).to.contain(`>${label}</option>`);
    });

    it('creates an officer who can then sign in and work in /office, but not in /admin', async function () {
      const res = await postForm(admin, '/admin/officers', {
        email: ' Longtian.Officer@Example.org ',
        displayName: '龙田街道 张干事',
        password: officerPassword,
        streetScope: 'longtian',
      });
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/admin/officers');
      const list = await admin.get('/admin/officers');
      expect(list.text).to.contain('已为 longtian.officer@example.org 创建工作人员账户。');
      expect(list.text).to.match(/<option value="longtian" selected>龙田<\/option>/);

      const stored = await UserModel.findOne({ email: 'longtian.officer@example.org' }).lean();
      expect(stored).to.include({
        role: 'officer',
        streetScope: 'longtian',
        status: 'active',
        displayName: '龙田街道 张干事',
      });
      expect(stored!.passwordHash).to.match(/^\$argon2id\$/);

      const audit = await AuditEntryModel.find().lean();
      expect(audit).to.have.length(1);
      expect(audit[0]).to.deep.include({
        action: 'officer.create',
        target: { type: 'user', id: String(stored!._id) },
      });
      expect(audit[0]!.actor?.email).to.equal(adminEmail);
      expect(audit[0]!.details).to.deep.include({
        email: 'longtian.officer@example.org',
        streetScope: 'longtian',
      });
      expect(JSON.stringify(audit[0]!.details)).not.to.contain(officerPassword);

      const officer = portal.agent();
      const login = await signIn(officer, 'longtian.officer@example.org', officerPassword);
      expect(login.status).to.equal(303);
      expect(login.headers.location).to.equal('/office');
      expect((await officer.get('/office')).status).to.equal(200);
      expect((await officer.get('/admin')).status).to.equal(403);
      expect((await officer.get('/admin/officers')).status).to.equal(403);
    });

    it('refuses an email that is taken in any letter case, with a message on the field', async function () {
      await createTestUser({ email: 'taken@example.org' });
      const before = await counts();
      const res = await postForm(admin, '/admin/officers', {
        email: 'TAKEN@example.org',
        displayName: 'Dup',
        password: officerPassword,
        streetScope: 'district',
      });
      expect(res.status).to.equal(409);
      expect(res.text).to.match(/id="error-email">该邮箱已注册。/);
      expect(res.text).to.contain('value="TAKEN@example.org"');
      expect(await counts()).to.deep.equal(before);
    });

    it('answers bad input with the form, values kept (never the password), nothing written', async function () {
      const before = await counts();
      const long = 'x'.repeat(10 * 1024);
      const cases: { fields: Record<string, string>; messages: Record<string, string> }[] = [
        {
          fields: { email: '', displayName: '', password: '', streetScope: '' },
          messages: {
            email: '请填写此项。',
            displayName: '请填写此项。',
            password: '密码至少 10 个字符。',
            streetScope: '请从选项中选择。',
          },
        },
        {
          fields: {
            email: `${long}@example.org`,
            displayName: long,
            password: `${long}1`,
            streetScope: 'district',
          },
          messages: { email: '内容过长。', displayName: '内容过长。', password: '内容过长。' },
        },
        {
          fields: {
            email: 'not-an-email',
            displayName: '<script>alert(1)</script>',
            password: officerPassword,
            streetScope: 'mars',
          },
          messages: {
            email: '请输入有效的电子邮箱地址。',
            displayName: '请使用纯文本',
            streetScope: '请从选项中选择。',
          },
        },
      ];
      for (const { fields, messages } of cases) {
        const res = await postForm(admin, '/admin/officers', fields);
        expect(res.status, JSON.stringify(fields).slice(0, 80)).to.equal(422);
        for (const [field, message] of Object.entries(messages))
          expect(res.text).to.match(new RegExp(`id="error-${field}">${message}`), field);
        expect(res.text).not.to.contain(officerPassword);
        expect(res.text).not.to.contain('<script>alert(1)</script>');
      }
      const kept = await postForm(admin, '/admin/officers', {
        email: 'kept@example.org',
        displayName: '<b>名</b>',
        password: officerPassword,
        streetScope: 'mars',
      });
      expect(kept.text).to.contain('value="kept@example.org"');
      expect(kept.text).to.contain('value="&lt;b&gt;名&lt;/b&gt;"');

      // Arrays and objects in form fields are literal field names, never query operators.
      const page = await admin.get('/admin/officers');
      const typed = await admin
        .post('/admin/officers')
        .type('form')
        .send(
          `_csrf=${encodeURIComponent(csrfFrom(page.text))}&email[$ne]=x&displayName[]=a&password=${officerPassword}&streetScope[$in]=district`,
        );
      expect(typed.status).to.equal(422);
      expect(typed.text).to.match(/id="error-email">请填写此项。/);
      expect(typed.text).to.match(/id="error-streetScope">请从选项中选择。/);

      expect(await counts()).to.deep.equal(before);
    });

    it('refuses a missing or forged CSRF token with 403 and writes nothing', async function () {
      const officer = await createTestUser({
        email: 'pingshan@example.org',
        role: 'officer',
        streetScope: 'pingshan',
      });
      const before = await counts();
      const fields = {
        email: 'csrf@example.org',
        displayName: 'CSRF',
        password: officerPassword,
        streetScope: 'district',
      };
      expect((await admin.post('/admin/officers').type('form').send(fields)).status).to.equal(403);
      expect(
        (
          await admin
            .post('/admin/officers')
            .type('form')
            .send({ ...fields, _csrf: 'forged' })
        ).status,
      ).to.equal(403);
      expect(
        (
          await admin
            .post(`/admin/officers/${officer.id}/scope`)
            .type('form')
            .send({ streetScope: 'district' })
        ).status,
      ).to.equal(403);
      expect(
        (await admin.post(`/admin/officers/${officer.id}/status`).type('form').send({ status: 'disabled' }))
          .status,
      ).to.equal(403);
      expect(await counts()).to.deep.equal(before);
      expect(await UserModel.findById(officer._id).lean()).to.include({
        streetScope: 'pingshan',
        status: 'active',
      });
    });
  });

  describe('changing an officer', function () {
    let officerId: string;
    const officerEmail = 'pingshan@example.org';

    beforeEach(async function () {
      officerId = (await createTestUser({ email: officerEmail, role: 'officer', streetScope: 'pingshan' }))
        .id;
    });

    it('changes the street scope and records who did it', async function () {
      const res = await postForm(
        admin,
        '/admin/officers',
        { streetScope: 'district' },
        `/admin/officers/${officerId}/scope`,
      );
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/admin/officers');
      expect((await admin.get('/admin/officers')).text).to.contain('pingshan@example.org 现负责：全区。');
      expect(await UserModel.findById(officerId).lean()).to.include({ streetScope: 'district' });
      const audit = await AuditEntryModel.findOne({ action: 'officer.scope' }).lean();
      expect(audit).to.deep.include({
        target: { type: 'user', id: officerId },
        details: { from: 'pingshan', to: 'district' },
      });
      expect(audit!.actor?.email).to.equal(adminEmail);
      expect(audit!.at).to.be.instanceOf(Date);

      // The same scope again changes nothing and records nothing.
      await postForm(
        admin,
        '/admin/officers',
        { streetScope: 'district' },
        `/admin/officers/${officerId}/scope`,
      );
      expect(await AuditEntryModel.countDocuments({ action: 'officer.scope' })).to.equal(1);
    });

    it('refuses a scope that is not a street of the district', async function () {
      for (const streetScope of ['mars', '', 'Pingshan', 'district ']) {
        const res = await postForm(
          admin,
          '/admin/officers',
          { streetScope },
          `/admin/officers/${officerId}/scope`,
        );
        expect(res.status, streetScope).to.equal(422);
        expect(res.text).to.contain(`id="row-error-${officerId}">请从选项中选择。`);
      }
      expect(await UserModel.findById(officerId).lean()).to.include({ streetScope: 'pingshan' });
      expect(await AuditEntryModel.countDocuments()).to.equal(0);
    });

    it('disables an officer (signed out at once, refused at sign-in) and enables them again', async function () {
      const officer = portal.agent();
      expect((await signIn(officer, officerEmail)).status).to.equal(303);
      expect((await officer.get('/office')).status).to.equal(200);

      const off = await postForm(
        admin,
        '/admin/officers',
        { status: 'disabled' },
        `/admin/officers/${officerId}/status`,
      );
      expect(off.status).to.equal(303);
      const list = await admin.get('/admin/officers');
      expect(list.text).to.contain('已停用 pingshan@example.org。');
      expect(list.text).to.contain('启用');
      expect(await UserModel.findById(officerId).lean()).to.include({ status: 'disabled' });

      const out = await officer.get('/office');
      expect(out.status).to.equal(303);
      expect(out.headers.location).to.match(/^\/login/);
      // Refused like a wrong password: sign-in never tells that an account is disabled.
      expect((await signIn(portal.agent(), officerEmail)).status).to.equal(401);

      const on = await postForm(
        admin,
        '/admin/officers',
        { status: 'active' },
        `/admin/officers/${officerId}/status`,
      );
      expect(on.status).to.equal(303);
      expect(await UserModel.findById(officerId).lean()).to.include({ status: 'active' });
      expect((await signIn(portal.agent(), officerEmail, testPassword)).status).to.equal(303);

      const actions = (await AuditEntryModel.find().sort({ at: 1 }).lean()).map((entry) => [
        entry.action,
        entry.details as unknown,
      ]);
      expect(actions).to.deep.equal([
        ['officer.status', { from: 'active', to: 'disabled' }],
        ['officer.status', { from: 'disabled', to: 'active' }],
      ]);
    });

    it('refuses an unknown status', async function () {
      const res = await postForm(
        admin,
        '/admin/officers',
        { status: 'deleted' },
        `/admin/officers/${officerId}/status`,
      );
      expect(res.status).to.equal(422);
      expect(res.text).to.contain(`id="row-error-${officerId}">请从选项中选择。`);
      expect(await UserModel.findById(officerId).lean()).to.include({ status: 'active' });
    });

    it('answers 404 for ids that are not officers', async function () {
      const creator = await createTestUser({ email: 'creator@example.org' });
      const admins = await UserModel.findOne({ email: adminEmail }).lean();
      for (const id of [
        creator.id,
        String(admins!._id),
        '0123456789abcdef01234567',
        'not-an-id',
        '{"$ne":null}',
      ]) {
        const res = await postForm(
          admin,
          '/admin/officers',
          { streetScope: 'district' },
          `/admin/officers/${encodeURIComponent(id)}/scope`,
        );
        expect(res.status, id).to.equal(404);
      }
      expect(await UserModel.findById(creator._id).lean()).not.to.have.property('streetScope');
      expect(await AuditEntryModel.countDocuments()).to.equal(0);
    });
  });
});
