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

describe('RequestSpacer', function () {
  it('starts tasks at least the minimum interval apart', async function () {
    const starts = await startTimes(new RequestSpacer({ minIntervalMs: 80, jitterMs: 0 }), 5);
    // Date.now() counts whole milliseconds: one of slack.
    for (const gap of gaps(starts)) expect(gap).to.be.at.least(79);
  });

  it('adds the jitter it draws to each interval', async function () {
    const spacer = new RequestSpacer({ minIntervalMs: 50, jitterMs: 100, random: () => 0.5 });
    for (const gap of gaps(await startTimes(spacer, 4))) expect(gap).to.be.at.least(99);
  });

  it('runs one task at a time: a long task holds back the next one', async function () {
    const starts = await startTimes(new RequestSpacer({ minIntervalMs: 10, jitterMs: 0 }), 3, 120);
    for (const gap of gaps(starts)) expect(gap).to.be.at.least(119);
  });

  it('tells transient and ban answers apart for the retry and the breaker', function () {
    const transient = [{ kind: 'transient', detail: 'HTTP 503' }];
    const ban = [{ kind: 'blocked', detail: '-412' }];
    expect([hasTransient(transient), hasBlocked(transient)]).to.deep.equal([true, false]);
    expect([hasTransient(ban), hasBlocked(ban)]).to.deep.equal([false, true]);
    expect(hasTransient('not a list')).to.equal(false);
  });
});
