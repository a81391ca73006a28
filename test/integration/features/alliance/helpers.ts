// Test glue for the alliance: eligible creators (complete profile, one verified account), officers,
// and shortcuts to the states a test starts from. Registry records are written through the
// registry's services where they exist; the verified ownership is set on the model directly
// because the registry's officer review (its service) is not on this branch yet.
import type { Types } from 'mongoose';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import type { CreatorDocument } from '../../../../src/features/registry/creator.model.js';
import { ensureCreatorOfUser, updateProfile } from '../../../../src/features/registry/creatorService.js';
import type { Street } from '../../../../src/features/registry/catalogue.js';
import type { StreetScope } from '../../../../src/features/users/model.js';
import { type Agent, type TestApp, createTestUser, signIn } from '../../../support/app.js';

export interface TestCreator {
  creator: CreatorDocument;
  userId: string;
  email: string;
  agent: Agent;
}

let accountSeq = 0;

/** A creator user whose profile is complete, email verified, who owns one verified account, signed in. */
export async function eligibleCreator(
  portal: TestApp,
  name: string,
  street: Street = 'pingshan',
  options: { listed?: boolean; verified?: boolean; emailVerified?: boolean } = {},
): Promise<TestCreator> {
  const seq = (accountSeq += 1);
  const email = `${name.toLowerCase().replace(/[^a-z0-9]/g, '') || 'creator'}${seq}@example.org`;
  const user = await createTestUser({ email, displayName: name, emailVerified: options.emailVerified });
  const created = await ensureCreatorOfUser({ id: user.id, displayName: user.displayName });
  const creator = await updateProfile(created, {
    displayName: name,
    kind: 'person',
    street,
    categories: ['news'],
    bio: `${name} tells the district's stories.`,
    phone: '+86 139 0000 0000',
    wechat: '',
    slug: created.slug,
    listed: options.listed ?? true,
  });
  await AccountModel.create({
    creator: creator._id,
    platform: 'bilibili',
    platformId: String(100000 + seq),
    ownership: { state: options.verified === false ? 'unverified' : 'verified', code: 'LH-ABCDE' },
  });
  const agent = portal.agent();
  await signIn(agent, email);
  return { creator, userId: user.id, email, agent };
}

export async function signedInOfficer(
  portal: TestApp,
  email: string,
  streetScope: StreetScope,
  role: 'officer' | 'admin' = 'officer',
): Promise<Agent> {
  await createTestUser({ email, role, streetScope, displayName: email.split('@')[0] });
  const agent = portal.agent();
  await signIn(agent, email);
  return agent;
}

export const application = { motivation: '我想讲好坪山故事。', activities: 'good_stories' };

export type Id = Types.ObjectId;
