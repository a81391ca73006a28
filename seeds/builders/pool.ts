// The resource pool in the demo district: saved searches of the district officer (a campaign
// shortlist and the stale figures to chase). Idempotent: keyed on the officer and the name.
import { SavedSearchModel } from '../../src/features/pool/savedSearch.model.js';
import { findUserByEmail } from '../../src/features/users/service.js';

const demoSearches = [
  {
    name: '美食探店：1万粉丝以上的成员',
    query: 'category=food&followers=10k&followers=100k&membership=approved&sort=followers',
  },
  { name: '数据过时，需要更新', query: 'freshness=stale&freshness=none&sort=name' },
];

export async function seedPoolDemo(): Promise<void> {
  const officer = await findUserByEmail('office@lighthouse.example');
  if (!officer) return;
  for (const search of demoSearches)
    await SavedSearchModel.updateOne(
      { officer: officer._id, name: search.name },
      { $setOnInsert: { query: search.query } },
      { upsert: true },
    );
}
