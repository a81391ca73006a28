// The monthly figures (the dashboard's audience per month, stored per account and month) against
// the definition they replace: a direct aggregation over every stat snapshot (each account's last
// snapshot in each month, summed per month; accounts without a snapshot in a month do not count;
// a street officer sees the snapshots of their street). Random histories are written through the
// real writers (appendSnapshot, dropSnapshot, foldSnapshotsIntoTotals), then the stored figures
// must give exactly the direct aggregation's numbers, for the district and for every street; the
// start-up backfill must build the same rows from snapshots stored around the writers, and redo
// the rows an interrupted write left stale.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { audienceByMonth } from '../../../../src/features/pool/dashboard.js';
import { streets } from '../../../../src/features/registry/catalogue.js';
import { MonthlyFigureModel } from '../../../../src/features/registry/monthlyFigure.model.js';
import { backfillMonthlyFigures } from '../../../../src/features/registry/monthlyFigures.js';
import { platformKeys } from '../../../../src/features/registry/platforms/index.js';
import {
  appendSnapshot,
  dropSnapshot,
  foldSnapshotsIntoTotals,
} from '../../../../src/features/registry/snapshots.js';
import { StatSnapshotModel, snapshotBucket } from '../../../../src/features/registry/statSnapshot.model.js';
import type { FigureSource } from '../../../../src/features/registry/account.model.js';
import { resetDatabase } from '../../../support/database.js';
import { type TestApp, startTestApp } from '../../../support/app.js';
import { random } from '../../../support/random.js';
import { directAudience } from '../../../support/audience.js';

type Actor = Parameters<typeof audienceByMonth>[0];
const district: Actor = { role: 'officer', streetScope: 'district' };
const now = new Date(Date.UTC(2026, 11, 2, 12));
const dayMs = 24 * 60 * 60 * 1000;

const actors: Actor[] = [
  district,
  ...streets.map((street) => ({ role: 'officer' as const, streetScope: street })),
];

async function expectSameAsDirect(when: string): Promise<void> {
  for (const actor of actors) {
    const direct = await directAudience(
      actor.streetScope === 'district' ? null : (actor.streetScope ?? null),
      now,
    );
    expect(await audienceByMonth(actor, now), `${when}, ${actor.streetScope}`).to.deep.equal(direct);
  }
}

interface Written {
  account: Types.ObjectId;
  source: FigureSource;
  at: Date;
}

describe('monthly figures: the dashboard’s audience per month', function () {
  this.timeout(120_000);
  let portal: TestApp;

  before(async function () {
    portal = await startTestApp();
  });
  beforeEach(resetDatabase);
  after(async function () {
    await portal.stop();
  });

  for (const seed of [1, 2, 3]) {
    it(`gives exactly the direct aggregation’s figures over a random history (seed ${seed})`, async function () {
      const rand = random(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
      const creators = Array.from({ length: 4 }, () => ({
        _id: new Types.ObjectId(),
        street: pick([...streets.slice(0, 3), undefined]),
      }));
      const accounts = Array.from({ length: 10 }, () => {
        const creator = pick(creators);
        return {
          _id: new Types.ObjectId(),
          creator: creator._id,
          platform: pick(platformKeys),
          home: creator,
        };
      });
      const written: Written[] = [];
      const sources: FigureSource[] = ['official_api', 'public_web', 'manual'];
      for (let step = 0; step < 160; step++) {
        const account = pick(accounts);
        if (written.length > 0 && rand() < 0.15) {
          // a rejected manual figure (or any snapshot) taken away again
          const gone = written.splice(Math.floor(rand() * written.length), 1)[0]!;
          await dropSnapshot(gone.account, gone.source, gone.at);
          continue;
        }
        // within the last eight months (two before the dashboard's six), some on month boundaries
        const at =
          rand() < 0.1
            ? new Date(Date.UTC(2026, 11 - Math.floor(rand() * 8), 1, 0, 0, 0, Math.floor(rand() * 5)))
            : new Date(now.getTime() - Math.floor(rand() * 240 * dayMs));
        const source = pick(sources);
        // mostly the creator's street; sometimes another (the creator moved) or none
        const street = rand() < 0.8 ? account.home.street : pick([...streets.slice(0, 3), undefined]);
        await appendSnapshot({
          account,
          street,
          at,
          followers: Math.floor(rand() * 100_000),
          precision: 'exact',
          source,
        });
        written.push({ account: account._id, source, at });
      }
      expect(await StatSnapshotModel.countDocuments()).to.be.greaterThan(60);
      await expectSameAsDirect('after the writes');
      // the district sees every month with a snapshot
      expect((await audienceByMonth(district, now)).length).to.equal(6);

      // a creator deletes their account: their snapshots are folded into anonymous totals
      const leaving = accounts[0]!.creator;
      expect(await foldSnapshotsIntoTotals(leaving)).to.be.greaterThan(0);
      expect(await MonthlyFigureModel.countDocuments({ stale: true })).to.equal(0);
      await expectSameAsDirect('after a deletion');

      // built from scratch by the start-up backfill: the same figures, and again changes nothing
      const rows = await MonthlyFigureModel.find({}, { _id: 0 }).sort({ account: 1, month: 1 }).lean();
      await MonthlyFigureModel.deleteMany({});
      expect(await backfillMonthlyFigures()).to.equal(rows.length);
      await expectSameAsDirect('after the backfill');
      expect(
        await MonthlyFigureModel.find({}, { _id: 0 }).sort({ account: 1, month: 1 }).lean(),
      ).to.deep.equal(rows);
      expect(await backfillMonthlyFigures()).to.equal(0);
    });
  }

  it('builds the rows of snapshots stored around the writers at start-up, and only those', async function () {
    const account = { _id: new Types.ObjectId(), creator: new Types.ObjectId(), platform: 'bilibili' };
    await appendSnapshot({
      account,
      street: 'pingshan',
      at: new Date('2026-11-10T08:00:00Z'),
      followers: 500,
      precision: 'exact',
      source: 'official_api',
    });
    // an import straight to the driver (as the benchmark and the bulk seeds do)
    const imported = new Types.ObjectId();
    await StatSnapshotModel.collection.insertMany(
      [
        ['2026-10-03T00:00:00Z', 100],
        ['2026-10-30T23:59:59Z', 150],
        ['2026-12-01T00:00:00Z', 170],
      ].map(([at, followers]) => ({
        account: imported,
        creator: new Types.ObjectId(),
        street: 'kengzi',
        platform: 'weibo',
        at: new Date(at as string),
        bucket: snapshotBucket('public_web', new Date(at as string)),
        followers,
        precision: 'exact',
        source: 'public_web',
      })),
    );
    expect(await audienceByMonth(district, now)).to.deep.equal([{ month: '2026-11', followers: 500 }]);
    expect(await backfillMonthlyFigures()).to.equal(2);
    expect(await audienceByMonth(district, now)).to.deep.equal([
      { month: '2026-10', followers: 150 },
      { month: '2026-11', followers: 500 },
      { month: '2026-12', followers: 170 },
    ]);
    expect(await audienceByMonth({ role: 'officer', streetScope: 'kengzi' }, now)).to.deep.equal([
      { month: '2026-10', followers: 150 },
      { month: '2026-12', followers: 170 },
    ]);
    expect(await backfillMonthlyFigures()).to.equal(0);
    await expectSameAsDirect('after the backfill');
  });

  it('redoes at start-up a row an interrupted write left stale', async function () {
    const account = { _id: new Types.ObjectId(), creator: new Types.ObjectId(), platform: 'bilibili' };
    const at = new Date('2026-11-10T08:00:00Z');
    await appendSnapshot({
      account,
      street: 'pingshan',
      at,
      followers: 500,
      precision: 'exact',
      source: 'manual',
    });
    // the process stopped between marking the row and rewriting it, after the snapshot changed
    await MonthlyFigureModel.updateOne({ account: account._id }, { $set: { stale: true } });
    await StatSnapshotModel.updateOne({ account: account._id }, { $set: { followers: 650 } });
    expect(await backfillMonthlyFigures()).to.equal(1);
    expect(await audienceByMonth(district, now)).to.deep.equal([{ month: '2026-11', followers: 650 }]);
    expect(await MonthlyFigureModel.countDocuments({ stale: true })).to.equal(0);
    // and a rejected figure leaves the month without the account
    await dropSnapshot(account._id, 'manual', at);
    expect(await audienceByMonth(district, now)).to.deep.equal([]);
    expect(await MonthlyFigureModel.countDocuments()).to.equal(0);
  });
});
