// The portal over real HTTP against a database lane of its own, built the way src/server.ts builds
// it, for integration tests:
//
//   const portal = await startTestApp();              // before()
//   const agent = portal.agent();                     // keeps cookies, like a browser
//   await createTestUser({ role: 'admin', email: 'a@example.org' });
//   await signIn(agent, 'a@example.org', testPassword);
//   const res = await postForm(agent, '/account/password', { current: …, … });
//   await portal.stop();                              // after()
//
// mongoose's default connection is process-wide, so one test app at a time (one per test file).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoStore } from 'connect-mongo';
import type { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createUser } from '../../src/features/auth/service.js';
import type { Role, StreetScope, UserDocument } from '../../src/features/users/model.js';
import { sessionCookieName } from '../../src/http/session.js';
import { createI18n } from '../../src/i18n/index.js';
import { createLogger } from '../../src/logger.js';
import { type TestDatabase, startTestDatabase } from './database.js';
import { ensureIndexes } from '../../src/db/connection.js';

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

/** A password that passes the registration rules; createTestUser uses it unless told otherwise. */
export const testPassword = 'lighthouse-test-2026';

/**
 * Starts a fresh database lane (offline unless MONGODB_URI / MONGO_LANE say otherwise), connects
 * mongoose, builds the app and listens on a loopback port. `env` overrides settings, e.g.
 * `{ LOGIN_MAX_FAILURES: '3', AUTH_RATE_LIMIT: '1000', DEFAULT_LANGUAGE: 'en' }`.
 */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const db = await startTestDatabase();
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    SESSION_SECRET: 'x'.repeat(32),
    MONGO_LANE: db.lane,
    MONGO_DB_NAME: db.dbName,
    // Tests sign in many times from one address; tests of the limit itself set it lower.
    AUTH_RATE_LIMIT: '1000',
    ...env,
  });
  await mongoose.connect(db.uri, { dbName: db.dbName, serverSelectionTimeoutMS: 10_000 });
  await ensureIndexes();
  const sessionStore = MongoStore.create({
    client: mongoose.connection.getClient(),
    dbName: db.dbName,
    collectionName: 'sessions',
  });
  const app = createApp({
    config,
    logger: createLogger(config),
    sessionStore,
    i18n: await createI18n(config.defaultLanguage),
    lane: { lane: db.lane, inMemory: db.inMemory },
    isDatabaseReady: () =>
      Promise.resolve(mongoose.connection.readyState === mongoose.ConnectionStates.connected),
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    app,
    config,
    db,
    url: `http://127.0.0.1:${port}`,
    agent: () => request.agent(server),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await mongoose.disconnect();
      await db.stop();
    },
  };
}

/** The CSRF token of the first form on a page (`<input name="_csrf" value="…">`). */
export function csrfFrom(html: string): string {
  const match = /name="_csrf"\s+value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no _csrf field on this page');
  return match[1];
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
  const page = await agent.get(formPath);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), ...fields });
}

/** Signs the agent in through the login form; a success answers 303 (the caller checks). */
export function signIn(agent: Agent, email: string, password: string = testPassword): Promise<Response> {
  return postForm(agent, '/login', { email, password });
}

/** Stores a user directly through the accounts service (argon2id hash), password `testPassword` by default. */
export function createTestUser(input: {
  email: string;
  role?: Role;
  password?: string;
  displayName?: string;
  streetScope?: StreetScope;
}): Promise<UserDocument> {
  return createUser({
    email: input.email,
    password: input.password ?? testPassword,
    displayName: input.displayName ?? input.email.split('@')[0] ?? 'Test',
    role: input.role ?? 'creator',
    streetScope: input.role === 'officer' ? (input.streetScope ?? 'district') : undefined,
    privacyAccepted: true,
  });
}

/** The session id a response sets in its cookie, if it sets one. */
export function sessionIdOf(res: Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find((line) => line.startsWith(`${sessionCookieName}=`));
  return cookie?.split(';')[0]?.split('=')[1];
}
