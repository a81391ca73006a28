// `npm run stats:fixtures` starts the fixture server alone and prints each platform's base URL.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect } from 'chai';

describe('stats:fixtures command', function () {
  this.timeout(30_000);

  it('prints its URL, answers a platform request, and stops on SIGTERM', async function () {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/features/stats/fixtureCli.ts', '--port', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const bilibili = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^\s+bilibili\s+(http:\/\/127\.0\.0\.1:\d+\/bilibili)$/.exec(line);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const response = await fetch(`${bilibili}/x/relation/stat?vmid=10000001`);
      expect(((await response.json()) as { data: { follower: number } }).data.follower).to.equal(919515);
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a latency that is not a range', async function () {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/features/stats/fixtureCli.ts', '--port', '0', '--latency', 'slow'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(2);
    expect(stderr).to.contain('usage: npm run stats:fixtures');
  });
});
