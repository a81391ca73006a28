// Every kind of notification, in one place. A feature that decides something about a person
// calls notify(userId, kind, target, params) (service.ts); the kind says who it is for, where
// its link goes, and (in the catalogues, `notifications.kinds.<kind>.title|body`) what it says
// in each language, with `params` interpolated. Kinds for officers' queues are never mailed
// one by one: they go into the officer's daily digest (digest.ts).
//
//   await notify(creator.userId, 'application.approved', { type: 'membership', id }, { number: 'LH-2026-0042' });
//   await notifyOfficers(creator.street, 'queue.application', { type: 'membership', id }, { name });

export interface NotificationTarget {
  /** What the notification is about: 'account', 'membership', 'pledge', 'conflict', 'user', … */
  type: string;
  id: string;
}

/**
 * Parameters for the message; plain strings and numbers (they are stored and shown escaped).
 * `platform` is stored as the platform's key (`bilibili`) and shown as its name in the reader's
 * language (`registry.platforms.<key>`).
 */
export type NotificationParams = Record<string, string | number>;

interface KindDefinition {
  /** Who receives it: creators (their own decisions) or officers (their own account, queues). */
  audience: 'creator' | 'officer';
  /** Queue items go into the officers' daily digest instead of a mail each. */
  digest?: boolean;
  /** Where the notification's link goes. */
  path(target: NotificationTarget): string;
}

const id = (target: NotificationTarget): string => encodeURIComponent(target.id);

export const notificationKinds = {
  // The registry (accounts, ownership, figures).
  'ownership.verified': { audience: 'creator', path: (t) => `/me/accounts/${id(t)}` },
  'ownership.rejected': { audience: 'creator', path: (t) => `/me/accounts/${id(t)}` },
  // The claimant never held the account and the holder may lose it: their list, not its page.
  'conflict.opened': { audience: 'creator', path: () => '/me/accounts' },
  'conflict.resolved': { audience: 'creator', path: () => '/me/accounts' },
  'figure.confirmed': { audience: 'creator', path: (t) => `/me/accounts/${id(t)}` },
  'figure.rejected': { audience: 'creator', path: (t) => `/me/accounts/${id(t)}` },
  // The alliance (applications, memberships, the pledge).
  'application.approved': { audience: 'creator', path: () => '/me/alliance' },
  'application.rejected': { audience: 'creator', path: () => '/me/alliance' },
  'application.moreInfo': { audience: 'creator', path: () => '/me/alliance' },
  'membership.suspended': { audience: 'creator', path: () => '/me/alliance' },
  'membership.reinstated': { audience: 'creator', path: () => '/me/alliance' },
  'membership.expiring': { audience: 'creator', path: () => '/me/alliance' },
  'pledge.newVersion': { audience: 'creator', path: () => '/me/alliance/pledge' },
  // Officers' own accounts (src/features/users).
  'officer.scopeChanged': { audience: 'officer', path: () => '/office' },
  'officer.reinstated': { audience: 'officer', path: () => '/office' },
  // Officers' review queues: the daily digest.
  'queue.application': { audience: 'officer', digest: true, path: (t) => `/office/applications/${id(t)}` },
  // A creator answered an officer's request for more information: the application waits again.
  'queue.answer': { audience: 'officer', digest: true, path: (t) => `/office/applications/${id(t)}` },
  // The registry's queues are lists (decisions are posted from them), with no page per item.
  'queue.ownership': { audience: 'officer', digest: true, path: () => '/office/ownership' },
  'queue.figure': { audience: 'officer', digest: true, path: () => '/office/figures' },
  'queue.conflict': { audience: 'officer', digest: true, path: () => '/office/conflicts' },
} as const satisfies Record<string, KindDefinition>;

export type NotificationKind = keyof typeof notificationKinds;
export const kindNames = Object.keys(notificationKinds) as NotificationKind[];

export function kindDefinition(kind: NotificationKind): KindDefinition {
  return notificationKinds[kind];
}

export function isNotificationKind(value: unknown): value is NotificationKind {
  return typeof value === 'string' && Object.hasOwn(notificationKinds, value);
}

/** The mail setting for all digest kinds together: one daily summary, on or off. */
export const digestSetting = 'digest';
export type MailSetting = NotificationKind | typeof digestSetting;

/** The mail settings a person of this audience can choose between. */
export function mailSettingsFor(audience: 'creator' | 'officer'): MailSetting[] {
  const kinds: MailSetting[] = kindNames.filter((kind) => {
    const definition = kindDefinition(kind);
    return definition.audience === audience && !definition.digest;
  });
  return audience === 'officer' ? [...kinds, digestSetting] : kinds;
}
