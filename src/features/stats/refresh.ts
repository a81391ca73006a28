// "Refresh now" for one account: an officer covering the creator (audited, not limited) or the
// creator on their own account (at most once per PULLER_REFRESH_MINUTES, an hour by default, per
// account). It only enqueues the `stats.refresh` job: the request goes through the platform's polite
// client like the recurring run's, and the new figure (source, as-of) replaces the old one when the
// job has run. Manual platforms (Douyin, Kuaishou, Xiaohongshu, WeChat, Channels) are never pulled.
import type { RequestHandler } from 'express';
import { matchedData } from 'express-validator';
import type { Config } from '../../config.js';
import { AppError } from '../../http/errors.js';
import { choiceField } from '../../http/fields.js';
import { fieldErrors } from '../../http/forms.js';
import { formatDateTime } from '../../i18n/format.js';
import { enqueueJob } from '../../scheduler/index.js';
import { recordAudit } from '../audit/service.js';
import type { AccountDocument } from '../registry/account.model.js';
import type { CreatorDocument } from '../registry/creator.model.js';
import { claimRefreshSlot } from '../registry/pulledFigures.js';
import type { SessionUser } from '../users/model.js';
import { refreshJob } from './jobs.js';
import { isAutomaticPlatform } from './outcomes.js';

export type RefreshRequest =
  { outcome: 'queued' } | { outcome: 'manual' } | { outcome: 'too_soon'; nextAt: Date };

/** Whether an account's platform is pulled (so "refresh now" is offered). */
export const canRefresh = (platform: string): boolean => isAutomaticPlatform(platform);

/**
 * Queues a refresh of one account. `limitMs` (the creator's hourly limit) takes the account's
 * refresh slot first: one guarded update, so two clicks at once queue one refresh.
 */
export async function requestRefresh(
  account: Pick<AccountDocument, '_id' | 'platform' | 'pull'>,
  limitMs?: number,
): Promise<RefreshRequest> {
  if (!canRefresh(account.platform)) return { outcome: 'manual' };
  if (limitMs !== undefined && !(await claimRefreshSlot(account._id, limitMs))) {
    const last = account.pull?.refreshRequestedAt ?? new Date();
    return { outcome: 'too_soon', nextAt: new Date(last.getTime() + limitMs) };
  }
  await enqueueJob(refreshJob, { accountId: account._id.toHexString() });
  return { outcome: 'queued' };
}

function flashOutcome(req: Parameters<RequestHandler>[0], result: RefreshRequest, platform: string): void {
  const platformName = req.t(`registry.platforms.${platform}`);
  if (result.outcome === 'queued')
    req.flash('success', req.t('statsRefresh.queued', { platform: platformName }));
  else if (result.outcome === 'manual')
    req.flash('error', req.t('statsRefresh.manual', { platform: platformName }));
  else {
    req.flash('error', req.t('statsRefresh.tooSoon', { time: formatDateTime(result.nextAt, req.language) }));
  }
}

/** POST /me/accounts/:accountId/refresh — the account's creator, at most once an hour per account. */
export function creatorRefresh(config: Config): RequestHandler {
  return async (req, res) => {
    const account = req.account as AccountDocument;
    const result = await requestRefresh(account, config.puller.refreshGapMs);
    flashOutcome(req, result, account.platform);
    res.redirect(303, `/me/accounts/${account.id}`);
  };
}

export const officerRefreshRules = [choiceField('back', ['creator', 'pool']).optional()];

/** POST /office/accounts/:accountId/refresh — officers covering the creator (audited, not limited). */
export const officerRefresh: RequestHandler = async (req, res) => {
  if (fieldErrors(req)) throw new AppError(400, 'errors.badRequest');
  const { back } = matchedData<{ back?: 'creator' | 'pool' }>(req);
  const account = req.account as AccountDocument;
  const creator = req.creator as CreatorDocument;
  const result = await requestRefresh(account);
  if (result.outcome === 'queued') {
    await recordAudit({
      actor: req.user as SessionUser,
      action: 'stats.account.refresh',
      target: { type: 'account', id: account.id },
      details: { platform: account.platform, platformId: account.platformId },
    });
  }
  flashOutcome(req, result, account.platform);
  res.redirect(
    303,
    back === 'pool' ? `/office/pool/creators/${creator.id}` : `/office/creators/${creator.id}`,
  );
};
