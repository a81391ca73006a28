// The curated lists and their labels: every choice a form offers reads in all three languages.
import { expect } from 'chai';
import { catalogueLanguages, loadCatalogue, lookupKey } from '../../../../src/i18n/catalogue.js';
import {
  categories,
  categoryLabelKey,
  creatorKindLabelKey,
  creatorKinds,
  isCategory,
  isCreatorKind,
  isStreet,
  streetLabelKey,
  streets,
} from '../../../../src/features/registry/catalogue.js';
import {
  figureIntakes,
  platformKeys,
  platforms,
  profileRefusals,
} from '../../../../src/features/registry/platforms/index.js';

const languages = catalogueLanguages;
const catalogue = loadCatalogue;
const lookup = lookupKey;

describe('registry catalogue', function () {
  it('offers twelve categories, two creator kinds and the six streets', function () {
    expect(categories).to.have.length(12);
    expect(categories).to.include.members(['news', 'culture_tourism', 'food', 'public_service']);
    expect(creatorKinds).to.deep.equal(['person', 'organisation']);
    expect(streets).to.deep.equal(['pingshan', 'kengzi', 'longtian', 'biling', 'maluan', 'shijing']);
  });

  it('tells catalogue values from anything else', function () {
    expect(isCategory('food')).to.equal(true);
    expect(isCategory('toString')).to.equal(false);
    expect(isCategory(['food'])).to.equal(false);
    expect(isCreatorKind('organisation')).to.equal(true);
    expect(isCreatorKind({ $ne: null })).to.equal(false);
    expect(isStreet('kengzi')).to.equal(true);
    expect(isStreet('district')).to.equal(false);
  });

  for (const language of languages) {
    it(`has a label for every choice and message in ${language}`, function () {
      const tree = catalogue(language);
      const keys = [
        ...categories.map(categoryLabelKey),
        ...creatorKinds.map(creatorKindLabelKey),
        ...streets.map(streetLabelKey),
        ...platformKeys.flatMap((key) => [platforms[key].labelKey, platforms[key].idHintKey]),
        ...figureIntakes.map((intake) => `registry.figureIntakes.${intake}`),
        ...profileRefusals.map((reason) => `registry.profileRefusals.${reason}`),
      ];
      for (const key of keys)
        expect(lookup(tree, key), `${language} ${key}`).to.be.a('string').that.is.not.empty;
    });
  }

  it('names the platforms in each language', function () {
    expect(lookup(catalogue('zh-CN'), 'registry.platforms.bilibili')).to.equal('哔哩哔哩');
    expect(lookup(catalogue('zh-TW'), 'registry.platforms.bilibili')).to.equal('嗶哩嗶哩');
    expect(lookup(catalogue('en'), 'registry.platforms.wechat_oa')).to.equal('WeChat Official Account');
  });

  it('keeps the registry and files subtrees identical in shape across languages', function () {
    const shape = (node: unknown, prefix = ''): string[] =>
      typeof node === 'object' && node !== null
        ? Object.entries(node).flatMap(([key, value]) => shape(value, `${prefix}${key}.`))
        : [prefix];
    const [reference, ...others] = languages.map((language) => {
      const tree = catalogue(language);
      return [...shape(tree.registry, 'registry.'), ...shape(tree.files, 'files.')].sort();
    });
    for (const other of others) expect(other).to.deep.equal(reference);
  });
});
