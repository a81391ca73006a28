// Slugs: what a creator's public address looks like, derived from the name they typed.
import { expect } from 'chai';
import {
  deriveSlug,
  isValidSlug,
  maxSlugLength,
  uniqueSlug,
} from '../../../../src/features/registry/slug.js';

describe('registry slugs', function () {
  const derived: [string, string][] = [
    ['坪山之眼', 'pingshanzhiyan'],
    ['坪山同鎮', 'pingshantongzhen'],
    ['IN坪山', 'in-pingshan'],
    ['李高興', 'ligaoxing'],
    ['坪山印象', 'pingshanyinxiang'],
    ['重庆小面', 'chongqingxiaomian'],
    ['绿色坪山', 'lvsepingshan'],
    ['龍田 Café', 'longtian-cafe'],
    ['  Pingshan   Eye!! ', 'pingshan-eye'],
    ['ＩＮ坪山 2024', 'in-pingshan-2024'],
    ['🌊🌊', 'creator'],
    ['a', 'creator'],
  ];
  for (const [name, slug] of derived) {
    it(`${name} → ${slug}`, function () {
      expect(deriveSlug(name)).to.equal(slug);
    });
  }

  it('keeps long names within the limit without cutting a word in half', function () {
    const slug = deriveSlug('坪山区新闻中心 Pingshan District Media Centre Official Account Of The Office');
    expect(slug.length).to.be.at.most(maxSlugLength);
    expect(slug).to.equal('pingshanquxinwenzhongxin-pingshan-district-media-centre');
    expect(deriveSlug('坪'.repeat(80)).length).to.equal(maxSlugLength);
  });

  it('accepts only lower-case words joined by single hyphens, and no reserved word', function () {
    expect(isValidSlug('pingshan-eye')).to.equal(true);
    expect(isValidSlug('Pingshan')).to.equal(false);
    expect(isValidSlug('pingshan--eye')).to.equal(false);
    expect(isValidSlug('-pingshan')).to.equal(false);
    expect(isValidSlug('坪山')).to.equal(false);
    expect(isValidSlug('new')).to.equal(false);
    expect(isValidSlug('admin')).to.equal(false);
    expect(isValidSlug('x'.repeat(maxSlugLength + 1))).to.equal(false);
  });

  it('numbers a slug that is taken, and never hands out a reserved word', async function () {
    const taken = new Set(['pingshanzhiyan', 'pingshanzhiyan-2']);
    const asked: string[] = [];
    const exists = (slug: string) => {
      asked.push(slug);
      return Promise.resolve(taken.has(slug));
    };
    expect(await uniqueSlug('pingshanzhiyan', exists)).to.equal('pingshanzhiyan-3');
    expect(asked).to.deep.equal(['pingshanzhiyan', 'pingshanzhiyan-2', 'pingshanzhiyan-3']);
    expect(await uniqueSlug('new', () => Promise.resolve(false))).to.equal('new-2');
    expect(await uniqueSlug('坪山之眼', () => Promise.resolve(false))).to.equal('pingshanzhiyan');
  });

  it('keeps numbered slugs within the limit', async function () {
    const base = deriveSlug('坪'.repeat(80));
    const slug = await uniqueSlug(base, (candidate) => Promise.resolve(candidate === base));
    expect(slug).to.match(/-2$/);
    expect(slug.length).to.be.at.most(maxSlugLength);
  });

  it('gives up loudly rather than looping forever', async function () {
    let error: unknown;
    try {
      await uniqueSlug('pingshan', () => Promise.resolve(true));
    } catch (caught) {
      error = caught;
    }
    expect(error)
      .to.be.instanceOf(Error)
      .with.property('message')
      .that.matches(/no free slug/);
  });
});
