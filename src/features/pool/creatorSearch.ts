// Keeps each creator's stored search keys (creator.search) and account summary
// (creator.accountSummary: platforms, ownership, figures) in step with its names and accounts:
// the registry's services call refreshCreatorSearch after a write, and backfillCreatorSearch (a
// start-up hook) keys documents written before the keys existed. Queries never convert the
// collection.
import type { Types } from 'mongoose';
import { pinyin } from 'pinyin-pro';
import type { PortalHook } from '../../portal.js';
import { AccountModel } from '../registry/account.model.js';
import { refreshPublicListing } from '../directory/listing.js';
import { CreatorModel } from '../registry/creator.model.js';
import { searchKeyVersion, searchKeys } from '../search/keys.js';
import { codePoints, simplify } from '../search/normalise.js';
import { type SummarisedAccount, growthBaselines, summaryFields, summaryOf } from './accountSummary.js';

interface KeyedCreator {
  _id: Types.ObjectId;
  displayName: string;
  slug: string;
  bio?: string | null;
}

/**
 * The display name in toneless pinyin, one syllable per word ("坪山之眼" → "ping shan zhi yan"),
 * so a name sort is in pinyin order for Chinese names and alphabetical for Latin ones.
 */
export function nameSortKey(displayName: string): string {
  const simplified = simplify(codePoints(displayName.trim(), 100));
  return pinyin(simplified, { toneType: 'none', type: 'array', surname: 'head' })
    .map((syllable) => syllable.trim().replaceAll('ü', 'v'))
    .filter((syllable) => syllable.length > 0)
    .join(' ');
}

/** A creator's search keys from its names, its accounts' names and handles, and its bio. */
function keysOf(creator: KeyedCreator, accounts: readonly { displayName: string; platformId: string }[]) {
  const names = [
    creator.displayName,
    creator.slug,
    ...accounts.flatMap((a) => [a.displayName, a.platformId]),
  ];
  return {
    ...searchKeys(names, [creator.bio ?? '']),
    version: searchKeyVersion,
    sortKey: nameSortKey(creator.displayName),
  };
}

/**
 * Recomputes one creator's search keys (names, handles, bio) and account summary (platforms,
 * ownership, figures, growth) from what is stored now, then its public listing
 * (directory/listing.ts); a missing id only removes its listing.
 */
export async function refreshCreatorSearch(creatorId: Types.ObjectId): Promise<void> {
  const creator = await CreatorModel.findById(creatorId, { displayName: 1, slug: 1, bio: 1 }).lean();
  if (creator) await refreshBatch([creator]);
  // The public directory's listing shows the same names, accounts and figures (and drops a creator
  // that is gone).
  await refreshPublicListing(creatorId);
}

/**
 * Creators keyed and summarised per round trip by the backfill (bounds its memory). Small: the
 * offline lane tests each snapshot read against the whole `$in` of the batch's accounts.
 */
const BACKFILL_BATCH = 50;

/** Keys and summarises one batch of creators: two reads (accounts, baselines) and one bulkWrite. */
async function refreshBatch(creators: readonly KeyedCreator[]): Promise<void> {
  const accounts = await AccountModel.find(
    { creator: { $in: creators.map((creator) => creator._id) } },
    { ...summaryFields, displayName: 1, platformId: 1 },
  ).lean<(SummarisedAccount & { displayName: string; platformId: string })[]>();
  const baselines = await growthBaselines(accounts);
  const byCreator = new Map<string, typeof accounts>();
  for (const account of accounts) {
    const key = String(account.creator);
    const own = byCreator.get(key) ?? [];
    own.push(account);
    byCreator.set(key, own);
  }
  await CreatorModel.bulkWrite(
    creators.map((creator) => {
      const own = byCreator.get(String(creator._id)) ?? [];
      const search = keysOf(creator, own);
      const accountSummary = summaryOf(own, baselines);
      return { updateOne: { filter: { _id: creator._id }, update: { $set: { search, accountSummary } } } };
    }),
    { ordered: false },
  );
}

/**
 * Keys and summarises every creator that lacks either, or whose keys are of another format
 * (search.version: the keys' format changed since they were stored), in batches (a cursor over those
 * creators; per batch one accounts read, one baseline aggregation, one bulkWrite); the number
 * refreshed.
 */
export async function backfillCreatorSearch(): Promise<number> {
  let keyed = 0;
  const cursor = CreatorModel.find(
    {
      $or: [
        { 'search.sortKey': { $exists: false } },
        { 'search.version': { $ne: searchKeyVersion } },
        { 'accountSummary.at': { $exists: false } },
      ],
    },
    { displayName: 1, slug: 1, bio: 1 },
  )
    .lean()
    .cursor({ batchSize: BACKFILL_BATCH });
  let batch: KeyedCreator[] = [];
  for await (const creator of cursor) {
    batch.push(creator);
    if (batch.length < BACKFILL_BATCH) continue;
    await refreshBatch(batch);
    keyed += batch.length;
    batch = [];
  }
  if (batch.length) await refreshBatch(batch);
  return keyed + batch.length;
}

/**
 * Start-up hook: keys creators stored before search keys existed (or imported around them), and
 * keys again those stored in an older format.
 */
export const creatorSearchBackfill: PortalHook = {
  name: 'creator search keys',
  start: async ({ logger }) => {
    const keyed = await backfillCreatorSearch();
    if (keyed > 0) logger.info({ keyed }, 'creator search keys backfilled');
  },
};
