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
