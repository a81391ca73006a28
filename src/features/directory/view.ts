// Public members → page models with translated labels and formatted figures. Every link (filters,
// sort, pages) is a query string built from the validated search, so the directory works without
// JavaScript and every state can be bookmarked.
import type { TFunction } from 'i18next';
import { districtTimeZone } from '../../i18n/format.js';
import { categoryLabelKey, type Category, type Street, streetLabelKey } from '../registry/catalogue.js';
import { growthChartSvg } from './chart.js';
import type {
  DirectoryQuery,
  GrowthPoint,
  PublicAccount,
  PublicMember,
  PublicMemberPage,
  PublicStats,
} from './service.js';
import { directorySorts } from './service.js';
import { directoryLimits, filters } from './validation.js';

export function formatDay(date: Date, language: string): string {
  return formatterOf(
    dayFormats,
    language,
    () => new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: districtTimeZone }),
  ).format(date);
}

export function formatCount(count: number, language: string): string {
  return formatterOf(countFormats, language, () => new Intl.NumberFormat(language)).format(count);
}

// Building an Intl formatter costs far more than using one (a directory page formats hundreds of
// dates and counts): one per language, kept for the life of the process (three languages).
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const countFormats = new Map<string, Intl.NumberFormat>();
const maxFormatters = 16; // languages come from the catalogue; a bound in case one ever does not

function formatterOf<T>(cache: Map<string, T>, language: string, make: () => T): T {
  let formatter = cache.get(language);
  if (!formatter) {
    formatter = make();
    if (cache.size < maxFormatters) cache.set(language, formatter);
  }
  return formatter;
}

export const platformLabel = (t: TFunction, platform: string): string => t(`registry.platforms.${platform}`);
export const categoryLabel = (t: TFunction, category: string): string =>
  t(categoryLabelKey(category as Category));
export const streetLabel = (t: TFunction, street: string): string => t(streetLabelKey(street as Street));

/** The search as a query string (defaults left out), e.g. "q=坪山&platform=weibo&page=2". */
export function queryString(query: DirectoryQuery, change: Partial<DirectoryQuery> = {}): string {
  const next = { ...query, ...change };
  const params = new URLSearchParams();
  if (next.q) params.append('q', next.q);
  for (const filter of filters) for (const value of next[filter.key]) params.append(filter.key, value);
  const defaultSort = next.q.trim() ? 'relevance' : 'followers';
  if (next.sort !== defaultSort) params.append('sort', next.sort);
  if (next.perPage !== directoryLimits.defaultPerPage) params.append('perPage', String(next.perPage));
  if (next.page > 1) params.append('page', String(next.page));
  return params.toString();
}

function figureView(account: PublicAccount, t: TFunction, language: string) {
  const figure = account.figure;
  return figure
    ? {
        followers: formatCount(figure.followers, language),
        raw: figure.raw && figure.raw !== String(figure.followers) ? figure.raw : '',
        source: t(`directory.sources.${figure.source}`),
        asOf: formatDay(figure.asOf, language),
        asOfIso: figure.asOf.toISOString(),
      }
    : null;
}

/** A member's card in the directory and on the home page. */
export function cardView(member: PublicMember, t: TFunction, language: string) {
  return {
    slug: member.slug,
    href: `/members/${member.slug}`,
    displayName: member.displayName,
    initial: [...member.displayName][0] ?? '?',
    avatar: member.hasAvatar ? `/members/${member.slug}/avatar` : '',
    street: member.street ? streetLabel(t, member.street) : '',
    categories: member.categories.map((c) => categoryLabel(t, c)),
    memberNumber: member.memberNumber,
    accounts: member.accounts.map((account) => ({
      platform: platformLabel(t, account.platform),
      figure: figureView(account, t, language),
    })),
  };
}

export function directoryPage(
  query: DirectoryQuery,
  result: PublicMemberPage,
  t: TFunction,
  language: string,
) {
  const pages = Math.max(1, Math.ceil(result.total / query.perPage));
  const link = (change: Partial<DirectoryQuery>) => {
    const qs = queryString(query, change);
    return qs ? `/members?${qs}` : '/members';
  };
  const chosen = filters.flatMap((filter) =>
    query[filter.key].map((value) => ({
      label: `${t(`directory.filters.${filter.key}`)}: ${
        filter.key === 'platform'
          ? platformLabel(t, value)
          : filter.key === 'category'
            ? categoryLabel(t, value)
            : streetLabel(t, value)
      }`,
      href: link({ [filter.key]: query[filter.key].filter((v) => v !== value), page: 1 }),
    })),
  );
  const optionsOf = (key: (typeof filters)[number]['key'], values: readonly string[]) =>
    values.map((value) => ({
      value,
      label:
        key === 'platform'
          ? platformLabel(t, value)
          : key === 'category'
            ? categoryLabel(t, value)
            : streetLabel(t, value),
      selected: query[key].includes(value),
    }));
  return {
    q: query.q,
    filters: filters.map((filter) => ({
      key: filter.key,
      label: t(`directory.filters.${filter.key}`),
      anyLabel: t('directory.filters.any'),
      options: optionsOf(filter.key, filter.values),
    })),
    sortOptions: directorySorts.map((sort) => ({
      value: sort,
      label: t(`directory.sorts.${sort}`),
      selected: sort === query.sort,
    })),
    chips: [
      ...(query.q ? [{ label: t('directory.chips.q', { q: query.q }), href: link({ q: '', page: 1 }) }] : []),
      ...chosen,
    ],
    cards: result.rows.map((member) => cardView(member, t, language)),
    total: result.total,
    page: query.page,
    pages,
    pastEnd: query.page > pages,
    firstPage: link({ page: 1 }),
    previous: query.page > 1 ? link({ page: Math.min(query.page - 1, pages) }) : null,
    next: query.page < pages ? link({ page: query.page + 1 }) : null,
    csvHref: `/members.csv${queryString(query, { page: 1 }) ? `?${queryString(query, { page: 1 })}` : ''}`,
    apiHref: `/api/v1/members${queryString(query) ? `?${queryString(query)}` : ''}`,
  };
}

/** The member page: profile, accounts with figures and a growth chart each, the badge snippet. */
export function memberPage(
  member: PublicMember,
  growth: Map<string, GrowthPoint[]>,
  pledge: { version: number; signed: boolean } | null,
  publicUrl: string,
  t: TFunction,
  language: string,
) {
  const badgeUrl = `${publicUrl}/members/${member.slug}/badge.svg`;
  const pageUrl = `${publicUrl}/members/${member.slug}`;
  return {
    ...cardView(member, t, language),
    kind: t(`registry.creatorKinds.${member.kind}`),
    bio: member.bio,
    memberSince: member.memberSince ? formatDay(member.memberSince, language) : '',
    pledge: pledge
      ? {
          signed: pledge.signed,
          text: t(pledge.signed ? 'directory.member.pledgeSigned' : 'directory.member.pledgeUnsigned', {
            version: pledge.version,
          }),
        }
      : null,
    badge: {
      src: `/members/${member.slug}/badge.svg`,
      snippet: `<a href="${pageUrl}"><img src="${badgeUrl}" alt="${t('directory.member.badgeAlt', {
        name: member.displayName,
        number: member.memberNumber,
      }).replace(/"/g, '&quot;')}"></a>`,
    },
    accountsDetail: member.accounts.map((account, index) => {
      const points = growth.get(account.id) ?? [];
      const platform = platformLabel(t, account.platform);
      const first = points[0];
      const last = points[points.length - 1];
      const summary =
        first && last && points.length > 1
          ? t('directory.chart.summary', {
              platform,
              from: formatCount(first.followers, language),
              fromDate: formatDay(first.at, language),
              to: formatCount(last.followers, language),
              toDate: formatDay(last.at, language),
              count: points.length,
            })
          : last
            ? t('directory.chart.single', {
                platform,
                followers: formatCount(last.followers, language),
                date: formatDay(last.at, language),
              })
            : '';
      return {
        platform,
        displayName: account.displayName,
        platformId: account.platformId,
        url: account.url ?? '',
        figure: figureView(account, t, language),
        chart: {
          id: `growth-${index + 1}`,
          summary,
          svg: growthChartSvg(`growth-${index + 1}`, points, {
            title: t('directory.chart.title', { platform }),
            summary,
            date: (at) => formatDay(at, language),
            count: (n) => formatCount(n, language),
          }),
          rows: points.map((point) => ({
            date: formatDay(point.at, language),
            followers: formatCount(point.followers, language),
            source: t(`directory.sources.${point.source}`),
          })),
        },
      };
    }),
  };
}

/** Home: the alliance's totals, each with its as-of date, and the platforms by audience. */
export function totalsView(stats: PublicStats, t: TFunction, language: string) {
  const asOf = stats.totals.asOf ? formatDay(stats.totals.asOf, language) : '';
  return {
    members: formatCount(stats.totals.members, language),
    accounts: formatCount(stats.totals.accounts, language),
    followers: formatCount(stats.totals.followers, language),
    asOf,
    columns: [
      t('directory.filters.platform'),
      t('directory.home.members'),
      t('directory.home.accounts'),
      t('directory.home.audience'),
      t('directory.home.asOfColumn'),
    ],
    byPlatform: Object.entries(stats.byPlatform)
      .sort(([, a], [, b]) => b.followers - a.followers)
      .map(([platform, total]) => ({
        platform: platformLabel(t, platform),
        members: formatCount(total.members, language),
        accounts: formatCount(total.accounts, language),
        followers: formatCount(total.followers, language),
        asOf: total.asOf ? formatDay(total.asOf, language) : '',
      })),
  };
}
