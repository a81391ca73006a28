// A notification tells one person about a decision (see catalogue.ts); the mail settings say
// which kinds also come by mail (every kind unless switched off).
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { kindNames } from './catalogue.js';

const notificationSchema = new Schema(
  {
    person: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: kindNames, required: true },
    target: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    /**
     * The decision this tells about (e.g. `membership:<id>:approve:3`), unique per person: a
     * decision retried, or a job run twice, finds the notification it stored the first time.
     */
    key: { type: String },
    /** Interpolated into the kind's message; strings and numbers only. */
    params: { type: Schema.Types.Mixed, default: {} },
    readAt: { type: Date },
    /** Digest kinds: when the item went out in an officer's daily digest. */
    digestedAt: { type: Date },
  },
  { timestamps: true, collection: 'notifications', minimize: false },
);
notificationSchema.index({ person: 1, createdAt: -1 });
notificationSchema.index({ person: 1, readAt: 1 });
notificationSchema.index(
  { person: 1, key: 1 },
  { unique: true, partialFilterExpression: { key: { $type: 'string' } } },
);

export type Notification = InferSchemaType<typeof notificationSchema>;
export type NotificationDocument = HydratedDocument<Notification>;
export const NotificationModel = mongoose.model('Notification', notificationSchema);

const settingsSchema = new Schema(
  {
    /** The user's id: one settings document per person. */
    _id: { type: Schema.Types.ObjectId, ref: 'User' },
    /** Mail settings switched off (kinds, or 'digest'). */
    mailOff: { type: [String], default: [] },
  },
  { timestamps: true, collection: 'notification_settings' },
);
export const NotificationSettingsModel = mongoose.model('NotificationSettings', settingsSchema);
