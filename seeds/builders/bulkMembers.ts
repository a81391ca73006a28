// Many public members at once, for benchmarks (npm run bench:public, bench:load): `count` approved
// alliance members who consented to be listed, each an active creator user with a verified email,
// two verified accounts (Bilibili, Weibo) with automatic figures and `snapshots` monthly stat
// snapshots per account (the member page's growth chart). Written in batches straight to the
// models (the services write one document at a time, which would take minutes for thousands).
// Idempotent: keyed on the slug prefix; a second call with the same prefix changes nothing.
// The users are marked demo (refused sign-in in production) and share one password hash.
import { Types } from 'mongoose';
import { MembershipModel } from '../../src/features/alliance/membership.model.js';
import { hashPassword } from '../../src/features/auth/passwords.js';
import { rebuildPublicListings } from '../../src/features/directory/listing.js';
import { backfillCreatorSearch } from '../../src/features/pool/creatorSearch.js';
import { AccountModel } from '../../src/features/registry/account.model.js';
import { categories, streets } from '../../src/features/registry/catalogue.js';
import { CreatorModel } from '../../src/features/registry/creator.model.js';
import { backfillMonthlyFigures } from '../../src/features/registry/monthlyFigures.js';
import { snapshotBucket, StatSnapshotModel } from '../../src/features/registry/statSnapshot.model.js';
import { UserModel } from '../../src/features/users/model.js';
import { demoPassword } from '../district.js';

const batchSize = 500;
const dayMs = 24 * 60 * 60 * 1000;
const places = ['坪山', '坑梓', '龙田', '碧岭', '马峦', '石井', '燕子湖', '聚龙山', '东江', '大万'];
const topics = ['生活', '美食', '故事', '影像', '资讯', '手记', '漫步', '观察', '小馆', '青年'];

export interface BulkMemberOptions {
  /** Slug and e-mail prefix (default `bulk`): members are `<prefix>-1` … `<prefix>-<count>`. */
  prefix?: string;
  /** Monthly snapshots per account (default 6). */
  snapshots?: number;
}

/** Seeds `count` public members; resolves to how many it created (0 if the prefix exists). */
export async function seedBulkMembers(count: number, options: BulkMemberOptions = {}): Promise<number> {
  const prefix = options.prefix ?? 'bulk';
  const months = options.snapshots ?? 6;
  if (count < 1 || (await CreatorModel.exists({ slug: `${prefix}-1` }))) return 0;
  const passwordHash = await hashPassword(demoPassword);
  const now = Date.now();
  for (let start = 1; start <= count; start += batchSize) {
    const numbers = Array.from({ length: Math.min(batchSize, count - start + 1) }, (_, i) => start + i);
    const users = [];
    const creators = [];
    const accounts = [];
    const snapshots = [];
    const memberships = [];
    for (const n of numbers) {
      const userId = new Types.ObjectId();
      const creatorId = new Types.ObjectId();
      const name = `${places[n % places.length]}${topics[Math.floor(n / places.length) % topics.length]}${n}`;
      const street = streets[n % streets.length];
      const joined = new Date(now - (n % 365) * dayMs);
      users.push({
        _id: userId,
        email: `${prefix}-${n}@bulk.lighthouse.example`,
        passwordHash,
        displayName: name,
        role: 'creator',
        status: 'active',
        emailVerifiedAt: joined,
        demo: true,
        language: 'zh-CN',
      });
      creators.push({
        _id: creatorId,
        user: userId,
        displayName: name,
        kind: n % 3 === 0 ? 'organisation' : 'person',
        street,
        categories: [categories[n % categories.length], categories[(n * 7) % categories.length]].filter(
          (category, index, all) => all.indexOf(category) === index,
        ),
        bio: `${name}：记录${places[n % places.length]}的${topics[n % topics.length]}。`,
        contact: { phone: `139 ${String(n).padStart(8, '0')}`, wechat: `${prefix}_${n}` },
        slug: `${prefix}-${n}`,
        consent: { listed: true, at: joined },
      });
      for (const [platform, platformId, source] of [
        ['bilibili', String(800_000_000 + n), 'official_api'],
        ['weibo', String(7_000_000_000 + n), 'public_web'],
      ] as const) {
        const accountId = new Types.ObjectId();
        const followers = 1000 + ((n * 7919) % 200_000);
        const asOf = new Date(now - dayMs);
        accounts.push({
          _id: accountId,
          creator: creatorId,
          platform,
          platformId,
          displayName: name,
          ownership: { state: 'verified', code: 'LH-BULK1', decidedAt: joined },
          figure: { followers, precision: 'exact', source, asOf },
        });
        for (let month = months - 1; month >= 0; month--) {
          const at = new Date(asOf.getTime() - month * 30 * dayMs);
          snapshots.push({
            account: accountId,
            creator: creatorId,
            street,
            platform,
            at,
            bucket: snapshotBucket(source, at),
            followers: Math.round(followers * (1 - month * 0.04)),
            precision: 'exact',
            source,
          });
        }
      }
      memberships.push({
        creator: creatorId,
        status: 'approved',
        motivation: '讲好坪山故事。',
        activities: ['good_stories'],
        memberNumber: `LH-2024-${String(n).padStart(5, '0')}`,
        appliedAt: joined,
        approvedAt: joined,
        renewalDate: new Date(joined.getTime() + 365 * dayMs),
        history: [{ action: 'approve', from: 'applied', to: 'approved', at: joined }],
      });
    }
    await UserModel.insertMany(users);
    await CreatorModel.insertMany(creators);
    await AccountModel.insertMany(accounts);
    if (snapshots.length) await StatSnapshotModel.insertMany(snapshots);
    await MembershipModel.insertMany(memberships);
  }
  // The directory's search and name sort read the creators' search keys.
  await backfillCreatorSearch();
  // Written around the services: the public listing is rebuilt from what is stored.
  await rebuildPublicListings();
  await backfillMonthlyFigures(); // the dashboard's audience per month
  return count;
}
