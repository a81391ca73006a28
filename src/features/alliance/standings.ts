// Members' standings for the office's pages: the current pledge read once and every member's
// signature of it in one query, then standingOf() (standing.ts) for each membership.
import type { Types } from 'mongoose';
import type { MembershipDocument } from './membership.model.js';
import { currentPledge } from './pledgeService.js';
import { PledgeSignatureModel } from './signature.model.js';
import { type Standing, pledgeDue, standingOf } from './standing.js';

/** The standing of each membership (by id); none for applications and former members. */
export async function standingsOf(
  memberships: Pick<MembershipDocument, 'id' | 'creator' | 'status' | 'renewalDate'>[],
  now = new Date(),
): Promise<Map<string, Standing>> {
  const pledge = await currentPledge(now);
  const members = memberships.filter((membership) => membership.status === 'approved');
  const signed = new Set<string>();
  if (pledge && members.length) {
    const creators: Types.ObjectId[] = members.map((membership) => membership.creator);
    const signatures = await PledgeSignatureModel.find(
      { version: pledge.version, creator: { $in: creators } },
      { creator: 1 },
    ).lean();
    for (const signature of signatures) signed.add(String(signature.creator));
  }
  const result = new Map<string, Standing>();
  for (const membership of memberships) {
    const due =
      membership.status === 'approved'
        ? pledgeDue(pledge, signed.has(String(membership.creator)), now)
        : undefined;
    const standing = standingOf(membership, due, now);
    if (standing) result.set(membership.id, standing);
  }
  return result;
}
