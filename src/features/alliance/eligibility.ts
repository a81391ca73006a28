// Who may apply: a creator whose profile is complete (what officers need to review and reach
// them), who owns at least one verified account and whose email is verified (so that anyone
// cannot apply under someone else's address). Read from the registry's and the users' models.
import { AccountModel } from '../registry/account.model.js';
import type { CreatorDocument } from '../registry/creator.model.js';
import { UserModel, isEmailVerified } from '../users/model.js';

/** What is still missing, as keys under `alliance.eligibility.` (empty: may apply). */
export async function missingForApplication(creator: CreatorDocument): Promise<string[]> {
  const missing: string[] = [];
  // The avatar is not required: a creator without a photo can still be reviewed.
  if (!creator.street) missing.push('street');
  if (creator.categories.length === 0) missing.push('categories');
  if (!creator.bio) missing.push('bio');
  if (!creator.contact?.phone && !creator.contact?.wechat) missing.push('contact');
  if (!(await AccountModel.exists({ creator: creator._id, 'ownership.state': 'verified' })))
    missing.push('verifiedAccount');
  const user = creator.user ? await UserModel.findById(creator.user, { emailVerifiedAt: 1 }).lean() : null;
  if (!user || !isEmailVerified(user)) missing.push('verifiedEmail');
  return missing;
}
