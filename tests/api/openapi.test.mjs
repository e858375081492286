// docs/api/openapi.json: (a) lints clean with @redocly/cli and the rules in
// .redocly.yaml; (b) documents exactly the /api/v1 routes the server
// implements (as `labimpact routes` lists them), with the security
// each route needs; (c) the schemas match what a real server answers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, ROOT, run, strongPassword, useServer } from './helpers.mjs';

const DOC_PATH = path.join(ROOT, 'docs/api/openapi.json');
const doc = JSON.parse(await readFile(DOC_PATH, 'utf8'));
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** The routes the server answers, as `labimpact routes` lists them:
 * [{method, path, flags}] with flags the words after the path ("public write ..."). */
async function serverRoutes() {
  const { code, stdout } = await run(BIN, ['routes']);
  assert.equal(code, 0);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [method, p, ...flags] = line.split(' ');
      return { method, path: p, flags: flags.join(' ') };
    });
}

/** Operations of the document: [{method, path, op}]. */
function docOperations() {
  const ops = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) if (item[m]) ops.push({ method: m.toUpperCase(), path: p, op: item[m] });
  }
  return ops;
}

const key = (r) => `${r.method} ${r.path}`;

describe('lint', () => {
  it('redocly lint (recommended + .redocly.yaml) passes with no error and no warning', async () => {
    const r = await run(
      'npx',
      ['--no-install', 'redocly', 'lint', '--config', '.redocly.yaml', '--format=json', 'docs/api/openapi.json'],
      { env: { REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_UPDATE_NOTIFIER: '1' }, timeoutMs: 120000 },
    );
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      assert.fail(`redocly did not print a JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    const problems = (report.problems || []).map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer}`);
    assert.deepEqual(problems, []);
    assert.equal(report.totals.errors, 0);
    assert.equal(report.totals.warnings, 0);
    assert.equal(r.code, 0, r.stderr);
  });

  it('the lint configuration is not hollow: it extends a ruleset and sets rules to error', async () => {
    const cfg = await readFile(path.join(ROOT, '.redocly.yaml'), 'utf8');
    assert.match(cfg, /^extends:\s*\n\s*-\s*recommended/m);
    const errors = cfg.match(/^\s+[\w.-]+:\s*error\s*$/gm) || [];
    const offs = cfg.match(/^\s+[\w.-]+:\s*off\s*$/gm) || [];
    assert.ok(errors.length >= 20, `${errors.length} rules at error`);
    assert.ok(offs.length <= 3, `${offs.length} rules off`);
  });
});

describe('coverage of the routes', () => {
  it('is OpenAPI 3.1 with the session cookie and CSRF header security schemes', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    const s = doc.components.securitySchemes;
    assert.deepEqual(s.session, { ...s.session, type: 'apiKey', in: 'cookie', name: 'li_session' });
    assert.deepEqual(s.csrf, { ...s.csrf, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
  });

  const apiRoutes = async () => {
    const routes = (await serverRoutes()).filter((r) => r.path.startsWith('/api/v1'));
    assert.ok(routes.length >= 12, `found ${routes.length} API routes in labimpact routes`);
    return new Set(routes.map(key));
  };
  const documentedApi = () => new Set(docOperations().filter((o) => o.path.startsWith('/api/v1')).map(key));

  it('every /api/v1 route of the server (labimpact routes) is documented', async () => {
    const documented = documentedApi();
    assert.deepEqual([...(await apiRoutes())].filter((k) => !documented.has(k)), [], 'routes missing from the document');
  });

  it('every documented /api/v1 operation exists in the server', async () => {
    const served = await apiRoutes();
    assert.deepEqual([...documentedApi()].filter((k) => !served.has(k)), [], 'documented operations the server lacks');
  });

  it('documents /healthz', () => {
    assert.ok(doc.paths['/healthz']?.get, 'GET /healthz');
  });

  it("each operation's security matches the route's flags: public ones open, others need the session, unsafe ones the CSRF token", async () => {
    const routes = new Map((await serverRoutes()).map((r) => [key(r), r]));
    for (const { method, path: p, op } of docOperations()) {
      const r = routes.get(`${method} ${p}`);
      assert.ok(r, `${method} ${p} is served`);
      const security = op.security ?? doc.security;
      const schemes = new Set(security.flatMap((req) => Object.keys(req)));
      const isPublic = /\bpublic\b/.test(r.flags);
      const needsCsrf = method !== 'GET' && !/\bno-csrf\b/.test(r.flags);
      if (isPublic) {
        const open = security.length === 0 || security.some((req) => !('session' in req));
        assert.ok(open, `${method} ${p} is public: no session required`);
      } else {
        assert.ok(schemes.has('session'), `${method} ${p} needs the session`);
        assert.ok(op.responses['401'], `${method} ${p} documents 401`);
      }
      if (needsCsrf) {
        assert.ok(security.every((req) => 'csrf' in req), `${method} ${p} needs the CSRF token`);
        assert.ok(op.responses['403'], `${method} ${p} documents 403`);
      }
      if (op.requestBody) {
        for (const s of ['400', '413', '415', '422']) assert.ok(op.responses[s], `${method} ${p} documents ${s}`);
      }
      if (p.includes('{')) assert.ok(op.responses['404'], `${method} ${p} documents 404`);
    }
  });
});

// ---- (c) the schemas against a real server ---------------------------------------

/** Resolves a local $ref. */
function deref(s) {
  while (s && s.$ref) {
    s = s.$ref
      .slice(2)
      .split('/')
      .reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return s;
}

const typeOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);

/** A small JSON Schema check (the keywords this document uses); returns a list of problems. */
function validate(schema, value, at = '$') {
  const s = deref(schema);
  const out = [];
  if (!s) return out;
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) return [`${at}: ${t} is not ${types.join('|')}`];
  }
  if ('const' in s && value !== s.const) out.push(`${at}: not ${JSON.stringify(s.const)}`);
  if (s.enum && !s.enum.includes(value)) out.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) out.push(`${at}: "${value}" does not match ${s.pattern}`);
    if (s.maxLength !== undefined && [...value].length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
    if (s.minLength !== undefined && [...value].length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
  }
  if (typeof value === 'number') {
    if (s.minimum !== undefined && value < s.minimum) out.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && value > s.maximum) out.push(`${at}: above ${s.maximum}`);
  }
  if (typeOf(value) === 'object') {
    for (const k of s.required || []) if (!(k in value)) out.push(`${at}: missing ${k}`);
    for (const [k, v] of Object.entries(value)) {
      if (s.properties?.[k]) out.push(...validate(s.properties[k], v, `${at}.${k}`));
      else if (s.additionalProperties === false) out.push(`${at}: undocumented property ${k}`);
    }
  }
  if (Array.isArray(value) && s.items) value.forEach((v, i) => out.push(...validate(s.items, v, `${at}[${i}]`)));
  return out;
}

/** Asserts that response r of `method path` is documented and matches its schema. */
function conforms(method, p, r) {
  const op = doc.paths[p]?.[method.toLowerCase()];
  assert.ok(op, `${method} ${p} documented`);
  const status = String(r.status);
  const resp = deref(op.responses[status] || op.responses[`${status[0]}XX`]);
  assert.ok(resp, `${method} ${p} documents status ${status} (${r.text.slice(0, 200)})`);
  if (!resp.content) {
    assert.equal(r.text, '', `${method} ${p} ${status} has no body`);
    return;
  }
  const media = resp.content['application/json'];
  assert.ok(media, `${method} ${p} ${status} is JSON`);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(validate(media.schema, r.json), [], `${method} ${p} ${status}`);
}

describe('schemas match real answers', () => {
  const S = useServer({ users: [{ username: 'admin-cremona', role: 'admin', org: 'cremona' }] });

  it('health, session, me', async () => {
    const c = S.client();
    conforms('GET', '/healthz', await c.get('/healthz'));
    const a = S.accounts.get('demo-admin');
    conforms('POST', '/api/v1/session', await c.post('/api/v1/session', { username: a.username, password: 'wrong-password-here' }));
    conforms('POST', '/api/v1/session', await c.post('/api/v1/session', { username: a.username }));
    conforms('POST', '/api/v1/session', await c.request('POST', '/api/v1/session', { body: '{', headers: { 'Content-Type': 'application/json' } }));
    conforms('POST', '/api/v1/session', await c.request('POST', '/api/v1/session', { body: 'x', headers: { 'Content-Type': 'text/plain' } }));
    conforms('GET', '/api/v1/me', await c.get('/api/v1/me'));
    const login = await c.login(a.username, a.password);
    conforms('POST', '/api/v1/session', login);
    conforms('GET', '/api/v1/me', await c.get('/api/v1/me'));
    conforms('DELETE', '/api/v1/session', await c.del('/api/v1/session', { csrf: false }));
    conforms('DELETE', '/api/v1/session', await c.del('/api/v1/session'));
    conforms('DELETE', '/api/v1/session', await c.del('/api/v1/session'));
  });

  it('organisations', async () => {
    const a = await S.login('demo-admin');
    conforms('GET', '/api/v1/orgs', await a.get('/api/v1/orgs'));
    conforms('GET', '/api/v1/orgs', await a.get('/api/v1/orgs?limit=2'));
    conforms('GET', '/api/v1/orgs', await a.get('/api/v1/orgs?limit=0'));
    conforms('GET', '/api/v1/orgs/{code}', await a.get('/api/v1/orgs/lombardia'));
    conforms('GET', '/api/v1/orgs/{code}', await a.get('/api/v1/orgs/cpia-cremona'));
    conforms('GET', '/api/v1/orgs/{code}', await a.get('/api/v1/orgs/nowhere'));
    const body = { code: 'doc-partner', name: 'Doc', kind: 'partner', parent: 'cremona', category: 'school', istat_code: '019036', description: 'x', is_lead: true };
    conforms('POST', '/api/v1/orgs', await a.post('/api/v1/orgs', body));
    conforms('POST', '/api/v1/orgs', await a.post('/api/v1/orgs', body));
    conforms('POST', '/api/v1/orgs', await a.post('/api/v1/orgs', { ...body, code: 'doc-2', kind: 'ambito' }));
    conforms('POST', '/api/v1/orgs', await a.post('/api/v1/orgs', body, { csrf: false }));
    conforms('PATCH', '/api/v1/orgs/{code}', await a.patch('/api/v1/orgs/doc-partner', { name: 'Doc 2' }));
    conforms('PATCH', '/api/v1/orgs/{code}', await a.patch('/api/v1/orgs/doc-nowhere', { name: 'Doc 2' }));
    conforms('PATCH', '/api/v1/orgs/{code}', await a.patch('/api/v1/orgs/doc-partner', { code: 'x' }));
    const op = await S.login('demo-operator');
    conforms('POST', '/api/v1/orgs', await op.post('/api/v1/orgs', body));
    conforms('GET', '/api/v1/orgs', await S.client().get('/api/v1/orgs'));
  });

  it('users', async () => {
    const a = await S.login('demo-admin');
    conforms('GET', '/api/v1/users', await a.get('/api/v1/users'));
    const created = await a.post('/api/v1/users', { username: 'doc-user', password: strongPassword(), role: 'teacher', org: 'cremona', email: 'doc@example.org', display_name: 'Doc' });
    conforms('POST', '/api/v1/users', created);
    conforms('POST', '/api/v1/users', await a.post('/api/v1/users', { username: 'doc-user', password: strongPassword(), role: 'teacher' }));
    conforms('POST', '/api/v1/users', await a.post('/api/v1/users', { username: 'doc-user-2', password: 'short', role: 'teacher' }));
    conforms('GET', '/api/v1/users/{id}', await a.get(`/api/v1/users/${created.json.id}`));
    conforms('GET', '/api/v1/users/{id}', await a.get('/api/v1/users/999999'));
    conforms('PATCH', '/api/v1/users/{id}', await a.patch(`/api/v1/users/${created.json.id}`, { active: false }));
    conforms('PATCH', '/api/v1/users/{id}', await a.patch(`/api/v1/users/${created.json.id}`, { role: 'admin' }));
    const op = await S.login('demo-operator');
    conforms('GET', '/api/v1/users', await op.get('/api/v1/users'));
    conforms('GET', '/api/v1/users/{id}', await op.get(`/api/v1/users/${created.json.id}`));
    const district = await S.login('admin-cremona');
    conforms('GET', '/api/v1/users/{id}', await district.get('/api/v1/users/1'));
  });

  it('audit', async () => {
    const a = await S.login('demo-admin');
    conforms('GET', '/api/v1/audit', await a.get('/api/v1/audit'));
    conforms('GET', '/api/v1/audit', await a.get('/api/v1/audit?limit=3&action=login.success'));
    conforms('GET', '/api/v1/audit', await a.get('/api/v1/audit?from=abc'));
    conforms('GET', '/api/v1/audit', await (await S.login('demo-operator')).get('/api/v1/audit'));
  });

  it('mail outbox', async () => {
    const a = await S.login('demo-admin');
    conforms('POST', '/api/v1/outbox/test', await a.post('/api/v1/outbox/test', { to: 'doc@example.org' }));
    conforms('POST', '/api/v1/outbox/test', await a.post('/api/v1/outbox/test', { to: 'not an address' }));
    conforms('GET', '/api/v1/outbox', await a.get('/api/v1/outbox'));
    conforms('GET', '/api/v1/outbox', await a.get('/api/v1/outbox?limit=1'));
    conforms('GET', '/api/v1/outbox', await (await S.login('demo-operator')).get('/api/v1/outbox'));
  });

  it('meetings, decisions and the library', async () => {
    const c = await S.login('demo-coordinator');
    const anon = S.client();
    conforms('GET', '/api/v1/meetings', await c.get('/api/v1/meetings?limit=3'));
    conforms('GET', '/api/v1/meetings', await c.get('/api/v1/meetings?kind=party'));
    conforms('GET', '/api/v1/meetings', await anon.get('/api/v1/meetings'));
    const made = await c.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo', start: '2027-05-05T10:00', minutes: 90, place: 'Cremona' });
    conforms('POST', '/api/v1/meetings', made);
    conforms('POST', '/api/v1/meetings', await c.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo', start: 'soon' }));
    const id = made.json.id;
    conforms('GET', '/api/v1/meetings/{id}', await c.get(`/api/v1/meetings/${id}`));
    conforms('GET', '/api/v1/meetings/{id}', await c.get('/api/v1/meetings/999999'));
    conforms('PATCH', '/api/v1/meetings/{id}', await c.patch(`/api/v1/meetings/${id}`, { place: 'Sala' }));
    const inv = await c.post(`/api/v1/meetings/${id}/invitations`, { invitees: [{ org: 'asst-cremona', email: 'doc@example.org' }] });
    conforms('POST', '/api/v1/meetings/{id}/invitations', inv);
    conforms('PUT', '/api/v1/meetings/{id}/attendance', await c.request('PUT', `/api/v1/meetings/${id}/attendance`, { json: { marks: [{ invitee_id: inv.json.invitees[0].id, status: 'present' }] } }));
    conforms('POST', '/api/v1/meetings/{id}/minutes', await c.post(`/api/v1/meetings/${id}/minutes`, { text: 'Verbale' }));
    conforms('POST', '/api/v1/meetings/{id}/files', await c.request('POST', `/api/v1/meetings/${id}/files`, { body: Buffer.from('%PDF-1.4\n'), headers: { 'Content-Type': 'application/octet-stream' } }));
    const dec = await c.post(`/api/v1/meetings/${id}/decisions`, { text: 'Fare', owner_name: 'ASC', due: '2027-06-01' });
    conforms('POST', '/api/v1/meetings/{id}/decisions', dec);
    conforms('PATCH', '/api/v1/decisions/{id}', await c.patch(`/api/v1/decisions/${dec.json.id}`, { status: 'done' }));
    conforms('GET', '/api/v1/decisions', await c.get('/api/v1/decisions?overdue=true'));
    conforms('GET', '/api/v1/meetings/{id}', await c.get(`/api/v1/meetings/${id}`));
    conforms('GET', '/api/v1/library', await c.get('/api/v1/library'));
    conforms('GET', '/api/v1/library', await anon.get('/api/v1/library'));
    conforms('POST', '/api/v1/library', await c.request('POST', '/api/v1/library', { body: Buffer.from('not a document'), headers: { 'Content-Type': 'application/octet-stream' } }));
  });

  it('the served document is this file', async () => {
    const r = await S.client().get('/api/v1/openapi.json');
    conforms('GET', '/api/v1/openapi.json', r);
    assert.deepEqual(r.json, doc);
  });

  it('the validator used above catches mismatches (it is not vacuous)', () => {
    assert.notDeepEqual(validate({ $ref: '#/components/schemas/Org' }, { code: 'x' }), []);
    assert.notDeepEqual(validate({ $ref: '#/components/schemas/Me' }, { id: '1' }), []);
    assert.notDeepEqual(validate({ $ref: '#/components/schemas/Error' }, { error: { code: 'x', message: 'y' } }), []);
  });
});
