// Tells a creator about something that happened to their registry entries: a notice kept on the
// creator for their dashboard, and the person's notification (in-app, and a mail if they allow
// it) through the notifications feature. Unclaimed (imported) creators have no person to tell.
// New items in the office's review queues are told to the officers who review them.
import type { Types } from 'mongoose';
import type { NotificationKind, NotificationTarget } from '../notifications/catalogue.js';
import { notify as notifyPerson, notifyOfficers } from '../notifications/service.js';
import type { AccountDocument } from './account.model.js';
import type { ConflictDocument } from './conflict.model.js';
import { CreatorModel, type NoticeKind } from './creator.model.js';

/** How many notices a dashboard keeps (the newest). */
const keptNotices = 20;

/** The notification kind of a notice. */
function notificationKind(kind: NoticeKind, params: Record<string, string>): NotificationKind {
  switch (kind) {
    case 'ownership_decided':
      return params.state === 'verified' ? 'ownership.verified' : 'ownership.rejected';
    case 'figure_decided':
      return params.outcome === 'approve' ? 'figure.confirmed' : 'figure.rejected';
    case 'conflict_opened':
      return 'conflict.opened';
    case 'conflict_decided':
      return 'conflict.resolved';
  }
}

export async function notify(
  creatorId: Types.ObjectId,
  kind: NoticeKind,
  params: Record<string, string>,
  accountId: Types.ObjectId,
  /** The decision, unique per creator (e.g. `ownership:<account>:<decided at>`): told once. */
  decision: string,
): Promise<void> {
  // The notice is keyed by its decision, and pushed only if the creator has none with that key:
  // a decision retried (or told twice) leaves one notice on the dashboard.
  const pushed = await CreatorModel.findOneAndUpdate(
    { _id: creatorId, 'notices.key': { $ne: decision } },
    {
      $push: {
        notices: { $each: [{ kind, params, key: decision, at: new Date() }], $slice: -keptNotices },
      },
    },
    { projection: { user: 1 } },
  );
  const creator = pushed ?? (await CreatorModel.findById(creatorId, { user: 1 }));
  const notification = notificationKind(kind, params);
  if (!creator?.user) return;
  // notify() is idempotent per person and decision too: a retry finishes what a first call began.
  await notifyPerson(
    String(creator.user),
    notification,
    { type: 'account', id: String(accountId) },
    {
      account: params.platformId ?? '',
      platform: params.platform ?? '',
      reason: params.reason ?? '',
      ...(params.outcome ? { outcome: params.outcome } : {}),
    },
    decision,
  );
}

/** The registry's queues: which officers' queue a new item lands in, and what it says. */
const queueKinds = {
  ownership: 'queue.ownership',
  figure: 'queue.figure',
  conflict: 'queue.conflict',
} as const satisfies Record<string, NotificationKind>;

/**
 * A new item in an office queue (an ownership check, a manual figure, a conflict): an in-app
 * notification for every officer whose queue shows it (the streets of the creators involved,
 * the district's officers and admins), mailed only in their daily digest.
 */
async function notifyQueue(
  queue: keyof typeof queueKinds,
  creatorIds: Types.ObjectId[],
  account: Pick<AccountDocument, 'platform' | 'platformId'>,
  target: NotificationTarget,
  /** The item, unique per officer (e.g. `queue:ownership:<account>:<requested at>`). */
  key: string,
): Promise<void> {
  const creators = await CreatorModel.find(
    { _id: { $in: creatorIds } },
    { displayName: 1, street: 1 },
  ).lean();
  if (creators.length === 0) return;
  await notifyOfficers(
    creators.map((creator) => creator.street),
    queueKinds[queue],
    target,
    { name: creators[0]?.displayName ?? '', account: account.platformId, platform: account.platform },
    key,
  );
}

type QueuedAccount = Pick<AccountDocument, 'id' | 'creator' | 'platform' | 'platformId'>;

/** One account's item in the ownership or figures queue, unique per `item` (a time, a file). */
function notifyAccountQueued(
  queue: 'ownership' | 'figure',
  account: QueuedAccount,
  item: string,
): Promise<void> {
  return notifyQueue(
    queue,
    [account.creator],
    account,
    { type: 'account', id: account.id },
    `queue:${queue}:${account.id}:${item}`,
  );
}

/** An ownership check asked for at `requestedAt` (one queue item per request). */
export function notifyOwnershipQueued(account: QueuedAccount, requestedAt: Date): Promise<void> {
  return notifyAccountQueued('ownership', account, requestedAt.toISOString());
}

/** New proof (an evidence file) for a check already waiting: the reviewers see it again. */
export function notifyOwnershipEvidence(account: QueuedAccount, file: Types.ObjectId): Promise<void> {
  return notifyAccountQueued('ownership', account, `evidence:${file.toHexString()}`);
}

/** A manual figure entered at `asOf`, waiting for an officer's confirmation. */
export function notifyFigureQueued(account: QueuedAccount, asOf: Date): Promise<void> {
  return notifyAccountQueued('figure', account, asOf.toISOString());
}

/** A conflict opened between the account's holder and a claimant (the key its notices use). */
export function notifyConflictQueued(
  conflict: Pick<ConflictDocument, 'id' | 'holder' | 'claimant' | 'platform' | 'platformId'>,
): Promise<void> {
  return notifyQueue(
    'conflict',
    [conflict.holder, conflict.claimant],
    conflict,
    { type: 'conflict', id: conflict.id },
    `conflict:${conflict.id}:opened`,
  );
}
