// Read-only views, as mongod keeps them: a name, the collection (or view) it reads, and a
// pipeline. A read of a view runs the view's pipeline (the views it stands on first) over the
// collection's documents, then the read's own stages; a write is refused with mongod's
// CommandNotSupportedOnView (166).
import { CommandError } from './errors.js';
import { WideNumbers } from './restore.js';
import { runPipeline } from './pipeline.js';
import type { Database } from './store.js';
import { type Doc, hasWideNumbers, keyOf, numericView } from './values.js';

export interface ViewDefinition {
  viewOn: string;
  pipeline: Doc[];
  /** The view's default collation (checked); undefined: binary. A view never inherits one. */
  collation?: Doc | undefined;
}

/** mongod resolves at most this many views stacked on each other. */
const MAX_VIEW_DEPTH = 20;

export const viewNotSupported = (ns: string): CommandError =>
  new CommandError(166, 'CommandNotSupportedOnView', `Namespace ${ns} is a view, not a collection`);

/** A view resolved down to the collection it finally reads and the whole pipeline over it. */
export interface ResolvedView {
  collection: string;
  pipeline: Doc[];
  collation?: Doc | undefined;
}

export function resolveView(db: Database, name: string): ResolvedView | undefined {
  let definition = db.views.get(name);
  if (!definition) return undefined;
  const collation = definition.collation;
  let pipeline: Doc[] = [];
  for (let depth = 0; definition; depth++) {
    if (depth >= MAX_VIEW_DEPTH)
      throw new CommandError(
        165,
        'ViewDepthLimitExceeded',
        `View depth too deep or view cycle detected. Maximum depth is ${MAX_VIEW_DEPTH}`,
      );
    pipeline = [...definition.pipeline, ...pipeline];
    name = definition.viewOn;
    definition = db.views.get(name);
  }
  return { collection: name, pipeline, collation };
}

/**
 * A read through a view takes the view's collation; naming another is refused as mongod refuses
 * it (OptionNotSupportedOnView, 167).
 */
export function viewCollation(view: ResolvedView, requested: Doc | undefined): Doc | undefined {
  if (requested !== undefined) {
    const asked = requested.locale === 'simple' ? undefined : requested;
    if (keyOf(asked) !== keyOf(view.collation))
      throw new CommandError(167, 'OptionNotSupportedOnView', "Cannot override a view's default collation");
  }
  return view.collation;
}

/**
 * The documents a collection or a view yields (a view's pipeline applied), as numeric views
 * noted in `wide` so the caller can give int64/decimal values their type back.
 */
export function sourceDocuments(db: Database, name: string, wide: WideNumbers): Doc[] {
  const view = resolveView(db, name);
  if (!view) return [...(db.collection(name)?.docs.values() ?? [])].map((entry) => wide.note(entry));
  return readView(db, view, [], wide, view.collation);
}

/** Runs a resolved view's pipeline, then `stages`, over its collection; results noted in `wide`. */
export function readView(
  db: Database,
  view: ResolvedView,
  stages: Doc[],
  wide: WideNumbers,
  collation: Doc | undefined,
  variables?: Doc,
): Doc[] {
  const inner = new WideNumbers();
  const input = [...(db.collection(view.collection)?.docs.values() ?? [])].map((entry) => inner.note(entry));
  const options: { collation?: Doc; let?: Doc } = {};
  if (collation) options.collation = collation;
  if (variables) options.let = variables;
  const resolve = (name: string): Doc[] => sourceDocuments(db, name, inner);
  const out = inner.restore(runPipeline(input, [...view.pipeline, ...stages], resolve, options));
  return out.map((doc) => wide.note({ doc, view: hasWideNumbers(doc) ? numericView(doc) : doc }));
}
