// Dashboard figures → page models: every count a link to the matching pool search, and each
// breakdown a horizontal bar chart drawn on the server as SVG (its numbers are the table beside
// it, and its <desc> lists them, so the chart has a text alternative).
import type { TFunction } from 'i18next';
import { categories, streets } from '../registry/catalogue.js';
import { platformKeys } from '../registry/platforms/index.js';
import type { DashboardFigures } from './dashboard.js';
import { facets, freshnessBands, membershipFacetValues } from './facets.js';

interface Bar {
  label: string;
  value: number;
  href?: string | undefined;
}

const rowHeight = 24;
const labelWidth = 130;
const barSpace = 150;

/** A chart's drawing: one row per bar, lengths relative to the largest value. */
export function barChart(id: string, title: string, bars: Bar[]) {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return {
    id,
    title,
    desc: bars.map((bar) => `${bar.label}: ${bar.value.toLocaleString('en')}`).join('; '),
    height: Math.max(1, bars.length) * rowHeight,
    rows: bars.map((bar, i) => {
      const width = Math.round((bar.value / max) * barSpace);
      return {
        ...bar,
        display: bar.value.toLocaleString('en'),
        y: i * rowHeight,
        textY: i * rowHeight + 16,
        barX: labelWidth,
        width,
        valueX: labelWidth + width + 4,
      };
    }),
  };
}

const poolLink = (params: Record<string, string>) => `/office/pool?${new URLSearchParams(params).toString()}`;

function facetBars(
  t: TFunction,
  key: string,
  values: readonly string[],
  counts: Record<string, number>,
  keepZeros: boolean,
): Bar[] {
  const facet = facets.find((f) => f.key === key);
  const bars = values.map((value) => ({
    label: t(facet?.label(value) ?? value),
    value: counts[value] ?? 0,
    href: poolLink({ [key]: value }),
  }));
  return keepZeros ? bars : bars.filter((bar) => bar.value > 0).sort((a, b) => b.value - a.value);
}

export function dashboardPage(
  figures: DashboardFigures,
  queues: { ownership: number; figures: number; conflicts: number },
  t: TFunction,
) {
  const members = figures.byMembership.approved ?? 0;
  const stale = figures.byFreshness.stale ?? 0;
  return {
    totals: [
      { label: t('dashboard.totals.creators'), value: figures.creators, href: '/office/pool' },
      { label: t('dashboard.totals.members'), value: members, href: poolLink({ membership: 'approved' }) },
      {
        label: t('dashboard.totals.audience'),
        value: figures.audience,
        href: poolLink({ sort: 'followers' }),
      },
      { label: t('dashboard.totals.stale'), value: stale, href: poolLink({ freshness: 'stale' }) },
    ].map((total) => ({ ...total, display: total.value.toLocaleString('en') })),
    queues: [
      { label: t('registry.review.ownershipNav', { count: queues.ownership }), href: '/office/ownership' },
      { label: t('registry.review.figuresNav', { count: queues.figures }), href: '/office/figures' },
      { label: t('registry.review.conflictsNav', { count: queues.conflicts }), href: '/office/conflicts' },
      {
        label: t('dashboard.applications', { count: figures.byMembership.applied ?? 0 }),
        href: '/office/applications',
      },
    ],
    charts: [
      barChart(
        'membership',
        t('dashboard.charts.membership'),
        facetBars(t, 'membership', membershipFacetValues, figures.byMembership, true),
      ),
      barChart(
        'street',
        t('dashboard.charts.street'),
        facetBars(t, 'street', streets, figures.byStreet, true),
      ),
      barChart(
        'platform',
        t('dashboard.charts.platform'),
        facetBars(t, 'platform', platformKeys, figures.byPlatform, false),
      ),
      barChart(
        'category',
        t('dashboard.charts.category'),
        facetBars(t, 'category', categories, figures.byCategory, false),
      ),
      barChart(
        'freshness',
        t('dashboard.charts.freshness'),
        facetBars(
          t,
          'freshness',
          freshnessBands.map((band) => band.value),
          figures.byFreshness,
          true,
        ),
      ),
      barChart(
        'audience',
        t('dashboard.charts.audience'),
        figures.audienceByMonth.map((month) => ({ label: month.month, value: month.followers })),
      ),
    ],
  };
}
