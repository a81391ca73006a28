// The public directory's demo states beyond the alliance's own: a member who was approved and then
// withdrew consent to be listed (hidden from the directory, the API and the CSV, like the
// suspended 石井跑团 the alliance demo seeds). Idempotent: a creator that already has a
// membership is left as it is.
import { AccountModel } from '../../src/features/registry/account.model.js';
import { ensureCreatorOfUser, updateProfile } from '../../src/features/registry/creatorService.js';
import {
  applyForMembership,
  approveApplication,
  findMembershipOfCreator,
} from '../../src/features/alliance/membershipService.js';
import { createUser, findUserByEmail } from '../../src/features/users/service.js';
import { demoPassword } from '../district.js';

const unlisted = {
  email: 'pingshan.reading@lighthouse.example',
  displayName: '坪山夜读',
  motivation: '推荐坪山图书馆的新书和读书会。',
};

/** Seeds the unlisted member; returns whether it was created now. */
export async function seedDirectoryDemo(): Promise<boolean> {
  const officer = await findUserByEmail('office@lighthouse.example');
  if (!officer) return false;
  const user =
    (await findUserByEmail(unlisted.email)) ??
    (await createUser({
      email: unlisted.email,
      displayName: unlisted.displayName,
      password: demoPassword,
      role: 'creator',
      privacyAccepted: true,
      demo: true,
      emailVerified: true,
    }));
  let creator = await ensureCreatorOfUser({ id: user.id, displayName: user.displayName });
  if (await findMembershipOfCreator(creator._id)) return false;
  creator = await updateProfile(creator, {
    displayName: unlisted.displayName,
    kind: 'organisation',
    street: 'maluan',
    categories: ['culture_tourism', 'education'],
    bio: unlisted.motivation,
    phone: '139 0000 0010',
    wechat: 'ps_reading',
    slug: creator.slug,
    listed: true,
  });
  if (!(await AccountModel.exists({ creator: creator._id, 'ownership.state': 'verified' })))
    await AccountModel.create({
      creator: creator._id,
      platform: 'weibo',
      platformId: '6543210010',
      displayName: unlisted.displayName,
      url: 'https://weibo.com/u/6543210010',
      ownership: { state: 'verified', code: 'LH-DEMO2', decidedAt: new Date() },
    });
  const actor = { id: user.id, email: user.email, displayName: user.displayName };
  const membership = await applyForMembership(actor, creator._id, {
    motivation: unlisted.motivation,
    activities: ['good_stories'],
  });
  await approveApplication({ id: officer.id, email: officer.email }, membership);
  // Then the member chose, in their profile, not to be listed publicly.
  await updateProfile(creator, {
    displayName: creator.displayName,
    kind: 'organisation',
    street: 'maluan',
    categories: ['culture_tourism', 'education'],
    bio: creator.bio,
    phone: creator.contact?.phone ?? '',
    wechat: creator.contact?.wechat ?? '',
    slug: creator.slug,
    listed: false,
  });
  return true;
}
