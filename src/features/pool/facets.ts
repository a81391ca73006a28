// The resource pool's facets, sorts and page sizes, each defined once. Adding a facet is one entry
// in `facets`: its query parameter, its allowed values and their label keys, the filter for the
// chosen values (OR within the facet) and the values a creator counts under (`tags`: every facet
// is counted in one pass over the current result, `countStages`). Most are
// built by `listFacet` (a field holding the value) or `bandFacet` (ranges of a number or date);
// `onCreator` facets filter creator fields before the joins, where their indexes serve them
// (docs/pool.md lists which index serves which facet and sort).
import type { PipelineStage } from 'mongoose';
import { membershipStatuses } from '../alliance/membership.model.js';
import { ownershipStates } from '../registry/account.model.js';
import { categories, categoryLabelKey, streets, streetLabelKey } from '../registry/catalogue.js';
import { platformKeys } from '../registry/platforms/index.js';

/** What a facet's filter and counts may depend on besides the chosen values. */
export interface FacetContext {
  now: Date;
  /** The chosen values of every facet (a facet may narrow by another, as followers per platform). */
  selected: Record<string, string[]>;
}

type Expression = Record<string, unknown>;
type CountStage = PipelineStage.FacetPipelineStage;

export interface FacetDefinition {
  /** The query-string parameter (repeated for OR within the facet). */
  key: string;
  values: readonly string[];
  label: (value: string) => string;
  /** Whether it filters creator fields (before the joins) or the joined membership and pledge. */
  onCreator: boolean;
  /** The filter for the chosen values (never empty: a facet without values is not asked). */
  filter: (values: readonly string[], context: FacetContext) => Record<string, unknown>;
  /**
   * The values a creator counts under, as an aggregation expression giving an array of distinct
   * values (none, one, or several for an array field).
   */
  tags: (context: FacetContext) => Expression | Expression[];
  /** Stages that count the current result per value, as `{ _id: value, n }` (this facet alone). */
  count: (context: FacetContext) => CountStage[];
}

/** Stages counting one facet from its tags: `{ _id: value, n }` per value. */
function countFromTags(tags: FacetDefinition['tags']): FacetDefinition['count'] {
  return (context) => [
    { $project: { _id: 0, value: tags(context) } },
    { $unwind: '$value' },
    { $group: { _id: '$value', n: { $sum: 1 } } },
  ];
}

/**
 * Stages counting every facet in one pass over the current result: each creator's tags of every
 * facet, unwound once, grouped by `{ facet, value }`, as `{ _id: { facet, value }, n }`.
 */
export function countStages(context: FacetContext): CountStage[] {
  const tagged = facets.map((facet) => ({
    $map: { input: facet.tags(context), as: 'value', in: { facet: facet.key, value: '$$value' } },
  }));
  return [
    { $project: { _id: 0, tags: { $concatArrays: tagged } } },
    { $unwind: '$tags' },
    { $group: { _id: '$tags', n: { $sum: 1 } } },
  ];
}

/** A facet over a field holding the value (or an array of values: each creator counted once per value). */
function listFacet(
  key: string,
  field: string,
  values: readonly string[],
  label: (value: string) => string,
  onCreator = true,
): FacetDefinition {
  // As `$unwind` reads the field: an array's elements, a value alone, nothing for null or missing.
  const path = `$${field}`;
  const tags = () => ({
    $cond: {
      if: { $isArray: [path] },
      then: path,
      else: { $cond: { if: { $eq: [{ $ifNull: [path, null] }, null] }, then: [], else: [path] } },
    },
  });
  return {
    key,
    values,
    label,
    onCreator,
    filter: (chosen) => ({ [field]: { $in: [...chosen] } }),
    tags,
    count: countFromTags(tags),
  };
}

/** A band of a number or date: lower bound inclusive, upper exclusive; `missing` for no value. */
export interface Band {
  value: string;
  range?: (now: Date) => { min?: number | Date; max?: number | Date };
  missing?: true;
}

function rangeQuery(band: Band, now: Date): Record<string, unknown> {
  if (band.missing) return { $eq: null };
  const { min, max } = band.range?.(now) ?? {};
  return { ...(min !== undefined ? { $gte: min } : {}), ...(max !== undefined ? { $lt: max } : {}) };
}

/** The band of the value at `path` (an aggregation expression), missing first. */
function bandExpression(bands: readonly Band[], path: string, now: Date): Expression {
  const missing = bands.find((band) => band.missing);
  const branches = bands
    .filter((band) => !band.missing)
    .map((band) => {
      const { min, max } = band.range?.(now) ?? {};
      const bounds = [
        ...(min !== undefined ? [{ $gte: [path, min] }] : []),
        ...(max !== undefined ? [{ $lt: [path, max] }] : []),
      ];
      return { case: bounds.length > 0 ? { $and: bounds } : true, then: band.value };
    });
  return {
    $switch: {
      branches: [
        ...(missing ? [{ case: { $eq: [{ $ifNull: [path, null] }, null] }, then: missing.value }] : []),
        ...branches,
      ],
      default: missing?.value ?? bands[0]?.value ?? null,
    },
  };
}

function bandFacet(key: string, field: string, bands: readonly Band[]): FacetDefinition {
  const tags = ({ now }: FacetContext) => [bandExpression(bands, `$${field}`, now)];
  return {
    key,
    values: bands.map((band) => band.value),
    label: (value) => `pool.bands.${key}.${value}`,
    onCreator: true,
    filter: (chosen, { now }) => ({
      $or: bands
        .filter((band) => chosen.includes(band.value))
        .map((band) => ({ [field]: rangeQuery(band, now) })),
    }),
    tags,
    count: countFromTags(tags),
  };
}

const dayMs = 24 * 60 * 60 * 1000;
const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * dayMs);

/** Followers in bands (total over a creator's accounts, or on one platform). */
export const followerBands: readonly Band[] = [
  { value: 'none', range: () => ({ max: 1_000 }) },
  { value: '1k', range: () => ({ min: 1_000, max: 10_000 }) },
  { value: '10k', range: () => ({ min: 10_000, max: 100_000 }) },
  { value: '100k', range: () => ({ min: 100_000, max: 1_000_000 }) },
  { value: '1m', range: () => ({ min: 1_000_000 }) },
];

/** Growth over the 30 days before the latest figures, in percent. */
export const growthBands: readonly Band[] = [
  { value: 'unknown', missing: true },
  { value: 'down', range: () => ({ max: 0 }) },
  { value: 'flat', range: () => ({ min: 0, max: 1 }) },
  { value: 'up', range: () => ({ min: 1, max: 10 }) },
  { value: 'fast', range: () => ({ min: 10 }) },
];

/** How old the newest figure is: fresh under 7 days, stale over 30. */
export const freshnessBands: readonly Band[] = [
  { value: 'none', missing: true },
  { value: 'fresh', range: (now) => ({ min: daysBefore(now, 7) }) },
  { value: 'ageing', range: (now) => ({ min: daysBefore(now, 30), max: daysBefore(now, 7) }) },
  { value: 'stale', range: (now) => ({ max: daysBefore(now, 30) }) },
];

function platformFollowerTags({ now, selected }: FacetContext): Expression {
  const platforms = selected.platform ?? [];
  const accounts = { $ifNull: ['$accountSummary.followers', []] };
  const chosen =
    platforms.length > 0
      ? { $filter: { input: accounts, as: 'account', cond: { $in: ['$$account.platform', platforms] } } }
      : accounts;
  return {
    $setUnion: [
      { $map: { input: chosen, as: 'account', in: bandExpression(followerBands, '$$account.count', now) } },
    ],
  };
}

/**
 * Followers on one platform: a creator matches when one of its platforms is in the band, only
 * the platforms chosen in the platform facet when some are (e.g. Douyin accounts of 100k+).
 */
const platformFollowers: FacetDefinition = {
  key: 'platformFollowers',
  values: followerBands.map((band) => band.value),
  label: (value) => `pool.bands.followers.${value}`,
  onCreator: true,
  filter: (chosen, { now, selected }) => {
    const platforms = selected.platform ?? [];
    const onPlatform = platforms.length > 0 ? { platform: { $in: platforms } } : {};
    return {
      $or: followerBands
        .filter((band) => chosen.includes(band.value))
        .map((band) => ({
          'accountSummary.followers': { $elemMatch: { ...onPlatform, count: rangeQuery(band, now) } },
        })),
    };
  },
  // The bands of its (chosen platforms') accounts, each band once per creator.
  tags: platformFollowerTags,
  count: countFromTags(platformFollowerTags),
};

/** Pledge status: the current version signed, only an earlier one (to sign again), or none. */
export const pledgeStatuses = ['signed', 'renewal_due', 'not_signed'] as const;
/** Membership status, or `none` for a creator who never applied. */
export const membershipFacetValues = [...membershipStatuses, 'none'] as const;

export const facets: readonly FacetDefinition[] = [
  listFacet('street', 'street', streets, (v) => streetLabelKey(v as (typeof streets)[number])),
  listFacet('category', 'categories', categories, (v) => categoryLabelKey(v as (typeof categories)[number])),
  listFacet('platform', 'accountSummary.platforms', platformKeys, (v) => `registry.platforms.${v}`),
  listFacet(
    'ownership',
    'accountSummary.ownershipStates',
    ownershipStates,
    (v) => `registry.ownership.states.${v}`,
  ),
  bandFacet('followers', 'accountSummary.followersTotal', followerBands),
  platformFollowers,
  bandFacet('growth', 'accountSummary.growth30d', growthBands),
  bandFacet('freshness', 'accountSummary.latestFigureAt', freshnessBands),
  listFacet('membership', 'membershipStatus', membershipFacetValues, (v) => `pool.membership.${v}`, false),
  listFacet('pledge', 'pledgeStatus', pledgeStatuses, (v) => `pool.pledge.${v}`, false),
];

export const sorts = ['relevance', 'followers', 'growth', 'name', 'newest'] as const;
export type PoolSort = (typeof sorts)[number];

export const perPageChoices = [10, 20, 50, 100] as const;
export const defaultPerPage = 20;
/** Deeper pages are refused: nobody pages this far, and skip cost grows with the page. */
export const maxPage = 1000;
