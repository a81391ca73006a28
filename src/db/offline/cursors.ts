// Server-side cursors: results beyond the first batch wait here for getMore, and idle cursors
// time out as mongod's do (10 minutes unless noCursorTimeout).
import { BSON, Long } from 'bson';
import { CommandError } from './errors.js';
import type { Doc } from './values.js';

const maxBatchBytes = 16 * 1024 * 1024;

/** Results pulled one at a time (a streaming aggregation): computed only as batches ask. */
export interface DocStream {
  next(): IteratorResult<Doc>;
}

/** A cursor's results: batches taken in turn, and whether any remain. */
interface Results {
  take(batchSize: number): Doc[];
  readonly done: boolean;
}

/** Results computed up front: batches are slices (no splicing: O(n) in all). */
class ListedResults implements Results {
  private offset = 0;
  constructor(private readonly results: Doc[]) {}
  get done(): boolean {
    return this.offset >= this.results.length;
  }
  take(batchSize: number): Doc[] {
    const batch = takeBatch(this.results, this.offset, batchSize);
    this.offset += batch.length;
    return batch;
  }
}

/**
 * Results pulled from a stream as batches ask, with one document read ahead so that a batch
 * that ends the results says so (cursor id 0), as with listed results.
 */
class StreamedResults implements Results {
  private ahead: IteratorResult<Doc> | undefined;
  /** A failure met reading ahead: the next batch reports it, as mongod's next getMore would. */
  private failure: { error: unknown } | undefined;
  constructor(private readonly stream: DocStream) {}
  private peek(): IteratorResult<Doc> {
    if (this.failure) throw this.failure.error;
    this.ahead ??= this.stream.next();
    return this.ahead;
  }
  get done(): boolean {
    try {
      return this.peek().done === true;
    } catch (error) {
      this.failure = { error };
      return false;
    }
  }
  take(batchSize: number): Doc[] {
    const limit = batchSize <= 0 ? Number.MAX_SAFE_INTEGER : batchSize;
    const batch: Doc[] = [];
    let bytes = 0;
    while (batch.length < limit) {
      let step: IteratorResult<Doc>;
      try {
        step = this.peek();
      } catch (error) {
        if (batch.length === 0) throw error;
        this.failure = { error };
        break;
      }
      if (step.done) break;
      bytes += BSON.calculateObjectSize(step.value);
      if (bytes > maxBatchBytes && batch.length > 0) break;
      batch.push(step.value);
      this.ahead = undefined;
    }
    return batch;
  }
}

interface OpenCursor {
  ns: string;
  results: Results;
  lastUsed: number;
  noTimeout: boolean;
}

export class CursorRegistry {
  private readonly cursors = new Map<string, OpenCursor>();
  private nextId = 1n;

  constructor(private readonly idleTimeoutMs = 10 * 60 * 1000) {}

  get size(): number {
    return this.cursors.size;
  }

  /**
   * The `cursor` field of a find/aggregate/list reply: the first batch, and an id if more remain.
   * A stream is read only as far as each batch needs (and one document ahead).
   */
  open(
    ns: string,
    listedOrStreamed: Doc[] | DocStream,
    batchSize: number | undefined,
    options: { singleBatch?: boolean; noTimeout?: boolean } = {},
  ): Doc {
    const results = Array.isArray(listedOrStreamed)
      ? new ListedResults(listedOrStreamed)
      : new StreamedResults(listedOrStreamed);
    // batchSize 0 asks for an empty first batch (the driver uses it to open a cursor cheaply).
    const firstBatch = batchSize === 0 ? [] : results.take(batchSize ?? 101);
    let id = Long.ZERO;
    if (!results.done && !options.singleBatch) {
      id = Long.fromBigInt(this.nextId++);
      this.cursors.set(id.toString(), {
        ns,
        results,
        lastUsed: Date.now(),
        noTimeout: options.noTimeout === true,
      });
    }
    return { firstBatch, id, ns };
  }

  getMore(id: Long, ns: string, batchSize: number | undefined): Doc {
    const cursor = this.cursors.get(id.toString());
    if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${id.toString()} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        13,
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    let nextBatch: Doc[];
    let done: boolean;
    try {
      nextBatch = cursor.results.take(batchSize ?? Number.MAX_SAFE_INTEGER);
      done = cursor.results.done;
    } catch (error) {
      // A streamed pipeline failed on a later document: the cursor dies with the error, as on mongod.
      this.cursors.delete(id.toString());
      throw error;
    }
    cursor.lastUsed = Date.now();
    if (done) this.cursors.delete(id.toString());
    return { nextBatch, id: done ? Long.ZERO : id, ns };
  }

  kill(ids: Long[]): { cursorsKilled: Long[]; cursorsNotFound: Long[] } {
    const cursorsKilled: Long[] = [];
    const cursorsNotFound: Long[] = [];
    for (const id of ids) (this.cursors.delete(id.toString()) ? cursorsKilled : cursorsNotFound).push(id);
    return { cursorsKilled, cursorsNotFound };
  }

  /** Drops cursors idle for longer than the timeout; returns how many. */
  sweep(now = Date.now()): number {
    let closed = 0;
    for (const [id, cursor] of this.cursors) {
      if (!cursor.noTimeout && now - cursor.lastUsed > this.idleTimeoutMs) {
        this.cursors.delete(id);
        closed += 1;
      }
    }
    return closed;
  }

  /** Cursors over a namespace that was dropped die with it. */
  closeNamespace(ns: string): void {
    for (const [id, cursor] of this.cursors)
      if (cursor.ns === ns || cursor.ns.startsWith(`${ns}.`)) this.cursors.delete(id);
  }
}

/** Up to batchSize documents from `offset` on, never more than a reply can carry. */
function takeBatch(results: Doc[], offset: number, batchSize: number): Doc[] {
  const limit = batchSize <= 0 ? Number.MAX_SAFE_INTEGER : batchSize;
  let end = offset;
  let bytes = 0;
  while (end < results.length && end - offset < limit) {
    bytes += BSON.calculateObjectSize(results[end]!);
    if (bytes > maxBatchBytes && end > offset) break;
    end += 1;
  }
  return results.slice(offset, end);
}
