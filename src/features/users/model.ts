// A person who signs in: a creator, a district/street officer, or an admin.
import mongoose, { type HydratedDocument, type InferSchemaType, Schema } from 'mongoose';
import { limits } from '../../http/fields.js';
import { languages } from '../../i18n/index.js';

export const roles = ['creator', 'officer', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Pingshan's streets; an officer's scope is one of them or the whole district. */
export const streets = ['pingshan', 'kengzi', 'longtian', 'biling', 'maluan', 'shijing'] as const;
export type Street = (typeof streets)[number];
export const districtScope = 'district';
export type StreetScope = Street | typeof districtScope;

export const streetScopes: readonly StreetScope[] = [...streets, districtScope];

export const userStatuses = ['active', 'disabled'] as const;
export type UserStatus = (typeof userStatuses)[number];

const userSchema = new Schema(
  {
    /** Lower-cased and trimmed before it gets here (see normaliseEmail). */
    email: { type: String, required: true, unique: true, maxlength: limits.email },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true, maxlength: limits.displayName },
    role: { type: String, enum: roles, required: true, default: 'creator' },
    /** Officers only: the street they review, or the whole district. */
    streetScope: { type: String, enum: [...streets, districtScope] },
    status: { type: String, enum: userStatuses, required: true, default: 'active' },
    /** When the privacy notice was accepted at registration. */
    privacyAcceptedAt: { type: Date },
    // Sign-in throttling lives in login_throttles (per email, known or not): see auth/throttleModel.ts.
    lastLoginAt: { type: Date },
    passwordChangedAt: { type: Date },
    /** Raised when the password changes or the account is disabled: older sessions end. */
    credentialsVersion: { type: Number, required: true, default: 0 },
    /** Seeded demo log-in (published password): refused sign-in in production. */
    demo: { type: Boolean },
    /** When the person proved the address is theirs (a verification link); unset: unverified. */
    emailVerifiedAt: { type: Date },
    /** The language of their mails: the one they registered in or last chose. */
    language: { type: String, enum: languages },
  },
  { timestamps: true },
);

export type User = InferSchemaType<typeof userSchema>;
export type UserDocument = HydratedDocument<User>;

export const UserModel = mongoose.model('User', userSchema);

/**
 * Whether the person has proved their address. The alliance (applying) and the directory
 * (being listed) require it; everything else works without.
 */
export function isEmailVerified(user: Pick<User, 'emailVerifiedAt'>): boolean {
  return user.emailVerifiedAt instanceof Date;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** What views and req.user carry about the signed-in person (never the hash). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  streetScope: StreetScope | undefined;
  /** Changes when the password does: sessions signed in under an older one end. */
  credentialsVersion: number;
}

export function toSessionUser(user: UserDocument): SessionUser {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    streetScope: user.streetScope ?? undefined,
    credentialsVersion: user.credentialsVersion,
  };
}
