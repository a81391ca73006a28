// Documents → page models with translated labels, shared by the creator's, the office's and the
// public pages.
import type { Request } from 'express';
import { allianceActivities, type MembershipDocument } from './membership.model.js';
import type { PledgeVersionDocument } from './pledge.model.js';
import type { Standing } from './standing.js';

export interface HistoryRow {
  action: string;
  from: string;
  to: string;
  at: Date;
  reason?: string;
}

export function historyRows(req: Request, membership: MembershipDocument): HistoryRow[] {
  return [...membership.history].reverse().map((entry) => ({
    action: req.t(`alliance.actions.${entry.action}`),
    from: entry.from === 'none' ? '' : req.t(`alliance.statuses.${entry.from}`),
    to: req.t(`alliance.statuses.${entry.to}`),
    at: entry.at,
    reason: entry.reason ?? undefined,
  }));
}

/** The activity checkboxes with the ticked ones marked. */
export function activityOptions(req: Request, ticked: readonly string[] = []) {
  return allianceActivities.map((value) => ({
    value,
    label: req.t(`alliance.activities.${value}`),
    checked: ticked.includes(value),
  }));
}

export function activityLabels(req: Request, activities: readonly string[]): string {
  return activities
    .map((value) => req.t(`alliance.activities.${value}`))
    .join(req.t('alliance.listSeparator'));
}

export function statusLabel(req: Request, membership: MembershipDocument): string {
  if (membership.status === 'applied' && membership.infoRequest?.at)
    return req.t('alliance.statuses.needs_info');
  return req.t(`alliance.statuses.${membership.status}`);
}

export function standingLabel(req: Request, standing: Standing | undefined): string {
  return standing ? req.t(`alliance.standings.${standing}`) : '';
}

/** A pledge's text as paragraphs (the body is plain text; blank lines separate paragraphs). */
export function pledgeModel(pledge: PledgeVersionDocument) {
  return {
    version: pledge.version,
    title: pledge.title,
    effectiveAt: pledge.effectiveAt,
    graceDays: pledge.graceDays,
    paragraphs: pledge.body
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.trim())
      .filter(Boolean),
  };
}

/** The submitted activities (strings only), to tick them again when the form comes back. */
export function submittedActivities(req: Request): string[] {
  const value = (req.body as Record<string, unknown>).activities;
  const values = Array.isArray(value) ? value : [value];
  return values.filter((item): item is string => typeof item === 'string');
}
