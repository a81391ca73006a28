// A mail the portal sends: rendered once when it is queued (so the outbox shows exactly what
// went out), then handed to the SMTP server by a durable job. `key` makes queuing idempotent:
// one mail per reset link, per notification, per officer per digest day.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { languages } from '../../i18n/index.js';

export const mailStatuses = ['queued', 'sent', 'failed'] as const;
export type MailStatus = (typeof mailStatuses)[number];

const mailSchema = new Schema(
  {
    /** What this mail is for, unique: queuing the same thing twice stores one mail. */
    key: { type: String, required: true, unique: true },
    to: { type: String, required: true },
    toName: { type: String },
    language: { type: String, enum: languages, required: true },
    template: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String, required: true },
    status: { type: String, enum: mailStatuses, required: true, default: 'queued' },
    /** Where it went: an SMTP server, or only the outbox (development and tests without SMTP_URL). */
    via: { type: String, enum: ['smtp', 'outbox'] },
    attempts: { type: Number, required: true, default: 0 },
    lastError: { type: String },
    /** Set while one worker hands it to the SMTP server, so two never send it at once. */
    claimedAt: { type: Date },
    sentAt: { type: Date },
    messageId: { type: String },
  },
  { timestamps: true, collection: 'mails' },
);
mailSchema.index({ createdAt: -1 });
mailSchema.index({ status: 1, updatedAt: 1 });

export type Mail = InferSchemaType<typeof mailSchema>;
export type MailDocument = HydratedDocument<Mail>;

export const MailModel = mongoose.model('Mail', mailSchema);
