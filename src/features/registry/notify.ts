// Tells a creator about something that happened to their registry entries: a notice kept on the
// creator for their dashboard, and the person's notification (in-app, and a mail if they allow
// it) through the notifications feature. Unclaimed (imported) creators have no person to tell.
import type { Types } from 'mongoose';
import type { NotificationKind } from '../notifications/catalogue.js';
import { notify as notifyPerson } from '../notifications/service.js';
import { CreatorModel, type NoticeKind } from './creator.model.js';

/** How many notices a dashboard keeps (the newest). */
const keptNotices = 20;

/** The notification kind of a notice. */
function notificationKind(kind: NoticeKind, params: Record<string, string>): NotificationKind {
  switch (kind) {
    case 'ownership_decided':
      return params.state === 'verified' ? 'ownership.verified' : 'ownership.rejected';
    case 'figure_decided':
      return params.outcome === 'approve' ? 'figure.confirmed' : 'figure.rejected';
    case 'conflict_opened':
      return 'conflict.opened';
    case 'conflict_decided':
      return 'conflict.resolved';
  }
}

export async function notify(
  creatorId: Types.ObjectId,
  kind: NoticeKind,
  params: Record<string, string>,
  accountId: Types.ObjectId,
  /** The decision, unique per creator (e.g. `ownership:<account>:<decided at>`): told once. */
  decision: string,
): Promise<void> {
  const creator = await CreatorModel.findOneAndUpdate(
    { _id: creatorId },
    { $push: { notices: { $each: [{ kind, params, at: new Date() }], $slice: -keptNotices } } },
    { projection: { user: 1 } },
  );
  const notification = notificationKind(kind, params);
  if (!creator?.user) return;
  await notifyPerson(
    String(creator.user),
    notification,
    { type: 'account', id: String(accountId) },
    {
      account: params.platformId ?? '',
      platform: params.platform ?? '',
      reason: params.reason ?? '',
      ...(params.outcome ? { outcome: params.outcome } : {}),
    },
    decision,
  );
}
