// The district dashboard, the quick view, saved searches and the hand-picked export, over HTTP on
// the demo district (seeds/): its figures are counted by hand in the comments below.
import { expect } from 'chai';
import { AuditEntryModel } from '../../../../src/features/audit/model.js';
import { SavedSearchModel } from '../../../../src/features/pool/savedSearch.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import { seedDemoDistrict } from '../../../../seeds/demo.js';
import { demoPassword } from '../../../../seeds/district.js';
import { resetDatabase } from '../../../support/database.js';
import { xlsxRows } from '../../../support/xlsx.js';
import {
  type Agent,
  type TestApp,
  csrfFrom,
  page,
  postForm,
  signIn,
  startTestApp,
} from '../../../support/app.js';

describe('resource pool: dashboard, quick view, saved searches and selections (demo district)', function () {
  this.timeout(90_000);
  let portal: TestApp;
  let district: Agent;
  let kengzi: Agent;

  async function demoAgent(email: string): Promise<Agent> {
    const agent = portal.agent();
    const res = await signIn(agent, email, demoPassword);
    expect(res.status, email).to.equal(303);
    return agent;
  }
  const idOf = async (slug: string) => (await CreatorModel.findOne({ slug }).orFail())._id.toHexString();

  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    await resetDatabase();
    await seedDemoDistrict();
    district = await demoAgent('office@lighthouse.example');
    kengzi = await demoAgent('kengzi.officer@lighthouse.example');
  });
  after(async function () {
    await portal.stop();
  });

  const chartCell = ($: ReturnType<typeof page>, chart: string, label: string) =>
    $(`#chart-${chart} tr`)
      .filter((_, row) => $(row).find('th').text() === label)
      .find('td a');

  it('shows the district’s hand-counted figures, each linked to its pool search', async function () {
    const res = await district.get('/office');
    expect(res.status).to.equal(200);
    const $ = page(res);
    const totals = $('#totals a')
      .map((_, a) => $(a).text().replace(/\s+/g, ' ').trim())
      .get();
    // 12 creators: the article's five, four alliance-only ones, the two the demo import brought
    // (坑梓客家围, 石井社区志愿者) and the unlisted member 坪山夜读; 6 members (5 founders and
    // 坪山夜读); followers 86,000 + 152,000 + 23,100 + 48,211 + 31,000 + 27,000 + 5,200 + 12,000
    // + 310,000 + the import's 8,600 + 12,400 = 715,511; 坪山印象's only figure is 40 days old.
    expect(totals).to.deep.equal([
      '12 creators',
      '6 alliance members',
      '715,511 followers in total (latest figures)',
      '1 creators with stale figures (over 30 days)',
    ]);
    // streets: 坪山同镇 / 坪山之眼 + 坑梓客家围 / 坪山印象 + 龙田美食记 / IN坪山 + 碧岭光影 /
    // 马峦山行者 + 坪山夜读 / 李高兴 + 石井跑团 + 石井社区志愿者
    for (const [street, n] of [
      ['Pingshan', '1'],
      ['Kengzi', '2'],
      ['Longtian', '2'],
      ['Biling', '2'],
      ['Maluan', '2'],
      ['Shijing', '3'],
    ] as const)
      expect(chartCell($, 'street', street).text(), street).to.equal(n);
    // news: 坪山同镇, 坪山之眼 and the four alliance-only creators; Bilibili: 坪山之眼, those four
    // and 坑梓客家围 (imported)
    expect(chartCell($, 'category', 'News').text()).to.equal('6');
    expect(chartCell($, 'platform', 'Bilibili').text()).to.equal('6');
    expect(chartCell($, 'membership', 'Member').text()).to.equal('6');
    expect(chartCell($, 'membership', 'Applied').text()).to.equal('2');
    // the import's figures are of today; 坪山夜读 has none
    expect(chartCell($, 'freshness', 'Under 7 days old').text()).to.equal('5');
    expect(chartCell($, 'freshness', 'No figures').text()).to.equal('5');
    // queues: the open conflict, and two applications waiting
    expect($('#queues').text()).to.include('Alliance applications (2)');
    // the SVG charts carry their numbers as a text alternative
    expect($('#chart-street svg').attr('role')).to.equal('img');
    expect($('#chart-street desc').text()).to.include('Longtian: 2');
    expect($('#chart-audience svg rect')).to.have.length(6); // six months of snapshots
    // every count opens the matching pool search
    const href = chartCell($, 'street', 'Longtian').attr('href') ?? '';
    expect(href).to.equal('/office/pool?street=longtian');
    expect(page(await district.get(href))('.pool-total').text()).to.include('2 creators');
  });

  it('shows a street officer their street only', async function () {
    const $ = page(await kengzi.get('/office'));
    // 坪山之眼 and the imported 坑梓客家围
    expect($('#totals a').first().text().replace(/\s+/g, ' ').trim()).to.equal('2 creators');
    expect($('#totals').text()).to.include('87,811'); // 48,211 + 31,000 + 8,600
    expect(chartCell($, 'street', 'Longtian').text()).to.equal('0');
  });

  it('opens a quick view from the results, and answers 404 outside the officer’s street', async function () {
    const list = page(await kengzi.get('/office/pool?platform=bilibili'));
    const link = list('.pool-card h2 a').first();
    expect(link.text()).to.equal('坪山之眼');
    const res = await kengzi.get(link.attr('href') ?? '');
    expect(res.status).to.equal(200);
    const $ = page(res);
    expect($('h1').text()).to.equal('坪山之眼');
    expect($('#quick-facts .membership').text()).to.equal('Member');
    expect($('#quick-accounts .card-title').text()).to.include('Bilibili');
    expect($('.pool-back').attr('href')).to.equal('/office/pool?platform=bilibili&sort=followers');
    expect((await kengzi.get(`/office/pool/creators/${await idOf('pingshan-tongzhen')}`)).status).to.equal(
      404,
    );
    expect((await kengzi.get('/office/pool/creators/%24ne')).status).to.equal(404);
    expect((await district.get(`/office/pool/creators/${await idOf('pingshan-tongzhen')}`)).status).to.equal(
      200,
    );
  });

  it('saves, lists, opens and deletes an officer’s own searches, with CSRF and audit', async function () {
    const query = 'platform=douyin&sort=followers';
    const bad = await postForm(
      district,
      `/office/pool?${query}`,
      { name: '  ', query },
      '/office/pool/saved',
    );
    expect(bad.status).to.equal(422);
    expect(page(bad)('#error-name').text()).to.not.equal('');
    expect(page(bad)('input[name=query]').val()).to.equal(query);
    const noToken = await district.post('/office/pool/saved').type('form').send({ name: 'x', query });
    expect(noToken.status).to.equal(403);
    const saved = await postForm(
      district,
      `/office/pool?${query}`,
      { name: '抖音大号', query: `${query}&page=3&x=1` },
      '/office/pool/saved',
    );
    expect(saved.status).to.equal(303);
    const listed = page(await district.get('/office/pool/saved'));
    expect(listed('#saved-searches a').text()).to.include('抖音大号');
    const search = await SavedSearchModel.findOne({ name: '抖音大号' }).orFail();
    expect(search.query).to.equal(query); // paging and unknown parameters dropped
    const open = await district.get(`/office/pool/saved/${search.id}`);
    expect(open.status).to.equal(303);
    expect(open.headers.location).to.equal(`/office/pool?${query}`);
    const twice = await postForm(district, '/office/pool', { name: '抖音大号', query }, '/office/pool/saved');
    expect(page(twice)('#error-name').text()).to.include('already have a saved search with this name');
    // another officer neither sees, opens nor deletes it
    expect(page(await kengzi.get('/office/pool/saved'))('#saved-searches').text()).to.not.include('抖音大号');
    expect((await kengzi.get(`/office/pool/saved/${search.id}`)).status).to.equal(404);
    const form = await kengzi.get('/office/pool/saved');
    const foreign = await kengzi
      .post(`/office/pool/saved/${search.id}/delete`)
      .type('form')
      .send({ _csrf: csrfFrom(form.text) });
    expect(foreign.status).to.equal(404);
    expect(await SavedSearchModel.exists({ _id: search._id })).to.not.equal(null);
    const deleted = await postForm(
      district,
      '/office/pool/saved',
      {},
      `/office/pool/saved/${search.id}/delete`,
    );
    expect(deleted.status).to.equal(303);
    expect(await SavedSearchModel.exists({ _id: search._id })).to.equal(null);
    const actions = await AuditEntryModel.find({ 'target.id': search.id }).distinct('action');
    expect(actions).to.have.members(['pool.search.save', 'pool.search.delete']);
  });

  it('exports a hand-picked selection, within the officer’s street only, and audits it', async function () {
    const ids = [await idOf('pingshanzhiyan'), await idOf('pingshan-tongzhen')];
    const query = ids.map((id) => `id=${id}`).join('&');
    const all = await district.get(`/office/pool.csv?${query}&id=nonsense`);
    const rows = all.text.slice(1).trim().split(/\r?\n/).slice(1);
    expect(rows.map((row) => row.split(',')[0])).to.have.members(['坪山之眼', '坪山同镇']);
    const scoped = await kengzi.get(`/office/pool.csv?${query}`);
    expect(
      scoped.text
        .slice(1)
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((row) => row.split(',')[0]),
    ).to.deep.equal(['坪山之眼']);
    const entry = await AuditEntryModel.findOne({ action: 'pool.export' }).sort({ at: -1 }).lean();
    expect(entry?.details).to.deep.include({ rows: 1 });
    expect((entry?.details as { filter: Record<string, unknown> }).filter).to.deep.include({ selection: 2 });
  });

  it('downloads a hand-picked selection as .xlsx, within the officer’s street only, and audits it', async function () {
    const ids = [await idOf('pingshanzhiyan'), await idOf('pingshan-tongzhen')];
    const query = ids.map((id) => `id=${id}`).join('&');
    const names = async (agent: Agent) => {
      const res = await agent.get(`/office/pool.xlsx?${query}`).responseType('blob');
      expect(res.status).to.equal(200);
      return (await xlsxRows(res.body as Buffer)).slice(1).map((row) => row[0]);
    };
    expect(await names(district)).to.have.members(['坪山之眼', '坪山同镇']);
    expect(await names(kengzi)).to.deep.equal(['坪山之眼']);
    const entry = await AuditEntryModel.findOne({ action: 'pool.export', 'target.id': 'xlsx' })
      .sort({ at: -1 })
      .lean();
    expect(entry?.actor?.email).to.equal('kengzi.officer@lighthouse.example');
    expect(entry?.details).to.deep.include({ rows: 1, format: 'xlsx' });
    expect((entry?.details as { filter: Record<string, unknown> }).filter).to.deep.include({ selection: 2 });
  });
});
