// The wall of signatories of one pledge version: approved members who signed it and who consented
// (in their registry profile) to be listed publicly, with the counts the page shows.
import { CreatorModel } from '../registry/creator.model.js';
import { MembershipModel } from './membership.model.js';
import { PledgeSignatureModel } from './signature.model.js';

export interface SignatoryWall {
  /** Listed signatories, first signed first. */
  listed: { displayName: string; slug: string; memberNumber: string; signedAt: Date }[];
  /** Approved members who signed this version (listed or not). */
  signed: number;
  /** Approved members in all. */
  members: number;
}

export async function signatoryWall(version: number): Promise<SignatoryWall> {
  const signatures = await PledgeSignatureModel.find({ version: { $eq: version } })
    .sort({ signedAt: 1 })
    .exec();
  const members = await MembershipModel.find({ status: 'approved' }).exec();
  const memberNumbers = new Map(members.map((m) => [String(m.creator), m.memberNumber ?? '']));
  const signedByMembers = signatures.filter((s) => memberNumbers.has(String(s.creator)));
  const creators = new Map(
    (
      await CreatorModel.find({
        _id: { $in: signedByMembers.map((s) => s.creator) },
        'consent.listed': true,
      }).exec()
    ).map((c) => [String(c._id), c]),
  );
  const listed = signedByMembers.flatMap((signature) => {
    const creator = creators.get(String(signature.creator));
    return creator
      ? [
          {
            displayName: creator.displayName,
            slug: creator.slug,
            memberNumber: memberNumbers.get(String(signature.creator)) ?? '',
            signedAt: signature.signedAt,
          },
        ]
      : [];
  });
  return { listed, signed: signedByMembers.length, members: members.length };
}
