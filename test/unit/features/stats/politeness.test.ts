// The spacer's own guarantee, measured where it is made: task starts are at least the minimum
// interval (plus the jitter drawn) apart, one task at a time.
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { hasBlocked, hasTransient, RequestSpacer } from '../../../../src/features/stats/politeness.js';

async function startTimes(spacer: RequestSpacer, count: number, taskMs = 0): Promise<number[]> {
  const starts: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () =>
      spacer.run(async () => {
        starts.push(performance.now());
        await sleep(taskMs);
      }),
    ),
  );
  return starts;
}

const gaps = (times: number[]): number[] => times.slice(1).map((time, index) => time - times[index]!);

/**
 * Each task's start is reserved exactly, but it is measured from inside the task, after the event
 * loop gets to it: on a loaded machine one measurement can come late. So each gap may fall short
 * by a little, and their mean by much less (one late start shortens one gap and lengthens the next).
 */
function expectSpaced(starts: number[], interval: number): void {
  const measured = gaps(starts);
  for (const gap of measured) expect(gap).to.be.at.least(interval - 15);
  const mean = measured.reduce((sum, gap) => sum + gap, 0) / measured.length;
  expect(mean).to.be.at.least(interval - 4);
}

describe('RequestSpacer', function () {
  it('starts tasks at least the minimum interval apart', async function () {
    expectSpaced(await startTimes(new RequestSpacer({ minIntervalMs: 80, jitterMs: 0 }), 6), 80);
  });

  it('adds the jitter it draws to each interval', async function () {
    const spacer = new RequestSpacer({ minIntervalMs: 50, jitterMs: 100, random: () => 0.5 });
    expectSpaced(await startTimes(spacer, 6), 100);
  });

  it('runs one task at a time: a long task holds back the next one', async function () {
    expectSpaced(await startTimes(new RequestSpacer({ minIntervalMs: 10, jitterMs: 0 }), 4, 120), 120);
  });

  it('keeps the spacing when several requests may await their answers at once', async function () {
    const spacer = new RequestSpacer({ minIntervalMs: 40, jitterMs: 0, maxInFlight: 4 });
    const starts = await startTimes(spacer, 6, 150);
    expectSpaced(starts, 40);
    // Overlapping: six 150 ms tasks 40 ms apart finish long before six in a row would.
    expect(starts.at(-1)! - starts[0]!).to.be.below(5 * 150);
  });

  it('tells transient and ban answers apart for the retry and the breaker', function () {
    const transient = [{ kind: 'transient', detail: 'HTTP 503' }];
    const ban = [{ kind: 'blocked', detail: '-412' }];
    expect([hasTransient(transient), hasBlocked(transient)]).to.deep.equal([true, false]);
    expect([hasTransient(ban), hasBlocked(ban)]).to.deep.equal([false, true]);
    expect(hasTransient('not a list')).to.equal(false);
  });
});
