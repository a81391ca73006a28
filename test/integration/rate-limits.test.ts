// Per-IP rate limits live in MongoDB, so every app instance on one database shares them: two
// portals on one database, one limit across both. Registrations are limited per hour.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { resetDatabase } from '../support/database.js';
import { type TestApp, page, postForm, startTestApp } from '../support/app.js';

describe('rate limits shared by several app instances', function () {
  let first: TestApp;
  let second: TestApp;

  before(async function () {
    const env = { AUTH_RATE_LIMIT: '3', REGISTER_RATE_LIMIT: '2', DEFAULT_LANGUAGE: 'en' };
    first = await startTestApp(env);
    second = await startTestApp(env, first.db);
  });
  after(async function () {
    await second?.stop();
    await first?.stop();
  });
  beforeEach(resetDatabase);

  it('counts refused sign-ins from one address across both instances', async function () {
    expect(first.url).not.to.equal(second.url);
    const wrong = (portal: TestApp, n: number) =>
      postForm(portal.agent(), '/login', { email: `nobody${n}@example.org`, password: 'wrong-password-1' });
    expect((await wrong(first, 1)).status).to.equal(401);
    expect((await wrong(second, 2)).status).to.equal(401);
    expect((await wrong(first, 3)).status).to.equal(401);
    // The fourth refusal from this address, whichever instance it reaches, is one too many.
    const limited = await wrong(second, 4);
    expect(limited.status).to.equal(429);
    expect(page(limited)('h1').text()).to.contain('Too many');
    expect((await wrong(first, 5)).status).to.equal(429);
    const counters = await mongoose.connection.db!.collection('rate_limits').find().toArray();
    expect(counters.map((counter) => counter._id)).to.deep.equal(['login:127.0.0.1']);
  });

  it('limits registrations per address per hour, successful ones included', async function () {
    const register = (portal: TestApp, n: number) =>
      postForm(portal.agent(), '/register', {
        email: `writer${n}@example.org`,
        displayName: `Writer ${n}`,
        password: 'harbour-lantern-violet-42',
        privacy: 'yes',
      });
    expect((await register(first, 1)).status).to.equal(303);
    expect((await register(second, 2)).status).to.equal(303);
    const third = await register(first, 3);
    expect(third.status).to.equal(429);
    expect(await mongoose.connection.db!.collection('users').countDocuments()).to.equal(2);
  });
});
