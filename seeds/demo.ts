// Loads the demo district into the connected database. Idempotent: a user that exists (by email)
// is left as it is, so running it twice changes nothing.
import { createUser } from '../src/features/auth/service.js';
import { UserModel } from '../src/features/users/model.js';
import { demoPassword, demoUsers } from './district.js';

export interface SeedSummary {
  created: number;
  existing: number;
  logins: { email: string; role: string }[];
  password: string;
}

export async function seedDemoDistrict(): Promise<SeedSummary> {
  let created = 0;
  let existing = 0;
  for (const user of demoUsers) {
    if (await UserModel.exists({ email: { $eq: user.email } })) {
      existing += 1;
      continue;
    }
    await createUser({ ...user, password: demoPassword, privacyAccepted: true });
    created += 1;
  }
  return {
    created,
    existing,
    logins: demoUsers.map(({ email, role }) => ({ email, role })),
    password: demoPassword,
  };
}
