// chai with chai-as-promised, loaded for every test file by .mocharc.json ("require"), so that
// rejected promises read as assertions:
//
//   await expect(createUser({ email: taken, … })).to.be.rejectedWith(EmailTakenError);
import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';

chai.use(chaiAsPromised);

export const { expect } = chai;
