// The officers' bulk import over HTTP: upload (CSV, XLSX, hostile files), the dry run with an
// error per row and column, the import itself (one audit entry with its counts, idempotent on
// platform + id), street scope, conflicts with accounts held by others, and claim links.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import writeXlsxFile from 'write-excel-file/node';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { MailModel } from '../../../../src/features/mail/model.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { ImportUploadModel } from '../../../../src/features/registry/import/upload.model.js';
import { StatSnapshotModel } from '../../../../src/features/registry/statSnapshot.model.js';
import {
  type Agent,
  type Response,
  type TestApp,
  csrfFrom,
  page,
  postForm,
  startTestApp,
} from '../../../support/app.js';
import { resetDatabase } from '../../../support/database.js';
import { pngPhoto } from '../../../unit/features/files/images.js';
import { addAccountVia, signedIn } from './helpers.js';

const template = readFileSync(new URL('../../../../public/templates/registry-import.csv', import.meta.url));
const header = ['display_name', 'street', 'platform', 'account', 'contact_email'];

function csv(rows: string[][]): Buffer {
  return Buffer.from(
    rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n'),
  );
}

/** Uploads a file through the import form as a browser does; follows nothing. */
async function upload(agent: Agent, file: Buffer, name = 'creators.csv'): Promise<Response> {
  const form = await agent.get('/office/import');
  return agent.post('/office/import').field('_csrf', csrfFrom(form.text)).attach('file', file, name);
}

/** Uploads and opens the dry run; the preview page and the upload's path. */
async function preview(agent: Agent, file: Buffer, name?: string): Promise<{ res: Response; path: string }> {
  const uploaded = await upload(agent, file, name);
  expect(uploaded.status, uploaded.text.slice(0, 300)).to.equal(303);
  const path = uploaded.headers.location as string;
  return { res: await agent.get(path), path };
}

/** The dry run's error table as "row|column|message" lines. */
function errorTable(res: Response): string[] {
  const $ = page(res);
  return $('#import-errors tbody tr')
    .map((_, row) =>
      $(row)
        .find('td')
        .map((__, cell) => $(cell).text().trim())
        .get()
        .join('|'),
    )
    .get();
}

function outcomes(res: Response): string[] {
  const $ = page(res);
  return $('#import-rows tbody tr')
    .map((_, row) => `${$(row).attr('data-row')} ${$(row).attr('data-outcome')}`)
    .get();
}

const claimPathsOf = (res: Response): string[] =>
  page(res)('.claim-link')
    .map((_, input) => new URL(page(res)(input).attr('value') ?? '', 'http://x').pathname)
    .get();

async function registryState() {
  const [creators, accounts] = await Promise.all([
    CreatorModel.find().sort({ _id: 1 }).lean(),
    AccountModel.find().sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ creators, accounts });
}

describe('registry: bulk import by officers', function () {
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
  });
  after(async function () {
    await portal.stop();
  });
  beforeEach(resetDatabase);

  it('previews the template without writing, imports it once with one audit entry, and changes nothing when it is imported again', async function () {
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const { res, path } = await preview(officer, template, 'registry-import.csv');
    expect(res.status).to.equal(200);
    expect(outcomes(res)).to.deep.equal(['2 new', '3 new', '4 new', '5 new', '6 new']);
    expect(page(res)('#plan-counts').text()).to.contain('New creators: 2').and.contain('New accounts: 5');
    expect(page(res)('#import-errors').length).to.equal(0);
    expect(await CreatorModel.countDocuments()).to.equal(0);

    const applied = await postForm(officer, path, {});
    expect(applied.status).to.equal(200);
    expect(applied.headers['cache-control']).to.equal('no-store');
    expect(page(applied)('#result-counts').text()).to.contain('New accounts: 5');
    expect(claimPathsOf(applied)).to.have.length(2);
    const creators = await CreatorModel.find().sort({ displayName: 1 });
    expect(
      creators.map((creator) => [creator.displayName, creator.street, Boolean(creator.user)]),
    ).to.deep.equal([
      ['坪山之眼', 'pingshan', false],
      ['李高兴', 'longtian', false],
    ]);
    expect(creators[0]?.claim?.tokenHash).to.match(/^[0-9a-f]{64}$/);
    expect(creators[0]?.contact?.phone).to.equal('075584001234');
    expect(await AccountModel.countDocuments()).to.equal(5);
    const weibo = await AccountModel.findOne({ platform: 'weibo', platformId: '5044281310' });
    expect(weibo?.ownership.state).to.equal('unverified');
    expect(weibo?.figure).to.deep.include({ followers: 128000, source: 'manual' });
    expect(await StatSnapshotModel.countDocuments()).to.equal(2);
    // the claim link is mailed once, to the row's address only
    const mails = await MailModel.find({ template: 'claimInvite' });
    expect(mails.map((mail) => mail.to)).to.deep.equal(['contact@example.org']);
    expect(mails[0]?.text).to.contain(claimPathsOf(applied).find((p) => mails[0]?.text.includes(p)));
    // one audit entry with the counts
    const audit = await AuditEntryModel.find({ action: 'registry.import' });
    expect(audit).to.have.length(1);
    expect(audit[0]?.actor?.email).to.equal('district@office.example');
    expect(audit[0]?.details).to.deep.include({
      rows: 5,
      creatorsNew: 2,
      accountsNew: 5,
      accountsUnchanged: 0,
      conflicts: 0,
      claimLinksMailed: 1,
    });
    // the upload's bytes are gone once applied; a double submit imports nothing twice
    expect((await ImportUploadModel.findOne())?.data).to.equal(undefined);
    const again = await postForm(officer, path, {});
    expect(page(again)('.flash-info').text()).to.contain('imported already');
    expect(await AuditEntryModel.countDocuments({ action: 'registry.import' })).to.equal(1);

    // the same file again: everything is unchanged, and so is the registry
    const before = await registryState();
    const second = await preview(officer, template);
    expect(outcomes(second.res)).to.deep.equal([
      '2 unchanged',
      '3 unchanged',
      '4 unchanged',
      '5 unchanged',
      '6 unchanged',
    ]);
    const reapplied = await postForm(officer, second.path, {});
    expect(page(reapplied)('#result-counts').text())
      .to.contain('New accounts: 0')
      .and.contain('New creators: 0');
    expect(claimPathsOf(reapplied)).to.deep.equal([]);
    expect(await registryState()).to.equal(before);
    expect(await MailModel.countDocuments({ template: 'claimInvite' })).to.equal(1);
    const audits = await AuditEntryModel.find({ action: 'registry.import' }).sort({ at: 1 });
    expect(audits[1]?.details).to.deep.include({ accountsNew: 0, accountsUnchanged: 5, creatorsNew: 0 });
  });

  it('imports an XLSX file with Traditional Chinese headers', async function () {
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const sheet = [
      ['名稱', '街道', '平台', '帳號主頁或 ID', '粉絲數'],
      ['坪山同鎮', '龍田街道', '嗶哩嗶哩', 3493118494116797, 1234],
      ['坪山同鎮', null, 'B站', 'https://m.bilibili.com/space/546195', null],
    ].map((row) => row.map((value) => (value === null ? null : { value })));
    const { res, path } = await preview(officer, await writeXlsxFile(sheet).toBuffer(), 'creators.xlsx');
    expect(outcomes(res)).to.deep.equal(['2 new', '3 new']);
    expect((await postForm(officer, path, {})).status).to.equal(200);
    const accounts = await AccountModel.find().sort({ platformId: 1 });
    expect(accounts.map((account) => account.platformId)).to.deep.equal(['3493118494116797', '546195']);
    expect((await CreatorModel.findOne())?.street).to.equal('longtian');
  });

  it('names each bad cell by row and column in the dry run, and imports nothing while there are errors', async function () {
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const { res, path } = await preview(
      officer,
      csv([
        header,
        ['坪山之眼', '坪山', '微博', 'https://weibo.com/u/5044281310', ''],
        ['坪山印象', '深圳', '抖音', 'https://v.douyin.com/abc123/', ''],
        ['=cmd|calc', '坑梓', 'B站', '546195', 'not-an-address'],
        ['IN坪山', '碧岭', 'MySpace', '123', ''],
        ['x'.repeat(10_000), '石井', 'B站', '546196', ''],
      ]),
    );
    expect(res.status).to.equal(200);
    expect(errorTable(res)).to.deep.equal([
      '3|Street|Unknown street.',
      '3|Profile address or id|Douyin short links cannot be resolved offline: open it in a browser and copy the full address, or type the account id.',
      '4|Name|Starts with =, +, - or @: spreadsheet formulas are not imported.',
      '4|Contact email|This email address is not valid.',
      '5|Platform|Unknown platform.',
      '6|Name|Too long (at most 60 characters).',
    ]);
    expect(page(res)('#apply-import').length).to.equal(0);
    // posting the confirm step anyway: the form again, nothing written
    const forced = await postForm(officer, path, {});
    expect(forced.status).to.equal(422);
    expect(await CreatorModel.countDocuments()).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ action: 'registry.import' })).to.equal(0);
  });

  it('refuses hostile files with a message, never a 500, and writes nothing', async function () {
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    // an image renamed to .csv
    const png = await preview(officer, await pngPhoto(), 'creators.csv');
    expect(errorTable(png.res)).to.deep.equal([
      '||This file could not be read; upload a CSV or XLSX spreadsheet.',
    ]);
    // wrong columns
    const wrong = await preview(
      officer,
      csv([
        ['title', 'note'],
        ['坪山之眼', '123'],
      ]),
    );
    expect(errorTable(wrong.res)[0]).to.contain(
      'Required columns are missing: display_name, street, platform, account',
    );
    // a zip that is no spreadsheet
    const zip = await preview(
      officer,
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64)]),
    );
    expect(errorTable(zip.res)[0]).to.contain('could not be read');
    // too big for an import (but within the upload limit), and over the upload limit
    for (const size of [3 * 1024 * 1024, 9 * 1024 * 1024]) {
      const big = await upload(officer, Buffer.alloc(size, 'a'));
      expect(big.status).to.equal(422);
      expect(page(big)('#error-file').text()).to.contain('too large');
    }
    // no file at all
    const form = await officer.get('/office/import');
    const none = await officer.post('/office/import').field('_csrf', csrfFrom(form.text));
    expect(none.status).to.equal(422);
    expect(page(none)('#error-file').text()).to.contain('Choose a CSV or XLSX file');
    expect(await CreatorModel.countDocuments()).to.equal(0);
    expect(await ImportUploadModel.countDocuments()).to.equal(3);
  });

  it('keeps a street officer to their street, and an upload to the officer who made it', async function () {
    const kengzi = await signedIn(portal, 'kengzi@office.example', 'officer', 'kengzi');
    const { res, path } = await preview(kengzi, template);
    expect(errorTable(res)).to.deep.equal([
      '2|Street|This street is outside your scope.',
      '5|Street|This street is outside your scope.',
    ]);
    expect((await postForm(kengzi, path, {})).status).to.equal(422);
    expect(await CreatorModel.countDocuments()).to.equal(0);

    const pingshan = await signedIn(portal, 'pingshan@office.example', 'officer', 'pingshan');
    const own = await preview(pingshan, template);
    expect(errorTable(own.res)).to.deep.equal(['5|Street|This street is outside your scope.']);
    // another officer's upload: 404 to read and to apply, nothing written
    expect((await pingshan.get(path)).status).to.equal(404);
    const form = await pingshan.get('/office/import');
    const applied = await pingshan
      .post(path)
      .type('form')
      .send({ _csrf: csrfFrom(form.text) });
    expect(applied.status).to.equal(404);
    // creators cannot reach the import at all
    const creator = await signedIn(portal, 'creator@example.org');
    expect((await creator.get('/office/import')).status).to.equal(403);
    expect(await CreatorModel.countDocuments()).to.equal(0);
  });

  it('reports accounts held by another creator and leaves them with their holder', async function () {
    const holder = await signedIn(portal, 'holder@example.org');
    const held = await addAccountVia(holder, 'https://weibo.com/u/5044281310');
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const { res, path } = await preview(officer, template);
    expect(outcomes(res)).to.deep.equal(['2 conflict', '3 new', '4 new', '5 new', '6 new']);
    const applied = await postForm(officer, path, {});
    expect(page(applied)('#result-counts').text()).to.contain('Held by another creator (not imported): 1');
    const account = await AccountModel.findById(held);
    const holderCreator = await CreatorModel.findOne({ displayName: 'holder' });
    expect(account?.creator.equals(holderCreator!._id)).to.equal(true);
    expect(await AccountModel.countDocuments()).to.equal(5);
    const audit = await AuditEntryModel.findOne({ action: 'registry.import' });
    expect(audit?.details).to.deep.include({ conflicts: 1, accountsNew: 4 });
  });

  it('hands the profile over through a single-use claim link, and refuses altered, used and expired links', async function () {
    const officer = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const { path } = await preview(officer, template);
    const links = claimPathsOf(await postForm(officer, path, {}));
    const eye = await CreatorModel.findOne({ displayName: '坪山之眼' });
    const eyeLink = (
      await Promise.all(
        links.map(async (candidate) => {
          const res = await portal.agent().get(candidate);
          return page(res)('#claim-creator').text().includes('坪山之眼') ? candidate : undefined;
        }),
      )
    ).find(Boolean) as string;
    expect(eyeLink).to.match(/^\/claim\/[A-Za-z0-9_-]{43}$/);

    // a visitor sees whose profile it is and is asked to sign in first
    const visitor = portal.agent();
    const shown = await visitor.get(eyeLink);
    expect(shown.status).to.equal(200);
    expect(shown.headers['cache-control']).to.equal('no-store');
    expect(page(shown)(`a[href="/login?next=${encodeURIComponent(eyeLink)}"]`).length).to.equal(1);
    // an officer cannot claim
    expect(page(await officer.get(eyeLink))('#claim-wrong-role').length).to.equal(1);

    // altered: one character changed
    const altered = eyeLink.slice(0, -1) + (eyeLink.endsWith('A') ? 'B' : 'A');
    expect((await visitor.get(altered)).status).to.equal(404);

    const person = await signedIn(portal, 'eye@example.org');
    await person.get('/me'); // the empty creator made on the first visit gives way
    const claimed = await postForm(person, eyeLink, {});
    expect(claimed.status).to.equal(303);
    expect(claimed.headers.location).to.equal('/me/profile');
    const mine = await CreatorModel.findById(eye!._id);
    expect(mine?.user).to.not.equal(undefined);
    expect(mine?.claim?.tokenHash).to.equal(undefined);
    expect(await CreatorModel.countDocuments({ displayName: 'eye' })).to.equal(0);
    const accounts = page(await person.get('/me/accounts'));
    expect(accounts('body').text()).to.contain('5044281310');

    // used: the same link again, for anyone
    const other = await signedIn(portal, 'other@example.org');
    const reused = await postForm(other, '/me', {}, eyeLink);
    expect(reused.status).to.equal(404);
    expect(page(reused)('#claim-unusable').length).to.equal(1);
    expect((await visitor.get(eyeLink)).status).to.equal(404);

    // expired: the other creator's link after its time
    const liLink = links.find((candidate) => candidate !== eyeLink) as string;
    await CreatorModel.updateOne(
      { displayName: '李高兴' },
      { $set: { 'claim.expiresAt': new Date(Date.now() - 1000) } },
    );
    expect((await postForm(other, '/me', {}, liLink)).status).to.equal(404);
    expect((await CreatorModel.findOne({ displayName: '李高兴' }))?.user).to.equal(undefined);

    // a new link from the creator page ends the old one, and is audited
    const li = await CreatorModel.findOne({ displayName: '李高兴' });
    const fresh = await postForm(
      officer,
      `/office/creators/${li!.id}`,
      {},
      `/office/creators/${li!.id}/claim-link`,
    );
    expect(fresh.status).to.equal(200);
    const freshPath = new URL(page(fresh)('#claim-link').attr('value') ?? '', 'http://x').pathname;
    expect((await visitor.get(freshPath)).status).to.equal(200);
    expect(
      await AuditEntryModel.countDocuments({ action: 'creator.claim_link', 'target.id': li!.id }),
    ).to.equal(1);
    const third = await signedIn(portal, 'li@example.org');
    const addedFirst = await addAccountVia(third, 'https://space.bilibili.com/777');
    expect((await postForm(third, '/me', {}, freshPath)).status).to.equal(303);
    // the person already had an account: the imported ones join it, the imported creator goes
    const thirdCreator = await CreatorModel.findOne({ displayName: 'li' });
    expect(await AccountModel.countDocuments({ creator: thirdCreator!._id })).to.equal(3);
    expect((await AccountModel.findById(addedFirst))?.creator.equals(thirdCreator!._id)).to.equal(true);
    expect(await CreatorModel.countDocuments({ displayName: '李高兴' })).to.equal(0);
    // claimed creators: no new link
    const late = await postForm(
      officer,
      `/office/creators/${thirdCreator!.id}`,
      {},
      `/office/creators/${thirdCreator!.id}/claim-link`,
    );
    expect(late.status).to.equal(303);
  });
});
