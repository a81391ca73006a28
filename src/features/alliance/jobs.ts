// The alliance's scheduled work, once a day (after midnight in the district's time zone):
// memberships whose renewal date has passed without a renewal become expired (the same
// conditional, audited update an officer's decision uses, so a second run changes nothing), and
// members whose renewal date is 30 days away or less hear about it, once per term (expiring.ts).
import { defineJob } from '../../scheduler/index.js';
import { notifyExpiringMemberships } from './expiring.js';
import { expireLapsedMemberships } from './membershipService.js';

export const expiryJob = 'alliance.expire';
export const expiringJob = 'alliance.expiring';

defineJob(
  expiryJob,
  async () => {
    await expireLapsedMemberships();
  },
  { every: '10 0 * * *', timezone: 'Asia/Shanghai' },
);

defineJob(
  expiringJob,
  async () => {
    await notifyExpiringMemberships();
  },
  { every: '20 0 * * *', timezone: 'Asia/Shanghai' },
);
