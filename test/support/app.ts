// The portal over real HTTP against a database of its own, built by the same startPortal() as
// src/server.ts, for integration tests:
//
//   const portal = await startTestApp();              // before()
//   afterEach(resetDatabase) or beforeEach(resetDatabase)   // from ./database.js
//   const agent = portal.agent();                     // keeps cookies, like a browser
//   await createTestUser({ role: 'admin', email: 'a@example.org' });
//   await signIn(agent, 'a@example.org', testPassword);
//   const res = await postForm(agent, '/account/password', { current: …, … });
//   expect(page(res).find('h1').text()).to.equal('…');   // from ./html.js
//   await portal.stop();                              // after()
//
// mongoose's default connection is process-wide, so one test app at a time (one per test file).
import type { Express } from 'express';
import request from 'supertest';
import { type Config, loadConfig } from '../../src/config.js';
import type { Role, StreetScope, UserDocument } from '../../src/features/users/model.js';
import { createUser } from '../../src/features/users/service.js';
import { sessionCookieName } from '../../src/http/session.js';
import { type Portal, startPortal } from '../../src/portal.js';
import { type TestDatabase, startTestDatabase } from './database.js';
import { csrfFrom } from './html.js';

export { csrfFrom, page } from './html.js';

export type Agent = request.Agent;
export type Response = request.Response;

export interface TestApp {
  app: Express;
  config: Config;
  db: TestDatabase;
  /** The portal's base URL on loopback, e.g. for a browser (no trailing slash). */
  url: string;
  /** A new client with its own cookie jar (one per simulated person). */
  agent(): Agent;
  /** Closes the server, disconnects mongoose and drops the test database. */
  stop(): Promise<void>;
}

/** What production needs besides a secret: mail (verification, reset and notifications are always on). */
export const productionMailEnv = {
  SMTP_URL: 'smtp://127.0.0.1:2525',
  MAIL_FROM: 'Lighthouse <no-reply@example.org>',
  PUBLIC_URL: 'https://lighthouse.example.org',
};

/** A password that passes the registration rules; createTestUser uses it unless told otherwise. */
export const testPassword = 'lighthouse-test-2026';

/** The environment a test portal runs with, before the test's own overrides. */
export function testEnv(db: TestDatabase, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    SESSION_SECRET: 'x'.repeat(32),
    MONGO_LANE: db.lane,
    MONGO_DB_NAME: db.dbName,
    HOST: '127.0.0.1',
    PORT: '0',
    SEED_DEMO: '0',
    // Tests sign in and register many times from one address; tests of the limits set them lower.
    AUTH_RATE_LIMIT: '1000',
    REGISTER_RATE_LIMIT: '1000',
    // The recurring stats pull would write to accounts in the background of unrelated tests; the
    // puller's own tests turn it on.
    PULLER_ENABLED: '0',
    ...env,
  };
}

/**
 * Starts a fresh database (offline lane unless MONGODB_URI / MONGO_LANE say otherwise) and the
 * portal on it, listening on a loopback port. `env` overrides settings, e.g.
 * `{ LOGIN_MAX_FAILURES: '3', AUTH_RATE_LIMIT: '5', DEFAULT_LANGUAGE: 'en' }`.
 * `db` shares another portal's database (the second instance in multi-instance tests).
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, shared?: TestDatabase): Promise<TestApp> {
  const db = shared ?? (await startTestDatabase());
  const config = loadConfig(testEnv(db, env));
  const portal: Portal = await startPortal({ config, lane: db });
  return {
    app: portal.app,
    config,
    db,
    url: portal.url,
    agent: () => request.agent(portal.server),
    stop: async () => {
      portal.server.closeAllConnections();
      await portal.stop();
      if (!shared) await db.stop();
    },
  };
}

/**
 * Opens the page with the form (GET `formPath`), takes its CSRF token, and posts `fields` to
 * `action` (default: the same path), as a browser would. Redirects are not followed.
 */
export async function postForm(
  agent: Agent,
  formPath: string,
  fields: Record<string, string>,
  action = formPath,
): Promise<Response> {
  const form = await agent.get(formPath);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
}

/** Signs the agent in through the login form; a success answers 303 (the caller checks). */
export function signIn(agent: Agent, email: string, password: string = testPassword): Promise<Response> {
  return postForm(agent, '/login', { email, password });
}

/** Stores a user directly through the users service (argon2id hash), password `testPassword` by default. */
export function createTestUser(input: {
  email: string;
  role?: Role;
  password?: string;
  displayName?: string;
  streetScope?: StreetScope;
  demo?: boolean;
  /** Verified unless the test says otherwise (emailVerified: false). */
  emailVerified?: boolean;
}): Promise<UserDocument> {
  return createUser({
    email: input.email,
    password: input.password ?? testPassword,
    displayName: input.displayName ?? input.email.split('@')[0] ?? 'Test',
    role: input.role ?? 'creator',
    streetScope: input.role === 'officer' ? (input.streetScope ?? 'district') : undefined,
    privacyAccepted: true,
    demo: input.demo,
    emailVerified: input.emailVerified ?? true,
  });
}

/** The session id a response sets in its cookie, if it sets one. */
export function sessionIdOf(res: Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((line) => line.startsWith(`${sessionCookieName}=`));
  return cookie?.split(';')[0]?.split('=')[1];
}
