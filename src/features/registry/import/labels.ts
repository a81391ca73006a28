// Spreadsheets are typed by people: 哔哩哔哩, 嗶哩嗶哩 and "bilibili" are the same platform, and
// 龙田, 龍田 and 龙田街道 the same street. The accepted spellings are the keys plus the labels of the
// three locale catalogues (so the template and the forms never drift apart), plus common nicknames.
import { catalogueLanguages, loadCatalogue, lookupKey } from '../../../i18n/catalogue.js';
import { categories, creatorKinds, streets } from '../catalogue.js';
import { platformKeys } from '../platforms/index.js';
import { type ImportColumn, importColumns } from './columns.js';

const catalogues = catalogueLanguages.map(loadCatalogue);

function labelsOf(key: string): string[] {
  return catalogues.flatMap((tree) => {
    const label = lookupKey(tree, key);
    return typeof label === 'string' ? [label] : [];
  });
}

/** Case, width, spaces and brackets do not matter: "X (Twitter)" and "x（推特）" are one spelling. */
export function spelling(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s()（）]/g, '');
}

function lookup<T extends string>(
  values: readonly T[],
  labelKey: (value: T) => string,
  extra: Partial<Record<T, string[]>> = {},
): (text: string) => T | undefined {
  const table = new Map<string, T>();
  for (const value of values) {
    for (const name of [value, ...labelsOf(labelKey(value)), ...(extra[value] ?? [])]) {
      table.set(spelling(name), value);
    }
  }
  return (text) => table.get(spelling(text));
}

export const columnOf = lookup<ImportColumn>(importColumns, (column) => `registry.import.columns.${column}`);

export const platformOf = lookup(platformKeys, (key) => `registry.platforms.${key}`, {
  bilibili: ['b站', 'bilibili'],
  wechat_oa: ['公众号', '公眾號', '微信公众平台', 'wechat'],
  wechat_channels: ['视频号', '視頻號', '視訊號', 'channels'],
  xiaohongshu: ['red', 'rednote', 'xhs'],
  toutiao: ['头条', '頭條', '头条号', '頭條號'],
  x: ['twitter', '推特'],
});

export const categoryOf = lookup(categories, (key) => `registry.categories.${key}`);

export const creatorKindOf = lookup(creatorKinds, (key) => `registry.creatorKinds.${key}`, {
  organisation: ['organization', '单位', '單位', '企业', '企業'],
});

const streetByName = lookup(streets, (key) => `streets.${key}`);

/** Street names are often written with 街道 (subdistrict) after them. */
export function streetOf(text: string): (typeof streets)[number] | undefined {
  return streetByName(text.replace(/街道$/, ''));
}
