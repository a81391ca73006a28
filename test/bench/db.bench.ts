// `npm run bench:db`: the database lane measured through mongoose, as the app uses it. Inserts
// 10,000 creator-like documents and times a filtered, sorted, paginated page; grows to
// BENCH_DOCS (100,000 by default) and times _id and unique-field lookups, the page again, a page
// served by a compound index, a range-only page, a collated (pinyin) sort, a count and $group
// aggregations, one request at a time (latency-bound, one core). The last line printed is one
// JSON object for machines: {"bench":"db","docs":…,"id_ops_s":…,"unique_ops_s":…,"page_p50_ms":…,
// "page_100k_p50_ms":…,"collated_page_p50_ms":…,"group_ms":…,"count_ms":…}. Runs on the offline lane, or on a
// real MongoDB when MONGODB_URI is set (its own database, dropped at the end).
import { randomBytes } from 'node:crypto';
import mongoose, { Schema, type Types } from 'mongoose';
import { loadConfig } from '../../src/config.js';
import { openDatabaseLane } from '../../src/db/connection.js';
import { random } from '../support/random.js';

interface CreatorDoc {
  _id: Types.ObjectId;
  displayName: string;
  slug: string;
  street: string;
  categories: string[];
  followers: number;
  createdAt: Date;
}

const DOCUMENTS = Number(process.env.BENCH_DOCS ?? 100_000);
/** The size of the first measured page, before the collection grows to DOCUMENTS. */
const FIRST = Math.min(10_000, DOCUMENTS);
const STREETS = ['north', 'south', 'east', 'west', 'harbour', 'market', 'temple', 'river'];
const CATEGORIES = [
  'food',
  'travel',
  'music',
  'crafts',
  'fashion',
  'tech',
  'family',
  'sport',
  'art',
  'history',
];

const creatorSchema = new Schema<CreatorDoc>({
  displayName: { type: String, required: true },
  slug: { type: String, required: true, unique: true },
  street: { type: String, required: true, index: true },
  categories: { type: [String], default: [] },
  followers: { type: Number, default: 0 },
  createdAt: { type: Date, default: Date.now },
});
// The resource pool's page: a street, a follower range, sorted by followers.
creatorSchema.index({ street: 1, followers: -1 });
// The range-only page, and the directory's pinyin-ordered names within a street.
creatorSchema.index({ followers: 1 });
creatorSchema.index({ street: 1, displayName: 1 }, { collation: { locale: 'zh' } });
// The pool's street + category facet count: counted from this index alone (categories is multikey).
creatorSchema.index({ street: 1, categories: 1 });

interface Result {
  name: string;
  ops: number;
  seconds: number;
  target?: number;
  note?: string;
  /** Milliseconds per operation, in the order run. */
  latencies: number[];
}

const p50 = (result: Result): number => {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Runs `op` one at a time for about `budgetMs` (after a warm-up, so the JIT has settled) and counts. */
async function measure(
  name: string,
  budgetMs: number,
  op: (i: number) => Promise<unknown>,
  target?: number,
): Promise<Result> {
  const warmUntil = Date.now() + Math.min(500, budgetMs / 4);
  for (let i = 0; i < 20 || Date.now() < warmUntil; i++) await op(i);
  let ops = 0;
  const latencies: number[] = [];
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(budgetMs) * 1_000_000n;
  for (let before = start; before < deadline;) {
    await op(ops);
    const after = process.hrtime.bigint();
    latencies.push(Number(after - before) / 1e6);
    before = after;
    ops += 1;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return target === undefined ? { name, ops, seconds, latencies } : { name, ops, seconds, target, latencies };
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US');

function printTable(lane: string, results: Result[]): boolean {
  const rows = results.map((result) => {
    const rate = result.ops / result.seconds;
    const met = result.target === undefined ? '' : rate >= result.target ? 'ok' : 'MISSED';
    return [
      result.name,
      format(result.ops),
      format(rate),
      result.latencies.length ? p50(result).toFixed(2) : '—',
      result.target === undefined ? '—' : `≥ ${format(result.target)}`,
      met,
      result.note ?? '',
    ];
  });
  const header = ['operation', 'ops', 'ops/s', 'p50 ms', 'target', '', 'note'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === 0 || i === 6 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  console.log(
    `\nLighthouse database benchmark: mongoose ${mongoose.version}, lane "${lane}", ${format(DOCUMENTS)} creators, node ${process.version}\n`,
  );
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  return results.every(
    (result) => result.target === undefined || result.ops / result.seconds >= result.target,
  );
}

async function main(): Promise<void> {
  const dbName = `lh_bench_${randomBytes(4).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    MONGO_DB_NAME: dbName,
    LOG_LEVEL: 'silent',
  };
  if (!env.MONGODB_URI && !env.MONGO_LANE) env.MONGO_LANE = 'offline'; // never a download attempt
  const quiet = { info: () => undefined, warn: () => undefined };
  const lane = await openDatabaseLane(loadConfig(env), quiet);
  const uri =
    lane.lane === 'uri'
      ? lane.uri.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?/, `$1/${dbName}`)
      : lane.uri;
  const connection = await mongoose
    .createConnection(uri, { dbName, serverSelectionTimeoutMS: 10_000 })
    .asPromise();
  const budgetMs = Number(process.env.BENCH_MS ?? 2000);
  try {
    const Creators = connection.model<CreatorDoc>('Creator', creatorSchema);
    await Creators.init();

    const rand = random(42);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
    const docs = Array.from({ length: DOCUMENTS }, (_, i) => ({
      displayName: `Creator ${i}`,
      slug: `creator-${i}`,
      street: pick(STREETS),
      categories: Array.from(new Set([pick(CATEGORIES), pick(CATEGORIES), pick(CATEGORIES)])).slice(
        0,
        1 + Math.floor(rand() * 3),
      ),
      followers: Math.floor(rand() ** 2 * 100_000),
      createdAt: new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 730) * 86_400_000),
    }));

    const results: Result[] = [];
    const insert = async (from: number, to: number): Promise<void> => {
      const start = process.hrtime.bigint();
      for (let i = from; i < to; i += 1000)
        await Creators.insertMany(docs.slice(i, Math.min(to, i + 1000)), { lean: true });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const name = `insertMany ${format(from)}..${format(to)} (batches of 1,000)`;
      results.push({ name, ops: to - from, seconds, note: 'documents/s', latencies: [] });
    };
    /** The resource pool's page: street + follower range, by followers, skip/limit 20. */
    const page = (size: number): Promise<Result> => {
      let served = 0;
      let calls = 0;
      return measure(
        `street + followers range, sort, skip/limit 20 (${format(size)})`,
        budgetMs,
        async (i) => {
          const low = (i * 37) % 20_000;
          const rows = await Creators.find({
            street: STREETS[i % STREETS.length],
            followers: { $gte: low, $lte: low + 60_000 },
          })
            .sort({ followers: -1 })
            .skip((i % 5) * 20)
            .limit(20)
            .select('displayName slug followers')
            .lean();
          served += rows.length;
          calls += 1;
        },
      ).then((result) => ({ ...result, note: `${(served / Math.max(1, calls)).toFixed(1)} docs/page` }));
    };

    await insert(0, FIRST);
    const firstPage = await page(FIRST);
    results.push(firstPage);
    await insert(FIRST, DOCUMENTS);

    const ids = (await Creators.find({}, { _id: 1 }).lean()).map((doc) => doc._id);
    if (ids.length !== DOCUMENTS) throw new Error(`expected ${DOCUMENTS} documents, found ${ids.length}`);
    // The first lookups after inserting 90,000 documents paid for the collector and the JIT
    // settling (findById, measured first, looked slower than the unique lookup for that alone):
    // both kinds run untimed first, so each is measured in the same state.
    const settleUntil = Date.now() + budgetMs / 2;
    for (let i = 0; Date.now() < settleUntil; i++) {
      await Creators.findById(ids[(i * 104_729) % ids.length]).lean();
      await Creators.findOne({ slug: `creator-${(i * 104_729) % DOCUMENTS}` }).lean();
    }
    const byId = await measure(
      'findById(...).lean()',
      budgetMs,
      async (i) => {
        if (!(await Creators.findById(ids[(i * 7919) % ids.length]).lean()))
          throw new Error('missing document');
      },
      3000,
    );
    const bySlug = await measure(
      'findOne({ slug }).lean() (unique index)',
      budgetMs,
      async (i) => {
        const doc = await Creators.findOne({ slug: `creator-${(i * 7919) % DOCUMENTS}` }).lean();
        if (!doc) throw new Error('missing document');
      },
      3000,
    );
    const bigPage = await page(DOCUMENTS);
    const rangePage = await measure('followers range only, sort, limit 20', budgetMs, async (i) => {
      const low = (i * 37) % 50_000;
      await Creators.find({ followers: { $gte: low, $lt: low + 10_000 } })
        .sort({ followers: 1 })
        .limit(20)
        .lean();
    });
    const collatedPage = await measure(
      'street, sort by name in pinyin (zh), limit 20',
      budgetMs,
      async (i) => {
        await Creators.find({ street: STREETS[i % STREETS.length] })
          .collation({ locale: 'zh' })
          .sort({ displayName: 1 })
          .limit(20)
          .lean();
      },
    );
    const count = await measure('countDocuments(street + category), covered', budgetMs, async (i) => {
      await Creators.countDocuments({
        street: STREETS[i % STREETS.length],
        categories: CATEGORIES[i % CATEGORIES.length],
      });
    });
    const group = await measure(`aggregate $group by street (${format(DOCUMENTS)})`, budgetMs, async () => {
      const groups = await Creators.aggregate<{ _id: string; creators: number; followers: number }>([
        { $group: { _id: '$street', creators: { $sum: 1 }, followers: { $avg: '$followers' } } },
        { $sort: { creators: -1 } },
      ]);
      if (groups.length !== STREETS.length) throw new Error('unexpected group count');
    });
    results.push(byId, bySlug, bigPage, rangePage, collatedPage, count, group);

    const allMet = printTable(lane.lane, results);
    console.log(allMet ? 'All targets met.' : 'Some targets were MISSED.');
    const rate = (result: Result): number => Math.round(result.ops / result.seconds);
    const ms = (result: Result): number => Number(p50(result).toFixed(3));
    console.log(
      JSON.stringify({
        bench: 'db',
        docs: DOCUMENTS,
        id_ops_s: rate(byId),
        unique_ops_s: rate(bySlug),
        page_p50_ms: ms(firstPage),
        page_100k_p50_ms: ms(bigPage),
        collated_page_p50_ms: ms(collatedPage),
        group_ms: ms(group),
        count_ms: ms(count),
      }),
    );
    await connection.db?.dropDatabase();
  } finally {
    await connection.close();
    await lane.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
