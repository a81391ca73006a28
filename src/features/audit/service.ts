// Recording audit entries. Callers record after the change itself has been written: the app has
// no multi-document transactions, so an entry describes a change that happened.
import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../users/model.js';
import { AuditEntryModel, type AuditEntryDocument } from './model.js';

export interface AuditRecord {
  actor: Pick<SessionUser, 'id' | 'email'>;
  action: string;
  target: { type: string; id: string };
  details?: Record<string, unknown>;
}

export function recordAudit(record: AuditRecord): Promise<AuditEntryDocument> {
  return AuditEntryModel.create({
    actor: { userId: record.actor.id, email: record.actor.email },
    action: record.action,
    target: record.target,
    at: new Date(),
    details: record.details ?? {},
  });
}

export interface AuditFilter {
  /** The actor's email, exactly (lower case). */
  actorEmail?: string | undefined;
  /** An action, exactly (e.g. account.ownership.verify), or a family ending in "." (account.). */
  action?: string | undefined;
  from?: Date | undefined;
  /** Inclusive: entries up to the end of this instant. */
  to?: Date | undefined;
  targetIds?: string[] | undefined;
}

/** The newest entries matching every given filter (values are compared as literals, never as operators). */
export function listAuditEntries(filter: AuditFilter, limit = 200): Promise<AuditEntryDocument[]> {
  const query: Record<string, unknown> = {};
  if (filter.actorEmail) query['actor.email'] = { $eq: filter.actorEmail };
  if (filter.action) {
    query.action = filter.action.endsWith('.')
      ? { $gte: filter.action, $lt: `${filter.action}\uffff` }
      : { $eq: filter.action };
  }
  if (filter.from || filter.to)
    query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
  if (filter.targetIds) query['target.id'] = { $in: filter.targetIds };
  return AuditEntryModel.find(query).sort({ at: -1 }).limit(limit).exec();
}

/** The actions recorded so far, for the audit page's filter. */
export async function knownAuditActions(): Promise<string[]> {
  const actions: string[] = await AuditEntryModel.distinct('action');
  return actions.sort();
}

/** What a deleted person is called in the log from then on: stable for their entries, not reversible. */
export function newPseudonym(): string {
  return `deleted-${randomBytes(5).toString('hex')}`;
}

interface Identity {
  email: string;
  names: string[];
  pseudonym: string;
}

/** An address is replaced wherever it appears; a name only where it is the whole value (short names are common words). */
function replaceIn(value: unknown, who: Identity): unknown {
  if (typeof value === 'string') {
    if (who.names.includes(value.trim())) return who.pseudonym;
    return value.split(who.email).join(who.pseudonym);
  }
  if (Array.isArray(value)) return value.map((item) => replaceIn(item, who));
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !('_bsontype' in value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceIn(item, who)]));
  }
  return value;
}

/**
 * A person deleted their account: the entries they made, and the entries about their records,
 * keep what happened but not who they were. Their address and names are replaced by the
 * pseudonym wherever an entry holds them (actor, details). Returns how many entries changed.
 */
export async function pseudonymiseAuditEntries(person: {
  userId: string;
  email: string;
  names: string[];
  targetIds: string[];
  pseudonym: string;
}): Promise<number> {
  const who: Identity = {
    email: person.email,
    names: person.names.map((name) => name.trim()).filter((name) => name.length > 0),
    pseudonym: person.pseudonym,
  };
  const entries = await AuditEntryModel.find({
    $or: [{ 'actor.userId': { $eq: person.userId } }, { 'target.id': { $in: person.targetIds } }],
  });
  let changed = 0;
  for (const entry of entries) {
    const ownEntry = entry.actor?.userId?.toHexString() === person.userId;
    const details = replaceIn(entry.details ?? {}, who);
    const update: Record<string, unknown> = {};
    if (ownEntry && entry.actor?.email !== person.pseudonym) update['actor.email'] = person.pseudonym;
    if (JSON.stringify(details) !== JSON.stringify(entry.details ?? {})) update.details = details;
    if (Object.keys(update).length === 0) continue;
    await AuditEntryModel.updateOne({ _id: entry._id }, { $set: update });
    changed += 1;
  }
  return changed;
}
