// The scheduler takes jobs from the first start-up hook on (the demo district queues mail), but
// runs none until every hook has started: on `npm start` the first stats pull used to begin while
// the demo district was still being seeded, and could overwrite what the seeding had just set.
import { expect } from 'chai';
import { loadConfig } from '../../../src/config.js';
import { type Portal, startPortal } from '../../../src/portal.js';
import { defineJob, enqueueJob } from '../../../src/scheduler/index.js';
import { testEnv } from '../../support/app.js';
import { startTestDatabase, type TestDatabase } from '../../support/database.js';
import { sleep, until } from '../../support/wait.js';

const probeJob = 'test.startUpProbe';
const ranAt: number[] = [];
defineJob(probeJob, () => {
  ranAt.push(Date.now());
  return Promise.resolve();
});

describe('scheduler: start-up', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let portal: Portal | undefined;
  before(async function () {
    db = await startTestDatabase();
  });
  after(async function () {
    await portal?.stop();
    await db.stop();
  });

  it('queues jobs during the start-up hooks and runs them only once every hook has started', async function () {
    let seedingDoneAt = 0;
    portal = await startPortal({
      config: loadConfig(testEnv(db, { SCHEDULER_POLL_MS: '50' })),
      lane: db,
      hooks: [
        {
          name: 'slow seeding that queues a job',
          start: async () => {
            await enqueueJob(probeJob, {});
            // Ten polls' time: a running scheduler would have taken the job by now.
            await sleep(500);
            seedingDoneAt = Date.now();
          },
        },
      ],
    });
    await until(() => Promise.resolve(ranAt.length === 1));
    expect(ranAt[0]).to.be.at.least(seedingDoneAt);
  });
});
