// Loads the demo district into the connected database. Idempotent: a user that exists (by email)
// is left as it is, so running it twice changes nothing.
import { rebuildPublicListings } from '../src/features/directory/listing.js';
import { refreshCreatorSearch } from '../src/features/pool/creatorSearch.js';
import { CreatorModel } from '../src/features/registry/creator.model.js';
import { createUser, findUserByEmail } from '../src/features/users/service.js';
import { seedAllianceDemo } from './builders/alliance.js';
import { seedDemoCreators } from './builders/creators.js';
import { seedDirectoryDemo } from './builders/directory.js';
import { seedDemoImport } from './builders/import.js';
import { seedNotificationsDemo } from './builders/notifications.js';
import { seedPoolDemo } from './builders/pool.js';
import { seedStatsDemo } from './builders/stats.js';
import { demoPassword, demoUsers } from './district.js';

export interface SeedSummary {
  created: number;
  existing: number;
  /** Demo creator profiles created (with their accounts, figures and a conflict). */
  creators: number;
  logins: { email: string; role: string }[];
  password: string;
}

export async function seedDemoDistrict(): Promise<SeedSummary> {
  let created = 0;
  let existing = 0;
  for (const user of demoUsers) {
    if (await findUserByEmail(user.email)) {
      existing += 1;
      continue;
    }
    // Marked demo: their password is published, so production refuses their sign-in.
    await createUser({
      ...user,
      password: demoPassword,
      privacyAccepted: true,
      demo: true,
      emailVerified: true,
    });
    created += 1;
  }
  const creators = await seedDemoCreators();
  // The alliance's memberships and pledge (idempotent too; extra demo creators have their own log-ins).
  await seedAllianceDemo();
  // An import already done: unclaimed creators, one audit entry with its counts.
  await seedDemoImport();
  // A member who withdrew consent to be listed: hidden from the public directory.
  await seedDirectoryDemo();
  // The builders write accounts and figures directly: the pool's keys and figures follow them.
  for (const id of await CreatorModel.find().distinct('_id')) await refreshCreatorSearch(id);
  await seedPoolDemo();
  // The stats feed's runs, a paused platform, an open breaker, failing and flagged accounts.
  await seedStatsDemo('office@lighthouse.example');
  // Queue notifications, an expiring membership, read and unread notifications, today's digest.
  await seedNotificationsDemo();
  // Memberships and users written by the builders straight to the models: the public listing follows.
  await rebuildPublicListings();
  return {
    created,
    existing,
    creators,
    logins: demoUsers.map(({ email, role }) => ({ email, role })),
    password: demoPassword,
  };
}
