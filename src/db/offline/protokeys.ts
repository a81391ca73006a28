// Own `__proto__` keys are data in BSON, but in JavaScript an assignment `doc['__proto__'] = v`
// sets a prototype instead, and mingo's clones and updates do such assignments. So the lane never
// handles that name: a command arriving with it (as a field name, a path segment, or a $rename
// target) has it replaced by a name no client can send (it holds a NUL byte, which BSON field
// names cannot), and replies get it back as an own property.
import { isPlainObject } from './values.js';

const PROTO = '__proto__';
export const STORED_PROTO = '\u0000__proto__';

function renamePath(path: string, from: string, to: string): string {
  if (path === from) return to;
  if (!path.includes('.')) return path;
  return path
    .split('.')
    .map((part) => (part === from ? to : part))
    .join('.');
}

function convert(value: unknown, from: string, to: string, renameValues: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => convert(item, from, to, false));
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    let inner = convert(value[key], from, to, key === '$rename');
    // $rename's targets are paths too.
    if (renameValues && typeof inner === 'string') inner = renamePath(inner, from, to);
    Object.defineProperty(out, renamePath(key, from, to), {
      value: inner,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** A command as the lane handles it: `__proto__` names replaced. */
export function protoKeysIn<T>(command: T): T {
  return convert(command, PROTO, STORED_PROTO, false) as T;
}

/** A reply as the client must see it: `__proto__` names restored, as own properties. */
export function protoKeysOut<T extends Record<string, unknown>>(reply: T): T {
  const out = convert(reply, STORED_PROTO, PROTO, false) as T;
  if (typeof out.errmsg === 'string')
    (out as Record<string, unknown>).errmsg = out.errmsg.split(STORED_PROTO).join(PROTO);
  return out;
}
