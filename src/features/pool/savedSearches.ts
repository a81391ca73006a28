// Saved pool searches: an officer keeps a search (its query string) under a name, opens it again,
// deletes it. Each officer sees and changes only their own; saving and deleting are audited.
import mongoose, { type Types } from 'mongoose';
import { recordAudit } from '../audit/service.js';
import type { SessionUser } from '../users/model.js';
import { facets } from './facets.js';
import { maxSavedSearches, SavedSearchModel, type SavedSearchDocument } from './savedSearch.model.js';

type Officer = Pick<SessionUser, 'id' | 'email'>;

const searchParameters = new Set(['q', 'sort', 'perPage', ...facets.map((facet) => facet.key)]);

/**
 * The pool's parameters of a query string, in a canonical form: unknown parameters dropped, and
 * the page unless asked to keep it (the pool page validates the values when the search is opened).
 */
export function canonicalQuery(queryString: string, keepPage = false): string {
  const kept = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(queryString.replace(/^\?/, '')))
    if (searchParameters.has(key) || (keepPage && key === 'page')) kept.append(key, value);
  return kept.toString();
}

export function listSavedSearches(officer: Officer): Promise<SavedSearchDocument[]> {
  return SavedSearchModel.find({ officer: officer.id }).sort({ createdAt: -1 }).exec();
}

/** The officer's own saved search with this id, or null (someone else's looks missing). */
export function findSavedSearch(officer: Officer, id: unknown): Promise<SavedSearchDocument | null> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return SavedSearchModel.findOne({ _id: id, officer: officer.id }).exec();
}

export type SaveOutcome =
  { ok: true; search: SavedSearchDocument } | { ok: false; reason: 'limit' | 'duplicate' };

export async function saveSearch(officer: Officer, name: string, query: string): Promise<SaveOutcome> {
  if ((await SavedSearchModel.countDocuments({ officer: officer.id })) >= maxSavedSearches)
    return { ok: false, reason: 'limit' };
  try {
    const search = await SavedSearchModel.create({ officer: officer.id, name, query: canonicalQuery(query) });
    await recordAudit({
      actor: officer,
      action: 'pool.search.save',
      target: { type: 'savedSearch', id: search.id },
      details: { name, query: search.query },
    });
    return { ok: true, search };
  } catch (error) {
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      return { ok: false, reason: 'duplicate' };
    throw error;
  }
}

export async function deleteSavedSearch(
  officer: Officer,
  search: { _id: Types.ObjectId; id: string; name: string },
) {
  const { deletedCount } = await SavedSearchModel.deleteOne({ _id: search._id, officer: officer.id });
  if (deletedCount === 1)
    await recordAudit({
      actor: officer,
      action: 'pool.search.delete',
      target: { type: 'savedSearch', id: search.id },
      details: { name: search.name },
    });
  return deletedCount === 1;
}
