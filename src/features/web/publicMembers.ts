// The member pages the sitemap lists: approved members who consented to be listed publicly (the
// same rule as the pledge's wall of signatories). Never a non-member, a suspended or withdrawn
// member, or someone who withdrew consent. One function, so that the directory's own public
// members query can take its place.
import { MembershipModel } from '../alliance/membership.model.js';
import { CreatorModel } from '../registry/creator.model.js';

export interface PublicMemberPage {
  slug: string;
  updatedAt: Date | undefined;
}

export async function listPublicMemberPages(): Promise<PublicMemberPage[]> {
  const members = await MembershipModel.find({ status: 'approved' }, { creator: 1 }).lean().exec();
  const creators = await CreatorModel.find(
    { _id: { $in: members.map((member) => member.creator) }, 'consent.listed': true },
    { slug: 1, updatedAt: 1 },
  )
    .sort({ slug: 1 })
    .lean()
    .exec();
  return creators.map((creator) => ({ slug: creator.slug, updatedAt: creator.updatedAt }));
}
