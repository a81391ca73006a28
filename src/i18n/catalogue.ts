// The message catalogue: `locales/<language>/<namespace>.json`, one file per top-level key (so a
// feature adds its own file instead of editing a shared one). `registry.json` holds what is read as
// `registry.*`. The three languages must hold exactly the same keys (test/unit/i18n/catalogue.test.ts).
import { readFileSync, readdirSync } from 'node:fs';
import type { Language } from '../config.js';

export const catalogueLanguages = ['zh-CN', 'zh-TW', 'en'] as const satisfies readonly Language[];

export type Catalogue = Record<string, unknown>;

const cache = new Map<string, Catalogue>();

/** The whole catalogue of one language, read once from its directory. */
export function loadCatalogue(language: Language): Catalogue {
  const cached = cache.get(language);
  if (cached) return cached;
  const directory = new URL(`./locales/${language}/`, import.meta.url);
  const tree: Catalogue = {};
  for (const file of readdirSync(directory).sort()) {
    if (!file.endsWith('.json')) continue;
    const namespace = file.slice(0, -'.json'.length);
    tree[namespace] = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as unknown;
  }
  cache.set(language, tree);
  return tree;
}

/** The value at a dotted key (`registry.platforms.weibo`), or undefined. */
export function lookupKey(tree: Catalogue, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, part)
          ? (node as Record<string, unknown>)[part]
          : undefined,
      tree,
    );
}

/** Every leaf key of a catalogue, dotted. */
export function leafKeys(tree: unknown, prefix = ''): string[] {
  if (tree === null || typeof tree !== 'object') return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) =>
    leafKeys(value, prefix ? `${prefix}.${key}` : key),
  );
}
