// Aggregation runs on the numeric views of documents (int64 and decimal values as JavaScript
// numbers, which mingo can compare and compute with). Values that come out of a pipeline at the
// same field path (or nested deeper, as $lookup puts them), with the same value, as an int64 or
// decimal that went in get their BSON type back, so $match, $sort, $project or $lookup do not
// turn Decimal128('19.99') into a double. Values a pipeline computes ($sum of decimals,
// $multiply…) stay doubles.
import { Decimal128, Timestamp } from 'bson';
import { type Doc, isLong, isPlainObject, numericView } from './values.js';

const isWide = (value: unknown): value is object =>
  (isLong(value) && !(value instanceof Timestamp)) || value instanceof Decimal128;

export class WideNumbers {
  /** field path (array indexes left out) → numeric value → the typed value it came from */
  private readonly byPath = new Map<string, Map<number, unknown>>();

  /** Records the int64/decimal values of a stored document whose view differs from it. */
  note(entry: { doc: Doc; view: Doc }): Doc {
    if (entry.doc !== entry.view) this.walk(entry.doc, '');
    return entry.view;
  }

  private walk(value: unknown, path: string): void {
    if (isWide(value)) {
      let values = this.byPath.get(path);
      if (!values) {
        values = new Map();
        this.byPath.set(path, values);
      }
      const number = numericView(value) as unknown as number;
      if (!values.has(number)) values.set(number, value);
    } else if (Array.isArray(value)) for (const item of value) this.walk(item, path);
    else if (isPlainObject(value))
      for (const key of Object.keys(value)) this.walk(value[key], path ? `${path}.${key}` : key);
  }

  /** Output documents with recorded numbers restored (new objects; views are never touched). */
  restore(docs: Doc[]): Doc[] {
    if (this.byPath.size === 0) return docs;
    return docs.map((doc) => this.rebuild(doc, '') as Doc);
  }

  /** One output document with recorded numbers restored (for results handed out one by one). */
  restoreOne(doc: Doc): Doc {
    return this.byPath.size === 0 ? doc : (this.rebuild(doc, '') as Doc);
  }

  /** The typed value for a number at a path, or at a shorter suffix of it (joined documents nest). */
  private typed(path: string, value: number): unknown {
    for (let suffix = path; ;) {
      const found = this.byPath.get(suffix)?.get(value);
      if (found !== undefined) return found;
      const dot = suffix.indexOf('.');
      if (dot < 0) return undefined;
      suffix = suffix.slice(dot + 1);
    }
  }

  private rebuild(value: unknown, path: string): unknown {
    if (typeof value === 'number') return this.typed(path, value) ?? value;
    if (Array.isArray(value)) return value.map((item: unknown) => this.rebuild(item, path));
    if (isPlainObject(value)) {
      const out: Doc = {};
      for (const key of Object.keys(value))
        out[key] = this.rebuild(value[key], path ? `${path}.${key}` : key);
      return out;
    }
    return value;
  }
}
