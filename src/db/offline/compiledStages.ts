// $addFields/$set, $project, $group and $unwind over compiled expressions (compiled.ts): when
// every expression of a stage compiles, the stage runs its closures instead of mingo's
// interpreter, giving the same documents (same values, types and field order). Otherwise the
// stage is mingo's (or the lane's wrapper of it), as it was. A document on which a closure gives
// up (`fallback`) goes through mingo's stage alone, so its error is mingo's (mongod's code).
// Registered in pipeline.ts's Context, so they serve $facet and $lookup sub-pipelines too.
// None of them writes into its input documents.
import { Lazy, type Iterator } from 'mingo/lazy';
import * as projectionOperators from 'mingo/operators/projection';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { groupBy, isEmpty, isObject, isOperator } from 'mingo/util';
import { type CompiledExpression, compileExpression, fallback } from './compiled.js';
import { type Doc, idFirst, isPlainObject } from './values.js';

type Stage = (coll: Iterator, expr: Doc, options: Options) => Iterator;

let enabled = true;

/**
 * Turns the compiled stages on (the default) or off (every stage through mingo, as before they
 * existed): the differential tests run the app's pipelines both ways and compare.
 */
export function useCompiledStages(on: boolean): void {
  enabled = on;
}

/**
 * The variables an expression of the stage sees (the command's `let`, a `$lookup`'s `let`), or
 * null when mingo's options carry something the closures do not model (a fixed root, a local
 * `this`): the stage then runs through mingo.
 */
function stageVariables(options: Options): Doc | undefined | null {
  const local = (options as { local?: { root?: unknown; variables?: Doc } }).local;
  if (local && local.root !== undefined && local.root !== null) return null;
  const globals = options.variables;
  const locals = local?.variables;
  if (!locals || Object.keys(locals).length === 0) return globals;
  if (Object.prototype.hasOwnProperty.call(locals, 'this')) return null;
  return { ...globals, ...locals };
}

/** A field name the compiled stages write as it is (no path, no operator, no array index). */
const plainField = (field: string): boolean =>
  field !== '' &&
  field !== '__proto__' &&
  !field.includes('.') &&
  !field.startsWith('$') &&
  !/^\d+$/.test(field);

/** One document through mingo's stage (where a closure gave up): its result, or its error. */
function throughMingo(stage: Stage, row: unknown, expr: Doc, options: Options): unknown[] {
  return stage(Lazy([row]), expr, options).collect();
}

/** $addFields/$set of top-level fields; each value from the input document, as mingo's. */
export const compiledAddFields =
  (mingoStage: Stage): Stage =>
  (coll, expr, options) => {
    const variables = stageVariables(options);
    const fields = Object.keys(expr);
    if (!enabled || variables === null || fields.length === 0 || !fields.every(plainField))
      return mingoStage(coll, expr, options);
    const compiled: [string, CompiledExpression][] = [];
    for (const field of fields) {
      const closure = compileExpression(expr[field], options);
      if (!closure) return mingoStage(coll, expr, options);
      compiled.push([field, closure]);
    }
    return coll.map((row: unknown) => {
      if (!isPlainObject(row)) return throughMingo(mingoStage, row, expr, options)[0];
      try {
        const out: Doc = { ...row };
        for (const [field, closure] of compiled) {
          const value = closure(row, variables);
          if (value !== undefined) out[field] = value;
          else delete out[field];
        }
        return out;
      } catch (error) {
        if (error === fallback) return throughMingo(mingoStage, row, expr, options)[0];
        throw error;
      }
    });
  };

const projectionOperatorNames = new Set(Object.keys(projectionOperators));

/**
 * A `$project` of top-level fields (included, computed, `_id` kept or dropped) as mingo projects
 * it: fields in the order of their sorted names, a computed field that is missing written as
 * `undefined`, an array of expressions with `null` for a missing element, `_id` first unless
 * dropped (as the lane's $project moves it). Undefined for any other specification.
 */
export function compiledProjection(
  spec: Doc,
  options: Options,
): ((row: Doc, variables: Doc | undefined) => Doc) | undefined {
  type Rule = (row: Doc, out: Doc, variables: Doc | undefined) => void;
  const byField = new Map<string, Rule>();
  let keepId = true;
  for (const field of Object.keys(spec)) {
    if (!plainField(field)) return undefined;
    const value = spec[field];
    if (value === false || value === 0) {
      if (field !== '_id') return undefined; // an exclusion projection: mingo's
      keepId = false;
      continue;
    }
    if ((typeof value === 'number' && !Number.isNaN(value)) || value === true) {
      byField.set(field, (row, out) => {
        const found = ownValue(row, field);
        if (found !== undefined) out[field] = found;
      });
      continue;
    }
    if (Array.isArray(value)) {
      const closures = (value as unknown[]).map((item) => compileExpression(item, options));
      if (!closures.every((closure) => closure !== undefined)) return undefined;
      byField.set(field, (row, out, variables) => {
        out[field] = closures.map((closure) => closure(row, variables) ?? null);
      });
      continue;
    }
    if (isObject(value)) {
      const keys = Object.keys(value);
      if (keys.length !== 1 || !isOperator(keys[0]!) || projectionOperatorNames.has(keys[0]!))
        return undefined;
    }
    const closure = compileExpression(value, options);
    if (!closure) return undefined;
    byField.set(field, (row, out, variables) => {
      out[field] = closure(row, variables);
    });
  }
  if (byField.size === 0) return undefined;
  const idRule = byField.has('_id');
  const rules = [...byField.keys()].sort().map((field) => byField.get(field)!);
  // `_id` first, as the lane's $project gives it (mingo writes it last).
  return (row, variables) => {
    const out: Doc =
      keepId && !idRule && Object.prototype.hasOwnProperty.call(row, '_id') ? { _id: row._id } : {};
    for (const rule of rules) rule(row, out, variables);
    return idRule ? idFirst(out) : out;
  };
}

const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A top-level field as mingo reads it (nothing for an inherited name such as `constructor`). */
function ownValue(row: Doc, field: string): unknown {
  if (inheritedNames.has(field) && !Object.prototype.hasOwnProperty.call(row, field)) return undefined;
  return row[field];
}

/** `$project` through compiledProjection, or `otherwise` (the lane's $project) for other specs. */
export const compiledProject =
  (otherwise: Stage): Stage =>
  (coll, expr, options) => {
    const variables = stageVariables(options);
    if (!enabled || variables === null || !isPlainObject(expr)) return otherwise(coll, expr, options);
    const project = compiledProjection(expr, options);
    if (!project) return otherwise(coll, expr, options);
    return coll.map((row: unknown) => {
      if (!isPlainObject(row)) return throughMingo(otherwise, row, expr, options)[0];
      try {
        return project(row, variables);
      } catch (error) {
        if (error === fallback) return throughMingo(otherwise, row, expr, options)[0];
        throw error;
      }
    });
  };

type Accumulate = (values: unknown[], expr: unknown, options: Options) => unknown;
const accumulators = accumulatorOperators as unknown as Record<string, Accumulate>;
/** Accumulators over the values of their expression in each document (`?? null`, as mingo's $push). */
const overValues = new Set(['$sum', '$max', '$min', '$push', '$addToSet', '$avg']);

type GroupField = (members: unknown[], variables: Doc | undefined) => unknown;

function compileAccumulator(spec: unknown, options: Options): GroupField | undefined {
  if (!isPlainObject(spec)) return undefined;
  const keys = Object.keys(spec);
  if (keys.length !== 1) return undefined;
  const name = keys[0]!;
  const arg = spec[name];
  if (name === '$count') return (members) => members.length;
  if (arg === undefined || arg === null) return undefined;
  if (name === '$sum' && typeof arg === 'number' && !Number.isNaN(arg))
    return (members) => members.length * arg;
  const closure = compileExpression(arg, options);
  if (!closure) return undefined;
  if (name === '$first') return (members, variables) => closure(members[0], variables) ?? null;
  if (name === '$last')
    return (members, variables) => closure(members[members.length - 1], variables) ?? null;
  const accumulate = accumulators[name];
  if (!overValues.has(name) || !accumulate) return undefined;
  return (members, variables) => {
    const values = new Array<unknown>(members.length);
    for (let i = 0; i < members.length; i++) values[i] = closure(members[i], variables) ?? null;
    return accumulate(values, null, options);
  };
}

const collationIn = (options: Options): boolean => {
  const collation = options.collation as Doc | undefined;
  return collation !== undefined && collation.locale !== 'simple';
};

/**
 * $group (without a collation: `otherwise` handles one) keyed by mingo's own grouping of the
 * compiled `_id` values (same groups, same first-seen keys, same order), accumulated from the
 * compiled expressions.
 */
export const compiledGroup =
  (otherwise: Stage): Stage =>
  (coll, expr, options) => {
    const variables = stageVariables(options);
    if (!enabled || variables === null || collationIn(options) || !isPlainObject(expr) || !('_id' in expr))
      return otherwise(coll, expr, options);
    const id = compileExpression(expr._id, options);
    const fields: [string, GroupField][] = [];
    for (const field of Object.keys(expr)) {
      if (field === '_id') continue;
      const accumulate = compileAccumulator(expr[field], options);
      if (!accumulate || field === '__proto__') return otherwise(coll, expr, options);
      fields.push([field, accumulate]);
    }
    if (!id) return otherwise(coll, expr, options);
    return coll.transform((items: unknown[]) => {
      try {
        const groups: Map<unknown, unknown[]> = groupBy(items, (row) => id(row, variables));
        const out: Doc[] = [];
        for (const [key, members] of groups) {
          const doc: Doc = {};
          if (key !== undefined) doc._id = key;
          for (const [field, accumulate] of fields) doc[field] = accumulate(members, variables);
          out.push(doc);
        }
        return Lazy(out);
      } catch (error) {
        if (error === fallback) return otherwise(Lazy(items), expr, options);
        throw error;
      }
    });
  };

/**
 * $unwind of a top-level field, as mingo's: an array gives a copy of the document per element
 * (none for an empty array unless preserveNullAndEmptyArrays, then the document without the
 * field), any other value the document itself, except null, missing, '' and {} (kept only with
 * preserveNullAndEmptyArrays). `includeArrayIndex` is written into a copy, never the input.
 */
export const compiledUnwind =
  (mingoStage: Stage): Stage =>
  (coll, expr, options) => {
    const spec: Doc = typeof expr === 'string' ? { path: expr } : expr;
    const path = spec.path;
    const index: unknown = spec.includeArrayIndex || false;
    const preserve = (spec.preserveNullAndEmptyArrays || false) === true;
    if (
      !enabled ||
      typeof path !== 'string' ||
      !path.startsWith('$') ||
      !plainField(path.substring(1)) ||
      (index !== false && (typeof index !== 'string' || !plainField(index)))
    ) {
      return mingoStage(coll, expr, options);
    }
    const field = path.substring(1);
    const at = index === false ? undefined : index;
    const format = (doc: Doc, i: number | null, copied: boolean): Doc => {
      if (at === undefined) return doc;
      const out = copied ? doc : { ...doc };
      out[at] = i;
      return out;
    };
    const unwindOne = (row: unknown): unknown[] => {
      if (!isPlainObject(row)) return throughMingo(mingoStage, row, expr, options);
      const value = ownValue(row, field);
      if (Array.isArray(value)) {
        if (value.length === 0) {
          if (!preserve) return [];
          const out = { ...row };
          delete out[field];
          return [format(out, null, true)];
        }
        return (value as unknown[]).map((item, i) => {
          const out = { ...row };
          out[field] = item;
          return format(out, i, true);
        });
      }
      if (!isEmpty(value) || preserve) return [format(row, null, false)];
      return [];
    };
    let pending: unknown[] = [];
    let next = 0;
    return Lazy(() => {
      for (;;) {
        if (next < pending.length) return { value: pending[next++], done: false };
        const step = coll.next() as IteratorResult<unknown>;
        if (step.done) return { value: undefined, done: true };
        pending = unwindOne(step.value);
        next = 0;
      }
    });
  };

/**
 * Whether a stage never writes into its input documents, nor into values they share with the
 * documents it outputs (so no later stage of the same kind can either): filters and orders,
 * `$group` (fresh documents), and the stages above on top-level fields (they copy the top level of
 * a document and write only there). `$lookup` puts copies of the joined documents in a fresh
 * top level; its sub-pipeline must be copy-free too, as it runs on those. `$facet` (facetStage)
 * copies for each branch that is not.
 */
function copyFreeStage(stage: Doc): boolean {
  const name = Object.keys(stage)[0];
  const spec = name === undefined ? undefined : stage[name];
  switch (name) {
    case '$match':
    case '$sort':
    case '$skip':
    case '$limit':
    case '$group':
    case '$count':
    case '$sortByCount':
    case '$facet':
      return true;
    case '$addFields':
    case '$set':
      return isPlainObject(spec) && Object.keys(spec).every(plainField);
    case '$project':
      return (
        isPlainObject(spec) &&
        Object.entries(spec).every(
          ([field, value]) =>
            plainField(field) && (!isObject(value) || Object.keys(value).every((key) => isOperator(key))),
        )
      );
    case '$unwind': {
      const unwind: unknown = typeof spec === 'string' ? { path: spec } : spec;
      if (!isPlainObject(unwind)) return false;
      const path = unwind.path;
      const index: unknown = unwind.includeArrayIndex || false;
      return (
        typeof path === 'string' &&
        path.startsWith('$') &&
        plainField(path.substring(1)) &&
        (index === false || (typeof index === 'string' && plainField(index)))
      );
    }
    case '$lookup':
      return (
        isPlainObject(spec) &&
        typeof spec.as === 'string' &&
        plainField(spec.as) &&
        (spec.pipeline === undefined ||
          (Array.isArray(spec.pipeline) && copyFreePipeline(spec.pipeline as Doc[])))
      );
    default:
      return false;
  }
}

/**
 * Whether a pipeline can run on the stored documents themselves (no copy of its input): every
 * stage copy-free, with the compiled stages on (mingo's $unwind and $facet write or copy).
 */
export function copyFreePipeline(stages: readonly Doc[]): boolean {
  return enabled && stages.every((stage) => isPlainObject(stage) && copyFreeStage(stage));
}

/**
 * $facet as mingo's, each branch run over the same input, except that a copy-free branch
 * (copyFreePipeline) reads the documents as they are instead of a copy of each (mingo copies
 * every input document for every branch: three branches over 10,000 creators made 30,000 copies).
 */
export const compiledFacet =
  (mingoStage: Stage, run: (pipeline: Doc[], items: unknown[], options: Options) => unknown[]): Stage =>
  (coll, expr, options) => {
    const local = (options as { local?: { root?: unknown; variables?: Doc } }).local;
    const plain = (options as { options?: Options }).options;
    if (
      !enabled ||
      !isPlainObject(expr) ||
      !Object.values(expr).every((pipeline) => Array.isArray(pipeline)) ||
      (local && (local.root != null || Object.keys(local.variables ?? {}).length > 0))
    )
      return mingoStage(coll, expr, options);
    const base: Options = plain ?? options;
    return coll.transform((items: unknown[]) => {
      const out: Doc = {};
      for (const [key, pipeline] of Object.entries(expr)) {
        const stages = pipeline as Doc[];
        out[key] = run(stages, items, { ...base, processingMode: copyFreePipeline(stages) ? 0 : 1 });
      }
      return Lazy([out]);
    });
  };
