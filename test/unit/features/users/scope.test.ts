// The one street-scope rule (src/features/users/scope.ts) that the registry, the alliance, the pool
// and the stats feed all apply: admins and district officers cover everyone, a street officer
// their street, and an officer without a scope nobody.
import { expect } from 'chai';
import { coversStreet, noStreet, scopedStreet, streetFilter } from '../../../../src/features/users/scope.js';

describe('street scope', function () {
  const admin = { role: 'admin', streetScope: undefined } as const;
  const district = { role: 'officer', streetScope: 'district' } as const;
  const pingshan = { role: 'officer', streetScope: 'pingshan' } as const;
  const unscoped = { role: 'officer', streetScope: undefined } as const;
  const creator = { role: 'creator', streetScope: undefined } as const;

  it('gives admins and district officers the whole district', function () {
    for (const actor of [admin, district]) {
      expect(scopedStreet(actor)).to.equal(null);
      expect(streetFilter(actor)).to.deep.equal({});
      expect(coversStreet(actor, 'kengzi')).to.equal(true);
      expect(coversStreet(actor, undefined)).to.equal(true);
    }
  });

  it('limits a street officer to the street, and not to creators without one', function () {
    expect(scopedStreet(pingshan)).to.equal('pingshan');
    expect(streetFilter(pingshan)).to.deep.equal({ street: { $eq: 'pingshan' } });
    expect(streetFilter(pingshan, 'creator.street')).to.deep.equal({ 'creator.street': { $eq: 'pingshan' } });
    expect(coversStreet(pingshan, 'pingshan')).to.equal(true);
    expect(coversStreet(pingshan, 'kengzi')).to.equal(false);
    expect(coversStreet(pingshan, null)).to.equal(false);
  });

  it('gives an officer without a scope (and anyone not in the office) nobody, not everybody', function () {
    for (const actor of [unscoped, creator]) {
      expect(scopedStreet(actor)).to.equal(noStreet);
      expect(streetFilter(actor)).to.deep.equal({ street: { $eq: noStreet } });
      expect(coversStreet(actor, 'pingshan')).to.equal(false);
      expect(coversStreet(actor, undefined)).to.equal(false);
    }
  });
});
