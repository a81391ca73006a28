// `npm run db:offline -- --port N` starts the offline lane alone and prints a URI any MongoDB
// client can use.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';

describe('db:offline command', function () {
  this.timeout(30_000);

  it('prints its URI, warns that it has no authentication, serves a driver, and stops on SIGTERM', async function () {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/offline/cli.ts', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const warned = new Promise<string>((resolve) =>
      createInterface({ input: child.stderr }).on('line', (line) => {
        if (line.startsWith('Warning:')) resolve(line);
      }),
    );
    try {
      const uri = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^Offline MongoDB lane \(in memory\) at (mongodb:\/\/127\.0\.0\.1:\d+)$/.exec(line);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      expect(await warned).to.equal(
        'Warning: no authentication. Any local user on this machine can read and write this database. Keep real data out of it.',
      );
      const client = await MongoClient.connect(`${uri}/cli_test`, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.db().collection('notes').insertOne({ text: '坪山' });
        expect(
          await client
            .db()
            .collection('notes')
            .findOne({}, { projection: { _id: 0 } }),
        ).to.deep.equal({
          text: '坪山',
        });
      } finally {
        await client.close();
      }
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      expect((await exited)[0]).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a port that is not a number', async function () {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/db/offline/cli.ts', '--port', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(2);
    expect(stderr).to.contain('--port must be a number from 0 to 65535, not lots');
  });
});
