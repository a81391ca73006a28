// Member numbers LH-YYYY-NNNN from one counter document per year: `$inc` with upsert is atomic, so
// concurrent approvals never get the same number, and a number once taken is never issued again.
import { MemberCounterModel } from './membership.model.js';

export const memberNumberPattern = /^LH-\d{4}-\d{4,}$/;

export async function allocateMemberNumber(year: number): Promise<string> {
  const counter = await MemberCounterModel.findOneAndUpdate(
    { _id: `member-${year}` },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  );
  if (!counter) throw new Error('the member counter was not written');
  return `LH-${year}-${String(counter.seq).padStart(4, '0')}`;
}
