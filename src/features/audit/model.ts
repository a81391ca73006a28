// An audit entry: who did what to which record, and when. Written for every officer and admin
// action (and for exports); never changed afterwards.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';

const auditEntrySchema = new Schema(
  {
    actor: {
      /** The user who acted; the email is copied so the entry reads the same if the user changes. */
      userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
      email: { type: String, required: true },
    },
    /** `<target type>.<verb>`, e.g. officer.create, officer.scope, officer.status. */
    action: { type: String, required: true },
    target: {
      type: { type: String, required: true },
      id: { type: String, required: true },
    },
    at: { type: Date, required: true, default: () => new Date() },
    /** What changed (e.g. { from, to }); never a password or a hash. */
    details: { type: Schema.Types.Mixed, default: {} },
  },
  { minimize: false },
);
auditEntrySchema.index({ at: -1 });
auditEntrySchema.index({ 'target.type': 1, 'target.id': 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema>;
export type AuditEntryDocument = HydratedDocument<AuditEntry>;

export const AuditEntryModel = mongoose.model('AuditEntry', auditEntrySchema);
