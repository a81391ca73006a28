// Server-side cursors: results beyond the first batch wait here for getMore, and idle cursors
// time out as mongod's do (10 minutes unless noCursorTimeout).
import { BSON, Long } from 'bson';
import { CommandError } from './errors.js';
import type { Doc } from './values.js';

const maxBatchBytes = 16 * 1024 * 1024;

interface OpenCursor {
  ns: string;
  /** the results, and how many of them earlier batches returned (no splicing: O(n) in all) */
  results: Doc[];
  offset: number;
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

  /** The `cursor` field of a find/aggregate/list reply: the first batch, and an id if more remain. */
  open(
    ns: string,
    results: Doc[],
    batchSize: number | undefined,
    options: { singleBatch?: boolean; noTimeout?: boolean } = {},
  ): Doc {
    // batchSize 0 asks for an empty first batch (the driver uses it to open a cursor cheaply).
    const firstBatch = batchSize === 0 ? [] : takeBatch(results, 0, batchSize ?? 101);
    let id = Long.ZERO;
    if (firstBatch.length < results.length && !options.singleBatch) {
      id = Long.fromBigInt(this.nextId++);
      this.cursors.set(id.toString(), {
        ns,
        results,
        offset: firstBatch.length,
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
    const nextBatch = takeBatch(cursor.results, cursor.offset, batchSize ?? Number.MAX_SAFE_INTEGER);
    cursor.offset += nextBatch.length;
    cursor.lastUsed = Date.now();
    const done = cursor.offset >= cursor.results.length;
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
