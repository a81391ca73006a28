// Creators and accounts stored directly (as the registry stores them) for the puller's tests.
import { Types } from 'mongoose';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import type { Street } from '../../../../src/features/registry/catalogue.js';
import type { PlatformKey } from '../../../../src/features/registry/platforms/index.js';

export interface TestAccountOptions {
  state?: 'unverified' | 'pending' | 'verified' | 'rejected';
  code?: string;
  followers?: number;
  street?: Street;
  user?: Types.ObjectId;
}

/** One creator with an account per id on the platform; the accounts' ids in that order. */
export async function insertAccounts(
  platform: PlatformKey,
  ids: readonly string[],
  options: TestAccountOptions = {},
): Promise<Types.ObjectId[]> {
  const creator = await CreatorModel.create({
    displayName: `creator ${platform}`,
    slug: `creator-${platform}-${new Types.ObjectId().toHexString()}`,
    street: options.street,
    user: options.user,
  });
  const accounts = await AccountModel.insertMany(
    ids.map((platformId) => ({
      creator: creator._id,
      platform,
      platformId,
      displayName: platformId,
      ownership: { state: options.state ?? 'verified', code: options.code ?? 'LH-ABCDE', history: [] },
      ...(options.followers === undefined
        ? {}
        : {
            figure: {
              followers: options.followers,
              precision: 'exact',
              source: 'official_api',
              asOf: new Date(Date.now() - 86_400_000),
            },
          }),
    })),
  );
  return accounts.map((account) => account._id);
}
