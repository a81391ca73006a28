// What the puller does with one account's outcome: a figure goes to the registry (latest figure,
// snapshot, anomaly flag), anything else is recorded as the account's last try; a bio shown by the
// platform is checked for a pending account's ownership code.
import type { Types } from 'mongoose';
import { recordPullAttempt, recordPulledFigure, verifyOwnershipFromBio } from '../registry/pulledFigures.js';
import type { PullOutcome } from './outcomes.js';
import type { PlatformClient } from './platformClient.js';

export interface DueAccount {
  _id: Types.ObjectId;
  creator: Types.ObjectId;
  platform: string;
  platformId: string;
  ownership?: { state?: string | null } | null;
}

/** Stores the outcome of one pull; "skipped" (paused, breaker open, stopped) leaves the account due. */
export async function storeOutcome(
  account: DueAccount,
  outcome: PullOutcome,
  at = new Date(),
): Promise<void> {
  if (outcome.kind === 'skipped') return;
  if (outcome.kind === 'figure') {
    const { followers, precision, raw, source } = outcome.figure;
    await recordPulledFigure(account, { followers, precision, raw, source }, at);
  } else {
    await recordPullAttempt(account._id, { kind: outcome.kind, detail: outcome.detail }, at);
  }
  const bio = 'profile' in outcome ? outcome.profile?.bio : undefined;
  if (bio && account.ownership?.state === 'pending') await verifyOwnershipFromBio(account, bio);
}

/**
 * The automatic ownership check of one pending account: the bio from the platform (through the
 * client, with its politeness); true when the account was verified.
 */
export async function checkOwnership(client: PlatformClient, account: DueAccount): Promise<boolean> {
  if (!client.readsBio) return false;
  const outcome = await client.readProfile(account.platformId);
  const bio = outcome.kind === 'figure' || outcome.kind === 'hidden' ? outcome.profile?.bio : undefined;
  return verifyOwnershipFromBio(account, bio);
}
