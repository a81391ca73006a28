// Notifications: notify() stores the in-app notification and, when the person's settings allow
// it, queues a mail in their language (one mail per notification, never two). Digest kinds
// (officers' queues) wait for the daily digest instead (digest.ts).
import type { TFunction } from 'i18next';
import mongoose from 'mongoose';
import { languageOf, mailConfigured, mailLink, queueMail, translatorFor } from '../mail/service.js';
import { platformKeys } from '../registry/platforms/types.js';
import { type StreetScope, UserModel, type UserDocument } from '../users/model.js';
import { listOfficersReviewing } from '../users/service.js';
import {
  type MailSetting,
  type NotificationKind,
  type NotificationParams,
  type NotificationTarget,
  kindDefinition,
} from './catalogue.js';
import { type NotificationDocument, NotificationModel, NotificationSettingsModel } from './model.js';

/** The notifications pages of each audience. */
export function notificationsPath(role: string): string {
  return role === 'creator' ? '/me/notifications' : '/office/notifications';
}

/** The title and body of a notification in a language, and its link. */
export function describe(
  t: TFunction,
  notification: Pick<NotificationDocument, 'kind' | 'target' | 'params'>,
): { title: string; body: string; path: string } {
  const kind = notification.kind;
  const params = translatedParams(t, (notification.params ?? {}) as NotificationParams);
  return {
    title: t(`notifications.kinds.${kind}.title`, params),
    body: t(`notifications.kinds.${kind}.body`, params),
    path: kindDefinition(kind).path(notification.target ?? { type: '', id: '' }),
  };
}

/** A platform key becomes the platform's name in the reader's language; unknown keys stay as they are. */
function translatedParams(t: TFunction, params: NotificationParams): NotificationParams {
  const platform = params.platform;
  if (typeof platform !== 'string' || !(platformKeys as readonly string[]).includes(platform)) return params;
  return { ...params, platform: t(`registry.platforms.${platform}`) };
}

/** Whether the person gets this setting's mails (every kind unless switched off). */
export async function wantsMail(
  userId: mongoose.Types.ObjectId | string,
  setting: MailSetting,
): Promise<boolean> {
  const settings = await NotificationSettingsModel.findById(userId).lean();
  return !settings?.mailOff.includes(setting);
}

/**
 * Tells a person about a decision: an in-app notification, and a mail unless they switched this
 * kind off (or it is a queue item, which waits for the daily digest). Unknown users are skipped.
 * Idempotent per person and `key` (the decision: a unique index): calling it again for the same
 * decision stores nothing new and queues no second mail, but finishes a mail a first call that
 * stopped half-way did not queue (the mail's own key is the notification's id).
 */
export async function notify(
  userId: string,
  kind: NotificationKind,
  target: NotificationTarget,
  params: NotificationParams,
  key: string,
): Promise<NotificationDocument | undefined> {
  if (!mongoose.isValidObjectId(userId)) return undefined;
  const person = await UserModel.findById(userId);
  if (!person) return undefined;
  const notification = await storeOnce(person._id, { kind, target, params, key });
  const definition = kindDefinition(kind);
  // Outside a started portal (the demo seeds' decisions) there is no mail to send: in-app only.
  if (
    mailConfigured() &&
    !definition.digest &&
    person.status === 'active' &&
    (await wantsMail(person._id, kind))
  ) {
    await mailNotification(person, notification);
  }
  return notification;
}

async function storeOnce(
  person: mongoose.Types.ObjectId,
  fields: { kind: NotificationKind; target: NotificationTarget; params: NotificationParams; key: string },
): Promise<NotificationDocument> {
  try {
    return await NotificationModel.create({ person, ...fields });
  } catch (error) {
    if (!(error instanceof mongoose.mongo.MongoServerError && error.code === 11000)) throw error;
    const stored = await NotificationModel.findOne({ person, key: { $eq: fields.key } });
    if (!stored) throw error;
    return stored;
  }
}

async function mailNotification(person: UserDocument, notification: NotificationDocument): Promise<void> {
  const language = languageOf(person);
  const { title, body, path } = describe(translatorFor(language), notification);
  await queueMail({
    key: `notification:${notification.id}`,
    to: person.email,
    toName: person.displayName,
    language,
    template: 'notification',
    params: {
      title,
      body,
      link: mailLink(path),
      settingsLink: mailLink(`${notificationsPath(person.role)}/settings`),
    },
  });
}

/**
 * Puts a queue item in front of everyone whose queue shows it: the officers of each street it
 * belongs to (a conflict belongs to both parties' streets), the district's officers and admins.
 * In-app only: queue kinds are mailed in the daily digest. Idempotent per person and `key`.
 */
export async function notifyOfficers(
  streets: StreetScope | readonly (StreetScope | null | undefined)[],
  kind: NotificationKind,
  target: NotificationTarget,
  params: NotificationParams,
  key: string,
): Promise<number> {
  const list = (typeof streets === 'string' ? [streets] : streets).filter(
    (street): street is StreetScope => typeof street === 'string',
  );
  const officers = await listOfficersReviewing(list);
  for (const officer of officers) await notify(officer.id, kind, target, params, key);
  return officers.length;
}

export function listNotifications(userId: string, limit = 100): Promise<NotificationDocument[]> {
  return NotificationModel.find({ person: { $eq: userId } })
    .sort({ createdAt: -1, _id: -1 })
    .limit(limit)
    .exec();
}

export function countUnread(userId: string): Promise<number> {
  return NotificationModel.countDocuments({ person: { $eq: userId }, readAt: null }).exec();
}

/** Marks one of the person's own notifications read; false when it is not theirs or not there. */
export async function markRead(userId: string, notificationId: string): Promise<boolean> {
  if (!mongoose.isValidObjectId(notificationId)) return false;
  const result = await NotificationModel.updateOne(
    { _id: { $eq: notificationId }, person: { $eq: userId } },
    { $set: { readAt: new Date() } },
  );
  return result.matchedCount === 1;
}

export async function markAllRead(userId: string): Promise<void> {
  await NotificationModel.updateMany(
    { person: { $eq: userId }, readAt: null },
    { $set: { readAt: new Date() } },
  );
}

export async function mailSettingsOf(userId: string): Promise<Set<string>> {
  const settings = await NotificationSettingsModel.findById(userId).lean();
  return new Set(settings?.mailOff ?? []);
}

/** Stores which mail settings are off (the form lists those that are on). */
export async function saveMailSettings(userId: string, off: MailSetting[]): Promise<void> {
  await NotificationSettingsModel.updateOne({ _id: userId }, { $set: { mailOff: off } }, { upsert: true });
}
