// The demo district as the directory's tests start from it: five founders listed, a suspended
// member, applicants; plus a founder who withdrew consent and a private evidence id on a figure,
// so that tests can look for what must never be shown.
import { Types } from 'mongoose';
import { seedDemoDistrict } from '../../../../seeds/demo.js';
import { rebuildPublicListings } from '../../../../src/features/directory/listing.js';
import { backfillCreatorSearch } from '../../../../src/features/pool/creatorSearch.js';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';

/** Private values of the demo district that no public page, API answer or CSV may contain. */
export const privateValues = [
  '0755 2830 0001', // 坪山同镇's phone
  'pstz_news', // its WeChat id
  '139 0000 0002',
  'pingshan_eye',
  '@lighthouse.example', // every demo email
  'evidence',
  'enteredBy',
  'confirmedBy',
  'ownership',
  '近期发布了未经核实的粉丝数据', // the suspension's reason
  'ps_reading', // the unlisted member's WeChat id
];

/** Members the public must not see, by slug or name. */
export const hiddenNames = ['石井跑团', '马峦山行者', '龙田美食记', '碧岭光影', '坪山夜读'];

export const withdrawnSlug = 'li-gaoxing';
export const evidenceId = new Types.ObjectId();

export async function seedDirectoryDemo(): Promise<void> {
  await seedDemoDistrict();
  await backfillCreatorSearch();
  await CreatorModel.updateOne(
    { slug: withdrawnSlug },
    { $set: { 'consent.listed': false, 'consent.at': new Date() } },
  );
  await AccountModel.updateOne(
    { platform: 'wechat_oa', platformId: 'gh_1a2b3c4d5e6f' },
    { $set: { 'figure.evidence': evidenceId } },
  );
  // Written straight to the models above: the public listing is rebuilt from what is stored.
  await rebuildPublicListings();
}
