// The public pages of the directory: home, the member directory, a member's page, their avatar
// and the CSV of the directory. Anyone may call them; they read public members only (service.ts).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { Request, RequestHandler, Response } from 'express';
import { AppError } from '../../http/errors.js';
import { currentPledge, signatureOf } from '../alliance/pledgeService.js';
import { findStoredImage, sendStoredImage } from '../files/storage.js';
import { safeCell } from '../pool/exportCsv.js';
import {
  memberGrowth,
  publicMemberBySlug,
  publicMembers,
  publicStats,
  streamPublicMembers,
} from './service.js';
import { directoryQueryOf } from './validation.js';
import {
  categoryLabel,
  cardView,
  directoryPage,
  memberPage,
  platformLabel,
  streetLabel,
  totalsView,
} from './view.js';

/** How many newest and featured members the home page shows. */
export const homeCardCount = 4;
const dayMs = 24 * 60 * 60 * 1000;

/** The site's origin for snippets that leave the site (the badge): PUBLIC_URL, else this request's. */
const originOf = (req: Request, publicUrl: string | undefined): string =>
  (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');

/** GET / — anyone: what the alliance is, live totals, newest and featured members, the pledge. */
export const showHome: RequestHandler = async (req, res) => {
  const [stats, newest, pledge] = await Promise.all([
    publicStats(),
    publicMembers({
      q: '',
      platform: [],
      category: [],
      street: [],
      sort: 'newest',
      page: 1,
      perPage: homeCardCount,
    }),
    currentPledge(),
  ]);
  // Featured: a different few every day, in name order, so that every member's turn comes round.
  const total = stats.totals.members;
  const pages = Math.max(1, Math.ceil(total / homeCardCount));
  const day = Math.floor(Date.now() / dayMs);
  const featured =
    total > homeCardCount
      ? await publicMembers({
          q: '',
          platform: [],
          category: [],
          street: [],
          sort: 'name',
          page: (day % pages) + 1,
          perPage: homeCardCount,
        })
      : { rows: [] };
  res.render('home/index', {
    title: req.t('home.title'),
    totals: totalsView(stats, req.t, req.language),
    newest: newest.rows.map((member) => cardView(member, req.t, req.language)),
    featured: featured.rows.map((member) => cardView(member, req.t, req.language)),
    pledge: pledge ? { version: pledge.version, title: pledge.title } : null,
  });
};

/** GET /members?q=&platform=&category=&street=&sort=&page=&perPage= — anyone. */
export const showDirectory: RequestHandler = async (req, res) => {
  const { query, errors } = directoryQueryOf(req);
  const result = await publicMembers(query);
  const directory = directoryPage(query, result, req.t, req.language);
  const status = errors.length > 0 ? 400 : directory.pastEnd ? 404 : 200;
  res.status(status).render('directory/index', {
    title: req.t('directory.title'),
    errors: errors.map((error) => req.t(error.key)),
    directory,
  });
};

/** GET /members/:slug — anyone: a public member's page; anybody else is the same 404. */
export function showMember(publicUrl: string | undefined): RequestHandler {
  return async (req, res) => {
    const member = await publicMemberBySlug(req.params.slug);
    if (!member) throw new AppError(404, 'errors.notFound');
    const [growth, pledge] = await Promise.all([memberGrowth(member), currentPledge()]);
    const signed = pledge ? !!(await signatureOf(member.creatorId, pledge.version)) : false;
    res.render('directory/member', {
      title: member.displayName,
      member: memberPage(
        member,
        growth,
        pledge ? { version: pledge.version, signed } : null,
        originOf(req, publicUrl),
        req.t,
        req.language,
      ),
    });
  };
}

/** GET /members/:slug/avatar — anyone: a public member's avatar; otherwise 404. */
export const showAvatar: RequestHandler = async (req, res) => {
  const member = await publicMemberBySlug(req.params.slug);
  const image = member?.avatarId ? await findStoredImage(member.avatarId) : undefined;
  if (!image || image.kind !== 'avatar') throw new AppError(404, 'errors.notFound');
  await sendStoredImage(res, image);
};

const csvColumns = [
  'name',
  'url',
  'memberNumber',
  'street',
  'categories',
  'platforms',
  'followers',
  'asOf',
] as const;

/** GET /members.csv?<the directory's query> — anyone: the public directory, UTF-8 with a BOM. */
export function downloadCsv(publicUrl: string | undefined) {
  return async (req: Request, res: Response): Promise<void> => {
    const { query, errors } = directoryQueryOf(req);
    if (errors.length > 0) throw new AppError(400, errors[0]!.key);
    const origin = originOf(req, publicUrl);
    const t = req.t;
    async function* records() {
      for await (const member of streamPublicMembers(query)) {
        yield [
          member.displayName,
          `${origin}/members/${member.slug}`,
          member.memberNumber,
          member.street ? streetLabel(t, member.street) : '',
          member.categories.map((c) => categoryLabel(t, c)).join('、'),
          member.accounts
            .map((a) =>
              a.figure
                ? `${platformLabel(t, a.platform)} ${a.figure.followers} (${a.figure.asOf.toISOString().slice(0, 10)})`
                : platformLabel(t, a.platform),
            )
            .join('、'),
          String(member.followers),
          member.asOf ? member.asOf.toISOString().slice(0, 10) : '',
        ].map(safeCell);
      }
    }
    const day = new Date().toISOString().slice(0, 10);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="lighthouse-members-${day}.csv"`);
    res.setHeader('Cache-Control', 'public, max-age=300');
    const header = csvColumns.map((column) => safeCell(t(`directory.csv.${column}`)));
    await pipeline(Readable.from(records()), stringify({ bom: true, header: true, columns: header }), res);
  };
}
