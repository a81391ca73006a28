// Officers' daily digest: instead of a mail per queue item, one mail a day per officer or admin
// (08:00 Beijing time) with what waits in their review queues, counted as their office pages
// count it (street scope included), and the items that arrived since the last digest. One mail
// per person per day (its key names the day): running the job again that day sends nothing.
import { creatorScopeFilter } from '../alliance/scope.js';
import { MembershipModel } from '../alliance/membership.model.js';
import { findMailByKey, languageOf, mailLink, queueMail, translatorFor } from '../mail/service.js';
import { queueCounts } from '../registry/reviewService.js';
import { defineJob } from '../../scheduler/index.js';
import { UserModel, type UserDocument, toSessionUser } from '../users/model.js';
import { digestSetting, kindDefinition, kindNames } from './catalogue.js';
import { NotificationModel } from './model.js';
import { describe, notificationsPath, wantsMail } from './service.js';

export const digestJob = 'notifications.digest';

const digestKinds = kindNames.filter((kind) => kindDefinition(kind).digest);

/** The office's review queues, in the order of its navigation, with their pages. */
const queuePages = {
  applications: '/office/applications',
  ownership: '/office/ownership',
  figures: '/office/figures',
  conflicts: '/office/conflicts',
} as const;
export type ReviewQueue = keyof typeof queuePages;

/** What waits in each of a reviewer's queues, as their office pages show it. */
export async function waitingInQueues(reviewer: UserDocument): Promise<Record<ReviewQueue, number>> {
  const actor = toSessionUser(reviewer);
  const [registry, applications] = await Promise.all([
    queueCounts(actor),
    creatorScopeFilter(actor).then((scope) =>
      MembershipModel.countDocuments({ ...scope, status: 'applied' }).exec(),
    ),
  ]);
  return { applications, ...registry };
}

/** The digest's day in Beijing time (YYYY-MM-DD): the job runs at 08:00 there. */
export function digestDay(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/**
 * Mails every active officer and admin whose queues hold something their digest (unless they
 * switched the digest off); returns how many digests were queued. Queue notifications included
 * in a digest (or waiting for someone who does not want it) are marked digested.
 */
export async function sendOfficerDigests(now = new Date()): Promise<number> {
  const day = digestDay(now);
  const reviewers = await UserModel.find({ role: { $in: ['officer', 'admin'] }, status: 'active' }).sort({
    _id: 1,
  });
  let mailed = 0;
  for (const person of reviewers) {
    const key = `digest:${person.id}:${day}`;
    // Today's digest went out already: later items wait for tomorrow's.
    if (await findMailByKey(key)) continue;
    const items = await NotificationModel.find({
      person: person._id,
      kind: { $in: digestKinds },
      digestedAt: null,
      createdAt: { $lte: now },
    })
      .sort({ createdAt: 1, _id: 1 })
      .limit(200);
    const waiting = await waitingInQueues(person);
    const total = Object.values(waiting).reduce((sum, count) => sum + count, 0);
    if (total > 0 && (await wantsMail(person._id, digestSetting))) {
      const language = languageOf(person);
      const t = translatorFor(language);
      await queueMail({
        key,
        to: person.email,
        toName: person.displayName,
        language,
        template: 'officerDigest',
        params: {
          count: total,
          queues: (Object.keys(queuePages) as ReviewQueue[])
            .filter((queue) => waiting[queue] > 0)
            .map((queue) => ({
              label: t(`mail.officerDigest.queues.${queue}`),
              count: waiting[queue],
              link: mailLink(queuePages[queue]),
            })),
          items: items.map((item) => {
            const { title, path } = describe(t, item);
            return { title, link: mailLink(path) };
          }),
          link: mailLink(notificationsPath(person.role)),
        },
      });
      mailed += 1;
    }
    if (items.length > 0) {
      await NotificationModel.updateMany(
        { _id: { $in: items.map((item) => item._id) } },
        { $set: { digestedAt: now } },
      );
    }
  }
  return mailed;
}

defineJob(
  digestJob,
  async () => {
    await sendOfficerDigests();
  },
  { every: '0 8 * * *', timezone: 'Asia/Shanghai' },
);
