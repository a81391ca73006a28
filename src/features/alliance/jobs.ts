// The alliance's scheduled work: memberships whose renewal date has passed without a renewal
// become expired, once a day (after midnight in the district's time zone). The transition is the
// same conditional, audited update an officer's decision uses, so a second run changes nothing.
import { defineJob } from '../../scheduler/index.js';
import { expireLapsedMemberships } from './membershipService.js';

export const expiryJob = 'alliance.expire';

defineJob(
  expiryJob,
  async () => {
    await expireLapsedMemberships();
  },
  { every: '10 0 * * *', timezone: 'Asia/Shanghai' },
);
