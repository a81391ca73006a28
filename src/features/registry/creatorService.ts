// The creator profile: the only module that writes creators (apart from notices, see notify.ts,
// and the import's unclaimed creators). A creator user gets a creator on first visit to /me.
import mongoose, { type Types } from 'mongoose';
import type { SessionUser } from '../users/model.js';
import type { Category, CreatorKind, Street } from './catalogue.js';
import { CreatorModel, type CreatorDocument } from './creator.model.js';
import { refreshPublicListing } from '../directory/listing.js';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import { deriveSlug, uniqueSlug } from './slug.js';

export class SlugTakenError extends Error {}

const slugExists = async (slug: string): Promise<boolean> =>
  (await CreatorModel.exists({ slug: { $eq: slug } })) !== null;

export function findCreatorOfUser(userId: string): Promise<CreatorDocument | null> {
  if (!mongoose.isValidObjectId(userId)) return Promise.resolve(null);
  return CreatorModel.findOne({ user: userId }).exec();
}

export function findCreatorById(id: unknown): Promise<CreatorDocument | null> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return CreatorModel.findById(id).exec();
}

/** The user's creator, created with a derived slug the first time (a race ends in the index). */
export async function ensureCreatorOfUser(
  user: Pick<SessionUser, 'id' | 'displayName'>,
): Promise<CreatorDocument> {
  const existing = await findCreatorOfUser(user.id);
  if (existing) return existing;
  const slug = await uniqueSlug(deriveSlug(user.displayName), slugExists);
  try {
    const created = await CreatorModel.create({ user: user.id, displayName: user.displayName, slug });
    // The resource pool finds creators by stored keys: key the new one now.
    await refreshCreatorSearch(created._id);
    return created;
  } catch (error) {
    // Two first visits at once: the unique index on user keeps one; read it.
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) {
      const created = await findCreatorOfUser(user.id);
      if (created) return created;
    }
    throw error;
  }
}

export interface ProfileInput {
  displayName: string;
  kind: CreatorKind;
  street: Street;
  categories: Category[];
  bio: string;
  phone: string;
  wechat: string;
  slug: string;
  listed: boolean;
}

/** Saves the profile form; a slug another creator has throws SlugTakenError and writes nothing. */
export async function updateProfile(creator: CreatorDocument, input: ProfileInput): Promise<CreatorDocument> {
  if (
    input.slug !== creator.slug &&
    (await CreatorModel.exists({ slug: { $eq: input.slug }, _id: { $ne: creator._id } }))
  )
    throw new SlugTakenError(input.slug);
  const consentChanged = input.listed !== (creator.consent?.listed ?? false);
  try {
    const updated = await CreatorModel.findOneAndUpdate(
      { _id: creator._id },
      {
        $set: {
          displayName: input.displayName,
          kind: input.kind,
          street: input.street,
          categories: input.categories,
          bio: input.bio,
          'contact.phone': input.phone,
          'contact.wechat': input.wechat,
          slug: input.slug,
          'consent.listed': input.listed,
          ...(consentChanged ? { 'consent.at': new Date() } : {}),
        },
      },
      { returnDocument: 'after', runValidators: true },
    );
    if (!updated) throw new Error('creator vanished during the profile update');
    await refreshCreatorSearch(updated._id); // names and bio feed the pool's search keys
    return updated;
  } catch (error) {
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      throw new SlugTakenError(input.slug);
    throw error;
  }
}

/** Points the profile at a new avatar; the previous one's id is returned for removal. */
export async function setAvatar(
  creator: CreatorDocument,
  avatar: Types.ObjectId,
): Promise<Types.ObjectId | undefined> {
  const before = await CreatorModel.findOneAndUpdate({ _id: creator._id }, { $set: { avatar } });
  await refreshPublicListing(creator._id); // the directory shows the new avatar
  return before?.avatar ?? undefined;
}

/** What the dashboard lists as missing from the profile, in the order to do it. */
export function missingProfileParts(creator: CreatorDocument): string[] {
  const missing: string[] = [];
  if (!creator.street) missing.push('street');
  if (creator.categories.length === 0) missing.push('categories');
  if (!creator.bio) missing.push('bio');
  if (!creator.avatar) missing.push('avatar');
  if (!creator.contact?.phone && !creator.contact?.wechat) missing.push('contact');
  return missing;
}
