// npm run user:create -- --role admin --email a@example.org [--name "…"] [--scope pingshan]
//                        [--password … | --password-stdin]
// Creates a user in the configured database (MONGODB_URI, the embedded mongod, or the offline
// lane) with the same rules as registration. The first admin is made this way; admins then
// create officers in the portal. Exit codes: 0 created, 1 refused or failed, 2 wrong usage.
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { validationResult } from 'express-validator';
import mongoose from 'mongoose';
import { ConfigError, loadConfig } from '../config.js';
import { DatabaseLaneError, connectMongoose, openDatabaseLane } from '../db/connection.js';
import { EmailTakenError, createUser } from '../features/users/service.js';
import { displayNameField, emailField, limits, newPasswordField } from '../http/fields.js';
import {
  type Role,
  type StreetScope,
  UserModel,
  districtScope,
  roles,
  streets,
} from '../features/users/model.js';
import { createI18n } from '../i18n/index.js';

const usage = `Usage: npm run user:create -- --role <creator|officer|admin> --email <address>
         [--name "<display name>"] [--scope <${[...streets, districtScope].join('|')}>]
         [--password <password> | --password-stdin]

  --scope           officers only (required for them): one street or the whole district
  --password        visible to other users of this machine in the process list; prefer
  --password-stdin  to read it from the first line of standard input, or leave both out
                    on a terminal to be asked for it`;

class UsageError extends Error {}

interface Request {
  role: Role;
  email: string;
  displayName: string;
  password: string;
  streetScope: StreetScope | undefined;
}

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

function isStreetScope(value: string): value is StreetScope {
  return value === districtScope || (streets as readonly string[]).includes(value);
}

/** Asks for a password on the terminal without echoing it. */
async function promptPassword(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stdout.write(chunk);
      callback();
    },
  });
  const prompt = createInterface({ input: process.stdin, output, terminal: true });
  try {
    process.stdout.write(question);
    muted = true;
    return await prompt.question('');
  } finally {
    muted = false;
    prompt.close();
    process.stdout.write('\n');
  }
}

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

async function readPassword(values: { password?: string; 'password-stdin'?: boolean }): Promise<string> {
  if (values.password !== undefined && values['password-stdin'])
    throw new UsageError('Give --password or --password-stdin, not both.');
  if (values.password !== undefined) return values.password;
  if (values['password-stdin']) return readFirstLine(process.stdin);
  if (!process.stdin.isTTY) {
    throw new UsageError(
      'No password: pass --password, or --password-stdin to read it from standard input (stdin is not a terminal, so it cannot be asked for).',
    );
  }
  const first = await promptPassword('Password: ');
  const again = await promptPassword('Password again: ');
  if (first !== again) throw new UsageError('The two passwords do not match.');
  return first;
}

async function parseRequest(argv: string[]): Promise<Request | 'help'> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        email: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string' },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  if (!values.role || !isRole(values.role))
    throw new UsageError(`--role must be one of: ${roles.join(', ')}.`);
  if (!values.email) throw new UsageError('--email is required.');
  const role = values.role;
  if (role === 'officer' && !values.scope)
    throw new UsageError('An officer needs --scope (a street or "district").');
  if (role !== 'officer' && values.scope) throw new UsageError('--scope is for officers only.');
  if (values.scope !== undefined && !isStreetScope(values.scope)) {
    throw new UsageError(`--scope must be one of: ${[...streets, districtScope].join(', ')}.`);
  }
  const password = await readPassword(values);
  const displayName = values.name ?? values.email.split('@')[0] ?? values.email;
  return { role, email: values.email, displayName, password, streetScope: values.scope };
}

/** The registration rules (the same express-validator chains), run on the command's values. */
async function validate(request: Request): Promise<string[]> {
  const fake = {
    body: { email: request.email, password: request.password, displayName: request.displayName },
  };
  for (const chain of [emailField(), newPasswordField('password'), displayNameField()]) await chain.run(fake);
  const result = validationResult(fake);
  if (result.isEmpty()) return [];
  const t = (await createI18n('en')).getFixedT('en');
  const option: Record<string, string> = { email: '--email', password: '--password', displayName: '--name' };
  return Object.entries(result.mapped()).map(
    ([field, error]) => `${option[field] ?? field}: ${t(String(error.msg), limits)}`,
  );
}

async function main(argv: string[]): Promise<number> {
  const request = await parseRequest(argv);
  if (request === 'help') {
    console.log(usage);
    return 0;
  }
  const problems = await validate(request);
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem);
    return 1;
  }
  const config = loadConfig();
  // The lane's own start-up messages would only clutter a one-line answer; warnings still show.
  const lane = await openDatabaseLane(config, {
    info: () => undefined,
    warn: (_object, message) => console.error(message),
  });
  try {
    await connectMongoose(lane);
    await UserModel.init(); // the unique email index, on a database that has never seen the portal
    const user = await createUser({ ...request, privacyAccepted: false });
    const scope = user.streetScope ? `, street scope ${user.streetScope}` : '';
    console.log(
      `Created ${user.role} ${user.email} ("${user.displayName}"${scope}), id ${String(user.id)}, in database "${lane.dbName}" (lane: ${lane.lane}).`,
    );
    if (lane.inMemory) {
      console.log(
        'Note: this is the offline lane, so the user lives only in the memory of this process and is gone now that it exits. Set MONGODB_URI (or use the embedded lane) to keep it.',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof EmailTakenError) {
      console.error(`A user with the email ${error.message} already exists; nothing was changed.`);
      return 1;
    }
    throw error;
  } finally {
    await mongoose.disconnect();
    await lane.stop();
  }
}

main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof ConfigError || error instanceof DatabaseLaneError) {
      console.error(error.message);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  });
