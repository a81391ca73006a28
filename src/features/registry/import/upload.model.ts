// An uploaded import file, kept between the dry run and the import so that the confirm step
// re-reads the very bytes the officer previewed (never anything the form sends back). Bound to the
// officer who uploaded it; removed by the database a day after the upload.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';

const importUploadSchema = new Schema(
  {
    officer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** SHA-256 (hex) of the bytes: names the file in the audit entry. */
    sha256: { type: String, required: true },
    fileName: { type: String, maxlength: 200 },
    /** The file itself (at most maxImportBytes, far below a document's 16 MB). */
    data: { type: Buffer, required: true },
    /** Set once, when the import is applied: a double submit imports nothing twice. */
    appliedAt: { type: Date },
    /** What the import did (the result page after a double submit shows it again). */
    counts: { type: Schema.Types.Mixed },
  },
  { timestamps: true, collection: 'registry_imports' },
);
importUploadSchema.index({ createdAt: 1 }, { expireAfterSeconds: 24 * 60 * 60 });
importUploadSchema.index({ officer: 1, createdAt: -1 });

export type ImportUpload = InferSchemaType<typeof importUploadSchema>;
export type ImportUploadDocument = HydratedDocument<ImportUpload>;

export const ImportUploadModel = mongoose.model('ImportUpload', importUploadSchema);
