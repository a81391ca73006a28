// The offline lane's write batches and cursors, below the wire: a statement that fails in a way
// the lane did not foresee is that statement's write error (InternalError, 1), not the batch's,
// and a cursor hands out its results in order, batch after batch.
import { expect } from 'chai';
import type { Long } from 'bson';
import type { CommandContext, ServerState } from '../../../../src/db/offline/context.js';
import { writeCommands } from '../../../../src/db/offline/commands/write.js';
import { CursorRegistry } from '../../../../src/db/offline/cursors.js';
import { Store } from '../../../../src/db/offline/store.js';
import type { Doc } from '../../../../src/db/offline/values.js';

function context(): CommandContext {
  const state: ServerState = {
    store: new Store(),
    cursors: new CursorRegistry(),
    startedAt: new Date(),
    parameters: { ttlMonitorSleepSecs: 60 },
    connections: { current: 0, totalCreated: 0 },
  };
  return { state, dbName: 'unit', db: state.store.database('unit'), connectionId: 1, remote: 'test' };
}

describe('offline lane: write batches', function () {
  it('an unexpected failure in one statement is a write error; the others are counted', function () {
    const ctx = context();
    const collection = ctx.db.ensure('c');
    const insert = collection.insert.bind(collection);
    collection.insert = (doc: Doc, origin?: 'insert' | 'upsert') => {
      if (doc._id === 2) throw new Error('boom');
      return insert(doc, origin);
    };
    const reply = writeCommands.insert!(
      { insert: 'c', ordered: false, documents: [{ _id: 1 }, { _id: 2 }, { _id: 3 }] },
      ctx,
    );
    expect(reply.ok).to.equal(1);
    expect(reply.n).to.equal(2);
    expect(reply.writeErrors).to.have.length(1);
    expect((reply.writeErrors as Doc[])[0]).to.deep.include({ index: 1, code: 1 });
    expect([...collection.docs.values()].map((entry) => entry.doc._id)).to.deep.equal([1, 3]);

    const ordered = writeCommands.insert!(
      { insert: 'c', documents: [{ _id: 4 }, { _id: 2 }, { _id: 5 }] },
      ctx,
    );
    expect(ordered.n).to.equal(1);
    expect((ordered.writeErrors as Doc[]).map((error) => error.index)).to.deep.equal([1]);
  });
});

describe('offline lane: cursors', function () {
  it('getMore continues where the last batch stopped, and the cursor closes at the end', function () {
    const cursors = new CursorRegistry();
    const results = Array.from({ length: 1000 }, (_, i) => ({ i }));
    const first = cursors.open('unit.c', results, 7);
    const seen = (first.firstBatch as Doc[]).map((doc) => doc.i);
    let id = first.id as Long;
    while (!id.isZero()) {
      const next = cursors.getMore(id, 'unit.c', 7);
      seen.push(...(next.nextBatch as Doc[]).map((doc) => doc.i));
      id = next.id as Long;
    }
    expect(seen).to.deep.equal(results.map((doc) => doc.i));
    expect(results).to.have.length(1000); // the results handed in are not consumed
    expect(cursors.size).to.equal(0);
  });
});
