// Officers' daily digest: instead of a mail per queue item, one mail a day per officer listing
// the items that arrived since the last digest (a recurring job, 08:00 Beijing time). Each
// batch is mailed once (its key names the batch's last item) and then marked digested.
import { defineJob } from '../../scheduler/index.js';
import { languageOf, mailLink, queueMail, translatorFor } from '../mail/service.js';
import { UserModel } from '../users/model.js';
import { digestSetting, kindDefinition, kindNames } from './catalogue.js';
import { NotificationModel } from './model.js';
import { describe, notificationsPath, wantsMail } from './service.js';

export const digestJob = 'notifications.digest';

const digestKinds = kindNames.filter((kind) => kindDefinition(kind).digest);

/** Mails every officer with undigested queue items their digest; returns how many were queued. */
export async function sendOfficerDigests(): Promise<number> {
  const people = await NotificationModel.distinct('person', { kind: { $in: digestKinds }, digestedAt: null });
  let mailed = 0;
  for (const personId of people) {
    const items = await NotificationModel.find({
      person: personId,
      kind: { $in: digestKinds },
      digestedAt: null,
    })
      .sort({ createdAt: 1, _id: 1 })
      .limit(200);
    const last = items.at(-1);
    if (!last) continue;
    const person = await UserModel.findById(personId);
    if (person && person.status === 'active' && (await wantsMail(person._id, digestSetting))) {
      const language = languageOf(person);
      const t = translatorFor(language);
      await queueMail({
        key: `digest:${person.id}:${last.id}`,
        to: person.email,
        toName: person.displayName,
        language,
        template: 'officerDigest',
        params: {
          count: items.length,
          items: items.map((item) => {
            const { title, path } = describe(t, item);
            return { title, link: mailLink(path) };
          }),
          link: mailLink(notificationsPath(person.role)),
        },
      });
      mailed += 1;
    }
    await NotificationModel.updateMany(
      { _id: { $in: items.map((item) => item._id) } },
      { $set: { digestedAt: new Date() } },
    );
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
