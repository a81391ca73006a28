// The demo's bulk import: the district office imported two creators it already knew from its
// spreadsheet, through the same service as /office/import (one audit entry with the counts). They
// stay unclaimed: an officer hands over a claim link from the creator's page. Idempotent: once the
// first account exists, nothing is imported again.
import { AccountModel } from '../../src/features/registry/account.model.js';
import { applyUpload, storeImportUpload } from '../../src/features/registry/importService.js';
import { toSessionUser } from '../../src/features/users/model.js';
import { findUserByEmail } from '../../src/features/users/service.js';

const officerEmail = 'office@lighthouse.example';

const spreadsheet = [
  '名称,类型,街道,分类,简介,联系电话,平台,账号主页或 ID,账号名称,粉丝数',
  '坑梓客家围,机构,坑梓,文化旅游,坑梓客家围屋的故事与活动。,0755-8400 5678,微博,https://weibo.com/u/6120005311,坑梓客家围,8600',
  '坑梓客家围,,,,,,哔哩哔哩,https://space.bilibili.com/3546900012,坑梓客家围,',
  '石井社区志愿者,个人,石井,公共服务、生活,石井社区志愿服务记录。,13900001234,抖音,https://www.douyin.com/user/MS4wLjABAAAAs1Jing0Volunteer0Demo0Account0Id0000,石井志愿者,"12,400"',
].join('\n');

/** Imports the demo spreadsheet once; returns how many creators it made. */
export async function seedDemoImport(): Promise<number> {
  const officer = await findUserByEmail(officerEmail);
  if (!officer) return 0;
  if (await AccountModel.exists({ platform: 'weibo', platformId: '6120005311' })) return 0;
  const actor = toSessionUser(officer);
  const upload = await storeImportUpload(actor, Buffer.from(spreadsheet), '坪山区自媒体名册.csv');
  const result = await applyUpload(actor, upload);
  if (result.outcome !== 'applied') throw new Error(`the demo import was not applied (${result.outcome})`);
  return result.counts.creatorsNew;
}
