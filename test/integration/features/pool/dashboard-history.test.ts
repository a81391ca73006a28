// The dashboard's audience per month (the chart at /office, read from the stored monthly figures)
// through each way the portal writes or removes stat snapshots, over HTTP: a creator's manual
// figure (and a second one the same day, which replaces it), an officer rejecting it, a conflict
// transfer (the account's past figures stay where they were counted), and a creator deleting
// their account (their snapshots leave for the anonymous totals). After each, the page shows the
// figures of the direct aggregation over every snapshot, for the district and for the street.
import { expect } from 'chai';
import { ConflictModel } from '../../../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import {
  type Agent,
  type TestApp,
  page,
  postForm,
  startTestApp,
  testPassword,
} from '../../../support/app.js';
import { directAudience } from '../../../support/audience.js';
import { resetDatabase } from '../../../support/database.js';
import { pngPhoto } from '../../../unit/features/files/images.js';
import { addAccountVia, postUpload, signedIn } from '../registry/helpers.js';

/** The audience chart's numbers as the page lists them ("2026-12: 34,000; …"). */
async function audienceShown(agent: Agent): Promise<Record<string, number>> {
  const res = await agent.get('/office');
  expect(res.status).to.equal(200);
  const desc = page(res)('#chart-audience desc').text().trim();
  const shown: Record<string, number> = {};
  for (const entry of desc.split('; ').filter(Boolean)) {
    const [month = '', value = ''] = entry.split(': ');
    shown[month] = Number(value.replaceAll(',', ''));
  }
  return shown;
}

async function direct(street: string | null): Promise<Record<string, number>> {
  return Object.fromEntries((await directAudience(street, new Date())).map((m) => [m.month, m.followers]));
}

describe('office dashboard: audience per month through every snapshot writer', function () {
  this.timeout(120_000);
  let portal: TestApp;
  before(async function () {
    portal = await startTestApp({ DEFAULT_LANGUAGE: 'en' });
    await resetDatabase();
  });
  after(async function () {
    await portal.stop();
  });

  async function creatorIn(email: string, street: string): Promise<Agent> {
    const agent = await signedIn(portal, email);
    await agent.get('/me');
    await CreatorModel.updateOne({ displayName: email.split('@')[0] }, { $set: { street } });
    return agent;
  }

  it('follows manual figures, their rejection, a conflict transfer and an account deletion', async function () {
    const month = new Date().toISOString().slice(0, 7);
    const district = await signedIn(portal, 'district@office.example', 'officer', 'district');
    const pingshan = await signedIn(portal, 'ps@office.example', 'officer', 'pingshan');
    const shijing = await signedIn(portal, 'sj@office.example', 'officer', 'shijing');
    const admin = await signedIn(portal, 'admin@office.example', 'admin');
    const expectShown = async (when: string, figures: Record<string, number>) => {
      expect(await audienceShown(district), `${when}: district`).to.deep.equal(figures);
      expect(await audienceShown(district), `${when}: district, direct`).to.deep.equal(await direct(null));
      expect(await audienceShown(pingshan), `${when}: pingshan, direct`).to.deep.equal(
        await direct('pingshan'),
      );
      expect(await audienceShown(shijing), `${when}: shijing, direct`).to.deep.equal(await direct('shijing'));
    };
    await expectShown('before any figure', {});

    const holder = await creatorIn('holder@example.org', 'pingshan');
    const id = (
      await addAccountVia(holder, 'https://www.kuaishou.com/profile/3xabcdefgh12345')
    ).toHexString();
    const enter = async (count: string) =>
      postUpload(
        holder,
        `/me/accounts/${id}`,
        `/me/accounts/${id}/figure`,
        'figureEvidence',
        await pngPhoto(),
        {
          count,
        },
      );
    expect((await enter('3.4萬')).status).to.equal(303);
    await expectShown('a manual figure', { [month]: 34_000 });
    expect(await audienceShown(pingshan)).to.deep.equal({ [month]: 34_000 });
    expect(await audienceShown(shijing)).to.deep.equal({});
    // a corrected figure the same day replaces the snapshot, and the month's figure with it
    expect((await enter('35,500')).status).to.equal(303);
    await expectShown('a corrected figure', { [month]: 35_500 });

    const reject = await postForm(
      pingshan,
      '/office/figures',
      { decision: 'reject', reason: 'Screenshot shows another account' },
      `/office/accounts/${id}/figure`,
    );
    expect(reject.status).to.equal(303);
    await expectShown('the figure rejected', {});

    expect((await enter('36000')).status).to.equal(303);
    await expectShown('a new figure', { [month]: 36_000 });

    // the account moves to a creator of another street: its past figures stay where they were counted
    const claimant = await creatorIn('claimant@example.org', 'shijing');
    await postForm(claimant, '/me/accounts', {
      profile: 'https://www.kuaishou.com/profile/3xabcdefgh12345',
      platform: '',
      displayName: '',
    });
    const conflict = await ConflictModel.findOne({}).orFail();
    const transfer = await postForm(
      admin,
      '/office/conflicts',
      { decision: 'transfer', reason: 'Claimant showed the login' },
      `/office/conflicts/${conflict.id}`,
    );
    expect(transfer.status).to.equal(303);
    await expectShown('a conflict transfer', { [month]: 36_000 });
    expect(await audienceShown(pingshan)).to.deep.equal({ [month]: 36_000 });

    // the holder deletes their account: the snapshots go to the anonymous totals, and off the chart
    const deleted = await postForm(
      holder,
      '/me/privacy',
      { password: testPassword, confirm: 'yes' },
      '/me/privacy/delete',
    );
    expect(deleted.status).to.equal(303);
    await expectShown('the holder deleted', {});
  });
});
