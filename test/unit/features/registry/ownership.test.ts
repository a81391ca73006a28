// Ownership codes: short, unambiguous, random, and found in a bio however the creator typed them.
import { expect } from 'chai';
import {
  bioContainsCode,
  generateOwnershipCode,
  isOwnershipCode,
} from '../../../../src/features/registry/ownership.js';

describe('registry ownership codes', function () {
  it('look like LH-7K3Q9 and avoid characters people confuse', function () {
    for (let i = 0; i < 200; i += 1) {
      const code = generateOwnershipCode();
      expect(code).to.match(/^LH-[A-Z0-9]{5}$/);
      expect(code.slice(3)).not.to.match(/[0O1IL2Z5S]/);
      expect(isOwnershipCode(code)).to.equal(true);
    }
  });

  it('are random: 1000 codes hardly ever repeat', function () {
    // 27^5 ≈ 14.3 million codes: by the birthday bound 1000 draws share a code about 3.5% of
    // the time, so an exact "no repeat" would fail now and then. Three or more repeats happen
    // about once in 150,000 runs; a biased or constant generator repeats hundreds of times.
    const codes = new Set(Array.from({ length: 1000 }, generateOwnershipCode));
    expect(codes.size).to.be.at.least(998);
  });

  it('are found in a bio despite spaces, case, dashes and full-width characters', function () {
    const code = 'LH-7K3Q9';
    const bios = [
      '坪山之眼，记录坪山的美好。LH-7K3Q9',
      '验证码：lh-7k3q9',
      'LH 7K3Q9 | 商务合作请私信',
      'lh7k3q9',
      'ＬＨ－７Ｋ３Ｑ９',
      '认证 LH—7K3Q9 。',
      'L H - 7 K 3 Q 9',
    ];
    for (const bio of bios) expect(bioContainsCode(bio, code), bio).to.equal(true);
  });

  it('are not found when the bio holds another code, part of it, or nothing', function () {
    const code = 'LH-7K3Q9';
    expect(bioContainsCode('LH-7K3Q8', code)).to.equal(false);
    expect(bioContainsCode('LH-7K3Q', code)).to.equal(false);
    expect(bioContainsCode('7K3Q9', code)).to.equal(false);
    expect(bioContainsCode('', code)).to.equal(false);
    expect(bioContainsCode(undefined, code)).to.equal(false);
    // a malformed "code" (an empty string would be found in every bio) never matches
    expect(bioContainsCode('anything at all', '')).to.equal(false);
    expect(bioContainsCode('LH-', 'LH-')).to.equal(false);
  });
});
