// Street scope: the one rule for which creators an officer covers, used by every office page
// (the registry's loaders and queues, the alliance's reviews, the pool, its exports and the
// dashboard, the stats feed). README "Accounts and roles": an officer is created with a street
// scope, one street or the whole district (`district`); admins cover the whole district.
// An officer without a scope is not a state the portal makes (/admin/officers and
// `npm run user:create` both require one); should one exist, it covers nobody, not everybody.
import { districtScope, type SessionUser } from './model.js';

type Scoped = Pick<SessionUser, 'role' | 'streetScope'>;

/** The street of an officer without a scope: no creator has it, so a filter on it matches nothing. */
export const noStreet = '-none-';

/** The street an actor is limited to; null for the whole district (admins, district officers). */
export function scopedStreet(actor: Scoped): string | null {
  if (actor.role === 'admin' || actor.streetScope === districtScope) return null;
  if (actor.role !== 'officer') return noStreet;
  return actor.streetScope ?? noStreet;
}

/** Whether the actor's scope covers a creator of this street (a creator without one: district only). */
export function coversStreet(actor: Scoped, street: string | null | undefined): boolean {
  const scope = scopedStreet(actor);
  return scope === null || street === scope;
}

/** The scope as a filter on a creator's street field; empty for the whole district. */
export function streetFilter(actor: Scoped, field = 'street'): Record<string, unknown> {
  const scope = scopedStreet(actor);
  return scope === null ? {} : { [field]: { $eq: scope } };
}
