// Single-use links sent by mail (verify an address, reset a password, confirm a new address).
// Only the SHA-256 of the token is stored: someone who reads the database cannot use a link.
import mongoose, { type InferSchemaType, Schema } from 'mongoose';

export const tokenPurposes = ['verify', 'reset', 'changeEmail'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

const tokenSchema = new Schema(
  {
    /** SHA-256 (hex) of the token in the link. */
    _id: { type: String },
    purpose: { type: String, enum: tokenPurposes, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** The address the link was sent to (for changeEmail: the new address). */
    email: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
  },
  { timestamps: true, collection: 'email_tokens' },
);
// The database removes a link a day after it expired (an expired link reads as unknown anyway).
tokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 24 * 60 * 60 });
tokenSchema.index({ user: 1, purpose: 1, createdAt: -1 });

export type EmailToken = InferSchemaType<typeof tokenSchema>;
export const EmailTokenModel = mongoose.model('EmailToken', tokenSchema);
