// helpers.mjs — a real labimpact server per test file, and a small HTTP client.
//
// startServer() makes a fresh database (a SQLite file in a temporary folder, or,
// when LABIMPACT_TEST_PG_URI is set, a new PostgreSQL database created with psql
// and dropped afterwards), runs `init`, `demo --persons 0` and `user add` for the
// extra accounts asked for, spawns `build/labimpact serve` on a free loopback
// port and waits for /healthz. stop() sends SIGTERM, waits for the exit and
// asserts exit code 0 (graceful shutdown is part of what is tested).
//
// useServer() wires that into node:test's before/after hooks for one file.
// Only node built-ins: node:test, node:assert, fetch, child_process.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'build', 'labimpact');
export const PG_URI = process.env.LABIMPACT_TEST_PG_URI || '';

/** A password that passes the policy, unique per call. */
export function strongPassword() {
  return `Tp-${randomBytes(9).toString('base64url')}-zq7`;
}

/** Runs a command; resolves {code, signal, stdout, stderr}. */
export function run(cmd, args, { input, env, cwd = ROOT, timeoutMs = 60000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, LABIMPACT_LOG: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A command that exits before reading its input (a refused argument) closes the pipe:
    // the EPIPE is not the test's concern, the exit code is.
    child.stdin.on('error', (e) => {
      if (e.code !== 'EPIPE') reject(e);
    });
    child.stdin.end(input ?? '');
  });
}

async function runOk(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${r.code ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** Runs one SQL statement on a test server's database (psql or sqlite3), for
 * what the API does not show; resolves what it prints (rows one a line,
 * columns joined by |). Throws when the statement fails. */
export async function serverSql(srv, statement) {
  const r = PG_URI
    ? await runOk(psqlBin(), ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-d', srv.db, '-c', statement])
    : await runOk('sqlite3', [srv.db, statement]);
  return r.stdout.trim();
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export { sleep };

// A safety net for the whole suite: a test file that leaves a handle open (say
// an SMTP sink whose `after` never ran because server.stop() threw first) would
// keep its process, and so `node --test`, waiting forever. Registered when this
// module loads, so before the file's own hooks: once the file's hooks are done,
// an unreferenced timer ends a process that is still alive 10 s later, failing.
after(() => {
  setTimeout(() => {
    process.stderr.write('helpers.mjs: handles still open 10 s after the last hook; ending this test file\n');
    process.exit(1);
  }, 10000).unref();
});

// ---- PostgreSQL: one fresh database per server -------------------------------

function psqlBin() {
  if (existsSync('/usr/bin/psql')) return '/usr/bin/psql';
  for (const v of ['17', '16', '15']) {
    const p = `/usr/lib/postgresql/${v}/bin/psql`;
    if (existsSync(p)) return p;
  }
  return 'psql';
}

async function psql(uri, sql) {
  return runOk(psqlBin(), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', uri, '-c', sql], { timeoutMs: 30000 });
}

let pgCounter = 0;

async function createPgDatabase() {
  const name = `li_api_${process.pid}_${++pgCounter}_${randomBytes(4).toString('hex')}`;
  await psql(PG_URI, `CREATE DATABASE ${name}`);
  const u = new URL(PG_URI);
  u.pathname = `/${name}`;
  return { name, uri: u.toString() };
}

async function dropPgDatabase(name) {
  await psql(PG_URI, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// ---- the server ---------------------------------------------------------------

/**
 * Starts a server on a fresh database with the demo network and accounts.
 * opts.users: extra accounts [{username, role, org, password?}] (password made up when absent).
 * opts.env: extra environment for `serve` (e.g. LABIMPACT_SESSION_IDLE).
 * Resolves an object: base, port, db, accounts (username -> {username, role, org, password}),
 * client(), login(username), stop(), stderr().
 */
export async function startServer({ users = [], env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run make build/labimpact first`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'labimpact-api-'));
  let pg = null;
  let db = path.join(dir, 'test.db');
  if (PG_URI) {
    pg = await createPgDatabase();
    db = pg.uri;
  }
  const accounts = new Map();
  let child = null;
  let log = '';
  const cleanup = async () => {
    if (pg) await dropPgDatabase(pg.name).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await runOk(BIN, ['init', '--db', db]);
    const credFile = path.join(dir, 'credentials.txt');
    await runOk(BIN, ['demo', '--db', db, '--persons', '0', '--credentials', credFile]);
    for (const line of (await readFile(credFile, 'utf8')).split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length === 4) accounts.set(f[0], { username: f[0], role: f[1], org: f[2], password: f[3] });
    }
    for (const u of users) {
      const password = u.password ?? strongPassword();
      await runOk(
        BIN,
        ['user', 'add', '--db', db, '--username', u.username, '--role', u.role, '--org', u.org, '--password-stdin'],
        { input: `${password}\n` },
      );
      accounts.set(u.username, { username: u.username, role: u.role, org: u.org, password });
    }
    let port = 0;
    let exited = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      port = await freePort();
      log = '';
      child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], {
        cwd: ROOT,
        env: { ...process.env, LABIMPACT_LOG: 'warn', ...env },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr.on('data', (d) => {
        log += d;
        if (log.length > 200000) log = log.slice(-100000);
      });
      exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      let up = false;
      let dead = null;
      exited.then((x) => (dead = x));
      const deadline = Date.now() + 30000; // generous: a loaded CI machine
      while (Date.now() < deadline && !dead && !up) {
        try {
          const r = await fetch(`http://127.0.0.1:${port}/healthz`);
          await r.arrayBuffer();
          up = r.status === 200;
        } catch {
          /* not yet listening */
        }
        if (!up) await sleep(50);
      }
      if (up) break;
      if (!dead) {
        child.kill('SIGKILL');
        await exited;
      }
      child = null;
      if (attempt === 2) throw new Error(`labimpact serve did not start:\n${log}`);
    }
    const base = `http://127.0.0.1:${port}`;
    const srv = {
      base,
      port,
      db,
      dir,
      accounts,
      stderr: () => log,
      client: () => new Client(base),
      /** A client logged in as `username` (an account of this server). */
      async login(username) {
        const a = accounts.get(username);
        assert.ok(a, `no account ${username}`);
        const c = new Client(base);
        const r = await c.login(username, a.password);
        assert.equal(r.status, 200, `login ${username}: ${r.text}`);
        return c;
      },
      async stop() {
        if (!child) return;
        const c = child;
        child = null;
        c.kill('SIGTERM');
        const timer = setTimeout(() => c.kill('SIGKILL'), 20000);
        const { code, signal } = await exited;
        clearTimeout(timer);
        await cleanup();
        assert.equal(signal, null, `server killed by ${signal}:\n${log.slice(-4000)}`);
        assert.equal(code, 0, `server exit code ${code}:\n${log.slice(-4000)}`);
      },
    };
    return srv;
  } catch (e) {
    if (child) child.kill('SIGKILL');
    await cleanup();
    throw e;
  }
}

/**
 * Starts a server before the file's tests and stops it after them. Returns a
 * holder filled with the server's fields once `before` has run. `init(holder)`
 * runs in the same hook once the server is up: node 20 runs several top-level
 * `before` hooks concurrently, so a file must not add its own.
 */
export function useServer(opts = {}, init = null) {
  const holder = {};
  before(async () => {
    Object.assign(holder, await startServer(opts));
    if (init) await init(holder);
  });
  after(async () => {
    if (holder.stop) await holder.stop();
  });
  return holder;
}

// ---- the client -----------------------------------------------------------------

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Parses one Set-Cookie header into {name, value, attrs (lowercase keys)}. */
export function parseSetCookie(line) {
  const parts = line.split(';').map((s) => s.trim());
  const eq = parts[0].indexOf('=');
  const attrs = {};
  for (const p of parts.slice(1)) {
    const i = p.indexOf('=');
    if (i < 0) attrs[p.toLowerCase()] = true;
    else attrs[p.slice(0, i).toLowerCase()] = p.slice(i + 1);
  }
  return { name: parts[0].slice(0, eq), value: parts[0].slice(eq + 1), attrs };
}

/** A cookie jar and CSRF token over fetch. Redirects are not followed. */
export class Client {
  constructor(base) {
    this.base = base;
    this.cookies = new Map();
    this.csrf = null;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /**
   * One request. opts: json (sent as application/json), body (raw), headers,
   * csrf (undefined: the session's token on unsafe methods; false: none;
   * a string: that token), cookies (false: send none).
   * Resolves {status, headers, text, json, setCookies}.
   */
  async request(method, p, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['Content-Type'] = 'application/json';
      }
    }
    if (opts.cookies !== false && this.cookies.size) headers.Cookie = this.cookieHeader();
    if (UNSAFE.has(method)) {
      if (typeof opts.csrf === 'string') headers['X-CSRF-Token'] = opts.csrf;
      else if (opts.csrf !== false && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    }
    const res = await fetch(this.base + p, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie().map(parseSetCookie);
    for (const c of setCookies) {
      if (c.value === '' || c.attrs['max-age'] === '0') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const text = await res.text();
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json, setCookies };
  }

  get(p, o) {
    return this.request('GET', p, o);
  }
  post(p, json, o = {}) {
    return this.request('POST', p, { json, ...o });
  }
  patch(p, json, o = {}) {
    return this.request('PATCH', p, { json, ...o });
  }
  del(p, o) {
    return this.request('DELETE', p, o);
  }

  /** POST /api/v1/session; on 200 keeps the CSRF token. */
  async login(username, password) {
    const r = await this.post('/api/v1/session', { username, password });
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }

  /** The value of cookie `name` in the jar. */
  cookie(name) {
    return this.cookies.get(name);
  }
}

// ---- assertions -------------------------------------------------------------------

/**
 * Asserts an API error of the contract's shape:
 * {"error": {"code", "message", "field"?, "request_id"}} with the X-Request-Id header.
 */
export function assertError(r, status, { code, field } = {}) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text.slice(0, 400)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/);
  assert.ok(r.json && typeof r.json.error === 'object', `error body: ${r.text.slice(0, 400)}`);
  const e = r.json.error;
  assert.equal(typeof e.code, 'string');
  assert.ok(e.code.length > 0);
  assert.equal(typeof e.message, 'string');
  assert.ok(e.message.length > 0);
  assert.equal(typeof e.request_id, 'string');
  assert.equal(e.request_id, r.headers.get('x-request-id'));
  if (code !== undefined) assert.equal(e.code, code, `error code: ${r.text}`);
  if (field !== undefined) assert.equal(e.field, field, `error field: ${r.text}`);
  return e;
}

/** Fetches every page of a list endpoint with `limit`; returns all items. */
export async function listAll(client, p, limit) {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < 1000; pages++) {
    const sep = p.includes('?') ? '&' : '?';
    const url = `${p}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const r = await client.get(url);
    assert.equal(r.status, 200, r.text);
    assert.ok(Array.isArray(r.json.items));
    assert.ok(r.json.items.length <= limit);
    items.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (cursor === null || cursor === undefined) return items;
    assert.equal(r.json.items.length, limit, 'a page before the last is full');
  }
  throw new Error('pagination did not end');
}

// ---- spreadsheets -------------------------------------------------------------------

/**
 * Reads an .xlsx answer back with a real spreadsheet reader (openpyxl, through
 * tests/tools/xlsx_dump.py run by Debian's /usr/bin/python3, package
 * python3-openpyxl). Resolves {sheets: [{name, rows: [[cell, ...], ...]}]}:
 * numbers are numbers, dates ISO strings ("2026-03-01"), empty cells null.
 * Fails the test when openpyxl is missing or cannot open the bytes.
 */
export async function readXlsx(buffer) {
  const py = '/usr/bin/python3';
  assert.ok(existsSync(py), `readXlsx needs ${py} with python3-openpyxl (scripts/deps.sh installs it)`);
  const r = await run(py, [path.join(ROOT, 'tests', 'tools', 'xlsx_dump.py')], { input: Buffer.from(buffer) });
  assert.notEqual(r.code, 3, `readXlsx: python3-openpyxl is missing (scripts/deps.sh installs it): ${r.stderr}`);
  assert.equal(r.code, 0, `readXlsx: openpyxl could not read the workbook (${buffer.length} bytes): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Rows of fields of a CSV answer (a leading BOM dropped; quotes, doubled quotes, CRLF), for
 * comparing an XLSX read back with the CSV of the same request. */
export function csvRows(text, sep = ',') {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === sep) { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
