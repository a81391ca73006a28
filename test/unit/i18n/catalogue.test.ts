// Every message exists in the three languages, and every key the code names exists: a missing
// translation fails here instead of showing a raw key (or silently the default language) to a user.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { catalogueLanguages, leafKeys, loadCatalogue, lookupKey } from '../../../src/i18n/catalogue.js';

const root = new URL('../../../', import.meta.url).pathname;

function filesUnder(directory: string, extension: string): string[] {
  return readdirSync(join(root, directory), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => join(directory, file));
}

/** Literal keys in templates ({{t "a.b"}}, (t "a.b")) and in code (t('a.b'), messageKey: 'a.b'). */
function namedKeys(): { key: string; file: string }[] {
  const patterns: [string, string, RegExp][] = [
    ['views', '.hbs', /[{(]t\s+"([\w.-]+)"/g],
    ['src', '.ts', /\bt\(\s*'([\w-]+\.[\w.-]+)'/g],
  ];
  return patterns.flatMap(([directory, extension, pattern]) =>
    filesUnder(directory, extension).flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(pattern)].map((match) => ({
        key: match[1] ?? '',
        file,
      })),
    ),
  );
}

describe('message catalogue', function () {
  it('holds exactly the same keys in Simplified Chinese, Traditional Chinese and English', function () {
    const [reference, ...others] = catalogueLanguages.map((language) =>
      leafKeys(loadCatalogue(language)).sort(),
    );
    for (const [index, keys] of others.entries()) {
      const language = catalogueLanguages[index + 1];
      expect(
        keys.filter((key) => !reference?.includes(key)),
        `${language} has keys zh-CN lacks`,
      ).to.deep.equal([]);
      expect(
        reference?.filter((key) => !keys.includes(key)),
        `${language} lacks keys zh-CN has`,
      ).to.deep.equal([]);
    }
  });

  it('has no empty message', function () {
    for (const language of catalogueLanguages) {
      const tree = loadCatalogue(language);
      const empty = leafKeys(tree).filter((key) => {
        const value = lookupKey(tree, key);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, language).to.deep.equal([]);
    }
  });

  it('translates every key a template or the code names literally', function () {
    const named = namedKeys();
    expect(named.length, 'the scan finds the keys in use').to.be.greaterThan(300);
    for (const language of catalogueLanguages) {
      const tree = loadCatalogue(language);
      const missing = named
        .filter(({ key }) => typeof lookupKey(tree, key) !== 'string' && !isPluralParent(tree, key))
        .map(({ key, file }) => `${file}: ${key}`);
      expect(missing, language).to.deep.equal([]);
    }
  });
});

/** i18next plurals: `items` is served by `items_one` / `items_other`. */
function isPluralParent(tree: Record<string, unknown>, key: string): boolean {
  return typeof lookupKey(tree, `${key}_other`) === 'string';
}
