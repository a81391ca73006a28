// `npm start` as a user runs it: the server process starts on the offline lane with the demo
// district, serves pages, and shuts down cleanly on SIGTERM.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import request from 'supertest';

interface LogLine {
  msg?: string;
  url?: string;
  lane?: string;
}

describe('the server process', function () {
  this.timeout(60_000);
  let child: ChildProcess | undefined;
  const lines: LogLine[] = [];
  const text: string[] = [];

  after(function () {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts on the offline lane with demo data, serves pages, and stops on SIGTERM', async function () {
    if (process.env.MONGODB_URI) this.skip(); // this test is about the default, offline start
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', MONGO_LANE: 'offline', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        text.push(line);
        try {
          const entry = JSON.parse(line) as LogLine;
          lines.push(entry);
          if (entry.msg === 'Lighthouse is listening' && entry.url) resolve(entry.url.replace(/\/$/, ''));
        } catch {
          // the demo log-ins are printed as plain text
        }
      });
      child!.once('exit', (code) =>
        reject(new Error(`server exited early with ${code}: ${text.join('\n')}`)),
      );
    });
    const url = await listening;
    expect(lines.some((entry) => entry.msg === 'database lane: offline')).to.equal(true);
    expect(text.join('\n')).to.contain('psz@lighthouse.example');

    const home = await request(url).get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('演示数据，保存在内存中');

    // The demo log-ins printed at start work.
    const agent = request.agent(url);
    const form = await agent.get('/login');
    const token = /name="_csrf"\s+value="([^"]+)"/.exec(form.text)?.[1] ?? '';
    const signIn = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: 'psz@lighthouse.example', password: 'lighthouse-demo-2026' });
    expect(signIn.status).to.equal(303);
    expect((await agent.get('/me')).text).to.contain('坪山之眼');

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).to.equal(0);
    expect(lines.map((entry) => entry.msg)).to.include('stopped');
  });
});
