// Pledge versions and signatures: the only module that writes them. Admins publish a version;
// members sign the current one. A signature is created once and never changed.
import mongoose, { type Types } from 'mongoose';
import { recordAudit } from '../audit/service.js';
import type { CreatorDocument } from '../registry/creator.model.js';
import type { Actor } from './membershipService.js';
import type { MembershipDocument } from './membership.model.js';
import { notifyNewPledge } from './notify.js';
import { PledgeVersionModel, type PledgeVersionDocument } from './pledge.model.js';
import { AllianceRefusal } from './refusal.js';
import { PledgeSignatureModel, type PledgeSignatureDocument } from './signature.model.js';

export interface NewPledgeVersion {
  title: string;
  body: string;
  effectiveAt: Date;
  graceDays: number;
}

/** The version in effect now: the newest whose effective date has come. */
export function currentPledge(now = new Date()): Promise<PledgeVersionDocument | null> {
  return PledgeVersionModel.findOne({ effectiveAt: { $lte: now } })
    .sort({ version: -1 })
    .exec();
}

/** A version readable by the public (in effect now or earlier), or null. */
export function publishedPledge(version: number, now = new Date()): Promise<PledgeVersionDocument | null> {
  return PledgeVersionModel.findOne({ version: { $eq: version }, effectiveAt: { $lte: now } }).exec();
}

/** Every version, newest first (admins see future ones too). */
export function listPledges(): Promise<PledgeVersionDocument[]> {
  return PledgeVersionModel.find().sort({ version: -1 }).exec();
}

/** Publishes the next version number; a race for the same number retries once with the next. */
export async function publishPledge(actor: Actor, input: NewPledgeVersion): Promise<PledgeVersionDocument> {
  for (let attempt = 0; ; attempt += 1) {
    const latest = await PledgeVersionModel.findOne().sort({ version: -1 }).exec();
    try {
      const pledge = await PledgeVersionModel.create({
        ...input,
        version: (latest?.version ?? 0) + 1,
        publishedBy: actor.id,
      });
      await recordAudit({
        actor,
        action: 'pledge.publish',
        target: { type: 'pledge', id: String(pledge.version) },
        details: { title: pledge.title, effectiveAt: pledge.effectiveAt, graceDays: pledge.graceDays },
      });
      await notifyNewPledge(pledge.version);
      return pledge;
    } catch (error) {
      const duplicate = error instanceof mongoose.mongo.MongoServerError && error.code === 11000;
      if (!duplicate || attempt > 0) throw error;
    }
  }
}

/** Names compare as people read them: width and case folded, spaces ignored. */
export function sameName(a: string, b: string): boolean {
  const fold = (name: string): string => name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  return fold(a) !== '' && fold(a) === fold(b);
}

export interface SignatureInput {
  version: number;
  typedName: string;
}

/**
 * Signs the current version for the signed-in creator. Refused: not an approved member, a version
 * that is not the current one, a name that is neither the profile's nor the account's, a second
 * signature. The name check is also in the form's validation; this is the service's own guard.
 */
export async function signPledge(
  user: Actor & { displayName: string },
  creator: CreatorDocument,
  membership: MembershipDocument | null,
  input: SignatureInput,
): Promise<PledgeSignatureDocument> {
  if (membership?.status !== 'approved') throw new AllianceRefusal('alliance.refusals.notActiveMember');
  const pledge = await currentPledge();
  if (!pledge || pledge.version !== input.version) throw new AllianceRefusal('alliance.refusals.oldVersion');
  if (!sameName(input.typedName, creator.displayName) && !sameName(input.typedName, user.displayName))
    throw new AllianceRefusal('alliance.refusals.nameMismatch');
  let signature: PledgeSignatureDocument;
  try {
    signature = await PledgeSignatureModel.create({
      version: pledge.version,
      creator: creator._id,
      user: user.id,
      typedName: input.typedName,
      signedAt: new Date(),
    });
  } catch (error) {
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000)
      throw new AllianceRefusal('alliance.refusals.alreadySigned');
    throw error;
  }
  await recordAudit({
    actor: user,
    action: 'pledge.sign',
    target: { type: 'pledge', id: String(pledge.version) },
    details: { creator: creator.id, typedName: input.typedName },
  });
  return signature;
}

export function signatureOf(
  creatorId: Types.ObjectId,
  version: number,
): Promise<PledgeSignatureDocument | null> {
  return PledgeSignatureModel.findOne({ creator: creatorId, version: { $eq: version } }).exec();
}

/** The creator's latest signature (any version). */
export function latestSignatureOf(creatorId: Types.ObjectId): Promise<PledgeSignatureDocument | null> {
  return PledgeSignatureModel.findOne({ creator: creatorId }).sort({ version: -1 }).exec();
}
