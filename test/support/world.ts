// A small district with one of everything, for the cross-cutting quality suites (authorization
// matrix, bad-input corpus): six actors signed in, each with a CSRF token, and named ids to fill
// route parameters. Everything is written through the features' services (the alliance's test
// glue sets a verified ownership on the model, as seeds/builders/alliance.ts does).
//
//   creator A  street X (pingshan): verified account, pending application, avatar, notifications
//   creator B  street Y (kengzi):   verified account, approved member who signed pledge v1, and a
//                                   claim on A's account (an open conflict between A and B)
//   officer X  scope pingshan · officer Y  scope kengzi · admin
//
//   const world = await buildWorld(portal);
//   const snapshot = await world.snapshot();   // every collection's documents
//   await world.restore(snapshot);             // back to that state (sessions too: still signed in)
import { EJSON } from 'bson';
import mongoose from 'mongoose';
import sharp from 'sharp';
import request from 'supertest';
import { applyForMembership, approveApplication } from '../../src/features/alliance/membershipService.js';
import { publishPledge, signPledge } from '../../src/features/alliance/pledgeService.js';
import { MailModel } from '../../src/features/mail/model.js';
import { NotificationModel } from '../../src/features/notifications/model.js';
import { notify } from '../../src/features/notifications/service.js';
import { AccountModel } from '../../src/features/registry/account.model.js';
import { addAccount } from '../../src/features/registry/accountService.js';
import type { Street } from '../../src/features/registry/catalogue.js';
import { ConflictModel } from '../../src/features/registry/conflict.model.js';
import { CreatorModel, type CreatorDocument } from '../../src/features/registry/creator.model.js';
import { ensureCreatorOfUser, updateProfile } from '../../src/features/registry/creatorService.js';
import type { UserDocument } from '../../src/features/users/model.js';
import { type Agent, type TestApp, createTestUser, csrfFrom, signIn } from './app.js';

export const actors = ['anonymous', 'creatorA', 'creatorB', 'officerX', 'officerY', 'admin'] as const;
export type Actor = (typeof actors)[number];

/** Names of the world's records, for route parameters (see `ids`). */
export type WorldId =
  | 'accountA'
  | 'accountB'
  | 'creatorA'
  | 'creatorB'
  | 'membershipA'
  | 'membershipB'
  | 'conflictAB'
  | 'avatarA'
  | 'notificationA'
  | 'notificationOfficerX'
  | 'officerX'
  | 'mail'
  | 'slugB'
  | 'pledgeVersion'
  | 'language'
  | 'token'
  | 'unknownId'
  | 'platform';

export const streetX: Street = 'pingshan';
export const streetY: Street = 'kengzi';

export type Snapshot = Map<string, unknown[]>;

export interface World {
  /** The signed-in clients (their cookie jars change with each answer: logout, language…). */
  agents: Record<Actor, Agent>;
  /** Each actor's cookies as they were when the world was built: `send()` uses these. */
  cookies: Record<Actor, string>;
  /**
   * A request as `actor`, with the cookies of the built world and no jar (so a sign-out or a
   * language switch does not carry over to the next request), redirects not followed.
   */
  send(actor: Actor, method: string, path: string): request.Test;
  /** A valid CSRF token for each actor's session (or the visitor cookie of the anonymous agent). */
  csrf: Record<Actor, string>;
  ids: Record<WorldId, string>;
  emails: Record<Exclude<Actor, 'anonymous'>, string>;
  snapshot(): Promise<Snapshot>;
  restore(snapshot: Snapshot, names?: string[]): Promise<void>;
  /**
   * Back to `base`, rewriting only the collections that differ from it (sessions included);
   * `current` saves reading the database again when the caller has just taken a snapshot.
   */
  reset(base: Snapshot, current?: Snapshot): Promise<void>;
  /** Waits for the background mail delivery to finish (before taking a base snapshot). */
  settle(): Promise<void>;
}

async function creatorOn(user: UserDocument, street: Street, platformId: string): Promise<CreatorDocument> {
  const created = await ensureCreatorOfUser({ id: user.id, displayName: user.displayName });
  const creator = await updateProfile(created, {
    displayName: user.displayName,
    kind: 'person',
    street,
    categories: ['news'],
    bio: `${user.displayName} tells the district's stories.`,
    phone: '+86 139 0000 0000',
    wechat: '',
    slug: created.slug,
    listed: true,
  });
  await AccountModel.create({
    creator: creator._id,
    platform: 'bilibili',
    platformId,
    displayName: user.displayName,
    url: `https://space.bilibili.com/${platformId}`,
    ownership: { state: 'verified', code: 'LH-ABCDE' },
  });
  return creator;
}

/** The documents of every collection, in a form that compares with deep equality. */
async function snapshotAll(): Promise<Snapshot> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('mongoose is not connected');
  const collections = await db.collections();
  const contents = await Promise.all(
    collections.map((collection) => collection.find({}).sort({ _id: 1 }).toArray()),
  );
  return new Map(collections.map((collection, index) => [collection.collectionName, contents[index] ?? []]));
}

/** Puts back the snapshot's documents (only in `names` when given: the collections that changed). */
async function restoreAll(snapshot: Snapshot, names?: string[]): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('mongoose is not connected');
  for (const collection of await db.collections()) {
    const name = collection.collectionName;
    // the scheduler owns its jobs collection while it runs: leave it to it
    if (schedulerCollections.includes(name) || (names && !names.includes(name))) continue;
    await collection.deleteMany({});
    const docs = snapshot.get(name) as mongoose.mongo.Document[] | undefined;
    if (docs?.length) await collection.insertMany(docs.map((doc) => ({ ...doc })));
  }
}

/** Collections a request may touch without changing anything a person owns. */
export const bookkeepingCollections = ['sessions', 'rate_limits'];

/**
 * The scheduler's own collection (agenda's `jobs`) changes on its own while the portal runs; it
 * is never compared nor restored. Mails are delivered in the background by that scheduler, so
 * they compare by which mails exist (a refused request must not queue one), not by status.
 */
const schedulerCollections = ['jobs'];
function comparable(name: string, docs: unknown[]): unknown[] {
  if (name === 'mails') return (docs as { _id: unknown }[]).map((doc) => doc._id);
  return docs;
}

/** Which collections differ between two snapshots (bookkeeping ones left out). */
export function changedCollections(
  before: Snapshot,
  after: Snapshot,
  ignore = bookkeepingCollections,
): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const changed: string[] = [];
  for (const name of names) {
    if (schedulerCollections.includes(name) || ignore.includes(name)) continue;
    const a = EJSON.stringify(comparable(name, before.get(name) ?? []), { relaxed: false });
    const b = EJSON.stringify(comparable(name, after.get(name) ?? []), { relaxed: false });
    if (a !== b) changed.push(name);
  }
  return changed;
}

/** Waits until the mails queued so far are delivered (or failed), so that a snapshot stays still. */
async function settleMail(): Promise<void> {
  for (let tries = 0; tries < 100; tries += 1) {
    if ((await MailModel.countDocuments({ status: 'queued' })) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The cookies an agent would send to the portal (superagent keeps them in a cookiejar). */
function cookiesOf(agent: Agent, host: string): string {
  const jar = (agent as unknown as { jar: { getCookies(access: object): { toValueString(): string } } }).jar;
  return jar.getCookies({ domain: host, path: '/', secure: false, script: false }).toValueString();
}

async function tokenOf(agent: Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  return csrfFrom(res.text);
}

export async function buildWorld(portal: TestApp): Promise<World> {
  const emails = {
    creatorA: 'creator-a@example.org',
    creatorB: 'creator-b@example.org',
    officerX: 'officer-x@example.org',
    officerY: 'officer-y@example.org',
    admin: 'admin@example.org',
  };
  const admin = await createTestUser({ email: emails.admin, role: 'admin', displayName: 'Admin' });
  const officerX = await createTestUser({
    email: emails.officerX,
    role: 'officer',
    streetScope: streetX,
    displayName: 'Officer X',
  });
  await createTestUser({
    email: emails.officerY,
    role: 'officer',
    streetScope: streetY,
    displayName: 'Officer Y',
  });
  const userA = await createTestUser({ email: emails.creatorA, displayName: 'Creator A' });
  const userB = await createTestUser({ email: emails.creatorB, displayName: 'Creator B' });
  const creatorA = await creatorOn(userA, streetX, '4100001');
  const creatorB = await creatorOn(userB, streetY, '4100002');

  const pledge = await publishPledge(
    { id: admin.id, email: admin.email },
    {
      title: 'Pledge',
      body: 'I tell the truth.',
      graceDays: 30,
      effectiveAt: new Date(Date.now() - 86_400_000),
    },
  );
  const actorB = { id: userB.id, email: userB.email, displayName: userB.displayName };
  const application = { motivation: 'Stories of the district.', activities: ['good_stories' as const] };
  const membershipB = await approveApplication(
    { id: admin.id, email: admin.email },
    await applyForMembership(actorB, creatorB._id, application),
  );
  await signPledge(actorB, creatorB, membershipB, { version: pledge.version, typedName: userB.displayName });
  const membershipA = await applyForMembership(
    { id: userA.id, email: userA.email },
    creatorA._id,
    application,
  );
  const accountA = await AccountModel.findOne({ creator: creatorA._id }).orFail();
  const accountB = await AccountModel.findOne({ creator: creatorB._id }).orFail();
  // B claims A's account: an open conflict, and a notification for each side.
  await addAccount(creatorB, { platform: 'bilibili', platformId: accountA.platformId, displayName: '' });
  const conflict = await ConflictModel.findOne({ account: accountA._id }).orFail();

  const agents = Object.fromEntries(actors.map((actor) => [actor, portal.agent()])) as Record<Actor, Agent>;
  for (const actor of actors) {
    if (actor === 'anonymous') continue;
    const res = await signIn(agents[actor], emails[actor]);
    if (res.status !== 303) throw new Error(`sign-in of ${actor} answered ${res.status}`);
  }

  // A's avatar, uploaded through the form as a browser does.
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#2a6' } })
    .png()
    .toBuffer();
  const upload = await agents.creatorA
    .post('/me/profile/avatar')
    .field('_csrf', await tokenOf(agents.creatorA, '/me/profile'))
    .attach('avatar', png, 'avatar.png');
  if (upload.status !== 303) throw new Error(`avatar upload answered ${upload.status}`);
  const avatar = (await CreatorModel.findById(creatorA._id).orFail()).avatar;
  if (!avatar) throw new Error('no avatar stored');

  const notificationA = await NotificationModel.findOne({ person: userA._id }).orFail();
  // Officer X's own notification (an admin changed their scope, as /admin/officers does).
  const notificationOfficerX = await notify(
    officerX.id,
    'officer.scopeChanged',
    { type: 'user', id: officerX.id },
    { scope: streetX },
    `world.officer.scope:${streetX}`,
  );
  if (!notificationOfficerX) throw new Error('no notification for officer X');
  const mail = await MailModel.findOne({}).orFail();

  const csrf = {} as Record<Actor, string>;
  for (const actor of actors)
    csrf[actor] = await tokenOf(agents[actor], actor === 'anonymous' ? '/login' : '/');

  const cookies = {} as Record<Actor, string>;
  const host = new URL(portal.url).hostname;
  for (const actor of actors) cookies[actor] = cookiesOf(agents[actor], host);

  return {
    agents,
    cookies,
    send: (actor, method, path) => {
      const client = request(portal.url);
      const req = method === 'POST' ? client.post(path) : client.get(path);
      return req.set('Cookie', cookies[actor]).redirects(0);
    },
    csrf,
    emails,
    ids: {
      accountA: accountA.id,
      accountB: accountB.id,
      creatorA: creatorA.id,
      creatorB: creatorB.id,
      membershipA: membershipA.id,
      membershipB: membershipB.id,
      conflictAB: conflict.id,
      avatarA: avatar.toHexString(),
      notificationA: notificationA.id,
      notificationOfficerX: notificationOfficerX.id,
      officerX: officerX.id,
      mail: mail.id,
      slugB: creatorB.slug,
      pledgeVersion: String(pledge.version),
      language: 'en',
      token: 'not-a-real-token-0000000000000000',
      // an id nobody holds (an upload, a saved search): the answer for a record that is not yours
      unknownId: '0123456789abcdef01234567',
      platform: 'bilibili',
    },
    snapshot: snapshotAll,
    restore: restoreAll,
    settle: settleMail,
    reset: async (base, current) => {
      const changed = changedCollections(base, current ?? (await snapshotAll()), []);
      if (changed.length) await restoreAll(base, changed);
    },
  };
}
