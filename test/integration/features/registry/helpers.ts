// Shared steps for the registry's integration tests: signed-in creators and officers, forms
// posted as a browser does (the page first, for its CSRF token), multipart uploads.
import type { Types } from 'mongoose';
import { AccountModel } from '../../../../src/features/registry/account.model.js';
import { CreatorModel } from '../../../../src/features/registry/creator.model.js';
import type { StreetScope } from '../../../../src/features/users/model.js';
import {
  type Agent,
  type Response,
  type TestApp,
  createTestUser,
  csrfFrom,
  signIn,
} from '../../../support/app.js';

export async function signedIn(
  portal: TestApp,
  email: string,
  role: 'creator' | 'officer' | 'admin' = 'creator',
  streetScope?: StreetScope,
): Promise<Agent> {
  await createTestUser({ email, role, streetScope, displayName: email.split('@')[0] });
  const agent = portal.agent();
  const res = await signIn(agent, email);
  if (res.status !== 303) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return agent;
}

/** Uploads one file with the CSRF token of `formPath`'s page, as a browser posts a multipart form. */
export async function postUpload(
  agent: Agent,
  formPath: string,
  action: string,
  field: string,
  file: Buffer,
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = await agent.get(formPath);
  let req = agent.post(action).field('_csrf', csrfFrom(form.text));
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return req.attach(field, file, 'upload.png');
}

/** Adds an account through the form; the new account's id. */
export async function addAccountVia(agent: Agent, profile: string, platform = ''): Promise<Types.ObjectId> {
  const form = await agent.get('/me/accounts');
  await agent
    .post('/me/accounts')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), profile, platform, displayName: '' });
  const account = await AccountModel.findOne({}).sort({ createdAt: -1 });
  if (!account) throw new Error('no account was added');
  return account._id;
}

export async function setStreet(email: string, street: string): Promise<void> {
  const creator = await CreatorModel.findOne({}).sort({ createdAt: -1 });
  if (!creator) throw new Error(`no creator for ${email}`);
  await CreatorModel.updateOne({ _id: creator._id }, { $set: { street } });
}
