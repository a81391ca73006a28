// Street scope: a street officer reviews the creators of their street; district officers and
// admins review everyone. Applied to queries (queue) and to single records (loaders).
import type { Types } from 'mongoose';
import { CreatorModel } from '../registry/creator.model.js';
import { districtScope, type SessionUser, type Street } from '../users/model.js';

type Reviewer = Pick<SessionUser, 'role' | 'streetScope'>;

/** The street an officer is limited to, or undefined when they see the whole district. */
export function streetOf(reviewer: Reviewer): Street | undefined {
  if (reviewer.role === 'admin') return undefined;
  return reviewer.streetScope && reviewer.streetScope !== districtScope ? reviewer.streetScope : undefined;
}

export function creatorInScope(reviewer: Reviewer, creator: { street?: string | null }): boolean {
  const street = streetOf(reviewer);
  return street === undefined || creator.street === street;
}

/** A filter on `creator` limiting memberships to the reviewer's street (empty for the district). */
export async function creatorScopeFilter(
  reviewer: Reviewer,
): Promise<{ creator?: { $in: Types.ObjectId[] } }> {
  const street = streetOf(reviewer);
  if (street === undefined) return {};
  const ids = await CreatorModel.find({ street: { $eq: street } }).distinct('_id');
  return { creator: { $in: ids } };
}
