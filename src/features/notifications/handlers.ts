// The signed-in person's notifications and mail settings (creators under /me, officers and
// admins under /office): the same handlers, links relative to req.baseUrl.
import type { RequestHandler } from 'express';
import { matchedData } from 'express-validator';
import { fieldErrors } from '../../http/forms.js';
import { type MailSetting, mailSettingsFor } from './catalogue.js';
import {
  countUnread,
  describe,
  listNotifications,
  mailSettingsOf,
  markAllRead,
  markRead,
  notificationsPath,
  saveMailSettings,
} from './service.js';

type Audience = 'creator' | 'officer';

export const audienceOf = (user: Express.User): Audience => (user.role === 'creator' ? 'creator' : 'officer');

/** GET /me/notifications, /office/notifications — the person themselves. */
export const showNotifications: RequestHandler = async (req, res) => {
  const user = req.user as Express.User;
  const notifications = await listNotifications(user.id);
  res.render('notifications/list', {
    title: req.t('notifications.title'),
    base: req.baseUrl,
    unread: await countUnread(user.id),
    notifications: notifications.map((notification) => ({
      id: notification.id,
      ...describe(req.t, notification),
      createdAt: notification.createdAt,
      read: Boolean(notification.readAt),
    })),
  });
};

/** POST /me/notifications/:id/read, /office/… — the person themselves. */
export const markReadHandler: RequestHandler = async (req, res) => {
  const user = req.user as Express.User;
  const marked = await markRead(user.id, String(req.params.id));
  // Someone else's id reads exactly like an unknown one.
  if (!marked) req.flash('error', req.t('notifications.notFound'));
  res.redirect(303, `${req.baseUrl}/notifications`);
};

/** POST /me/notifications/read-all, /office/… — the person themselves. */
export const markAllReadHandler: RequestHandler = async (req, res) => {
  await markAllRead((req.user as Express.User).id);
  req.flash('success', req.t('notifications.allRead'));
  res.redirect(303, `${req.baseUrl}/notifications`);
};

async function settingsModel(user: Express.User, chosen?: Set<string>) {
  const off = await mailSettingsOf(user.id);
  return mailSettingsFor(audienceOf(user)).map((setting) => ({
    value: setting,
    labelKey: `notifications.settings.kinds.${setting}`,
    checked: chosen ? chosen.has(setting) : !off.has(setting),
  }));
}

/** GET /me/notifications/settings, /office/… — the person themselves. */
export const showSettings: RequestHandler = async (req, res) => {
  res.render('notifications/settings', {
    title: req.t('notifications.settings.title'),
    base: req.baseUrl,
    settings: await settingsModel(req.user as Express.User),
  });
};

/** POST /me/notifications/settings, /office/… — the person themselves: which kinds come by mail. */
export const saveSettingsHandler: RequestHandler = async (req, res) => {
  const user = req.user as Express.User;
  const errors = fieldErrors(req);
  if (errors) {
    const typed = ([] as unknown[]).concat((req.body as Record<string, unknown>).mail ?? []);
    res.status(422).render('notifications/settings', {
      title: req.t('notifications.settings.title'),
      base: req.baseUrl,
      // One message for the group of checkboxes (the chain reports mail[0], mail[1], …).
      errors: { mail: Object.values(errors)[0] },
      settings: await settingsModel(user, new Set(typed.filter((v): v is string => typeof v === 'string'))),
    });
    return;
  }
  const { mail = [] } = matchedData<{ mail?: MailSetting[] }>(req);
  const on = new Set<string>(mail);
  await saveMailSettings(
    user.id,
    mailSettingsFor(audienceOf(user)).filter((setting) => !on.has(setting)),
  );
  req.flash('success', req.t('notifications.settings.saved'));
  res.redirect(303, `${req.baseUrl}/notifications/settings`);
};

/** Every page: the navigation's link to the signed-in person's notifications, with the unread count. */
export const unreadCountLocals: RequestHandler = async (req, res, next) => {
  if (req.user) {
    const count = await countUnread(req.user.id);
    res.locals.notificationsNav = {
      href: notificationsPath(req.user.role),
      label: req.t(count ? 'nav.notificationsUnread' : 'nav.notifications', { count }),
      count,
    };
  }
  next();
};
