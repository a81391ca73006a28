// The resource pool's facets, sorts and page sizes, each defined once. Adding a facet is one entry
// in `facets`: its query parameter, its allowed values, their label keys and the field of a pool
// row it filters and counts (arrays count each creator once per distinct value).
import { ownershipStates } from '../registry/account.model.js';
import { categories, categoryLabelKey, streets, streetLabelKey } from '../registry/catalogue.js';
import { platformKeys } from '../registry/platforms/index.js';

export interface FacetDefinition {
  /** The query-string parameter (repeated for OR within the facet). */
  key: string;
  values: readonly string[];
  label: (value: string) => string;
  /** The pool row field it matches: a creator field, or one the account join computes. */
  field: string;
  /** Creator fields filter before the account join (their indexes serve them). */
  onCreator: boolean;
}

/** Total followers over a creator's accounts, in bands (lower bound inclusive). */
export const followerBands = [
  { value: 'none', min: 0 },
  { value: '1k', min: 1_000 },
  { value: '10k', min: 10_000 },
  { value: '100k', min: 100_000 },
  { value: '1m', min: 1_000_000 },
] as const;

export const facets: readonly FacetDefinition[] = [
  {
    key: 'street',
    values: streets,
    label: (v) => streetLabelKey(v as (typeof streets)[number]),
    field: 'street',
    onCreator: true,
  },
  {
    key: 'category',
    values: categories,
    label: (v) => categoryLabelKey(v as (typeof categories)[number]),
    field: 'categories',
    onCreator: true,
  },
  {
    key: 'platform',
    values: platformKeys,
    label: (v) => `registry.platforms.${v}`,
    field: 'platforms',
    onCreator: false,
  },
  {
    key: 'ownership',
    values: ownershipStates,
    label: (v) => `registry.ownership.states.${v}`,
    field: 'ownershipStates',
    onCreator: false,
  },
  {
    key: 'followers',
    values: followerBands.map((band) => band.value),
    label: (v) => `pool.bands.${v}`,
    field: 'followerBand',
    onCreator: false,
  },
  // Membership (issue: alliance) is one more entry here once its collection exists, e.g.
  // { key: 'membership', values: membershipStates, label: …, field: 'membership', onCreator: false },
  // with the membership joined next to the accounts in service.ts.
];

export const sorts = ['relevance', 'followers', 'name', 'newest'] as const;
export type PoolSort = (typeof sorts)[number];

export const perPageChoices = [10, 20, 50, 100] as const;
export const defaultPerPage = 20;
/** Deeper pages are refused: nobody pages this far, and skip cost grows with the page. */
export const maxPage = 1000;
