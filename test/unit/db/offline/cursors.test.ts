// The offline lane's cursors over streamed results: a batch reads only the documents it returns
// (and one ahead, to say whether more remain), so a long aggregation's answer never exists all at
// once; and a failure on a later document ends the cursor with that error.
import { expect } from 'chai';
import { Long } from 'bson';
import { CursorRegistry, type DocStream } from '../../../../src/db/offline/cursors.js';
import { CommandError } from '../../../../src/db/offline/errors.js';

/** A stream of `size` documents that counts how many were read; the `failAt`th one throws. */
function counted(size: number, failAt = Infinity): { stream: DocStream; read: () => number } {
  let next = 0;
  return {
    stream: {
      next(): IteratorResult<Record<string, unknown>> {
        if (next >= size) return { done: true, value: undefined };
        if (next === failAt) throw new CommandError(2, 'BadValue', `document ${next} failed`);
        return { done: false, value: { _id: next++ } };
      },
    },
    read: () => next,
  };
}

const idsOf = (batch: unknown): unknown[] => (batch as { _id: number }[]).map((doc) => doc._id);

describe('offline lane: cursors over streamed results', function () {
  it('reads a batch (and one document ahead) per request, and hands out every document once', function () {
    const cursors = new CursorRegistry();
    const { stream, read } = counted(1000);
    const first = cursors.open('db.c', stream, 10);
    expect(idsOf(first.firstBatch)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(read()).to.equal(11);
    const id = first.id as Long;
    expect(id.isZero()).to.be.false;
    const seen = [...idsOf(first.firstBatch)];
    for (;;) {
      const more = cursors.getMore(id, 'db.c', 100);
      seen.push(...idsOf(more.nextBatch));
      expect(read()).to.be.at.most(seen.length + 1);
      if ((more.id as Long).isZero()) break;
    }
    expect(seen).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
    expect(cursors.size).to.equal(0);
  });

  it('answers cursor id 0 when the first batch holds everything, and for an empty stream', function () {
    const cursors = new CursorRegistry();
    expect((cursors.open('db.c', counted(5).stream, 5).id as Long).isZero()).to.be.true;
    expect((cursors.open('db.c', counted(0).stream, 0).id as Long).isZero()).to.be.true;
    expect((cursors.open('db.c', counted(1).stream, 0).id as Long).isZero()).to.be.false;
  });

  it('a document that fails on getMore fails the request and closes the cursor', function () {
    const cursors = new CursorRegistry();
    const first = cursors.open('db.c', counted(100, 30).stream, 10);
    const id = first.id as Long;
    expect(idsOf(cursors.getMore(id, 'db.c', 10).nextBatch)).to.deep.equal([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    // The batch before the failing document still arrives whole; the failure comes with the next.
    const last = cursors.getMore(id, 'db.c', 10);
    expect(idsOf(last.nextBatch)).to.deep.equal([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect((last.id as Long).isZero()).to.be.false;
    expect(() => cursors.getMore(id, 'db.c', 10)).to.throw(CommandError, 'document 30 failed');
    expect(cursors.size).to.equal(0);
    expect(() => cursors.getMore(id, 'db.c', 10)).to.throw(CommandError, 'not found');
  });
});
