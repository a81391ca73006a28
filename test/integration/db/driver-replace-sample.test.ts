// Two answers of mongod's that the offline lane gives as well: a replacement identical to the
// stored document (the same BSON) modifies nothing, and $sample returns that many distinct
// documents of the collection (all of them when it asks for more).
import { expect } from 'chai';
import type { Document } from 'mongodb';
import { useDriver } from './driver-harness.js';

describe('driver conformance: identical replacements and $sample', function () {
  const ctx = useDriver();

  it('replaceOne with the stored document counts a match and no modification', async function () {
    const collection = ctx().fresh<Document>('replace');
    await collection.insertOne({ _id: 1 as never, name: 'lighthouse', tags: ['a'], at: new Date(0) });
    const same = await collection.replaceOne(
      { _id: 1 as never },
      { name: 'lighthouse', tags: ['a'], at: new Date(0) },
    );
    expect([same.matchedCount, same.modifiedCount]).to.deep.equal([1, 0]);
    // Field order is part of a document's BSON: the same fields in another order are a change.
    const reordered = await collection.replaceOne(
      { _id: 1 as never },
      { tags: ['a'], name: 'lighthouse', at: new Date(0) },
    );
    expect([reordered.matchedCount, reordered.modifiedCount]).to.deep.equal([1, 1]);
    expect(Object.keys((await collection.findOne({ _id: 1 as never }))!)).to.deep.equal([
      '_id',
      'tags',
      'name',
      'at',
    ]);
    const changed = await collection.replaceOne(
      { _id: 1 as never },
      { tags: ['b'], name: 'lighthouse', at: new Date(0) },
    );
    expect([changed.matchedCount, changed.modifiedCount]).to.deep.equal([1, 1]);
  });

  it('$sample returns that many distinct documents, or all of them when it asks for more', async function () {
    const collection = ctx().fresh<Document>('sample');
    await collection.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i as never, n: i })));
    const five = await collection.aggregate([{ $sample: { size: 5 } }]).toArray();
    expect(five).to.have.length(5);
    expect(new Set(five.map((doc) => doc._id as unknown)).size).to.equal(5);
    for (const doc of five) expect(doc.n).to.equal(doc._id);
    const all = await collection.aggregate([{ $sample: { size: 100 } }]).toArray();
    expect(all.map((doc) => doc._id as number).sort((a, b) => a - b)).to.deep.equal(
      Array.from({ length: 30 }, (_, i) => i),
    );
  });
});
