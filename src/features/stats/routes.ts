// /office/stats (officers and admins; the area guard is in app.ts): the stats feed's health, and
// pausing or resuming a platform; "refresh now" for one account under /office and /me (refresh.ts).
// Pausing stops the whole district's pulls from a platform, so it is for whoever covers the whole
// district (admins and district officers, users/scope.ts); a street officer sees no buttons.
import { type RequestHandler, Router } from 'express';
import { matchedData, param } from 'express-validator';
import { recordAudit } from '../audit/service.js';
import { choiceField } from '../../http/fields.js';
import { fieldErrors } from '../../http/forms.js';
import { AppError } from '../../http/errors.js';
import type { Config } from '../../config.js';
import { loadOwnAccount, loadOwnCreator, loadScopedAccount, scopeStreet } from '../registry/loaders.js';
import type { SessionUser } from '../users/model.js';
import { scopedStreet } from '../users/scope.js';
import { feedHealth } from './health.js';
import { automaticPlatforms, type AutomaticPlatform } from './outcomes.js';
import { creatorRefresh, officerRefresh, officerRefreshRules } from './refresh.js';
import { stateStore } from './runtime.js';

/** Seconds between reloads of the page while a run is in progress (no JavaScript needed). */
const refreshWhileRunning = 15;

const canPause = (user: SessionUser): boolean => scopedStreet(user) === null;

function showHealth(config: Config): RequestHandler {
  /** GET /office/stats — officers and admins. */
  return async (req, res) => {
    const user = req.user as SessionUser;
    const health = await feedHealth(config, scopeStreet(user));
    const label = (platform: string) => req.t(`registry.platforms.${platform}`);
    const active = health.active;
    res.render('stats/health', {
      title: req.t('stats.title'),
      refreshSeconds: active ? refreshWhileRunning : undefined,
      canPause: canPause(user),
      platforms: health.platforms.map((entry) => ({
        ...entry,
        label: label(entry.platform),
        breakerLabel: req.t(`stats.breaker.${entry.breaker}`),
        errorRate: entry.errorRate === undefined ? '–' : `${entry.errorRate}%`,
      })),
      active: active && {
        startedAt: active.startedAt,
        resumes: active.resumes,
        platforms: automaticPlatforms.map((platform) => {
          const progress = active.platforms?.[platform];
          return { label: label(platform), done: progress?.done ?? 0, due: progress?.due ?? 0 };
        }),
      },
      runs: health.runs.map((run) => ({
        startedAt: run.startedAt,
        endedAt: run.endedAt,
        stateLabel: req.t(`stats.runStates.${run.active && run.state === 'running' ? 'running' : run.state}`),
        figures: run.totals?.figure ?? 0,
        errors: (run.totals?.transient ?? 0) + (run.totals?.blocked ?? 0) + (run.totals?.not_found ?? 0),
        skipped: run.totals?.skipped ?? 0,
      })),
      failing: health.failing.map((account) => ({
        platform: label(account.platform),
        platformId: account.platformId,
        failures: account.pull?.failures ?? 0,
        lastError: account.pull?.lastError ?? '',
        lastTriedAt: account.pull?.lastTriedAt,
      })),
      flagged: health.flagged.map((account) => ({
        platform: label(account.platform),
        platformId: account.platformId,
        followers: account.figure?.followers,
        anomaly: req.t(`stats.anomalies.${account.figure?.anomaly ?? 'jumped'}`),
        asOf: account.figure?.asOf,
      })),
    });
  };
}

const pauseRules = [
  param('platform').isIn(automaticPlatforms).withMessage('validation.choice'),
  choiceField('action', ['pause', 'resume']),
];

/** POST /office/stats/platforms/:platform — admins and district-wide officers. */
const setPause: RequestHandler = async (req, res) => {
  const user = req.user as SessionUser;
  if (!canPause(user)) throw new AppError(403, 'errors.forbidden');
  const errors = fieldErrors(req);
  // An unknown platform is a page that does not exist; a known one without a valid action is a
  // request the page's buttons never send.
  if (errors?.platform) throw new AppError(404, 'errors.notFound');
  if (errors) throw new AppError(400, 'errors.badRequest');
  const { platform, action } = matchedData<{ platform: AutomaticPlatform; action: 'pause' | 'resume' }>(req);
  const changed = await stateStore.setPaused(platform, action === 'pause', user.email);
  if (changed) {
    await recordAudit({
      actor: user,
      action: `stats.platform.${action}`,
      target: { type: 'platform', id: platform },
    });
  }
  req.flash(
    'success',
    req.t(`stats.${action === 'pause' ? 'paused' : 'resumed'}`, {
      platform: req.t(`registry.platforms.${platform}`),
    }),
  );
  res.redirect(303, '/office/stats');
};

export function statsRoutes(config: Config): { office: Router; creator: Router } {
  const office = Router();
  office.get('/stats', showHealth(config));
  office.post('/stats/platforms/:platform', pauseRules, setPause);
  /** POST /office/accounts/:accountId/refresh — officers covering the creator ("refresh now"). */
  office.post('/accounts/:accountId/refresh', loadScopedAccount, officerRefreshRules, officerRefresh);
  const creator = Router();
  /** POST /me/accounts/:accountId/refresh — the account's creator ("refresh now", hourly). */
  creator.post('/accounts/:accountId/refresh', loadOwnCreator, loadOwnAccount, creatorRefresh(config));
  return { office, creator };
}
