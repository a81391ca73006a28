// `npm run user:create` as a separate process against the test database (the offline lane's
// server listens on loopback, so a child process reaches it through MONGODB_URI like any MongoDB).
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { execa } from 'execa';
import mongoose from 'mongoose';
import { UserModel } from '../../src/features/users/model.js';
import { type TestDatabase, startTestDatabase } from '../support/database.js';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const password = 'first-admin-2026';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function runCli(
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string },
): Promise<CliResult> {
  const result = await execa(process.execPath, ['--import', 'tsx', 'src/cli/createUser.ts', ...args], {
    cwd: projectRoot,
    env: options.env,
    extendEnv: false,
    input: options.input ?? '',
    reject: false,
  });
  return { code: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr };
}

describe('CLI: npm run user:create', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    db = await startTestDatabase();
    await mongoose.connect(db.uri, { dbName: db.dbName });
    env = { ...process.env, NODE_ENV: 'test', MONGODB_URI: db.uri, MONGO_LANE: 'uri', LOG_LEVEL: 'silent' };
  });
  after(async function () {
    await mongoose.disconnect();
    await db.stop();
  });
  beforeEach(async function () {
    await UserModel.deleteMany({});
  });

  it('creates an admin with an argon2id hash and says so', async function () {
    const result = await runCli(
      [
        '--role',
        'admin',
        '--email',
        ' First.Admin@Example.org ',
        '--name',
        '系统管理员',
        '--password',
        password,
      ],
      { env },
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(
      /^Created admin first\.admin@example\.org \("系统管理员"\), id [0-9a-f]{24}, in database "lh_test_/,
    );
    expect(result.stdout).not.to.contain(password);
    const stored = await UserModel.findOne({ email: 'first.admin@example.org' }).lean();
    expect(stored).to.include({ role: 'admin', displayName: '系统管理员', status: 'active' });
    expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
    expect(stored).not.to.have.property('streetScope');
  });

  it('creates an officer with a street scope, and reads the password from stdin when asked to', async function () {
    const result = await runCli(
      ['--role', 'officer', '--email', 'biling@example.org', '--scope', 'biling', '--password-stdin'],
      { env, input: `${password}\n` },
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('Created officer biling@example.org ("biling", street scope biling)');
    const stored = await UserModel.findOne({ email: 'biling@example.org' }).lean();
    expect(stored).to.include({ role: 'officer', streetScope: 'biling' });
    expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
  });

  it('refuses a taken email (any letter case) with exit code 1 and changes nothing', async function () {
    expect(
      (await runCli(['--role', 'admin', '--email', 'dup@example.org', '--password', password], { env })).code,
    ).to.equal(0);
    const hash = (await UserModel.findOne({ email: 'dup@example.org' }).lean())!.passwordHash;
    const again = await runCli(
      ['--role', 'creator', '--email', 'DUP@example.org', '--password', 'another-password-1'],
      { env },
    );
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain('A user with the email dup@example.org already exists');
    const users = await UserModel.find().lean();
    expect(users).to.have.length(1);
    expect(users[0]).to.include({ role: 'admin', passwordHash: hash });
  });

  it('applies the registration rules to the email, the password and the name', async function () {
    const result = await runCli(
      ['--role', 'admin', '--email', 'not-an-email', '--name', '<b>x</b>', '--password', 'short'],
      { env },
    );
    expect(result.code).to.equal(1);
    expect(result.stderr).to.contain('--email: Please enter a valid email address.');
    expect(result.stderr).to.contain('--password: Use at least 10 characters.');
    expect(result.stderr).to.match(/--name: .*plain text/i);
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it('refuses wrong usage with exit code 2: a bad role, an officer without scope, a bad scope, no password', async function () {
    const cases: [string[], RegExp][] = [
      [
        ['--role', 'superuser', '--email', 'a@example.org', '--password', password],
        /--role must be one of: creator, officer, admin/,
      ],
      [['--role', 'officer', '--email', 'a@example.org', '--password', password], /An officer needs --scope/],
      [
        ['--role', 'officer', '--email', 'a@example.org', '--scope', 'mars', '--password', password],
        /--scope must be one of/,
      ],
      [
        ['--role', 'admin', '--email', 'a@example.org', '--scope', 'pingshan', '--password', password],
        /--scope is for officers only/,
      ],
      [['--role', 'admin', '--email', 'a@example.org'], /No password: pass --password/],
      [
        ['--role', 'admin', '--email', 'a@example.org', '--password', password, '--extra'],
        /Unknown option '--extra'/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { env });
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr).to.match(message);
      expect(result.stderr).to.contain('Usage: npm run user:create');
    }
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it("says that in the offline lane the user lives only in that process's memory", async function () {
    const offline = { ...env, MONGODB_URI: '', MONGO_LANE: 'offline' };
    const result = await runCli(
      ['--role', 'admin', '--email', 'ephemeral@example.org', '--password', password],
      { env: offline },
    );
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain('(lane: offline)');
    expect(result.stdout).to.contain('lives only in the memory of this process');
    expect(await UserModel.countDocuments(), 'not in the test database').to.equal(0);
  });
});
