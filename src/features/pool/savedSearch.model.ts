// A saved pool search: an officer's name for a query string of /office/pool. Private to the
// officer who saved it (every read and delete is filtered on the officer).
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';

/** Saved searches one officer can keep. */
export const maxSavedSearches = 50;

const savedSearchSchema = new Schema(
  {
    officer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true, maxlength: limits.savedSearchName },
    /** The pool's query string without paging, e.g. "q=坪山&platform=weibo&sort=followers". */
    query: { type: String, default: '', maxlength: limits.savedSearchQuery },
  },
  { timestamps: true },
);
// The officer's list, newest first; one name per officer (a second save under a name is refused).
savedSearchSchema.index({ officer: 1, createdAt: -1 });
savedSearchSchema.index({ officer: 1, name: 1 }, { unique: true });

export type SavedSearch = InferSchemaType<typeof savedSearchSchema>;
export type SavedSearchDocument = HydratedDocument<SavedSearch>;

export const SavedSearchModel = mongoose.model('SavedSearch', savedSearchSchema, 'saved_searches');
