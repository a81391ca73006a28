// A member's standing as the badge and the dashboard show it, derived from the membership and the
// pledge: current, renewal due (the pledge's current version unsigned, or the renewal date near),
// overdue (the current version still unsigned after its grace period), suspended or expired.
// Other statuses are not membership (the badge answers 404).
import type { MembershipDocument } from './membership.model.js';
import type { PledgeVersionDocument } from './pledge.model.js';

export const standings = ['current', 'renewal_due', 'overdue', 'suspended', 'expired'] as const;
export type Standing = (typeof standings)[number];

/** The badge says "renewal due" this many days before the renewal date. */
export const renewalNoticeDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

export interface PledgeDue {
  version: number;
  /** The end of the grace period to sign the new version. */
  dueBy: Date;
  overdue: boolean;
}

/** Whether the member still has to sign the current version, and by when. */
export function pledgeDue(
  pledge: PledgeVersionDocument | null,
  signedCurrent: boolean,
  now = new Date(),
): PledgeDue | undefined {
  if (!pledge || signedCurrent) return undefined;
  const dueBy = new Date(pledge.effectiveAt.getTime() + pledge.graceDays * dayMs);
  return { version: pledge.version, dueBy, overdue: dueBy < now };
}

export function standingOf(
  membership: Pick<MembershipDocument, 'status' | 'renewalDate'> | null,
  due: PledgeDue | undefined,
  now = new Date(),
): Standing | undefined {
  switch (membership?.status) {
    case 'suspended':
      return 'suspended';
    case 'expired':
      return 'expired';
    case 'approved': {
      const renewalNear =
        !!membership.renewalDate &&
        membership.renewalDate.getTime() - now.getTime() <= renewalNoticeDays * dayMs;
      if (due?.overdue) return 'overdue';
      return due || renewalNear ? 'renewal_due' : 'current';
    }
    default:
      return undefined;
  }
}
