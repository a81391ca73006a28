// A pledge signature: who signed which version, with the name they typed, and when. Signatures are
// records of what someone agreed to: written once, never changed (every update path refuses).
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';

const signatureSchema = new Schema(
  {
    version: { type: Number, required: true, min: 1 },
    creator: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    typedName: { type: String, required: true, maxlength: limits.displayName },
    signedAt: { type: Date, required: true },
  },
  { minimize: false },
);
// One signature per creator and version: a double submit or a race ends in the index.
signatureSchema.index({ version: 1, creator: 1 }, { unique: true });
signatureSchema.index({ creator: 1, version: -1 });

export class ImmutableSignatureError extends Error {
  constructor() {
    super('pledge signatures are immutable');
  }
}

const updates = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const;
for (const operation of updates) {
  signatureSchema.pre(operation, () => {
    throw new ImmutableSignatureError();
  });
}
signatureSchema.pre('save', function () {
  if (!this.isNew) throw new ImmutableSignatureError();
});

export type PledgeSignature = InferSchemaType<typeof signatureSchema>;
export type PledgeSignatureDocument = HydratedDocument<PledgeSignature>;

export const PledgeSignatureModel = mongoose.model('PledgeSignature', signatureSchema);
