// Tells a creator about something that happened to their registry entries. Until the
// mail/notification feature lands, a notice is kept on the creator and shown on their dashboard:
// this function is the one call site that feature will take over.
import type { Types } from 'mongoose';
import { CreatorModel, type NoticeKind } from './creator.model.js';

/** How many notices a dashboard keeps (the newest). */
const keptNotices = 20;

export async function notify(
  creatorId: Types.ObjectId,
  kind: NoticeKind,
  params: Record<string, string> = {},
): Promise<void> {
  await CreatorModel.updateOne(
    { _id: creatorId },
    { $push: { notices: { $each: [{ kind, params, at: new Date() }], $slice: -keptNotices } } },
  );
}
