// Aggregation expressions compiled once per stage into closures, for the subset the app's
// pipelines use: each closure answers exactly what mingo's interpreter (with the lane's own
// operators from expressions.ts) answers for the same document, without walking the expression
// tree, building option objects or merging variables per call. Anything outside the subset, or a
// shape mingo would complain about, does not compile (undefined): the stage then runs through
// mingo as before. A document on which mingo would fail (a wrong type, a `$switch` without a
// match…) makes the closure throw `fallback`, and the stage evaluates that document through
// mingo, which raises the error mongod's way (pipelineError).
import * as accumulatorOperators from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { flatten, isEqual, isObject, isOperator, unique } from 'mingo/util';
import { compareExpressionValues, stringsFor } from './expressions.js';
import type { StringComparator } from './order.js';
import { type Doc, isPlainObject } from './values.js';

/** Thrown by a compiled closure where mingo's path must decide (usually with an error). */
export class FallbackSignal extends Error {}
export const fallback = new FallbackSignal('evaluate this document through mingo');

/** What a closure reads besides the current document: the root, the command's variables, locals. */
interface Env {
  root: unknown;
  /** `let` variables of the command or of a `$lookup` (mingo's options.variables and locals). */
  globals: Doc | undefined;
  /** Local variables ($let, $map, $filter), each in a slot fixed at compile time. */
  slots: unknown[];
}

type Node = (obj: unknown, env: Env) => unknown;

/** The closure of a compiled expression: the value of the expression for a document. */
export type CompiledExpression = (root: unknown, variables?: Doc) => unknown;

interface Scope {
  /** Local variable name → slot. */
  bindings: ReadonlyMap<string, number>;
  slotCount: { n: number };
  strings: StringComparator;
}

/** The accumulators given an array of values read no option. */
const noOptions = {} as Options;
type Accumulator = (values: unknown[], expr: unknown, options: Options) => unknown;
const accumulators = accumulatorOperators as unknown as Record<string, Accumulator>;

// ---- field paths, as mingo's resolve reads them ----

const OBJECT_PROTO_PROPS = new Set(
  Object.getOwnPropertyNames(Object.prototype).filter((s) => s !== '__proto__'),
);
const isPrimitive = (v: unknown): boolean => (typeof v !== 'object' && typeof v !== 'function') || v === null;
const isScalar = (v: unknown): boolean => isPrimitive(v) || v instanceof Date || v instanceof RegExp;
const isDigits = (s: string): boolean => /^[0-9]*$/.test(s);
const isNil = (v: unknown): v is null | undefined => v === null || v === undefined;

function getValue(obj: unknown, key: string): unknown {
  if (obj === Object.prototype || isPrimitive(obj)) return undefined;
  if (Array.isArray(obj)) return obj[Number(key)] as unknown;
  if (OBJECT_PROTO_PROPS.has(key) && !Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
  return (obj as Doc)[key];
}

/**
 * mingo's resolvePath from `parts[from]` on: an array met before an index-less part gives the
 * array of each element's value (missing ones skipped); an array met at the start of an
 * element's own path (an array in an array) is given whole. `state.depth` counts the arrays
 * crossed in the whole resolution, as mingo's closure does.
 */
function walkParts(
  start: unknown,
  parts: readonly string[],
  digits: readonly boolean[],
  from: number,
  state: { depth: number },
): unknown {
  let value = start;
  for (let i = from; i < parts.length; i++) {
    if (!digits[i] && Array.isArray(value)) {
      if (i === from && state.depth > 0) break;
      state.depth += 1;
      const acc: unknown[] = [];
      for (const item of value as unknown[]) {
        const found = walkParts(item, parts, digits, i, state);
        if (found !== undefined) acc.push(found);
      }
      value = acc;
      break;
    }
    value = getValue(value, parts[i]!);
    if (value === undefined) break;
  }
  return value;
}

/** A reader of `parts` from a value (mingo's resolve). */
function pathReader(parts: readonly string[]): (value: unknown) => unknown {
  const digits = parts.map(isDigits);
  if (parts.length === 1) {
    const [key] = parts as [string];
    return (value) => {
      if (isScalar(value)) return value;
      if (!Array.isArray(value)) return getValue(value, key);
      return walkParts(value, parts, digits, 0, { depth: 0 });
    };
  }
  return (value) => (isScalar(value) ? value : walkParts(value, parts, digits, 0, { depth: 0 }));
}

/** Path parts mingo would refuse (`__proto__`) or read in a way not ported here (empty parts). */
const badParts = (parts: readonly string[]): boolean =>
  parts.some((part) => part === '' || part === '__proto__');

function compilePath(expr: string, scope: Scope): Node | undefined {
  if (expr === '$$KEEP' || expr === '$$PRUNE' || expr === '$$DESCEND' || expr === '$') return undefined;
  const dot = expr.indexOf('.');
  const prefix = dot === -1 ? expr : expr.substring(0, dot);
  const rest = dot === -1 ? [] : expr.substring(dot + 1).split('.');
  if (badParts(rest)) return undefined;
  const read = rest.length > 0 ? pathReader(rest) : undefined;
  if (prefix === '$$ROOT') return read ? (_obj, env) => read(env.root) : (_obj, env) => env.root;
  if (prefix === '$$CURRENT') return read ? (obj) => read(obj) : (obj) => obj;
  if (prefix === '$$REMOVE') return () => undefined;
  if (prefix.startsWith('$$')) {
    const name = prefix.substring(2);
    if (name === '' || name === '__proto__' || name === 'NOW' || name === 'CLUSTER_TIME') return undefined;
    // mingo reads `$$name.rest` as the path `name.rest` of {…variables, this, …locals}.
    const digits = rest.map(isDigits);
    const after = (value: unknown): unknown =>
      rest.length === 0 || value === undefined ? value : walkParts(value, rest, digits, 0, { depth: 0 });
    const slot = scope.bindings.get(name);
    if (slot !== undefined) return (_obj, env) => after(env.slots[slot]);
    if (name === 'this') return (obj) => after(obj);
    return (_obj, env) => {
      const globals = env.globals;
      if (!globals || !Object.prototype.hasOwnProperty.call(globals, name)) throw fallback;
      return after(getValue(globals, name));
    };
  }
  const parts = expr.substring(1).split('.');
  if (badParts(parts)) return undefined;
  const readRoot = pathReader(parts);
  return (_obj, env) => readRoot(env.root);
}

// ---- truthiness: mingo's (strict: '' is true) and the lane's $switch (NaN is true) ----

const mingoTruthy = (value: unknown): boolean => !!value || value === '';
const laneTruthy = (value: unknown): boolean =>
  value !== false && value !== null && value !== undefined && value !== 0;

// ---- operators ----

type OperatorCompiler = (args: unknown, scope: Scope) => Node | undefined;

/** Compiles each of a list of expressions; undefined when one does not compile. */
function compileAll(list: readonly unknown[], scope: Scope): Node[] | undefined {
  const nodes: Node[] = [];
  for (const item of list) {
    const node = compile(item, scope);
    if (!node) return undefined;
    nodes.push(node);
  }
  return nodes;
}

/** A scope with `names` bound to fresh slots. */
function bind(scope: Scope, names: readonly string[]): { inner: Scope; slots: number[] } {
  const bindings = new Map(scope.bindings);
  const slots = names.map((name) => {
    const slot = scope.slotCount.n++;
    bindings.set(name, slot);
    return slot;
  });
  return { inner: { ...scope, bindings }, slots };
}

const comparison =
  (test: (order: number) => boolean | number): OperatorCompiler =>
  (args, scope) => {
    const list = Array.isArray(args) ? args : [args];
    if (list.length !== 2) return undefined; // mongod's 16020, from expressions.ts
    const nodes = compileAll(list, scope);
    if (!nodes) return undefined;
    const [a, b] = nodes as [Node, Node];
    const strings = scope.strings;
    return (obj, env) => test(compareExpressionValues(a(obj, env), b(obj, env), strings));
  };

/** An accumulator used as an expression ({$max: [..]} or {$max: '$array'}): over the array given. */
const accumulatorExpression =
  (name: string): OperatorCompiler =>
  (args, scope) => {
    const accumulate = accumulators[name];
    const input = compile(args, scope);
    if (!accumulate || !input) return undefined;
    return (obj, env) => {
      if (Array.isArray(obj)) throw fallback; // mingo accumulates over the documents then
      const values = input(obj, env);
      if (!Array.isArray(values)) throw fallback; // mingo's "arguments must resolve to array"
      return accumulate(values, null, noOptions);
    };
  };

/** An operator whose arguments are evaluated together (mingo's evalExpr of the whole argument). */
const overArguments =
  (check: (args: unknown) => boolean, apply: (values: unknown) => unknown): OperatorCompiler =>
  (args, scope) => {
    if (!check(args)) return undefined;
    const node = compile(args, scope);
    if (!node) return undefined;
    return (obj, env) => apply(node(obj, env));
  };

const operatorCompilers: Record<string, OperatorCompiler> = {
  $literal: (args) => () => args,

  $ifNull: (args, scope) => {
    if (!Array.isArray(args)) return undefined;
    const nodes = compileAll(args, scope);
    if (!nodes) return undefined;
    return (obj, env) => {
      let value: unknown;
      for (const node of nodes) {
        value = node(obj, env);
        if (!isNil(value)) return value;
      }
      return value;
    };
  },

  $cond: (args, scope) => {
    let parts: unknown[];
    if (Array.isArray(args)) {
      if (args.length !== 3) return undefined;
      parts = args;
    } else if (isObject(args)) {
      const spec = args;
      parts = [spec.if, spec.then, spec.else];
    } else return undefined;
    const nodes = compileAll(parts, scope);
    if (!nodes) return undefined;
    const [test, then, otherwise] = nodes as [Node, Node, Node];
    return (obj, env) => (mingoTruthy(test(obj, env)) ? then(obj, env) : otherwise(obj, env));
  },

  $switch: (args, scope) => {
    if (!isPlainObject(args) || !isObject(args)) return undefined;
    const branches = args.branches;
    if (!Array.isArray(branches) || !branches.every(isPlainObject)) return undefined;
    const cases: [Node, Node][] = [];
    for (const branch of branches) {
      const nodes = compileAll([branch.case, branch.then], scope);
      if (!nodes) return undefined;
      cases.push(nodes as [Node, Node]);
    }
    const hasDefault = 'default' in args;
    const otherwise = hasDefault ? compile(args.default, scope) : undefined;
    if (hasDefault && !otherwise) return undefined;
    return (obj, env) => {
      for (const [test, then] of cases) if (laneTruthy(test(obj, env))) return then(obj, env);
      if (otherwise) return otherwise(obj, env);
      throw fallback; // mongod's 40066
    };
  },

  $and: (args, scope) => {
    if (!Array.isArray(args)) return undefined;
    const nodes = compileAll(args, scope);
    if (!nodes) return undefined;
    return (obj, env) => nodes.every((node) => mingoTruthy(node(obj, env)));
  },

  $or: (args, scope) => {
    if (!Array.isArray(args)) return undefined;
    const nodes = compileAll(args, scope);
    if (!nodes) return undefined;
    return (obj, env) => nodes.some((node) => mingoTruthy(node(obj, env)));
  },

  $not: (args, scope) => {
    const list = Array.isArray(args) ? args : [args];
    if (list.length === 0) return () => false;
    if (list.length > 1) return undefined;
    const node = compile(list[0], scope);
    if (!node) return undefined;
    return (obj, env) => !node(obj, env);
  },

  $eq: comparison((order) => order === 0),
  $ne: comparison((order) => order !== 0),
  $gt: comparison((order) => order > 0),
  $gte: comparison((order) => order >= 0),
  $lt: comparison((order) => order < 0),
  $lte: comparison((order) => order <= 0),
  $cmp: comparison((order) => order),

  $isArray: (args, scope) => {
    let input = args;
    if (Array.isArray(args)) {
      if (args.length !== 1) return undefined;
      input = args[0];
    }
    const node = compile(input, scope);
    if (!node) return undefined;
    return (obj, env) => Array.isArray(node(obj, env));
  },

  $size: (args, scope) => {
    const node = compile(Array.isArray(args) && args.length === 1 ? (args[0] as unknown) : args, scope);
    if (!node) return undefined;
    return (obj, env) => {
      const value = node(obj, env);
      if (!Array.isArray(value)) throw fallback; // mongod's 17124
      return value.length;
    };
  },

  $map: (args, scope) => {
    if (!isObject(args)) return undefined;
    const spec = args;
    if (!('input' in spec) || !('in' in spec)) return undefined;
    if (spec.as !== undefined && spec.as !== null && (typeof spec.as !== 'string' || spec.as === ''))
      return undefined;
    const input = compile(spec.input, scope);
    const name = spec.as || 'this';
    const { inner, slots } = bind(scope, [name]);
    const body = compile(spec.in, inner);
    if (!input || !body) return undefined;
    const slot = slots[0]!;
    return (obj, env) => {
      const list = input(obj, env);
      if (isNil(list)) return null;
      if (!Array.isArray(list)) throw fallback;
      const result = new Array<unknown>(list.length);
      for (let i = 0; i < list.length; i++) {
        env.slots[slot] = list[i];
        result[i] = body(obj, env);
      }
      return result;
    };
  },

  $filter: (args, scope) => {
    if (!isObject(args)) return undefined;
    const spec = args;
    if (!('input' in spec) || !('cond' in spec)) return undefined;
    const limit = spec.limit;
    if (!isNil(limit) && !(Number.isInteger(limit) && (limit as number) >= 1)) return undefined;
    if (spec.as !== undefined && (typeof spec.as !== 'string' || spec.as === '')) return undefined;
    const input = compile(spec.input, scope);
    const name = spec.as ?? 'this';
    const { inner, slots } = bind(scope, [name]);
    const cond = compile(spec.cond, inner);
    if (!input || !cond) return undefined;
    const slot = slots[0]!;
    return (obj, env) => {
      const list = input(obj, env);
      if (isNil(list)) return null;
      if (!Array.isArray(list)) throw fallback;
      const most = isNil(limit) ? Math.max(list.length, 1) : (limit as number);
      const out: unknown[] = [];
      for (let i = 0; i < list.length && out.length < most; i++) {
        env.slots[slot] = list[i];
        if (mingoTruthy(cond(obj, env))) out.push(list[i]);
      }
      return out;
    };
  },

  $let: (args, scope) => {
    if (!isObject(args) || !isObject(args.vars)) return undefined;
    const spec = args;
    const vars = spec.vars as Doc;
    const names = Object.keys(vars);
    if (names.some((name) => name === '' || name === '__proto__' || name.includes('.'))) return undefined;
    const values = compileAll(
      names.map((name) => vars[name]),
      scope,
    );
    const { inner, slots } = bind(scope, names);
    const body = compile(spec.in, inner);
    if (!values || !body) return undefined;
    return (obj, env) => {
      // All of them evaluated before any is bound (mingo evaluates them in the outer scope).
      const bound = values.map((value) => value(obj, env));
      for (let i = 0; i < slots.length; i++) env.slots[slots[i]!] = bound[i];
      return body(obj, env);
    };
  },

  $concatArrays: overArguments(
    () => true,
    (args) => {
      if (isNil(args)) return null;
      if (!Array.isArray(args)) throw fallback;
      let size = 0;
      for (const list of args as unknown[]) {
        if (isNil(list)) return null;
        if (!Array.isArray(list)) throw fallback;
        size += list.length;
      }
      const result = new Array<unknown>(size);
      let i = 0;
      for (const list of args as unknown[][]) for (const item of list) result[i++] = item;
      return result;
    },
  ),

  $setUnion: (args, scope) => {
    const node = compile(args, scope);
    if (!node) return undefined;
    const listed = Array.isArray(args);
    return (obj, env) => {
      const values = node(obj, env);
      if (isNil(values)) return null;
      if (!Array.isArray(values)) throw fallback;
      if (!listed) return unique(values) as unknown[];
      if (!values.every((value) => Array.isArray(value))) throw fallback;
      return unique(flatten(values));
    };
  },

  $in: overArguments(
    (args) => Array.isArray(args) && args.length === 2,
    (args) => {
      const [item, list] = args as [unknown, unknown];
      if (!Array.isArray(list)) throw fallback;
      for (const value of list) if (isEqual(value, item)) return true;
      return false;
    },
  ),

  $indexOfBytes: overArguments(
    (args) => Array.isArray(args) && args.length > 1 && args.length < 5,
    (args) => {
      const [text, search, from, to] = args as unknown[];
      if (isNil(text)) return null;
      if (typeof text !== 'string' || typeof search !== 'string') throw fallback;
      const start = from ?? 0;
      const end = to ?? text.length;
      if (!Number.isInteger(start) || (start as number) < 0) throw fallback;
      if (!Number.isInteger(end) || (end as number) < 0) throw fallback;
      if ((start as number) > (end as number)) return -1;
      const index = text.substring(start as number, end as number).indexOf(search);
      return index > -1 ? index + (start as number) : index;
    },
  ),

  $arrayElemAt: overArguments(
    (args) => Array.isArray(args) && args.length === 2,
    (args) => {
      const [list, index] = args as [unknown, unknown];
      if (isNil(list) || isNil(index)) return null;
      if (!Array.isArray(list) || !Number.isInteger(index)) throw fallback;
      const at = index as number;
      if (at < 0 && Math.abs(at) <= list.length) return list[(at + list.length) % list.length] as unknown;
      if (at >= 0 && at < list.length) return list[at] as unknown;
      return undefined;
    },
  ),

  $max: accumulatorExpression('$max'),
  $min: accumulatorExpression('$min'),
  $sum: accumulatorExpression('$sum'),
  $avg: accumulatorExpression('$avg'),
};

function compile(expr: unknown, scope: Scope): Node | undefined {
  if (typeof expr === 'string' && expr.length > 0 && expr[0] === '$') return compilePath(expr, scope);
  if (Array.isArray(expr)) {
    const nodes = compileAll(expr, scope);
    if (!nodes) return undefined;
    return (obj, env) => {
      const result = new Array<unknown>(nodes.length);
      for (let i = 0; i < nodes.length; i++) result[i] = nodes[i]!(obj, env);
      return result;
    };
  }
  if (isObject(expr)) {
    const spec = expr;
    const keys = Object.keys(spec);
    if (isOperator(keys[0]!)) {
      if (keys.length !== 1) return undefined;
      const operator = keys[0]!;
      const compiler = Object.prototype.hasOwnProperty.call(operatorCompilers, operator)
        ? operatorCompilers[operator]
        : undefined;
      return compiler?.(spec[operator], scope);
    }
    if (keys.some((key) => key === '__proto__')) return undefined;
    const nodes = compileAll(
      keys.map((key) => spec[key]),
      scope,
    );
    if (!nodes) return undefined;
    return (obj, env) => {
      const result: Doc = {};
      for (let i = 0; i < keys.length; i++) result[keys[i]!] = nodes[i]!(obj, env);
      return result;
    };
  }
  return () => expr;
}

/**
 * An aggregation expression as a closure `(root, variables) => value`, giving what mingo gives
 * for it in a pipeline (`options`: the stage's, for the collation in force); undefined when the
 * expression is outside the compiled subset. The closure throws `fallback` for a document
 * mingo must evaluate (it would fail there). Not re-entrant: one evaluation at a time.
 */
export function compileExpression(
  expr: unknown,
  options: Options = noOptions,
): CompiledExpression | undefined {
  const scope: Scope = { bindings: new Map(), slotCount: { n: 0 }, strings: stringsFor(options) };
  const node = compile(expr, scope);
  if (!node) return undefined;
  const env: Env = { root: undefined, globals: undefined, slots: new Array<unknown>(scope.slotCount.n) };
  return (root, variables) => {
    env.root = root;
    env.globals = variables;
    return node(root, env);
  };
}
