// Recording audit entries. Callers record after the change itself has been written: the app has
// no multi-document transactions, so an entry describes a change that happened.
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
