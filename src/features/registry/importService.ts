// The bulk import against the registry: an uploaded file is stored for the officer, read into a
// preview (import/), and planned against what the registry holds (street scope, accounts that
// exist already). Applying re-reads the stored bytes and plans again, then writes: one creator
// document per new creator, one account document per new account, then ONE audit entry with the
// counts. Keyed on platform + id, so importing the same file again changes nothing.
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import mongoose, { type Types } from 'mongoose';
import { recordAudit } from '../audit/service.js';
import { languageOf, mailConfigured, mailLink, queueMail } from '../mail/service.js';
import { refreshCreatorSearch } from '../pool/creatorSearch.js';
import type { SessionUser } from '../users/model.js';
import { AccountModel } from './account.model.js';
import { claimLinkDays, claimPath, newClaimToken, reissueClaimLink } from './claim.js';
import { CreatorModel, type CreatorDocument } from './creator.model.js';
import {
  type ImportError,
  type ImportPreview,
  type ImportedAccount,
  type ImportedCreator,
  maxImportBytes,
  parseImportFile,
} from './import/index.js';
import { ImportUploadModel, type ImportUploadDocument } from './import/upload.model.js';
import { scopeStreet } from './loaders.js';
import { generateOwnershipCode } from './ownership.js';
import { profileUrl } from './platforms/index.js';
import { deriveSlug, uniqueSlug } from './slug.js';
import { appendSnapshot } from './snapshots.js';

type Actor = Pick<SessionUser, 'id' | 'email' | 'role' | 'streetScope'>;

export type AccountOutcome = 'new' | 'unchanged' | 'conflict';

export interface PlannedAccount extends ImportedAccount {
  outcome: AccountOutcome;
}

export interface PlannedCreator extends Omit<ImportedCreator, 'accounts'> {
  /** The registry's creator these rows belong to (an earlier import), if any. */
  existing?: Types.ObjectId | undefined;
  accounts: PlannedAccount[];
}

export interface ImportCounts {
  rows: number;
  creatorsNew: number;
  accountsNew: number;
  accountsUnchanged: number;
  conflicts: number;
  errors: number;
  claimLinksMailed: number;
}

export interface ImportPlan {
  rowCount: number;
  errors: ImportError[];
  creators: PlannedCreator[];
  counts: ImportCounts;
  /** An import with errors in the file writes nothing: the office fixes the file first. */
  canApply: boolean;
}

const errorKey = (name: string) => `registryImport.errors.${name}`;

/** Formats that are neither a spreadsheet nor text: a PNG renamed to .csv is refused as such. */
async function isSpreadsheetLike(data: Buffer): Promise<boolean> {
  const type = await fileTypeFromBuffer(data);
  // text (CSV) has no magic number; an XLSX is a zip that file-type names xlsx (or zip)
  return type === undefined || type.ext === 'xlsx' || type.ext === 'zip';
}

/** Reads a file into a preview, refusing what is not a spreadsheet. */
export async function previewFile(data: Buffer): Promise<ImportPreview> {
  if (data.length > maxImportBytes || !(await isSpreadsheetLike(data))) {
    return {
      rowCount: 0,
      creators: [],
      errors: [{ row: 0, column: null, messageKey: 'registry.import.errors.file_unreadable' }],
    };
  }
  return parseImportFile(data);
}

/** Plans a preview against the registry: scope errors, existing and conflicting accounts. */
export async function planImport(actor: Actor, preview: ImportPreview): Promise<ImportPlan> {
  const errors = [...preview.errors];
  const street = scopeStreet(actor as SessionUser);
  const creators: PlannedCreator[] = [];
  const counts: ImportCounts = {
    rows: preview.rowCount,
    creatorsNew: 0,
    accountsNew: 0,
    accountsUnchanged: 0,
    conflicts: 0,
    errors: 0,
    claimLinksMailed: 0,
  };
  for (const creator of preview.creators) {
    if (street && creator.street !== street) {
      errors.push({ row: creator.row, column: 'street', messageKey: errorKey('out_of_scope') });
      continue;
    }
    const held = await AccountModel.find({
      $or: creator.accounts.map((account) => ({
        platform: { $eq: account.platform },
        platformId: { $eq: account.platformId },
      })),
    });
    const holders = await CreatorModel.find(
      { _id: { $in: held.map((account) => account.creator) } },
      { street: 1, claim: 1 },
    );
    // an earlier import of these rows (in the officer's scope) is the creator they belong to
    const existing = holders.find(
      (holder) => holder.claim?.importedBy && (!street || holder.street === street),
    )?._id;
    const accounts = creator.accounts.map((account): PlannedAccount => {
      const holder = held.find(
        (doc) => doc.platform === account.platform && doc.platformId === account.platformId,
      )?.creator;
      const outcome: AccountOutcome = !holder
        ? 'new'
        : existing && holder.equals(existing)
          ? 'unchanged'
          : 'conflict';
      return { ...account, outcome };
    });
    for (const account of accounts) {
      if (account.outcome === 'new') counts.accountsNew += 1;
      else if (account.outcome === 'unchanged') counts.accountsUnchanged += 1;
      else counts.conflicts += 1;
    }
    if (!existing && accounts.some((account) => account.outcome === 'new')) counts.creatorsNew += 1;
    creators.push({ ...creator, existing, accounts });
  }
  counts.errors = errors.length;
  errors.sort((a, b) => a.row - b.row);
  return { rowCount: preview.rowCount, errors, creators, counts, canApply: errors.length === 0 };
}

/** Keeps the officer's upload for the confirm step; its id names it in the URL. */
export async function storeImportUpload(
  actor: Actor,
  data: Buffer,
  fileName: string | undefined,
): Promise<ImportUploadDocument> {
  return ImportUploadModel.create({
    officer: actor.id,
    sha256: createHash('sha256').update(data).digest('hex'),
    fileName: fileName?.slice(0, 200),
    data,
  });
}

/** The officer's own upload, or null (another officer's reads like a missing one). */
export function findOwnUpload(actor: Actor, id: unknown): Promise<ImportUploadDocument | null> {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return ImportUploadModel.findOne({ _id: id, officer: actor.id }).exec();
}

export async function planUpload(actor: Actor, upload: ImportUploadDocument): Promise<ImportPlan> {
  return planImport(actor, await previewFile(upload.data));
}

export interface ClaimLink {
  creatorId: string;
  displayName: string;
  path: string;
  mailedTo?: string | undefined;
}

export type ApplyResult =
  | { outcome: 'applied'; counts: ImportCounts; claimLinks: ClaimLink[] }
  | { outcome: 'already_applied'; counts: ImportCounts }
  | { outcome: 'refused'; plan: ImportPlan };

async function createImportedCreator(actor: Actor, planned: PlannedCreator) {
  const { token, fields } = newClaimToken();
  const slug = await uniqueSlug(
    deriveSlug(planned.displayName),
    async (candidate) => (await CreatorModel.exists({ slug: { $eq: candidate } })) !== null,
  );
  const creator = await CreatorModel.create({
    displayName: planned.displayName,
    kind: planned.kind,
    street: planned.street,
    categories: planned.categories,
    bio: planned.bio ?? '',
    contact: { phone: planned.contactPhone ?? '', wechat: planned.contactWechat ?? '' },
    slug,
    claim: { ...fields, importedBy: actor.id, email: planned.contactEmail },
  });
  return { creator, token };
}

async function createImportedAccount(
  actor: Actor,
  creator: { _id: Types.ObjectId; street?: string | null | undefined },
  account: PlannedAccount,
): Promise<boolean> {
  const at = new Date();
  const figure =
    account.followers === undefined
      ? undefined
      : {
          followers: account.followers,
          precision: 'exact' as const,
          raw: String(account.followers),
          source: 'manual' as const,
          asOf: at,
          enteredBy: actor.id,
          // the office's own figure: entered and confirmed by the importing officer
          confirmedBy: actor.id,
          confirmedAt: at,
        };
  try {
    const created = await AccountModel.create({
      creator: creator._id,
      platform: account.platform,
      platformId: account.platformId,
      displayName: account.accountName ?? '',
      url: profileUrl(account.platform, account.platformId),
      ownership: { state: 'unverified', code: generateOwnershipCode(), history: [] },
      ...(figure ? { figure } : {}),
    });
    if (figure) {
      await appendSnapshot({ account: created, street: creator.street ?? undefined, ...figure, at });
    }
    return true;
  } catch (error) {
    // someone added the same account since the plan: it stays theirs
    if (error instanceof mongoose.mongo.MongoServerError && error.code === 11000) return false;
    throw error;
  }
}

/**
 * Applies a stored upload once: plans it again from its bytes (the registry may have changed
 * since the preview), writes, mails each new creator's claim link once, and records one audit
 * entry with the counts.
 */
export async function applyUpload(actor: Actor, upload: ImportUploadDocument): Promise<ApplyResult> {
  if (upload.appliedAt) return { outcome: 'already_applied', counts: upload.counts as ImportCounts };
  const plan = await planUpload(actor, upload);
  if (!plan.canApply) return { outcome: 'refused', plan };
  // taken once: a double submit (or a second tab) finds it applied
  const taken = await ImportUploadModel.findOneAndUpdate(
    { _id: upload._id, officer: actor.id, appliedAt: { $exists: false } },
    { $set: { appliedAt: new Date() } },
  );
  if (!taken) {
    const applied = await ImportUploadModel.findById(upload._id);
    return { outcome: 'already_applied', counts: (applied?.counts ?? plan.counts) as ImportCounts };
  }
  const counts: ImportCounts = { ...plan.counts, creatorsNew: 0, accountsNew: 0 };
  const claimLinks: ClaimLink[] = [];
  for (const planned of plan.creators) {
    const fresh = planned.accounts.filter((account) => account.outcome === 'new');
    if (fresh.length === 0) continue;
    let target: { _id: Types.ObjectId; street?: string | null | undefined } | undefined = planned.existing
      ? { _id: planned.existing, street: planned.street }
      : undefined;
    let token: string | undefined;
    if (!target) {
      const made = await createImportedCreator(actor, planned);
      target = made.creator;
      token = made.token;
      counts.creatorsNew += 1;
    }
    for (const account of fresh) {
      if (await createImportedAccount(actor, target, account)) counts.accountsNew += 1;
      else counts.conflicts += 1;
    }
    await refreshCreatorSearch(target._id);
    if (token) {
      const link: ClaimLink = {
        creatorId: target._id.toHexString(),
        displayName: planned.displayName,
        path: claimPath(token),
      };
      if (planned.contactEmail && mailConfigured()) {
        await queueMail({
          key: `claim:${link.creatorId}`,
          to: planned.contactEmail,
          toName: planned.displayName,
          language: languageOf({}),
          template: 'claimInvite',
          params: { link: mailLink(link.path), days: claimLinkDays },
        });
        link.mailedTo = planned.contactEmail;
        counts.claimLinksMailed += 1;
      }
      claimLinks.push(link);
    }
  }
  await ImportUploadModel.updateOne({ _id: upload._id }, { $set: { counts }, $unset: { data: '' } });
  await recordAudit({
    actor,
    action: 'registry.import',
    target: { type: 'import', id: upload.id },
    details: { file: upload.fileName ?? '', sha256: upload.sha256, ...counts },
  });
  return { outcome: 'applied', counts, claimLinks };
}

/** A new claim link for an unclaimed creator (the old one ends), audited; undefined once claimed. */
export async function newClaimLink(actor: Actor, creator: CreatorDocument): Promise<string | undefined> {
  const token = await reissueClaimLink(creator._id);
  if (token) {
    await recordAudit({ actor, action: 'creator.claim_link', target: { type: 'creator', id: creator.id } });
  }
  return token;
}
