// Officers: listed, created and changed by admins. Each change is written first, then audited.
import { recordAudit } from '../../audit/service.js';
import { createUser } from '../../auth/service.js';
import {
  type SessionUser,
  type StreetScope,
  UserModel,
  type UserDocument,
  districtScope,
  streets,
  userStatuses,
} from '../../users/model.js';

export const streetScopes: readonly StreetScope[] = [...streets, districtScope];
export type UserStatus = (typeof userStatuses)[number];

type Actor = Pick<SessionUser, 'id' | 'email'>;

export function listOfficers(): Promise<UserDocument[]> {
  return UserModel.find({ role: 'officer' }).sort({ email: 1 }).exec();
}

/** The officer with this id, or null (also for ids that are not officers or not ids at all). */
export function findOfficer(id: string): Promise<UserDocument | null> {
  if (!/^[0-9a-f]{24}$/i.test(id)) return Promise.resolve(null);
  return UserModel.findOne({ _id: id, role: 'officer' }).exec();
}

export interface NewOfficer {
  email: string;
  displayName: string;
  password: string;
  streetScope: StreetScope;
}

/** Creates an officer account; a taken email throws EmailTakenError and writes nothing. */
export async function createOfficer(actor: Actor, input: NewOfficer): Promise<UserDocument> {
  const officer = await createUser({ ...input, role: 'officer' });
  await recordAudit({
    actor,
    action: 'officer.create',
    target: { type: 'user', id: officer.id },
    details: { email: officer.email, displayName: officer.displayName, streetScope: input.streetScope },
  });
  return officer;
}

/** Gives an officer another street scope; false when it was already that scope (nothing recorded). */
export async function setOfficerScope(
  actor: Actor,
  officer: UserDocument,
  streetScope: StreetScope,
): Promise<boolean> {
  const from = officer.streetScope;
  if (from === streetScope) return false;
  // Only from the scope the admin saw: two admins acting at once cannot record a stale "from".
  const result = await UserModel.updateOne(
    { _id: officer._id, role: 'officer', streetScope: { $eq: from } },
    { $set: { streetScope } },
  );
  if (result.modifiedCount === 0) return false;
  await recordAudit({
    actor,
    action: 'officer.scope',
    target: { type: 'user', id: officer.id },
    details: { from, to: streetScope },
  });
  return true;
}

/**
 * Disables or enables an officer; false when nothing changed. A disabled officer is signed out on
 * their next request (sessions reload the user) and cannot sign in.
 */
export async function setOfficerStatus(
  actor: Actor,
  officer: UserDocument,
  status: UserStatus,
): Promise<boolean> {
  const from = officer.status;
  if (from === status) return false;
  const result = await UserModel.updateOne(
    { _id: officer._id, role: 'officer', status: { $eq: from } },
    { $set: { status } },
  );
  if (result.modifiedCount === 0) return false;
  await recordAudit({
    actor,
    action: 'officer.status',
    target: { type: 'user', id: officer.id },
    details: { from, to: status },
  });
  return true;
}
