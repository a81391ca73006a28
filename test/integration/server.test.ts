// `npm start` as a user runs it: the server process starts on the offline lane with the demo
// district, prints readable logs (development), serves pages, and shuts down cleanly on SIGTERM.
import { createInterface } from 'node:readline';
import { expect } from 'chai';
import { type ResultPromise, execa } from 'execa';
import request from 'supertest';
import { csrfFrom } from '../support/html.js';

describe('the server process', function () {
  this.timeout(60_000);
  let child: ResultPromise | undefined;
  const text: string[] = [];

  after(function () {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('starts on the offline lane with demo data, serves pages, and stops on SIGTERM', async function () {
    if (process.env.MONGODB_URI) this.skip(); // this test is about the default, offline start
    child = execa(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { NODE_ENV: 'development', PORT: '0', MONGO_LANE: 'offline', LOG_LEVEL: 'info', LOG_FORMAT: '' },
      reject: false,
      // execa sends SIGKILL 5 s after a SIGTERM by default; the server gives itself 10 s to stop
      // (src/server.ts), which a loaded machine (or c8) can need.
      forceKillAfterDelay: 20_000,
    });
    const running = child;
    const { stdout } = running;
    if (!stdout) throw new Error('no stdout');
    // Development logs are pino-pretty lines: "[08:40:00] INFO: Lighthouse is listening" then
    // the fields indented below it ('    url: "http://127.0.0.1:…/"').
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: stdout }).on('line', (line) => {
        text.push(line);
        const url = /^\s+url: "(http:[^"]+)"/.exec(line)?.[1];
        if (url && text.some((seen) => seen.includes('INFO: Lighthouse is listening'))) {
          resolve(url.replace(/\/$/, ''));
        }
      });
      void running.then((result) =>
        reject(new Error(`server exited early with ${result.exitCode}: ${text.join('\n')}`)),
      );
    });
    const url = await listening;
    const output = text.join('\n');
    expect(output).to.contain('INFO: database lane: offline');
    expect(output, 'readable, not JSON').not.to.match(/^\{"level"/m);
    expect(output).to.contain('psz@lighthouse.example');

    const home = await request(url).get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain('演示数据，保存在内存中');

    // The demo log-ins printed at start work (outside production).
    const agent = request.agent(url);
    const form = await agent.get('/login');
    const signIn = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(form.text),
        email: 'psz@lighthouse.example',
        password: 'lighthouse-demo-2026',
      });
    expect(signIn.status).to.equal(303);
    expect((await agent.get('/me')).text).to.contain('坪山之眼');

    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode).to.equal(0);
    expect(result.stdout).to.contain('INFO: stopped');
  });
});
