// The five creators of the source article with full profiles, accounts on several platforms in
// every ownership state, manual (confirmed and not) and automatic figures with snapshots over the
// last months, and one conflict waiting in the queue. Idempotent: keyed on the creator user's
// email, platform + id and snapshot bucket, so seeding twice changes nothing. Used by the demo
// seed and by tests (test/support can call seedDemoCreators after the demo users exist).
import type { Types } from 'mongoose';
import { AccountModel } from '../../src/features/registry/account.model.js';
import type { Category, CreatorKind, Street } from '../../src/features/registry/catalogue.js';
import { ConflictModel } from '../../src/features/registry/conflict.model.js';
import { CreatorModel } from '../../src/features/registry/creator.model.js';
import { generateOwnershipCode } from '../../src/features/registry/ownership.js';
import {
  type PlatformKey,
  profileUrl,
  validatePlatformId,
} from '../../src/features/registry/platforms/index.js';
import { appendSnapshot } from '../../src/features/registry/snapshots.js';
import { findUserByEmail } from '../../src/features/users/service.js';

type State = 'unverified' | 'pending' | 'verified' | 'rejected';
interface DemoAccount {
  platform: PlatformKey;
  platformId: string;
  displayName: string;
  state: State;
  /** Followers now; the history grows towards it over six months. */
  followers?: number;
  source?: 'official_api' | 'public_web' | 'manual';
  confirmed?: boolean;
  /** How old the latest figure is (default 1 day): the pool's freshness facet shows ageing and stale ones. */
  daysOld?: number;
  /** The change per month of the history towards today's figure (default +6 %; negative shrinks). */
  monthlyChange?: number;
  /**
   * The history grows towards this figure instead, and today's is a jump from it (the stats
   * feed's flagged figure: a hundredfold since the one before it).
   */
  jumpedFrom?: number;
}
interface DemoCreator {
  email: string;
  slug: string;
  kind: CreatorKind;
  street: Street;
  categories: Category[];
  bio: string;
  phone: string;
  wechat: string;
  accounts: DemoAccount[];
}

export const demoCreators: DemoCreator[] = [
  {
    email: 'pstz@lighthouse.example',
    slug: 'pingshan-tongzhen',
    kind: 'organisation',
    street: 'pingshan',
    categories: ['news', 'public_service'],
    bio: '坪山同镇：坪山本地资讯，每天更新街坊身边事。',
    phone: '0755 2830 0001',
    wechat: 'pstz_news',
    accounts: [
      {
        platform: 'wechat_oa',
        platformId: 'gh_1a2b3c4d5e6f',
        displayName: '坪山同镇',
        state: 'verified',
        followers: 86000,
        source: 'manual',
        confirmed: true,
      },
      {
        platform: 'douyin',
        platformId: 'MS4wLjABAAAApstzDemoAccount0000000000000000000000000',
        displayName: '坪山同镇',
        state: 'pending',
        followers: 152000,
        source: 'manual',
        confirmed: false,
      },
      {
        platform: 'weibo',
        platformId: '6543210001',
        displayName: '坪山同镇',
        state: 'verified',
        followers: 23100,
        source: 'public_web',
        jumpedFrom: 230, // seeds/builders/stats.ts flags it: jumped a hundredfold
      },
    ],
  },
  {
    email: 'psz@lighthouse.example',
    slug: 'pingshanzhiyan',
    kind: 'organisation',
    street: 'kengzi',
    categories: ['news', 'culture_tourism'],
    bio: '坪山之眼：用镜头记录坪山的山水与城市。',
    phone: '139 0000 0002',
    wechat: 'pingshan_eye',
    accounts: [
      {
        platform: 'bilibili',
        platformId: '546195',
        displayName: '坪山之眼',
        state: 'verified',
        followers: 48211,
        source: 'official_api',
      },
      {
        platform: 'weibo',
        platformId: '6543210002',
        displayName: '坪山之眼',
        state: 'verified',
        followers: 31000,
        source: 'public_web',
      },
      {
        platform: 'xiaohongshu',
        platformId: '5ff0e6410000000001008402',
        displayName: '坪山之眼',
        state: 'rejected',
      },
    ],
  },
  {
    email: 'psyx@lighthouse.example',
    slug: 'pingshan-yinxiang',
    kind: 'organisation',
    street: 'longtian',
    categories: ['culture_tourism', 'food'],
    bio: '坪山印象：坪山的美食、客家文化与周末去处。',
    phone: '139 0000 0003',
    wechat: 'ps_yinxiang',
    accounts: [
      {
        platform: 'xiaohongshu',
        platformId: '5ff0e6410000000001008403',
        displayName: '坪山印象',
        state: 'verified',
        followers: 27000,
        source: 'manual',
        confirmed: true,
        daysOld: 40,
      },
      { platform: 'kuaishou', platformId: '3xpsyxdemo000003', displayName: '坪山印象', state: 'unverified' },
    ],
  },
  {
    email: 'inpingshan@lighthouse.example',
    slug: 'in-pingshan',
    kind: 'organisation',
    street: 'biling',
    categories: ['lifestyle', 'technology'],
    bio: 'IN坪山：新坪山人的生活指南。',
    phone: '139 0000 0004',
    wechat: 'in_pingshan',
    accounts: [
      {
        platform: 'youtube',
        platformId: '@inpingshan',
        displayName: 'IN坪山',
        state: 'verified',
        followers: 5200,
        source: 'official_api',
        monthlyChange: -0.02,
      },
      { platform: 'x', platformId: 'inpingshan', displayName: 'IN Pingshan', state: 'pending' },
      {
        platform: 'toutiao',
        platformId: '4000000000004',
        displayName: 'IN坪山',
        state: 'verified',
        followers: 12000,
        source: 'manual',
        confirmed: false,
        monthlyChange: -0.02,
      },
    ],
  },
  {
    email: 'ligaoxing@lighthouse.example',
    slug: 'li-gaoxing',
    kind: 'person',
    street: 'shijing',
    categories: ['lifestyle', 'agriculture'],
    bio: '李高兴：石井的乡村生活与田间日常。',
    phone: '139 0000 0005',
    wechat: 'li_gaoxing',
    accounts: [
      {
        platform: 'douyin',
        platformId: 'MS4wLjABAAAAligaoxingDemoAccount00000000000000000000',
        displayName: '李高兴',
        state: 'verified',
        followers: 310000,
        source: 'manual',
        confirmed: true,
        daysOld: 10,
      },
      { platform: 'wechat_channels', platformId: 'sphLiGaoXing05', displayName: '李高兴', state: 'pending' },
    ],
  },
];

/** 李高兴 also claims 坪山之眼's Weibo account: the conflict waiting in the officers' queue. */
const demoConflict = {
  claimantEmail: 'ligaoxing@lighthouse.example',
  platform: 'weibo',
  platformId: '6543210002',
} as const;

const monthMs = 30 * 24 * 60 * 60 * 1000;

async function seedAccount(
  creatorId: Types.ObjectId,
  street: Street,
  demo: DemoAccount,
  by: Types.ObjectId,
): Promise<void> {
  const checked = validatePlatformId(demo.platform, demo.platformId);
  if (!checked.ok) throw new Error(`demo account ${demo.platform} ${demo.platformId}: ${checked.reason}`);
  const now = Date.now();
  const decided = demo.state === 'verified' || demo.state === 'rejected';
  const history = [
    ...(demo.state === 'unverified' ? [] : [{ state: 'pending', at: new Date(now - 3 * monthMs), by }]),
    ...(decided
      ? [
          {
            state: demo.state,
            at: new Date(now - 2 * monthMs),
            reason: demo.state === 'rejected' ? '截图中看不到验证码' : '',
          },
        ]
      : []),
  ];
  const figure =
    demo.followers !== undefined && demo.source
      ? {
          followers: demo.followers,
          precision: demo.source === 'manual' ? ('abbreviated' as const) : ('exact' as const),
          raw: demo.source === 'manual' ? `${(demo.followers / 10000).toFixed(1)}万` : String(demo.followers),
          source: demo.source,
          asOf: new Date(now - (demo.daysOld ?? 1) * 24 * 60 * 60 * 1000),
          ...(demo.source === 'manual' ? { enteredBy: by } : {}),
          ...(demo.confirmed ? { confirmedAt: new Date(now - 12 * 60 * 60 * 1000) } : {}),
        }
      : undefined;
  const result = await AccountModel.findOneAndUpdate(
    { platform: demo.platform, platformId: checked.platformId },
    {
      $setOnInsert: {
        creator: creatorId,
        displayName: demo.displayName,
        url: profileUrl(demo.platform, checked.platformId),
        ownership: {
          state: demo.state,
          code: generateOwnershipCode(),
          evidence: [],
          ...(demo.state === 'pending' ? { requestedAt: new Date(now - 3 * monthMs) } : {}),
          ...(decided ? { decidedAt: new Date(now - 2 * monthMs) } : {}),
          ...(demo.state === 'rejected' ? { reason: '截图中看不到验证码' } : {}),
          history,
        },
        ...(figure ? { figure } : {}),
      },
    },
    { upsert: true, returnDocument: 'after' },
  );
  if (!result || !figure) return;
  // six monthly snapshots growing towards today's figure, or towards `jumpedFrom` before today's
  // (idempotent per account and day)
  for (let month = 5; month >= 0; month -= 1) {
    const at = new Date(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - month, 1, 4));
    if (at > figure.asOf) continue; // no history newer than the latest figure
    await appendSnapshot({
      account: { _id: result._id, creator: creatorId, platform: demo.platform },
      street,
      at,
      followers:
        month === 0
          ? figure.followers
          : Math.round((demo.jumpedFrom ?? figure.followers) * (1 - month * (demo.monthlyChange ?? 0.06))),
      precision: figure.precision,
      source: figure.source,
      raw: month === 0 ? figure.raw : undefined,
    });
  }
}

/** Seeds the demo creators whose users exist; returns how many creators were created. */
export async function seedDemoCreators(): Promise<number> {
  let created = 0;
  const creatorIds = new Map<string, Types.ObjectId>();
  for (const demo of demoCreators) {
    const user = await findUserByEmail(demo.email);
    if (!user) continue;
    const existing = await CreatorModel.findOne({ user: user._id });
    const creator =
      existing ??
      (await CreatorModel.create({
        user: user._id,
        displayName: user.displayName,
        kind: demo.kind,
        street: demo.street,
        categories: demo.categories,
        bio: demo.bio,
        contact: { phone: demo.phone, wechat: demo.wechat },
        slug: demo.slug,
        consent: { listed: true, at: new Date(Date.now() - 4 * monthMs) },
      }));
    if (!existing) created += 1;
    creatorIds.set(demo.email, creator._id);
    for (const account of demo.accounts) await seedAccount(creator._id, demo.street, account, user._id);
  }
  const claimant = creatorIds.get(demoConflict.claimantEmail);
  const held = await AccountModel.findOne({
    platform: demoConflict.platform,
    platformId: demoConflict.platformId,
  });
  if (claimant && held && !held.creator.equals(claimant)) {
    await ConflictModel.updateOne(
      { account: held._id, claimant, state: 'open' },
      {
        $setOnInsert: {
          platform: held.platform,
          platformId: held.platformId,
          holder: held.creator,
          openedAt: new Date(Date.now() - 5 * 24 * 60 * 60 * 1000),
        },
      },
      { upsert: true },
    );
  }
  return created;
}
