// The curated lists a creator profile picks from, kept in one place so that forms, filters, the
// import and the directory agree. Labels live in the locale catalogues under `registry.`.
import { type Street, streets } from '../users/model.js';

/** Content categories, in the order forms list them. */
export const categories = [
  'news',
  'culture_tourism',
  'food',
  'technology',
  'lifestyle',
  'education',
  'public_service',
  'sports',
  'parenting',
  'agriculture',
  'finance',
  'health',
] as const;
export type Category = (typeof categories)[number];

/** A creator is a person or an organisation (a business, a school, a community group…). */
export const creatorKinds = ['person', 'organisation'] as const;
export type CreatorKind = (typeof creatorKinds)[number];

/** How many categories one creator may pick: enough to describe, few enough to mean something. */
export const maxCategoriesPerCreator = 3;

export { streets, type Street };

export const categoryLabelKey = (category: Category) => `registry.categories.${category}` as const;
export const creatorKindLabelKey = (kind: CreatorKind) => `registry.creatorKinds.${kind}` as const;
export const streetLabelKey = (street: Street) => `streets.${street}` as const;

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (categories as readonly string[]).includes(value);
}

export function isCreatorKind(value: unknown): value is CreatorKind {
  return typeof value === 'string' && (creatorKinds as readonly string[]).includes(value);
}

export function isStreet(value: unknown): value is Street {
  return typeof value === 'string' && (streets as readonly string[]).includes(value);
}
