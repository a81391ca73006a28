// What the stats puller hands the registry: a pulled figure (the account's latest figure and an
// idempotent snapshot per account, source and day), the outcome of every try (last tried, last
// error, failures in a row), a "refresh now" request, and an ownership code found in the public
// bio. The registry owns the accounts, so the puller writes them only through these functions.
import type { Types } from 'mongoose';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { figureAnomaly, type FigureAnomaly } from '../stats/anomaly.js';
import { AccountModel } from './account.model.js';
import { CreatorModel } from './creator.model.js';
import { notify } from './notify.js';
import { bioContainsCode } from './ownership.js';
import { appendSnapshot } from './snapshots.js';

export interface PulledAccount {
  _id: Types.ObjectId;
  creator: Types.ObjectId;
  platform: string;
  platformId: string;
}

export interface PulledFigure {
  followers: number;
  precision: 'exact' | 'rounded' | 'abbreviated';
  raw: string;
  source: 'official_api' | 'public_web';
}

/** What one try came to, for the account's bookkeeping. */
export interface PullAttempt {
  kind: string;
  detail?: string;
}

const failureKinds = new Set(['transient', 'blocked', 'not_found']);

/**
 * Stores a pulled figure: the account's latest figure (with the anomaly flag when the count fell
 * to zero or moved a hundredfold since the last one) and the day's snapshot. Returns the anomaly.
 * An account removed meanwhile gets nothing.
 */
export async function recordPulledFigure(
  account: PulledAccount,
  figure: PulledFigure,
  at = new Date(),
): Promise<{ stored: boolean; anomaly?: FigureAnomaly }> {
  const current = await AccountModel.findById(account._id, { figure: 1, creator: 1 }).lean();
  if (!current) return { stored: false };
  const anomaly = figureAnomaly(current.figure?.followers, figure.followers);
  // The snapshot first, then the account: a process killed between the two leaves the account
  // due, and the next try replaces the same snapshot (unique per account, source and day).
  const creator = await CreatorModel.findById(current.creator, { street: 1 }).lean();
  await appendSnapshot({
    account: { _id: account._id, creator: current.creator, platform: account.platform },
    street: creator?.street ?? undefined,
    at,
    ...figure,
    anomaly,
  });
  const { matchedCount } = await AccountModel.updateOne(
    { _id: account._id },
    {
      $set: {
        figure: { ...figure, asOf: at, ...(anomaly ? { anomaly } : {}) },
        'pull.lastTriedAt': at,
        'pull.lastSuccessAt': at,
        'pull.lastOutcome': 'figure',
        'pull.failures': 0,
      },
      $unset: { 'pull.lastError': '', 'pull.lastErrorAt': '' },
    },
  );
  if (matchedCount !== 1) return { stored: false };
  // the pool's rows and facets read the creator's summary (followers, sources, as-of)
  await refreshCreatorSearch(current.creator);
  return { stored: true, ...(anomaly ? { anomaly } : {}) };
}

/** Records a try that brought no figure: when, what it came to, and failures in a row. */
export async function recordPullAttempt(
  accountId: Types.ObjectId,
  attempt: PullAttempt,
  at = new Date(),
): Promise<void> {
  const failed = failureKinds.has(attempt.kind);
  await AccountModel.updateOne(
    { _id: accountId },
    {
      $set: {
        'pull.lastTriedAt': at,
        'pull.lastOutcome': attempt.kind,
        ...(failed
          ? {
              'pull.lastError': `${attempt.kind}: ${attempt.detail ?? ''}`.slice(0, 500),
              'pull.lastErrorAt': at,
            }
          : {}),
      },
      ...(failed ? { $inc: { 'pull.failures': 1 } } : {}),
    },
  );
}

/**
 * Takes the hourly "refresh now" slot of an account: false when it was taken less than `minGapMs`
 * ago (one guarded update, so two clicks at once give one refresh).
 */
export async function claimRefreshSlot(accountId: Types.ObjectId, minGapMs: number): Promise<boolean> {
  const now = new Date();
  const { modifiedCount } = await AccountModel.updateOne(
    {
      _id: accountId,
      $or: [
        { 'pull.refreshRequestedAt': { $exists: false } },
        { 'pull.refreshRequestedAt': { $lte: new Date(now.getTime() - minGapMs) } },
      ],
    },
    { $set: { 'pull.refreshRequestedAt': now } },
  );
  return modifiedCount === 1;
}

/**
 * The automatic ownership check: a pending account whose public bio shows its code becomes
 * verified ("decided by: automatic check"), and its creator is told. A bio without the code
 * changes nothing (an officer still decides). True when the account was verified now.
 */
export async function verifyOwnershipFromBio(
  account: PulledAccount,
  bio: string | undefined,
): Promise<boolean> {
  const current = await AccountModel.findById(account._id, { ownership: 1 }).lean();
  if (current?.ownership.state !== 'pending' || !bioContainsCode(bio, current.ownership.code)) return false;
  const at = new Date();
  const { modifiedCount } = await AccountModel.updateOne(
    { _id: account._id, 'ownership.state': 'pending', 'ownership.code': current.ownership.code },
    {
      $set: { 'ownership.state': 'verified', 'ownership.decidedAt': at, 'ownership.reason': '' },
      $unset: { 'ownership.decidedBy': '' },
      $push: { 'ownership.history': { state: 'verified', at, automatic: true } },
    },
  );
  if (modifiedCount !== 1) return false;
  await notify(
    account.creator,
    'ownership_decided',
    { platform: account.platform, platformId: account.platformId, reason: '', state: 'verified' },
    account._id,
    `ownership:${String(account._id)}:${at.toISOString()}`,
  );
  return true;
}
