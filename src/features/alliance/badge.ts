// GET /members/:slug/badge.svg — anyone: the embeddable membership badge. It shows the member
// number and the standing as of now, and is cached only briefly so that a third-party page never
// keeps showing a membership that has been suspended or has expired.
import type { RequestHandler } from 'express';
import { AppError } from '../../http/errors.js';
import { CreatorModel } from '../registry/creator.model.js';
import { findMembershipOfCreator } from './membershipService.js';
import { currentPledge, signatureOf } from './pledgeService.js';
import { pledgeDue, type Standing, standingOf } from './standing.js';

/** Five minutes: short enough that a suspension shows within minutes. */
export const badgeMaxAgeSeconds = 300;

const colours: Record<Standing, string> = {
  current: '#1d6b34',
  renewal_due: '#8a5a00',
  overdue: '#b3261e',
  suspended: '#a3161c',
  expired: '#4a5562',
};

const escapeXml = (text: string): string => text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Rough text width: CJK glyphs are about twice as wide as Latin ones at 11 px. */
const textWidth = (text: string): number =>
  [...text].reduce((sum, c) => sum + (/[\u2e80-\uffff]/u.test(c) ? 12 : 7), 0);

export function badgeSvg(label: string, value: string, standing: Standing): string {
  const left = textWidth(label) + 16;
  const right = textWidth(value) + 16;
  const width = left + right;
  const title = escapeXml(`${label}: ${value}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="28" role="img" aria-label="${title}">
<title>${title}</title>
<rect width="${left}" height="28" fill="#0b4f8a"/>
<rect x="${left}" width="${right}" height="28" fill="${colours[standing]}"/>
<g fill="#fff" font-family="system-ui,'PingFang SC','Noto Sans CJK SC',sans-serif" font-size="11">
<text x="8" y="18">${escapeXml(label)}</text>
<text x="${left + 8}" y="18">${escapeXml(value)}</text>
</g>
</svg>
`;
}

export const badgeHandler: RequestHandler = async (req, res) => {
  const slug = String(req.params.slug);
  const creator = /^[a-z0-9-]{1,64}$/.test(slug)
    ? await CreatorModel.findOne({ slug: { $eq: slug } }).exec()
    : null;
  const membership = creator && (await findMembershipOfCreator(creator._id));
  const pledge = await currentPledge();
  const signed = !!(creator && pledge && (await signatureOf(creator._id, pledge.version)));
  const standing = standingOf(
    membership,
    membership?.status === 'approved' ? pledgeDue(pledge, signed) : undefined,
  );
  // Unknown slugs, applicants, rejected and withdrawn creators: no badge at all.
  if (!membership?.memberNumber || !standing) throw new AppError(404, 'errors.notFound');
  res.set('Cache-Control', `public, max-age=${badgeMaxAgeSeconds}`);
  res.type('image/svg+xml');
  res.send(
    badgeSvg(
      req.t('alliance.badge.label'),
      `${membership.memberNumber} · ${req.t(`alliance.standings.${standing}`)}`,
      standing,
    ),
  );
};
