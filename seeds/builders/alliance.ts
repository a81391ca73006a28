// The alliance in the demo district: the five creators named in the source article founded it
// (approved members who signed pledge v1); others show an application waiting, a rejected one, one
// needing more information, and a suspended member. Idempotent: creators that already have a
// membership are left as they are.
//
// Until the registry's demo builder lands, minimal profiles (street, category, bio, contact) and
// one verified account per creator are written here: profiles through the registry's service,
// the verified ownership on the account model (the registry has no service call for a seeded
// verification yet).
import { AccountModel } from '../../src/features/registry/account.model.js';
import type { Street } from '../../src/features/registry/catalogue.js';
import { ensureCreatorOfUser, updateProfile } from '../../src/features/registry/creatorService.js';
import type { CreatorDocument } from '../../src/features/registry/creator.model.js';
import type { AllianceActivity } from '../../src/features/alliance/membership.model.js';
import {
  applyForMembership,
  approveApplication,
  findMembershipOfCreator,
  rejectApplication,
  requestMoreInformation,
  suspendMember,
} from '../../src/features/alliance/membershipService.js';
import {
  currentPledge,
  listPledges,
  publishPledge,
  signPledge,
} from '../../src/features/alliance/pledgeService.js';
import { createUser, findUserByEmail } from '../../src/features/users/service.js';
import type { UserDocument } from '../../src/features/users/model.js';
import { demoPassword } from '../district.js';

type Outcome = 'founder' | 'waiting' | 'rejected' | 'needs_info' | 'suspended';

interface DemoMember {
  email: string;
  displayName: string;
  street: Street;
  outcome: Outcome;
  motivation: string;
  activities: AllianceActivity[];
  reason?: string;
}

export const demoMembers: DemoMember[] = [
  {
    email: 'pstz@lighthouse.example',
    displayName: '坪山同镇',
    street: 'pingshan',
    outcome: 'founder',
    motivation: '记录坪山的日常与变化，讲好身边的好故事。',
    activities: ['good_stories', 'check_in', 'resource_pool'],
  },
  {
    email: 'psz@lighthouse.example',
    displayName: '坪山之眼',
    street: 'pingshan',
    outcome: 'founder',
    motivation: '用镜头记录坪山的城市与人。',
    activities: ['good_stories', 'good_netizen'],
  },
  {
    email: 'psyx@lighthouse.example',
    displayName: '坪山印象',
    street: 'kengzi',
    outcome: 'founder',
    motivation: '展示坪山的文化与旅游。',
    activities: ['good_stories', 'check_in'],
  },
  {
    email: 'inpingshan@lighthouse.example',
    displayName: 'IN坪山',
    street: 'longtian',
    outcome: 'founder',
    motivation: '发布坪山的民生资讯与公益信息。',
    activities: ['public_service', 'resource_pool'],
  },
  {
    email: 'ligaoxing@lighthouse.example',
    displayName: '李高兴',
    street: 'biling',
    outcome: 'founder',
    motivation: '用短视频传递坪山的好声音。',
    activities: ['good_stories', 'training'],
  },
  {
    email: 'maluan.hiker@lighthouse.example',
    displayName: '马峦山行者',
    street: 'maluan',
    outcome: 'waiting',
    motivation: '分享马峦山的徒步路线和生态之美。',
    activities: ['check_in'],
  },
  {
    email: 'longtian.food@lighthouse.example',
    displayName: '龙田美食记',
    street: 'longtian',
    outcome: 'rejected',
    motivation: '探店推荐。',
    activities: ['resource_pool'],
    reason: '账号近期内容以商业推广为主，欢迎调整后再次申请。',
  },
  {
    email: 'biling.photo@lighthouse.example',
    displayName: '碧岭光影',
    street: 'biling',
    outcome: 'needs_info',
    motivation: '拍摄碧岭的风景与人物。',
    activities: ['good_stories'],
    reason: '请说明您在其他平台的账号，并补充近期作品链接。',
  },
  {
    email: 'shijing.runner@lighthouse.example',
    displayName: '石井跑团',
    street: 'shijing',
    outcome: 'suspended',
    motivation: '组织社区跑步活动。',
    activities: ['check_in', 'public_service'],
    reason: '近期发布了未经核实的粉丝数据，核实前暂停成员资格。',
  },
];

const firstPledge = {
  title: '灯塔承诺书',
  body: [
    '我自愿加入坪山区灯塔自媒体联盟，遵守国家法律法规和网络平台规则。',
    '我承诺发布真实、准确的信息，不传播谣言，不夸大数据，对所发布内容负责。',
    '我愿意讲好坪山故事，传播坪山好声音，积极参与联盟组织的共创、打卡和公益活动。',
    '我尊重受众和同行，维护清朗的网络空间。',
  ].join('\n\n'),
  graceDays: 30,
};

async function demoUser(email: string, displayName: string): Promise<UserDocument> {
  return (
    (await findUserByEmail(email)) ??
    createUser({
      email,
      displayName,
      password: demoPassword,
      role: 'creator',
      privacyAccepted: true,
      demo: true,
      emailVerified: true,
    })
  );
}

/** A minimal complete profile and one verified account, unless the registry's demo already gave them. */
async function ensureProfile(
  user: UserDocument,
  member: DemoMember,
  index: number,
): Promise<CreatorDocument> {
  let creator = await ensureCreatorOfUser({ id: user.id, displayName: user.displayName });
  if (!creator.street) {
    creator = await updateProfile(creator, {
      displayName: creator.displayName,
      kind: 'person',
      street: member.street,
      categories: creator.categories.length ? creator.categories : ['news'],
      bio: creator.bio || member.motivation,
      phone: creator.contact?.phone ?? '',
      wechat: creator.contact?.wechat || `lh_demo_${index}`,
      slug: creator.slug,
      listed: true,
    });
  }
  if (!(await AccountModel.exists({ creator: creator._id, 'ownership.state': 'verified' }))) {
    await AccountModel.create({
      creator: creator._id,
      platform: 'bilibili',
      platformId: String(3_493_000_000 + index),
      displayName: creator.displayName,
      url: `https://space.bilibili.com/${3_493_000_000 + index}`,
      ownership: { state: 'verified', code: 'LH-DEMO1', decidedAt: new Date() },
    });
  }
  return creator;
}

export async function seedAllianceDemo(): Promise<{ members: number }> {
  const admin = await findUserByEmail('admin@lighthouse.example');
  const officer = await findUserByEmail('office@lighthouse.example');
  if (!admin || !officer) return { members: 0 };
  const adminActor = { id: admin.id, email: admin.email };
  const officerActor = { id: officer.id, email: officer.email };
  if ((await listPledges()).length === 0) {
    // In effect from the alliance's launch (a date in the past), so that v1 is current.
    await publishPledge(adminActor, { ...firstPledge, effectiveAt: new Date('2026-01-01T00:00:00+08:00') });
  }
  const pledge = await currentPledge();
  let members = 0;
  for (const [index, member] of demoMembers.entries()) {
    const user = await demoUser(member.email, member.displayName);
    const creator = await ensureProfile(user, member, index);
    if (await findMembershipOfCreator(creator._id)) continue;
    const actor = { id: user.id, email: user.email, displayName: user.displayName };
    let membership = await applyForMembership(actor, creator._id, member);
    const reason = member.reason ?? '';
    if (member.outcome === 'rejected') await rejectApplication(officerActor, membership, reason);
    if (member.outcome === 'needs_info') await requestMoreInformation(officerActor, membership, reason);
    if (member.outcome === 'founder' || member.outcome === 'suspended') {
      membership = await approveApplication(officerActor, membership);
      if (pledge)
        await signPledge(actor, creator, membership, {
          version: pledge.version,
          typedName: creator.displayName,
        });
      if (member.outcome === 'suspended') await suspendMember(officerActor, membership, reason);
      members += 1;
    }
  }
  return { members };
}
