// Documents → page models with translated labels, shared by the creator's and the officers' pages.
import type { Request } from 'express';
import type { AccountDocument } from './account.model.js';
import { categories, categoryLabelKey, creatorKindLabelKey, creatorKinds, streets } from './catalogue.js';
import type { CreatorDocument } from './creator.model.js';
import { platformKeys, platforms } from './platforms/index.js';
import { isAutomaticPlatform } from '../stats/outcomes.js';

export const platformLabel = (req: Request, platform: string): string =>
  req.t(`registry.platforms.${platform}`);

export function platformOptions(req: Request) {
  return platformKeys.map((value) => ({ value, label: platformLabel(req, value) }));
}

export function profileOptions(req: Request) {
  return {
    kindOptions: creatorKinds.map((value) => ({ value, label: req.t(creatorKindLabelKey(value)) })),
    streetOptions: streets.map((value) => ({ value, label: req.t(`streets.${value}`) })),
    categoryOptions: categories.map((value) => ({ value, label: req.t(categoryLabelKey(value)) })),
  };
}

export interface FigureView {
  followers: string;
  raw: string;
  sourceLabel: string;
  asOf: Date;
  manual: boolean;
  confirmed: boolean;
  statusLabel: string;
  evidence?: string;
}

export function figureView(req: Request, account: AccountDocument): FigureView | undefined {
  const figure = account.figure;
  if (!figure) return undefined;
  const manual = figure.source === 'manual';
  const confirmed = !manual || Boolean(figure.confirmedAt);
  return {
    followers: new Intl.NumberFormat(req.language).format(figure.followers),
    raw: figure.raw ?? '',
    sourceLabel: req.t(`registry.figures.sources.${figure.source}`),
    asOf: figure.asOf,
    manual,
    confirmed,
    statusLabel: req.t(confirmed ? 'registry.figures.confirmed' : 'registry.figures.unconfirmed'),
    evidence: figure.evidence?.toHexString(),
  };
}

export function accountView(req: Request, account: AccountDocument) {
  const platform = account.platform;
  const state = account.ownership.state;
  return {
    id: account.id,
    platform,
    platformLabel: platformLabel(req, platform),
    figureIntake: req.t(`registry.figureIntakes.${platforms[platform].figures}`),
    platformId: account.platformId,
    displayName: account.displayName || account.platformId,
    url: account.url,
    state,
    stateLabel: req.t(`registry.ownership.states.${state}`),
    canRequestCheck: state === 'unverified' || state === 'rejected',
    code: account.ownership.code,
    reason: account.ownership.reason,
    decidedAt: account.ownership.decidedAt,
    requestedAt: account.ownership.requestedAt,
    evidence: account.ownership.evidence.map((id) => id.toHexString()),
    history: account.ownership.history.map((entry) => ({
      stateLabel: req.t(`registry.ownership.states.${entry.state}`),
      at: entry.at,
      reason: entry.reason,
    })),
    figure: figureView(req, account),
    /** Pulled by the stats feed: "refresh now" is offered (manual platforms say so instead). */
    refreshable: isAutomaticPlatform(platform),
    lastPull: account.pull?.lastTriedAt
      ? {
          at: account.pull.lastTriedAt,
          outcomeLabel: req.t(`statsRefresh.outcomes.${account.pull.lastOutcome ?? 'skipped'}`),
        }
      : undefined,
  };
}

export function creatorView(req: Request, creator: CreatorDocument) {
  return {
    id: creator.id,
    displayName: creator.displayName,
    slug: creator.slug,
    kindLabel: req.t(creatorKindLabelKey(creator.kind)),
    streetLabel: creator.street ? req.t(`streets.${creator.street}`) : '',
    categoryLabels: creator.categories.map((category) => req.t(categoryLabelKey(category))),
    bio: creator.bio,
    avatar: creator.avatar?.toHexString(),
    phone: creator.contact?.phone ?? '',
    wechat: creator.contact?.wechat ?? '',
    listed: creator.consent?.listed ?? false,
    consentAt: creator.consent?.at,
    claimed: Boolean(creator.user),
    /** Imported and not claimed yet: officers may hand over a new claim link. */
    unclaimed: !creator.user && Boolean(creator.claim?.importedBy),
    claimExpiresAt: creator.claim?.expiresAt,
    claimEmail: creator.claim?.email,
    claimedAt: creator.claim?.claimedAt,
  };
}

export function noticesView(req: Request, creator: CreatorDocument) {
  return [...creator.notices].reverse().map((notice) => {
    const params = (notice.params ?? {}) as Record<string, string>;
    return {
      at: notice.at,
      text: req.t(`registry.notices.${notice.kind}${params.side ? `_${params.side}` : ''}`, {
        ...params,
        platform: params.platform ? platformLabel(req, params.platform) : '',
        state: params.state ? req.t(`registry.ownership.states.${params.state}`) : '',
        outcome: params.outcome ? req.t(`registry.notices.outcomes.${params.outcome}`) : '',
      }),
    };
  });
}
