// Who may apply: a creator whose profile is complete (what officers need to review and reach
// them) and who owns at least one verified account. Read from the registry's models.
import { AccountModel } from '../registry/account.model.js';
import type { CreatorDocument } from '../registry/creator.model.js';

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
  // The mail feature's isEmailVerified(user) joins this list (issue 13): unverified emails may not apply.
  return missing;
}
