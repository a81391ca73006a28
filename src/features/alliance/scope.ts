// Street scope (the rule itself: users/scope.ts): a street officer reviews the creators of their
// street; district officers and admins review everyone. Applied to queries (queue) and to single
// records (loaders).
import type { Types } from 'mongoose';
import { CreatorModel } from '../registry/creator.model.js';
import type { SessionUser } from '../users/model.js';
import { coversStreet, streetFilter } from '../users/scope.js';

type Reviewer = Pick<SessionUser, 'role' | 'streetScope'>;

export function creatorInScope(reviewer: Reviewer, creator: { street?: string | null }): boolean {
  return coversStreet(reviewer, creator.street);
}

/** A filter on `creator` limiting memberships to the reviewer's street (empty for the district). */
export async function creatorScopeFilter(
  reviewer: Reviewer,
): Promise<{ creator?: { $in: Types.ObjectId[] } }> {
  const scope = streetFilter(reviewer);
  if (Object.keys(scope).length === 0) return {};
  const ids = await CreatorModel.find(scope).distinct('_id');
  return { creator: { $in: ids } };
}
