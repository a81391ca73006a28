// Pool searches → page models: every link (chips, pages, export) is a query string built from
// the validated search, so the page works without JavaScript and every state is bookmarkable.
import type { TFunction } from 'i18next';
import { defaultPerPage, facets, perPageChoices, sorts } from './facets.js';
import type { PoolResult, PoolRow } from './service.js';
import type { PoolQuery } from './validation.js';

/** The search as a query string (defaults left out), e.g. "q=坪山&platform=weibo&page=2". */
export function queryString(query: PoolQuery, change: Partial<PoolQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.append('q', next.q);
  for (const facet of facets)
    for (const value of next.selected[facet.key] ?? []) params.append(facet.key, value);
  params.append('sort', next.sort);
  if (next.perPage !== defaultPerPage) params.append('perPage', String(next.perPage));
  if (next.page > 1) params.append('page', String(next.page));
  return params.toString();
}

const without = (query: PoolQuery, key: string, value: string): Partial<PoolQuery> => ({
  selected: { ...query.selected, [key]: (query.selected[key] ?? []).filter((v) => v !== value) },
  page: 1,
});

/** A pool row's translated labels (the results' cards, the quick view). */
export function rowLabels(row: PoolRow, t: TFunction) {
  const facetLabel = (key: string, value: string) =>
    t(facets.find((f) => f.key === key)?.label(value) ?? value);
  return {
    displayName: row.displayName,
    slug: row.slug,
    street: row.street ? facetLabel('street', row.street) : '',
    categories: row.categories.map((c) => facetLabel('category', c)).join('、'),
    platforms: row.platforms.map((p) => facetLabel('platform', p)).join('、'),
    followers: row.followers.toLocaleString('en'),
    growth: row.growth30d === null ? t('pool.bands.growth.unknown') : `${row.growth30d}%`,
    membership: facetLabel('membership', row.membershipStatus),
    pledge: facetLabel('pledge', row.pledgeStatus),
    asOf: row.asOf ?? null,
    sources: (row.sources ?? []).map((source) => t(`registry.figures.sources.${source}`)).join('、'),
  };
}

function rowView(row: PoolRow, t: TFunction, back: string) {
  const id = row._id.toHexString();
  return {
    ...rowLabels(row, t),
    id,
    quickView: `/office/pool/creators/${id}?${new URLSearchParams({ back }).toString()}`,
  };
}

export function poolPage(query: PoolQuery, result: PoolResult, t: TFunction) {
  const pages = Math.max(1, Math.ceil(result.total / query.perPage));
  const link = (change: Partial<PoolQuery>) => `/office/pool?${queryString(query, change)}`;
  const chips = [
    ...(query.q ? [{ label: t('pool.chips.q', { q: query.q }), href: link({ q: '', page: 1 }) }] : []),
    ...facets.flatMap((facet) =>
      (query.selected[facet.key] ?? []).map((value) => ({
        label: `${t(`pool.facets.${facet.key}`)}: ${t(facet.label(value))}`,
        href: link(without(query, facet.key, value)),
      })),
    ),
  ];
  return {
    q: query.q,
    facets: facets.map((facet) => ({
      key: facet.key,
      legend: t(`pool.facets.${facet.key}`),
      options: facet.values.map((value) => ({
        value,
        label: t(facet.label(value)),
        count: result.counts[facet.key]?.[value] ?? 0,
        checked: (query.selected[facet.key] ?? []).includes(value),
      })),
    })),
    sortOptions: sorts.map((sort) => ({ value: sort, label: t(`pool.sorts.${sort}`) })),
    sort: query.sort,
    perPageOptions: perPageChoices.map((n) => ({ value: String(n), label: String(n) })),
    perPage: String(query.perPage),
    chips,
    clearAll: '/office/pool',
    rows: result.rows.map((row) => rowView(row, t, queryString(query))),
    queryString: queryString(query, { page: 1 }),
    total: result.total,
    page: query.page,
    pages,
    pastEnd: query.page > pages,
    previous: query.page > 1 ? link({ page: Math.min(query.page - 1, pages) }) : null,
    next: query.page < pages ? link({ page: query.page + 1 }) : null,
    exportHref: `/office/pool.csv?${queryString(query, { page: 1 })}`,
    xlsxHref: `/office/pool.xlsx?${queryString(query, { page: 1 })}`,
  };
}
