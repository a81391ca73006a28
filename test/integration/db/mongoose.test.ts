// Mongoose 9 against the test database lane (the offline lane in CI, a real MongoDB when
// MONGODB_URI is set). Every expectation is what MongoDB's documentation says a server answers,
// so this file passes unchanged on every lane.
import { expect } from 'chai';
import mongoose, { type Connection, type Model, Schema, Types } from 'mongoose';
import { MongoBulkWriteError, MongoServerError, type WriteError } from 'mongodb';
import { type TestDatabase, startTestDatabase } from '../../support/database.js';

interface Link {
  _id: Types.ObjectId;
  label: string;
  url: string;
}

interface Creator {
  displayName: string;
  slug: string;
  street: string;
  categories: Types.Array<string>;
  followers: number;
  links: Types.DocumentArray<Link>;
  profile: { bio?: string; phone?: string };
  secretNote?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What tests pass in: plain arrays where the hydrated document has mongoose arrays. */
type CreatorInput = Partial<Omit<Creator, 'categories' | 'links'>> & {
  categories?: string[];
  links?: { label: string; url: string }[];
};

interface Post {
  creator: Types.ObjectId;
  title: string;
  publishedAt: Date;
  likes: number;
}

const linkSchema = new Schema<Link>({
  label: { type: String, required: true },
  url: { type: String, required: true },
});

const creatorSchema = new Schema<Creator>(
  {
    displayName: { type: String, required: true, trim: true },
    slug: { type: String, required: true, unique: true, lowercase: true, match: /^[a-z0-9-]+$/ },
    street: { type: String, required: true, enum: ['north', 'south', 'east', 'west'] },
    categories: { type: [String], default: [] },
    followers: { type: Number, min: 0, default: 0 },
    links: { type: [linkSchema], default: [] },
    profile: { bio: String, phone: String },
    secretNote: { type: String, select: false },
  },
  { timestamps: true },
);

const postSchema = new Schema<Post>({
  creator: { type: Schema.Types.ObjectId, ref: 'Creator', required: true },
  title: { type: String, required: true },
  publishedAt: { type: Date, required: true },
  likes: { type: Number, default: 0 },
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('mongoose on the test database lane', function () {
  let database: TestDatabase;
  let connection: Connection;
  let Creators: Model<Creator>;
  let Posts: Model<Post>;

  before(async function () {
    database = await startTestDatabase();
    connection = await mongoose
      .createConnection(database.uri, { dbName: database.dbName, serverSelectionTimeoutMS: 10_000 })
      .asPromise();
    Creators = connection.model<Creator>('Creator', creatorSchema);
    Posts = connection.model<Post>('Post', postSchema);
    await Creators.init();
    await Posts.init();
  });

  after(async function () {
    await connection?.close();
    await database?.stop();
  });

  beforeEach(async function () {
    await Creators.deleteMany({});
    await Posts.deleteMany({});
  });

  const base = (slug: string, extra: CreatorInput = {}): CreatorInput => ({
    displayName: `Creator ${slug}`,
    slug,
    street: 'north',
    ...extra,
  });

  describe('indexes and errors', function () {
    it('creates the unique index declared on the schema', async function () {
      const indexes: { name: string; key: unknown; unique?: boolean }[] = await Creators.collection
        .listIndexes()
        .toArray();
      const slug = indexes.find((index) => index.name === 'slug_1');
      expect(indexes.map((index) => index.name)).to.have.members(['_id_', 'slug_1']);
      expect(slug).to.include({ unique: true });
      expect(slug?.key).to.deep.equal({ slug: 1 });
      // init() again is a no-op: the same index already exists.
      await Creators.syncIndexes();
      expect((await Creators.collection.listIndexes().toArray()).length).to.equal(2);
    });

    it('rejects invalid documents with a ValidationError and writes nothing', async function () {
      let caught: unknown;
      try {
        await Creators.create({ slug: 'Not A Slug!', street: 'centre', followers: -3 });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(mongoose.Error.ValidationError);
      const errors = (caught as mongoose.Error.ValidationError).errors;
      expect(Object.keys(errors)).to.have.members(['displayName', 'slug', 'street', 'followers']);
      expect(errors.displayName?.kind).to.equal('required');
      expect(errors.slug?.kind).to.equal('regexp');
      expect(errors.street?.kind).to.equal('enum');
      expect(errors.followers?.kind).to.equal('min');
      expect(await Creators.collection.countDocuments({})).to.equal(0);
    });

    it('reports a duplicate unique key as MongoServerError 11000 with keyPattern and keyValue', async function () {
      await Creators.create(base('ada'));
      let caught: unknown;
      try {
        await Creators.create(base('ADA')); // lowercased by the schema: collides
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(MongoServerError);
      const error = caught as MongoServerError;
      expect(error.code).to.equal(11000);
      expect(error.keyPattern).to.deep.equal({ slug: 1 });
      expect(error.keyValue).to.deep.equal({ slug: 'ada' });
      expect(error.message).to.match(
        /E11000 duplicate key error collection: \S+\.creators index: slug_1 dup key: \{ slug: "ada" \}/,
      );
      expect(await Creators.countDocuments()).to.equal(1);
    });

    it('updates that would duplicate a unique key fail and leave the document unchanged', async function () {
      await Creators.create([base('one'), base('two')]);
      let caught: unknown;
      try {
        await Creators.updateOne({ slug: 'two' }, { $set: { slug: 'one', followers: 5 } });
      } catch (error) {
        caught = error;
      }
      expect((caught as MongoServerError).code).to.equal(11000);
      const two = await Creators.findOne({ slug: 'two' }).lean();
      expect(two?.followers).to.equal(0);
    });

    it('an unordered insertMany keeps the valid documents and reports the duplicates', async function () {
      await Creators.create(base('taken'));
      let caught: unknown;
      try {
        await Creators.insertMany([base('fresh-1'), base('taken'), base('fresh-2'), base('fresh-1')], {
          ordered: false,
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(MongoBulkWriteError);
      const error = caught as MongoBulkWriteError;
      expect(error.code).to.equal(11000);
      expect(error.result.insertedCount).to.equal(2);
      expect(error.writeErrors).to.be.an('array').with.length(2);
      const writeErrors: WriteError[] = Array.isArray(error.writeErrors)
        ? error.writeErrors
        : [error.writeErrors];
      const indexes = writeErrors.map((entry) => [entry.index, entry.code]);
      expect(indexes).to.deep.equal([
        [1, 11000],
        [3, 11000],
      ]);
      expect(await Creators.distinct('slug')).to.have.members(['taken', 'fresh-1', 'fresh-2']);
    });

    it('an ordered insertMany stops at the first duplicate', async function () {
      let caught: unknown;
      try {
        await Creators.insertMany([base('a'), base('a'), base('b')]);
      } catch (error) {
        caught = error;
      }
      expect((caught as MongoServerError).code).to.equal(11000);
      expect(await Creators.distinct('slug')).to.deep.equal(['a']);
    });
  });

  describe('saving changed documents', function () {
    it('pushes to arrays with $push and bumps the version key', async function () {
      const created = await Creators.create(base('pusher', { categories: ['food'] }));
      const doc = await Creators.findById(created._id).orFail();
      doc.categories.push('travel', 'music');
      await doc.save();
      const stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.categories).to.deep.equal(['food', 'travel', 'music']);
      expect(stored?.__v).to.equal(1);
      expect(doc.__v).to.equal(1);

      // A second document instance pushes too: $push needs no version check, both pushes land.
      const other = await Creators.findById(created._id).orFail();
      doc.categories.push('art');
      other.categories.push('sport');
      await doc.save();
      await other.save();
      const after = await Creators.collection.findOne({ _id: created._id });
      expect(after?.categories).to.deep.equal(['food', 'travel', 'music', 'art', 'sport']);
      expect(after?.__v).to.equal(3);
    });

    it('pulls, addToSets and pops array elements', async function () {
      const created = await Creators.create(base('puller', { categories: ['a', 'b', 'c', 'b'] }));
      const doc = await Creators.findById(created._id).orFail();
      doc.categories.pull('b');
      await doc.save();
      expect((await Creators.collection.findOne({ _id: created._id }))?.categories).to.deep.equal(['a', 'c']);
      doc.categories.addToSet('a', 'd');
      await doc.save();
      expect((await Creators.collection.findOne({ _id: created._id }))?.categories).to.deep.equal([
        'a',
        'c',
        'd',
      ]);
      doc.categories.pop();
      await doc.save();
      expect((await Creators.collection.findOne({ _id: created._id }))?.categories).to.deep.equal(['a', 'c']);
    });

    it('saves edits of subdocuments and nested paths', async function () {
      const created = await Creators.create(
        base('subdocs', {
          links: [
            { label: 'Site', url: 'https://one.example' },
            { label: 'Shop', url: 'https://two.example' },
          ],
        }),
      );
      const doc = await Creators.findById(created._id).orFail();
      doc.links[1]!.url = 'https://shop.example';
      doc.profile.bio = 'Bakes on Tuesdays';
      await doc.save();
      let stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.links.map((link: Link) => [link.label, link.url])).to.deep.equal([
        ['Site', 'https://one.example'],
        ['Shop', 'https://shop.example'],
      ]);
      expect(stored?.profile).to.deep.equal({ bio: 'Bakes on Tuesdays' });

      // Removing a subdocument is a $pull by its _id; adding one is a $push.
      doc.links.pull(doc.links[0]!._id);
      await doc.save();
      doc.links.push({ label: 'Blog', url: 'https://blog.example' });
      await doc.save();
      stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.links.map((link: Link) => link.label)).to.deep.equal(['Shop', 'Blog']);
      expect(stored?.links.every((link: Link) => link._id instanceof Types.ObjectId)).to.equal(true);

      // Removing a nested field is an $unset.
      doc.profile.bio = undefined;
      await doc.save();
      stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.profile).to.deep.equal({});
    });

    it('refuses a positional edit after a concurrent array change (VersionError)', async function () {
      const created = await Creators.create(
        base('versioned', {
          links: [
            { label: 'A', url: 'https://a.example' },
            { label: 'B', url: 'https://b.example' },
          ],
        }),
      );
      const first = await Creators.findById(created._id).orFail();
      const second = await Creators.findById(created._id).orFail();
      first.links.pull(first.links[0]!._id); // shifts positions: version 0 → 1
      await first.save();
      second.links[0]!.label = 'A2'; // positional $set guarded by __v: 0
      let caught: unknown;
      try {
        await second.save();
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(mongoose.Error.VersionError);
      const stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.links.map((link: Link) => link.label)).to.deep.equal(['B']);
      expect(stored?.__v).to.equal(1);
    });

    it('a save with no changes sends nothing and keeps updatedAt', async function () {
      const created = await Creators.create(base('idle'));
      const doc = await Creators.findById(created._id).orFail();
      await sleep(5);
      await doc.save();
      const stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.updatedAt.getTime()).to.equal(created.updatedAt.getTime());
    });
  });

  describe('timestamps', function () {
    it('sets createdAt and updatedAt on create and moves updatedAt on every update', async function () {
      const before = Date.now();
      const created = await Creators.create(base('timed'));
      expect(created.createdAt).to.be.instanceOf(Date);
      expect(created.createdAt.getTime()).to.equal(created.updatedAt.getTime());
      expect(created.createdAt.getTime()).to.be.at.least(before - 1);
      const stored = await Creators.collection.findOne({ _id: created._id });
      expect(stored?.createdAt).to.be.instanceOf(Date);
      expect(stored?.createdAt.getTime()).to.equal(created.createdAt.getTime());

      await sleep(5);
      const doc = await Creators.findById(created._id).orFail();
      doc.followers = 10;
      await doc.save();
      const saved = await Creators.collection.findOne({ _id: created._id });
      expect(saved?.updatedAt.getTime()).to.be.greaterThan(created.updatedAt.getTime());
      expect(saved?.createdAt.getTime()).to.equal(created.createdAt.getTime());

      await sleep(5);
      await Creators.updateOne({ _id: created._id }, { $inc: { followers: 1 } });
      const updated = await Creators.collection.findOne({ _id: created._id });
      expect(updated?.followers).to.equal(11);
      expect(updated?.updatedAt.getTime()).to.be.greaterThan(saved?.updatedAt.getTime() ?? Infinity);
    });
  });

  describe('reading', function () {
    beforeEach(async function () {
      await Creators.create([
        base('amy', { street: 'north', followers: 120, categories: ['food', 'music'], secretNote: 's1' }),
        base('bob', { street: 'south', followers: 40, categories: ['music'] }),
        base('cat', { street: 'north', followers: 300, categories: ['art', 'food'] }),
        base('dan', { street: 'east', followers: 120, categories: [] }),
        base('eve', { street: 'north', followers: 5, categories: ['travel'] }),
      ]);
    });

    it('lean queries return plain objects with BSON types', async function () {
      const lean = await Creators.findOne({ slug: 'amy' }).lean().orFail();
      expect(lean).to.not.be.instanceOf(mongoose.Document);
      expect(Object.getPrototypeOf(lean)).to.equal(Object.prototype);
      expect(lean._id).to.be.instanceOf(Types.ObjectId);
      expect(lean.createdAt).to.be.instanceOf(Date);
      expect(lean.categories).to.deep.equal(['food', 'music']);
      expect(lean).to.not.have.property('secretNote');
      const byId = await Creators.findById(lean._id.toHexString()).lean().orFail();
      expect(byId.slug).to.equal('amy');
      expect(await Creators.findById(new Types.ObjectId()).lean()).to.equal(null);
    });

    it('select includes, excludes and adds select:false fields', async function () {
      const only = await Creators.findOne({ slug: 'amy' }).select('displayName -_id').lean().orFail();
      expect(only).to.deep.equal({ displayName: 'Creator amy' });
      const without = await Creators.findOne({ slug: 'amy' })
        .select('-categories -links -profile')
        .lean()
        .orFail();
      expect(without).to.not.have.any.keys('categories', 'links', 'secretNote');
      expect(without).to.include({ slug: 'amy', followers: 120 });
      const withSecret = await Creators.findOne({ slug: 'amy' }).select('+secretNote').lean().orFail();
      expect(withSecret.secretNote).to.equal('s1');
    });

    it('sorts, skips and limits', async function () {
      const page = await Creators.find({})
        .sort({ followers: -1, slug: 1 })
        .skip(1)
        .limit(3)
        .select('slug')
        .lean();
      expect(page.map((doc) => doc.slug)).to.deep.equal(['amy', 'dan', 'bob']);
      const ascending = await Creators.find({ street: 'north' }).sort('followers').lean();
      expect(ascending.map((doc) => doc.slug)).to.deep.equal(['eve', 'amy', 'cat']);
      const ranged = await Creators.find({ followers: { $gte: 40, $lt: 300 } })
        .sort({ slug: -1 })
        .lean();
      expect(ranged.map((doc) => doc.slug)).to.deep.equal(['dan', 'bob', 'amy']);
    });

    it('countDocuments, estimatedDocumentCount and distinct', async function () {
      expect(await Creators.countDocuments()).to.equal(5);
      expect(await Creators.countDocuments({ street: 'north' })).to.equal(3);
      expect(await Creators.countDocuments({ categories: 'food' })).to.equal(2);
      expect(await Creators.countDocuments({ street: 'north' }, { skip: 1, limit: 1 })).to.equal(1);
      expect(await Creators.countDocuments({ street: 'nowhere' })).to.equal(0);
      expect(await Creators.estimatedDocumentCount()).to.equal(5);
      expect(await Creators.distinct('categories')).to.have.members(['food', 'music', 'art', 'travel']);
      expect(await Creators.distinct('categories')).to.have.length(4);
      expect(await Creators.distinct('street', { followers: { $gte: 100 } })).to.have.members([
        'north',
        'east',
      ]);
      expect(await Creators.distinct('followers')).to.have.members([120, 40, 300, 5]);
    });

    it('an $in listing the same _id twice matches the document once', async function () {
      const amy = await Creators.findOne({ slug: 'amy' }).orFail();
      const bob = await Creators.findOne({ slug: 'bob' }).orFail();
      const ids = [amy._id, amy._id, bob._id];
      expect(await Creators.find({ _id: { $in: ids } }).lean()).to.have.length(2);
      expect(await Creators.countDocuments({ _id: { $in: ids } })).to.equal(2);
      expect(await Creators.updateMany({ _id: { $in: ids } }, { $inc: { followers: 1 } })).to.include({
        matchedCount: 2,
        modifiedCount: 2,
      });
      expect((await Creators.findById(amy._id).lean())?.followers).to.equal(121);
      expect(await Creators.deleteMany({ _id: { $in: ids } })).to.deep.equal({
        acknowledged: true,
        deletedCount: 2,
      });
      expect(await Creators.countDocuments()).to.equal(3);
    });

    it('exists and findById with a string id', async function () {
      const amy = await Creators.findOne({ slug: 'amy' }).orFail();
      expect(await Creators.exists({ slug: 'amy' })).to.deep.equal({ _id: amy._id });
      expect(await Creators.exists({ slug: 'zed' })).to.equal(null);
      const found = await Creators.findById(String(amy._id)).orFail();
      expect(found.slug).to.equal('amy');
    });
  });

  describe('populate', function () {
    it('resolves refs across two collections', async function () {
      const [amy, bob] = await Creators.create([
        base('amy', { followers: 10 }),
        base('bob', { followers: 20 }),
      ]);
      await Posts.create([
        { creator: amy!._id, title: 'First', publishedAt: new Date('2024-05-01T10:00:00Z'), likes: 3 },
        { creator: bob!._id, title: 'Second', publishedAt: new Date('2024-05-02T10:00:00Z'), likes: 7 },
        { creator: amy!._id, title: 'Third', publishedAt: new Date('2024-05-03T10:00:00Z'), likes: 1 },
      ]);
      const posts = await Posts.find()
        .sort({ publishedAt: 1 })
        .populate<{ creator: Creator }>('creator', 'slug followers');
      expect(posts.map((post) => [post.title, post.creator.slug, post.creator.followers])).to.deep.equal([
        ['First', 'amy', 10],
        ['Second', 'bob', 20],
        ['Third', 'amy', 10],
      ]);
      expect((posts[0]!.creator as unknown as mongoose.Document).toObject()).to.have.all.keys(
        '_id',
        'slug',
        'followers',
      );

      const lean = await Posts.findOne({ title: 'Second' })
        .populate<{ creator: Creator }>('creator')
        .lean()
        .orFail();
      expect(lean.creator.displayName).to.equal('Creator bob');

      // A ref to a missing document populates as null.
      await Creators.deleteOne({ _id: bob!._id });
      const orphan = await Posts.findOne({ title: 'Second' }).populate('creator').orFail();
      expect(orphan.creator).to.equal(null);
    });
  });

  describe('writes through the model', function () {
    it('bulkWrite with insertOne, updateOne, upsert, replaceOne and deleteOne', async function () {
      const [amy, bob] = await Creators.create([base('amy'), base('bob')]);
      const result = await Creators.bulkWrite([
        { insertOne: { document: base('cat', { followers: 3 }) as Creator } },
        {
          updateOne: {
            filter: { _id: amy!._id },
            update: { $inc: { followers: 5 }, $push: { categories: 'food' } },
          },
        },
        {
          updateOne: {
            filter: { slug: 'dan' },
            update: { $set: { displayName: 'Dan', street: 'west' } },
            upsert: true,
          },
        },
        {
          replaceOne: {
            filter: { _id: bob!._id },
            replacement: { displayName: 'Bob Two', slug: 'bob', street: 'east' } as Creator,
          },
        },
        { deleteOne: { filter: { slug: 'cat' } } },
        { updateOne: { filter: { slug: 'nobody' }, update: { $set: { followers: 1 } } } },
      ]);
      expect(result.insertedCount).to.equal(1);
      expect(result.matchedCount).to.equal(2);
      expect(result.modifiedCount).to.equal(2);
      expect(result.deletedCount).to.equal(1);
      expect(result.upsertedCount).to.equal(1);
      expect(Object.keys(result.upsertedIds)).to.deep.equal(['2']);
      const dan = await Creators.collection.findOne({ slug: 'dan' });
      expect(dan?._id.equals(result.upsertedIds[2])).to.equal(true);
      expect(dan).to.include({ displayName: 'Dan', street: 'west', slug: 'dan' });
      const storedAmy = await Creators.collection.findOne({ _id: amy!._id });
      expect(storedAmy).to.include({ followers: 5 });
      expect(storedAmy?.categories).to.deep.equal(['food']);
      const storedBob = await Creators.collection.findOne({ _id: bob!._id });
      // The replacement is the whole document (plus the defaults and timestamps mongoose adds).
      expect(storedBob).to.include({ displayName: 'Bob Two', street: 'east', followers: 0 });
      expect(Object.keys(storedBob ?? {})).to.deep.equal([
        '_id',
        'displayName',
        'slug',
        'street',
        'categories',
        'followers',
        'links',
        'createdAt',
        'updatedAt',
        '__v',
      ]);
      expect(storedBob?.createdAt.getTime()).to.not.equal(bob!.createdAt.getTime());
      expect(await Creators.exists({ slug: 'cat' })).to.equal(null);
    });

    it('findOneAndUpdate returns the document before, or after with new / returnDocument', async function () {
      const amy = await Creators.create(base('amy', { followers: 1 }));
      const before = await Creators.findOneAndUpdate({ slug: 'amy' }, { $inc: { followers: 1 } })
        .lean()
        .orFail();
      expect(before.followers).to.equal(1);
      const afterNew = await Creators.findOneAndUpdate(
        { slug: 'amy' },
        { $inc: { followers: 1 } },
        { new: true },
      )
        .lean()
        .orFail();
      expect(afterNew.followers).to.equal(3);
      const after = await Creators.findOneAndUpdate(
        { _id: amy._id },
        { $set: { street: 'south' } },
        { returnDocument: 'after' },
      )
        .lean()
        .orFail();
      expect(after).to.include({ followers: 3, street: 'south' });
      expect(
        await Creators.findOneAndUpdate(
          { slug: 'nobody' },
          { $set: { followers: 9 } },
          { returnDocument: 'after' },
        ),
      ).to.equal(null);
    });

    it('findOneAndUpdate with upsert creates the document from the filter and $setOnInsert', async function () {
      const created = await Creators.findOneAndUpdate(
        { slug: 'new-one' },
        { $set: { followers: 7 }, $setOnInsert: { displayName: 'New One', street: 'north' } },
        { upsert: true, new: true },
      )
        .lean()
        .orFail();
      expect(created).to.include({ slug: 'new-one', followers: 7, displayName: 'New One', street: 'north' });
      expect(created.createdAt).to.be.instanceOf(Date);
      expect(created.createdAt.getTime()).to.equal(created.updatedAt.getTime());

      // The second time the document exists: $setOnInsert does nothing.
      const again = await Creators.findOneAndUpdate(
        { slug: 'new-one' },
        { $set: { followers: 8 }, $setOnInsert: { displayName: 'Ignored' } },
        { upsert: true, returnDocument: 'after' },
      )
        .lean()
        .orFail();
      expect(again).to.include({ displayName: 'New One', followers: 8 });
      expect(again._id.equals(created._id)).to.equal(true);

      // Upsert without new returns null (there was no document before).
      const none = await Creators.findOneAndUpdate(
        { slug: 'another' },
        { $set: { displayName: 'Another', street: 'east' } },
        { upsert: true },
      );
      expect(none).to.equal(null);
      expect(await Creators.countDocuments()).to.equal(2);

      const raw = await Creators.findOneAndUpdate(
        { slug: 'third' },
        { $set: { displayName: 'Third', street: 'east' } },
        { upsert: true, new: true, includeResultMetadata: true },
      );
      expect(raw.lastErrorObject?.updatedExisting).to.equal(false);
      expect((raw.lastErrorObject as { n?: number } | undefined)?.n).to.equal(1);
      expect(String(raw.lastErrorObject?.upserted)).to.equal(String(raw.value?._id));
    });

    it('findOneAndUpdate honours sort and projection, findOneAndDelete returns the removed document', async function () {
      await Creators.create([
        base('a', { followers: 5 }),
        base('b', { followers: 50 }),
        base('c', { followers: 20 }),
      ]);
      const top = await Creators.findOneAndUpdate(
        {},
        { $set: { displayName: 'Top' } },
        { sort: { followers: -1 }, new: true, projection: { slug: 1 } },
      )
        .lean()
        .orFail();
      expect(Object.keys(top).sort()).to.deep.equal(['_id', 'slug']);
      expect(top.slug).to.equal('b');
      const removed = await Creators.findOneAndDelete({ followers: { $lt: 30 } }, { sort: { followers: 1 } })
        .lean()
        .orFail();
      expect(removed.slug).to.equal('a');
      expect(await Creators.distinct('slug')).to.have.members(['b', 'c']);
    });

    it('updateMany counts matched and modified separately; deleteMany counts deletions', async function () {
      await Creators.create([
        base('a', { street: 'north', followers: 1 }),
        base('b', { street: 'north', followers: 2 }),
        base('c', { street: 'north', followers: 2 }),
        base('d', { street: 'south', followers: 2 }),
      ]);
      const inc = await Creators.updateMany({ street: 'north' }, { $inc: { followers: 10 } });
      expect(inc).to.include({ acknowledged: true, matchedCount: 3, modifiedCount: 3, upsertedCount: 0 });
      // Setting a value a document already holds matches it but does not modify it. Mongoose adds
      // updatedAt to every update, so bypass timestamps to see the server's own counting.
      const same = await Creators.updateMany(
        { street: 'north' },
        { $set: { followers: 12 } },
        { timestamps: false },
      );
      expect(same).to.include({ matchedCount: 3, modifiedCount: 1 }); // only 'a' held 11
      const none = await Creators.updateMany({ street: 'west' }, { $set: { followers: 0 } });
      expect(none).to.include({ matchedCount: 0, modifiedCount: 0 });
      const upsert = await Creators.updateMany(
        { slug: 'zed' },
        { $set: { displayName: 'Zed', street: 'west' } },
        { upsert: true },
      );
      expect(upsert).to.include({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
      expect(upsert.upsertedId).to.be.instanceOf(Types.ObjectId);

      const deleted = await Creators.deleteMany({ followers: { $gte: 12 } });
      expect(deleted).to.deep.equal({ acknowledged: true, deletedCount: 3 });
      expect(await Creators.distinct('slug')).to.have.members(['d', 'zed']);
      expect(await Creators.deleteMany({ slug: 'nobody' })).to.deep.equal({
        acknowledged: true,
        deletedCount: 0,
      });
    });

    it('operators on arrays of subdocuments: $elemMatch, dotted paths, $pull by condition, $ and $[id]', async function () {
      const links = [
        { label: 'Site', url: 'https://one.example' },
        { label: 'Shop', url: 'https://shop.example' },
        { label: 'Shop', url: 'https://old-shop.example' },
      ];
      const amy = await Creators.create(base('amy', { links, categories: ['food'] }));
      await Creators.create(base('bob', { links: [{ label: 'Blog', url: 'https://blog.example' }] }));
      expect(await Creators.distinct('slug', { 'links.label': 'Shop' })).to.deep.equal(['amy']);
      expect(
        await Creators.distinct('slug', { links: { $elemMatch: { label: 'Blog', url: /blog/ } } }),
      ).to.deep.equal(['bob']);
      expect(await Creators.countDocuments({ links: { $size: 3 } })).to.equal(1);
      expect(await Creators.distinct('slug', { displayName: /^creator B/i })).to.deep.equal(['bob']);

      // $ updates the first element the filter matched.
      await Creators.updateOne(
        { _id: amy._id, 'links.label': 'Shop' },
        { $set: { 'links.$.label': 'Store' } },
      );
      let stored = await Creators.collection.findOne({ _id: amy._id });
      expect(stored?.links.map((link: Link) => link.label)).to.deep.equal(['Site', 'Store', 'Shop']);

      // $[id] with arrayFilters updates every element the filter selects.
      await Creators.updateOne(
        { _id: amy._id },
        { $set: { 'links.$[old].url': 'https://archive.example' } },
        { arrayFilters: [{ 'old.url': /old-/ }] },
      );
      stored = await Creators.collection.findOne({ _id: amy._id });
      expect(stored?.links.map((link: Link) => link.url)).to.deep.equal([
        'https://one.example',
        'https://shop.example',
        'https://archive.example',
      ]);

      // $pull with a condition removes every element matching it (not only exact equals).
      await Creators.updateOne({ _id: amy._id }, { $pull: { links: { label: { $in: ['Store', 'Shop'] } } } });
      stored = await Creators.collection.findOne({ _id: amy._id });
      expect(stored?.links.map((link: Link) => link.label)).to.deep.equal(['Site']);

      // $addToSet with $each adds only the missing values, $push with $each/$position/$slice.
      await Creators.updateOne(
        { _id: amy._id },
        { $addToSet: { categories: { $each: ['food', 'art', 'art'] } } },
      );
      await Creators.updateOne(
        { _id: amy._id },
        { $push: { categories: { $each: ['first'], $position: 0, $slice: 2 } } },
      );
      stored = await Creators.collection.findOne({ _id: amy._id });
      expect(stored?.categories).to.deep.equal(['first', 'food']);
    });

    it('saving a document that was deleted meanwhile fails with DocumentNotFoundError', async function () {
      const doc = await Creators.create(base('ghost'));
      await Creators.deleteOne({ _id: doc._id });
      doc.followers = 5;
      let caught: unknown;
      try {
        await doc.save();
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(mongoose.Error.DocumentNotFoundError);
      expect(await Creators.countDocuments()).to.equal(0);
    });

    it('document deleteOne removes it', async function () {
      const doc = await Creators.create(base('gone'));
      await doc.deleteOne();
      expect(await Creators.findById(doc._id)).to.equal(null);
    });
  });

  describe('aggregation', function () {
    let amy: Types.ObjectId;
    let bob: Types.ObjectId;

    beforeEach(async function () {
      const created = await Creators.create([
        base('amy', { street: 'north' }),
        base('bob', { street: 'south' }),
      ]);
      amy = created[0]!._id;
      bob = created[1]!._id;
      await Posts.create([
        { creator: amy, title: 'p1', publishedAt: new Date('2024-03-01T09:00:00Z'), likes: 4 },
        { creator: bob, title: 'p2', publishedAt: new Date('2024-03-01T20:30:00Z'), likes: 12 },
        { creator: amy, title: 'p3', publishedAt: new Date('2024-03-02T08:00:00Z'), likes: 10 },
        { creator: amy, title: 'p4', publishedAt: new Date('2024-04-15T12:00:00Z'), likes: 0 },
      ]);
    });

    it('$group by day with $dateToString, $sum and $cond', async function () {
      const days = await Posts.aggregate<{ _id: string; posts: number; likes: number; popular: number }>([
        {
          $group: {
            _id: { $dateToString: { format: '%Y-%m-%d', date: '$publishedAt' } },
            posts: { $sum: 1 },
            likes: { $sum: '$likes' },
            popular: { $sum: { $cond: [{ $gte: ['$likes', 10] }, 1, 0] } },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      expect(days).to.deep.equal([
        { _id: '2024-03-01', posts: 2, likes: 16, popular: 1 },
        { _id: '2024-03-02', posts: 1, likes: 10, popular: 1 },
        { _id: '2024-04-15', posts: 1, likes: 0, popular: 0 },
      ]);
    });

    it('$group by month with $year/$month and by local day with a timezone', async function () {
      const months = await Posts.aggregate<{ _id: { year: number; month: number }; posts: number }>([
        {
          $group: {
            _id: { year: { $year: '$publishedAt' }, month: { $month: '$publishedAt' } },
            posts: { $sum: 1 },
          },
        },
        { $sort: { '_id.year': 1, '_id.month': 1 } },
      ]);
      expect(months).to.deep.equal([
        { _id: { year: 2024, month: 3 }, posts: 3 },
        { _id: { year: 2024, month: 4 }, posts: 1 },
      ]);
      // 2024-03-01T20:30Z is already 2 March in Shanghai (UTC+8).
      const local = await Posts.aggregate<{ _id: string; posts: number }>([
        {
          $group: {
            _id: { $dateToString: { format: '%Y-%m-%d', date: '$publishedAt', timezone: 'Asia/Shanghai' } },
            posts: { $sum: 1 },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      expect(local).to.deep.equal([
        { _id: '2024-03-01', posts: 1 },
        { _id: '2024-03-02', posts: 2 },
        { _id: '2024-04-15', posts: 1 },
      ]);
    });

    it('$lookup joins the creators collection', async function () {
      const rows = await Posts.aggregate<{ _id: string; posts: number; likes: number; street: string }>([
        { $match: { likes: { $gt: 0 } } },
        {
          $lookup: {
            from: Creators.collection.collectionName,
            localField: 'creator',
            foreignField: '_id',
            as: 'author',
          },
        },
        { $unwind: '$author' },
        {
          $group: {
            _id: '$author.slug',
            posts: { $sum: 1 },
            likes: { $sum: '$likes' },
            street: { $first: '$author.street' },
          },
        },
        { $sort: { likes: -1 } },
      ]);
      expect(rows).to.deep.equal([
        { _id: 'amy', posts: 2, likes: 14, street: 'north' },
        { _id: 'bob', posts: 1, likes: 12, street: 'south' },
      ]);

      const withPipeline = await Creators.aggregate<{ slug: string; recent: { title: string }[] }>([
        { $sort: { slug: 1 } },
        {
          $lookup: {
            from: Posts.collection.collectionName,
            let: { creatorId: '$_id' },
            pipeline: [
              { $match: { $expr: { $eq: ['$creator', '$$creatorId'] } } },
              { $sort: { publishedAt: -1 } },
              { $limit: 2 },
              { $project: { _id: 0, title: 1 } },
            ],
            as: 'recent',
          },
        },
        { $project: { _id: 0, slug: 1, recent: 1 } },
      ]);
      expect(withPipeline).to.deep.equal([
        { slug: 'amy', recent: [{ title: 'p4' }, { title: 'p3' }] },
        { slug: 'bob', recent: [{ title: 'p2' }] },
      ]);
    });

    it('joined documents are copies: a stage editing one row changes neither other rows nor the stored data', async function () {
      const rows = await Posts.aggregate<{ title: string; author: { lastTitle: string } }>([
        { $match: { creator: amy } },
        { $sort: { publishedAt: 1 } },
        {
          $lookup: {
            from: Creators.collection.collectionName,
            localField: 'creator',
            foreignField: '_id',
            as: 'author',
          },
        },
        { $unwind: '$author' },
        { $set: { 'author.lastTitle': '$title', 'author.profile.bio': 'changed in a pipeline' } },
        { $project: { _id: 0, title: 1, 'author.lastTitle': 1 } },
      ]);
      expect(rows).to.deep.equal([
        { title: 'p1', author: { lastTitle: 'p1' } },
        { title: 'p3', author: { lastTitle: 'p3' } },
        { title: 'p4', author: { lastTitle: 'p4' } },
      ]);
      const stored = await Creators.collection.findOne({ _id: amy });
      expect(stored).to.not.have.property('lastTitle');
      expect(stored).to.not.have.property('profile');
      const again = await Creators.aggregate([
        { $match: { _id: amy } },
        { $project: { _id: 0, slug: 1, lastTitle: 1, profile: 1 } },
      ]);
      expect(again).to.deep.equal([{ slug: 'amy' }]);
    });

    it('stages after a $group that pushed whole documents work on copies', async function () {
      const rows = await Posts.aggregate<{ title: string; likes: number }>([
        { $group: { _id: null, all: { $push: '$$ROOT' } } },
        { $sort: { _id: 1 } },
        { $unwind: '$all' },
        { $set: { 'all.likes': -1 } },
        { $replaceRoot: { newRoot: '$all' } },
        { $project: { _id: 0, title: 1, likes: 1 } },
        { $sort: { title: 1 } },
      ]);
      expect(rows.map((row) => row.likes)).to.deep.equal([-1, -1, -1, -1]);
      const stored = await Posts.find().sort({ title: 1 }).lean();
      expect(stored.map((post) => post.likes)).to.deep.equal([4, 12, 10, 0]);
    });

    it('$set of a path through an array sets it in every element (or is refused on the offline lane)', async function () {
      const pipeline = [
        { $match: { slug: 'amy' } },
        {
          $lookup: {
            from: Posts.collection.collectionName,
            localField: '_id',
            foreignField: 'creator',
            as: 'posts',
          },
        },
        { $set: { 'posts.seen': true } },
        { $project: { _id: 0, seen: '$posts.seen' } },
      ];
      if (database.lane === 'offline') {
        let caught: unknown;
        try {
          await Creators.aggregate(pipeline);
        } catch (error) {
          caught = error;
        }
        expect(caught).to.be.instanceOf(MongoServerError);
        expect((caught as MongoServerError).code).to.equal(238);
        expect((caught as MongoServerError).codeName).to.equal('NotImplemented');
      } else {
        expect(await Creators.aggregate(pipeline)).to.deep.equal([{ seen: [true, true, true] }]);
      }
    });

    it('keeps ObjectId and Date types through the pipeline', async function () {
      const [row] = await Posts.aggregate<{ _id: Types.ObjectId; last: Date }>([
        { $match: { creator: amy } },
        { $group: { _id: '$creator', last: { $max: '$publishedAt' } } },
      ]);
      expect(row?._id).to.be.instanceOf(Types.ObjectId);
      expect(row?._id.equals(amy)).to.equal(true);
      expect(row?.last).to.be.instanceOf(Date);
      expect(row?.last.toISOString()).to.equal('2024-04-15T12:00:00.000Z');
      expect(bob).to.be.instanceOf(Types.ObjectId);
    });
  });
});
