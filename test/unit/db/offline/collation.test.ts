// The offline lane's collation parsing: mongod's defaults filled in, what Intl.Collator cannot
// express refused by name (238) instead of compared wrongly, and own `__proto__` keys kept as data
// across the wire boundary.
import { expect } from 'chai';
import { collatorFor, parseCollation } from '../../../../src/db/offline/collation.js';
import { CommandError } from '../../../../src/db/offline/errors.js';
import { STORED_PROTO, protoKeysIn, protoKeysOut } from '../../../../src/db/offline/protokeys.js';

const codeOf = (run: () => unknown): number | undefined => {
  try {
    run();
  } catch (error) {
    return error instanceof CommandError ? error.code : -1;
  }
  return undefined;
};

describe('offline lane: collations', function () {
  it('completes a collation with mongod defaults, as listCollections shows it', function () {
    expect(parseCollation({ locale: 'en', strength: 2 })).to.deep.equal({
      locale: 'en',
      caseLevel: false,
      caseFirst: 'off',
      strength: 2,
      numericOrdering: false,
      alternate: 'non-ignorable',
      maxVariable: 'punct',
      normalization: false,
      backwards: false,
      version: '57.1',
    });
    expect(parseCollation({ locale: 'simple' })).to.deep.equal({ locale: 'simple' });
  });

  it('refuses what ICU through Intl cannot express (238) and malformed collations (mongod codes)', function () {
    expect(codeOf(() => parseCollation({ locale: 'en', strength: 4 }))).to.equal(238);
    expect(codeOf(() => parseCollation({ locale: 'fr', backwards: true }))).to.equal(238);
    expect(codeOf(() => parseCollation({ locale: 'en', strength: 2, caseLevel: true }))).to.equal(238);
    expect(codeOf(() => parseCollation({ locale: 'en', strength: 9 }))).to.equal(2);
    expect(codeOf(() => parseCollation({ locale: 'not a locale!' }))).to.equal(2);
    expect(codeOf(() => parseCollation({ strength: 1 }))).to.equal(40414);
  });

  it('takes ICU collation keywords: zh in stroke order differs from pinyin', function () {
    const names = ['马峦山行者', '李高兴', '坪山之眼'];
    const pinyin = [...names].sort(collatorFor(parseCollation({ locale: 'zh' })));
    const stroke = [...names].sort(collatorFor(parseCollation({ locale: 'zh@collation=stroke' })));
    expect(pinyin).to.deep.equal(['李高兴', '马峦山行者', '坪山之眼']);
    expect(stroke).to.not.deep.equal(pinyin);
  });
});

describe('offline lane: own __proto__ keys', function () {
  it('are renamed on the way in and restored as own properties on the way out', function () {
    const command = JSON.parse(
      '{"u": {"$rename": {"a": "__proto__.x"}, "$set": {"b.__proto__": 1}}}',
    ) as object;
    const inside = protoKeysIn(command) as { u: { $rename: { a: string }; $set: Record<string, unknown> } };
    expect(inside.u.$rename.a).to.equal(`${STORED_PROTO}.x`);
    expect(Object.keys(inside.u.$set)).to.deep.equal([`b.${STORED_PROTO}`]);
    const reply = protoKeysOut({ doc: { [STORED_PROTO]: { admin: true } }, ok: 1 });
    const doc = reply.doc as Record<string, unknown>;
    expect(Object.keys(doc)).to.deep.equal(['__proto__']);
    expect(Object.getPrototypeOf(doc)).to.equal(Object.prototype);
    expect((doc as { admin?: unknown }).admin).to.equal(undefined);
  });
});
