// cli.test.mjs — the commands of CONTRACT.md: help, init, demo, user add,
// check, backup, on a real database file (and on PostgreSQL when
// LABIMPACT_TEST_PG_URI is set, for the commands that take any DB).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BIN, run, strongPassword } from './helpers.mjs';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'labimpact-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('every command prints help with --help and exits 0', async () => {
  for (const cmd of ['init', 'demo', 'user', 'serve', 'check', 'backup', 'migrate-data']) {
    const r = await run(BIN, [cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(cmd), cmd);
  }
  const r = await run(BIN, ['nonsense']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command/);
});

test('init is idempotent and demo loads the network once with random passwords', async () => {
  const db = path.join(dir, 'a.db');
  assert.equal((await run(BIN, ['init', '--db', db])).code, 0);
  assert.equal((await run(BIN, ['init', '--db', db])).code, 0);
  const creds = path.join(dir, 'creds.txt');
  const first = await run(BIN, ['demo', '--db', db, '--credentials', creds, '--persons', '20', '--seed', '3']);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /network loaded/);
  const st = await stat(creds);
  assert.equal(st.mode & 0o777, 0o600, 'credentials file is private');
  const lines = (await readFile(creds, 'utf8')).trim().split('\n');
  assert.equal(lines.length, 9, 'one account per role, plus region and admin (association: demo-association, from the directory)');
  const passwords = lines.map((l) => l.trim().split(/\s+/)[3]);
  assert.equal(new Set(passwords).size, 9, 'every password differs');
  for (const p of passwords) assert.ok(p.length >= 12);
  const again = await run(BIN, ['demo', '--db', db, '--credentials', creds, '--persons', '10', '--seed', '7']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already present/);
  const persons = await run('sqlite3', [db, 'SELECT COUNT(*) FROM person']);
  assert.equal(Number(persons.stdout.trim()), 20, 'a second demo adds no synthetic persons');
  assert.equal((await readFile(creds, 'utf8')).trim().split('\n').length, 9, 'no new accounts the second time');
  const bad = await run(BIN, ['demo', '--db', db, '--persons', '-3']);
  assert.equal(bad.code, 2);
});

test('user add validates the role, the organisation and the password', async () => {
  const db = path.join(dir, 'b.db');
  await run(BIN, ['init', '--db', db]);
  await run(BIN, ['demo', '--db', db, '--credentials', path.join(dir, 'c2.txt')]);
  const add = (args, input) => run(BIN, ['user', 'add', '--db', db, ...args, '--password-stdin'], { input });
  let r = await add(['--username', 'op.lodi', '--role', 'operator', '--org', 'lodi'], `${strongPassword()}\n`);
  assert.equal(r.code, 0, r.stderr);
  r = await add(['--username', 'op.lodi', '--role', 'operator', '--org', 'lodi'], `${strongPassword()}\n`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /taken/);
  r = await add(['--username', 'x1', '--role', 'wizard', '--org', 'lodi'], `${strongPassword()}\n`);
  assert.equal(r.code, 2);
  r = await add(['--username', 'x2', '--role', 'operator', '--org', 'atlantide'], `${strongPassword()}\n`);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /unknown organisation/);
  r = await add(['--username', 'x3', '--role', 'operator', '--org', 'lodi'], 'password1234\n');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /password/);
  r = await add(['--username', 'x4', '--role', 'operator', '--org', 'lodi'], 'short\n');
  assert.equal(r.code, 1);
});

test('check says sound, and backup makes a copy that is itself sound', async () => {
  const db = path.join(dir, 'd.db');
  await run(BIN, ['init', '--db', db]);
  await run(BIN, ['demo', '--db', db, '--credentials', path.join(dir, 'c3.txt')]);
  let r = await run(BIN, ['check', '--db', db]);
  assert.equal(r.code, 0, r.stdout);
  assert.match(r.stdout, /sound/);
  const copy = path.join(dir, 'copy.db');
  r = await run(BIN, ['backup', '--db', db, '--out', copy]);
  assert.equal(r.code, 0, r.stderr);
  r = await run(BIN, ['check', '--db', copy]);
  assert.equal(r.code, 0, r.stdout);
  r = await run('sqlite3', [copy, 'SELECT COUNT(*) FROM org WHERE kind = \'ambito\'']);
  assert.ok(Number(r.stdout.trim()) >= 4, 'the copy holds the districts');
  r = await run(BIN, ['backup', '--db', db]);
  assert.equal(r.code, 2, 'backup needs --out');
});

test('check finds a broken organisation tree', async () => {
  const db = path.join(dir, 'e.db');
  await run(BIN, ['init', '--db', db]);
  await run(BIN, ['demo', '--db', db, '--credentials', path.join(dir, 'c4.txt')]);
  await run('sqlite3', [db, "UPDATE org SET path = '/999/' WHERE code = 'cremona'"]);
  const r = await run(BIN, ['check', '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /cremona/);
});

test('commands without --db say what is missing', async () => {
  const r = await run(BIN, ['init'], { env: { LABIMPACT_DB: '' } });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--db/);
});
