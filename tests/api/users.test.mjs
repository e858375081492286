// /api/v1/users (admin only, scoped to the admin's subtree): create, list,
// get, update, deactivation and password change ending sessions, the password
// and username rules, conflicts, and the denials. (One-time passwords set by
// an admin: one-time-password.test.mjs.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, listAll, strongPassword, useServer } from './helpers.mjs';

const USER_FIELDS = ['active', 'created_at', 'display_name', 'email', 'id', 'last_login_at', 'org', 'org_name', 'role', 'username'].sort();

const C = {};
const ID = {}; // username -> id, as the region admin sees them
const S = useServer(
  {
    users: [
      { username: 'admin-cremona', role: 'admin', org: 'cremona' },
      { username: 'admin-luino', role: 'admin', org: 'luino' },
      { username: 'coord-luino', role: 'coordinator', org: 'luino' },
      { username: 'oper-luino', role: 'operator', org: 'luino' },
    ],
  },
  async (srv) => {
    for (const u of ['demo-admin', 'demo-region', 'demo-coordinator', 'demo-operator', 'demo-mediator', 'admin-cremona', 'admin-luino']) {
      C[u] = await srv.login(u);
    }
    await refreshIds();
  },
);

async function refreshIds() {
  const r = await C['demo-admin'].get('/api/v1/users?limit=200');
  assert.equal(r.status, 200, r.text);
  for (const u of r.json.items) ID[u.username] = u.id;
}

let seq = 0;
const uniqueName = (p = 'user') => `${p}-${process.pid % 1000}-${++seq}`;

/** Creates a user through the API as `who`; asserts 201. */
async function create(who, fields = {}) {
  const body = { username: uniqueName(), password: strongPassword(), role: 'operator', org: 'cremona', ...fields };
  const r = await C[who].post('/api/v1/users', body);
  assert.equal(r.status, 201, r.text);
  return { ...r.json, password: body.password };
}

describe('POST /api/v1/users', () => {
  it('an admin creates an account: 201 with the user (never the password), who can then log in', async () => {
    const password = strongPassword();
    const body = {
      username: 'nuovo.operatore_1',
      password,
      role: 'operator',
      org: 'cpia-cremona',
      display_name: 'Nuovo Operatore',
      email: 'operatore@example.org',
    };
    const r = await C['demo-admin'].post('/api/v1/users', body);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), USER_FIELDS);
    assert.equal(typeof r.json.id, 'number');
    assert.equal(r.json.username, body.username);
    assert.equal(r.json.role, 'operator');
    assert.equal(r.json.org, 'cpia-cremona');
    assert.equal(typeof r.json.org_name, 'string');
    assert.equal(r.json.display_name, 'Nuovo Operatore');
    assert.equal(r.json.email, 'operatore@example.org');
    assert.equal(r.json.active, true);
    assert.equal(r.json.last_login_at, null);
    assert.equal(typeof r.json.created_at, 'number');
    assert.ok(!r.text.includes(password), 'no password in the answer');
    assert.ok(!/argon2|password/i.test(Object.keys(r.json).join(' ')), 'no password hash field');
    const c = S.client();
    const login = await c.login(body.username, password);
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.password_change_required, true, 'a password an admin set is one-time');
    const own = strongPassword();
    const changed = await c.post('/api/v1/me/password', { current_password: password, new_password: own });
    assert.equal(changed.status, 204, changed.text);
    const me = (await c.get('/api/v1/me')).json;
    assert.equal(me.role, 'operator');
    assert.equal(me.org.code, 'cpia-cremona');
    assert.equal(me.display_name, 'Nuovo Operatore');
    const audit = (await C['demo-admin'].get('/api/v1/audit?action=user.create&limit=50')).json.items;
    const e = audit.find((x) => x.request_id === r.headers.get('x-request-id'));
    assert.ok(e, 'user.create audited');
    assert.equal(e.object_id, String(r.json.id));
    assert.ok(!JSON.stringify(audit).includes(password), 'no password in the audit');
  });

  it('accepts every role', async () => {
    for (const role of ['admin', 'region', 'coordinator', 'operator', 'mediator', 'teacher', 'editor', 'translator']) {
      const u = await create('demo-admin', { role, org: role === 'region' ? 'lombardia' : 'cremona' });
      assert.equal(u.role, role);
    }
  });

  it("defaults the organisation to the admin's own", async () => {
    const body = { username: uniqueName('noorg'), password: strongPassword(), role: 'teacher' };
    const r = await C['admin-cremona'].post('/api/v1/users', body);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.org, 'cremona');
  });

  it('enforces the password policy with 422 on password (and creates nothing)', async () => {
    const a = C['demo-admin'];
    const cases = [
      ['short-pw-1', 'Short-pw-1'],
      ['common-1', 'password1234'],
      ['common-2', 'Password1234'],
      ['common-3', 'qwertyuiop123'],
      ['repeated', 'aaaaaaaaaaaaaaaa'],
      ['sequence', '123456789012'],
      ['has-name-1', 'xx-has-name-1-yy-Zq9'],
      ['has-name-2', 'XX-HAS-NAME-2-yy-Zq9'],
      ['too-long-pw', 'Ab1-'.repeat(33) /* 132 characters */],
      ['empty-pw', ''],
    ];
    for (const [username, password] of cases) {
      const r = await a.post('/api/v1/users', { username, password, role: 'operator', org: 'cremona' });
      assertError(r, 422, { field: 'password' });
    }
    const r = await a.post('/api/v1/users', { username: 'no-pw', role: 'operator', org: 'cremona' });
    assertError(r, 422, { field: 'password' });
    const all = (await a.get('/api/v1/users?limit=200')).json.items.map((u) => u.username);
    for (const [username] of cases) assert.ok(!all.includes(username), `${username} not created`);
  });

  it('counts characters, not bytes: 12 accented letters pass, 11 do not', async () => {
    const a = C['demo-admin'];
    const ok = await a.post('/api/v1/users', { username: uniqueName('utf'), password: 'àèìòùÀÈÌÒÙçß', role: 'operator', org: 'cremona' });
    assert.equal(ok.status, 201, ok.text);
    const short = await a.post('/api/v1/users', { username: uniqueName('utf'), password: 'àèìòùÀÈÌÒÙç', role: 'operator', org: 'cremona' });
    assertError(short, 422, { field: 'password' });
  });

  it('enforces the username rules with 422 on username', async () => {
    const a = C['demo-admin'];
    for (const username of ['ab', 'Upper', '1digit-first', '-dash-first', 'has space', 'accentè', 'semi;colon', 'a'.repeat(65), '', 'user@example']) {
      const r = await a.post('/api/v1/users', { username, password: strongPassword(), role: 'operator', org: 'cremona' });
      assertError(r, 422, { field: 'username' });
    }
    for (const username of ['abc', 'a.b-c_d9', `a${'b'.repeat(63)}`]) {
      const r = await a.post('/api/v1/users', { username, password: strongPassword(), role: 'operator', org: 'cremona' });
      assert.equal(r.status, 201, `${username}: ${r.text}`);
    }
  });

  it('refuses a taken username with 409 on username, also when the holder is outside the admin\'s scope', async () => {
    assertError(
      await C['demo-admin'].post('/api/v1/users', { username: 'demo-operator', password: strongPassword(), role: 'operator', org: 'cremona' }),
      409,
      { field: 'username' },
    );
    assertError(
      await C['admin-cremona'].post('/api/v1/users', { username: 'coord-luino', password: strongPassword(), role: 'operator' }),
      409,
      { field: 'username' },
    );
  });

  it('validates role, org, email, display_name and unknown fields with 422 naming the field', async () => {
    const a = C['demo-admin'];
    const base = () => ({ username: uniqueName('val'), password: strongPassword(), role: 'operator', org: 'cremona' });
    const cases = [
      [{ role: 'superuser' }, 'role'],
      [{ role: 'Admin' }, 'role'],
      [{ role: '' }, 'role'],
      [{ role: undefined }, 'role'],
      [{ role: 3 }, 'role'],
      [{ org: 'no-such-org' }, 'org'],
      [{ org: 12 }, 'org'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'a b@example.org' }, 'email'],
      [{ email: `${'e'.repeat(250)}@x.org` }, 'email'],
      [{ display_name: 'd'.repeat(121) }, 'display_name'],
      [{ display_name: 'tab\u0000nul' }, 'display_name'],
      [{ active: false }, 'active'],
      [{ is_admin: true }, 'is_admin'],
    ];
    for (const [patch, field] of cases) {
      const body = { ...base(), ...patch };
      for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
      const r = await a.post('/api/v1/users', body);
      if (field === 'display_name' && r.status === 400) continue; // a NUL escape may be refused by the parser
      assertError(r, 422, { field });
    }
  });

  it('a district admin can only place accounts in its own subtree (422 on org elsewhere)', async () => {
    const a = C['admin-cremona'];
    for (const org of ['luino', 'comune-luino-udp', 'lombardia', 'ismu']) {
      const username = uniqueName('elsewhere');
      const r = await a.post('/api/v1/users', { username, password: strongPassword(), role: 'admin', org });
      assertError(r, 422, { field: 'org' });
      await refreshIds();
      assert.equal(ID[username], undefined, 'not created');
    }
    const ok = await a.post('/api/v1/users', { username: uniqueName('inside'), password: strongPassword(), role: 'mediator', org: 'cpia-cremona' });
    assert.equal(ok.status, 201, ok.text);
  });

  it('refuses non-admins with 403 and creates nothing', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region', 'demo-mediator']) {
      const username = uniqueName('by-nonadmin');
      const r = await C[who].post('/api/v1/users', { username, password: strongPassword(), role: 'admin', org: 'cremona' });
      assertError(r, 403, { code: 'forbidden' });
      await refreshIds();
      assert.equal(ID[username], undefined);
    }
  });

  it('answers 401 without a session', async () => {
    const r = await S.client().post('/api/v1/users', { username: 'anon-made', password: strongPassword(), role: 'admin', org: 'cremona' });
    assertError(r, 401);
  });
});

describe('GET /api/v1/users', () => {
  it('the region admin lists every account with the documented fields', async () => {
    const r = await C['demo-admin'].get('/api/v1/users?limit=200');
    assert.equal(r.status, 200);
    assert.ok(Array.isArray(r.json.items));
    assert.ok('next_cursor' in r.json);
    const names = r.json.items.map((u) => u.username);
    for (const n of ['demo-admin', 'demo-operator', 'coord-luino', 'admin-cremona']) assert.ok(names.includes(n), n);
    for (const u of r.json.items) assert.deepEqual(Object.keys(u).sort(), USER_FIELDS);
    assert.ok(!/password|hash/i.test(r.text));
  });

  it("a district admin lists only its subtree's accounts", async () => {
    const names = (await listAll(C['admin-cremona'], '/api/v1/users', 50)).map((u) => u.username);
    assert.ok(names.includes('demo-operator'));
    assert.ok(names.includes('admin-cremona'));
    for (const n of ['coord-luino', 'oper-luino', 'admin-luino', 'demo-admin', 'demo-region']) assert.ok(!names.includes(n), n);
    const luino = (await listAll(C['admin-luino'], '/api/v1/users', 50)).map((u) => u.username);
    assert.deepEqual(luino.sort(), ['admin-luino', 'coord-luino', 'oper-luino']);
  });

  it('pagination with limit/cursor covers every account exactly once', async () => {
    const full = (await C['demo-admin'].get('/api/v1/users?limit=200')).json.items.map((u) => u.id);
    for (const limit of [1, 3, 10]) {
      const paged = (await listAll(C['demo-admin'], '/api/v1/users', limit)).map((u) => u.id);
      assert.deepEqual(paged, full);
      assert.equal(new Set(paged).size, paged.length);
    }
    assertError(await C['demo-admin'].get('/api/v1/users?limit=0'), 422, { field: 'limit' });
    assertError(await C['demo-admin'].get('/api/v1/users?limit=201'), 422, { field: 'limit' });
    assertError(await C['demo-admin'].get('/api/v1/users?cursor=x'), 422, { field: 'cursor' });
  });

  it('refuses non-admins with 403 (coordinator, operator, region)', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region', 'demo-mediator']) {
      assertError(await C[who].get('/api/v1/users'), 403, { code: 'forbidden' });
    }
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().get('/api/v1/users'), 401);
  });
});

describe('GET /api/v1/users/{id}', () => {
  it('returns one account, the same as in the list', async () => {
    const list = (await C['demo-admin'].get('/api/v1/users?limit=200')).json.items;
    const one = list.find((u) => u.username === 'demo-operator');
    const r = await C['demo-admin'].get(`/api/v1/users/${one.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, one);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const id of ['999999', '0', '-1', 'abc', '1.5', '1e2', '99999999999999999999999']) {
      assertError(await C['demo-admin'].get(`/api/v1/users/${id}`), 404);
    }
  });

  it('answers 404 for accounts outside a district admin\'s subtree (other district, region)', async () => {
    for (const n of ['coord-luino', 'admin-luino', 'demo-admin', 'demo-region']) {
      assertError(await C['admin-cremona'].get(`/api/v1/users/${ID[n]}`), 404, { code: 'not_found' });
    }
    assertError(await C['admin-luino'].get(`/api/v1/users/${ID['demo-operator']}`), 404);
    assert.equal((await C['admin-cremona'].get(`/api/v1/users/${ID['demo-operator']}`)).status, 200);
  });

  it('refuses non-admins with 403, even for themselves', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region']) {
      assertError(await C[who].get(`/api/v1/users/${ID[who]}`), 403);
      assertError(await C[who].get(`/api/v1/users/${ID['demo-admin']}`), 403);
    }
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().get(`/api/v1/users/${ID['demo-admin']}`), 401);
  });
});

describe('PATCH /api/v1/users/{id}', () => {
  it('updates display_name and email; absent fields are kept; audited', async () => {
    const u = await create('demo-admin', { display_name: 'Prima', email: 'prima@example.org' });
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { display_name: 'Dopo' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.display_name, 'Dopo');
    assert.equal(r.json.email, 'prima@example.org');
    const r2 = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { email: 'dopo@example.org' });
    assert.equal(r2.json.email, 'dopo@example.org');
    assert.equal(r2.json.display_name, 'Dopo');
    assert.deepEqual((await C['demo-admin'].get(`/api/v1/users/${u.id}`)).json, r2.json);
    const audit = (await C['demo-admin'].get('/api/v1/audit?action=user.update&limit=50')).json.items;
    assert.ok(audit.some((x) => x.request_id === r.headers.get('x-request-id') && x.object_id === String(u.id)));
  });

  it('deactivating an account ends its sessions and refuses its logins; reactivating lets it back in', async () => {
    const u = await create('demo-admin');
    const c1 = S.client();
    assert.equal((await c1.login(u.username, u.password)).status, 200);
    const c2 = S.client();
    assert.equal((await c2.login(u.username, u.password)).status, 200);
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { active: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.active, false);
    assertError(await c1.get('/api/v1/me'), 401);
    assertError(await c2.get('/api/v1/me'), 401);
    assertError(await S.client().login(u.username, u.password), 401);
    const back = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { active: true });
    assert.equal(back.json.active, true);
    assert.equal((await S.client().login(u.username, u.password)).status, 200);
  });

  it('a new password ends the sessions; the old password no longer works, the new one does', async () => {
    const u = await create('demo-admin');
    const c = S.client();
    assert.equal((await c.login(u.username, u.password)).status, 200);
    const fresh = strongPassword();
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { password: fresh });
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.text.includes(fresh));
    assertError(await c.get('/api/v1/me'), 401);
    assertError(await S.client().login(u.username, u.password), 401);
    assert.equal((await S.client().login(u.username, fresh)).status, 200);
  });

  it('applies the password policy on change (422 on password) and keeps the old password', async () => {
    const u = await create('demo-admin');
    for (const password of ['short-1', 'password1234', `x-${u.username}-y-Zq9`, 'Ab1-'.repeat(33)]) {
      assertError(await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { password }), 422, { field: 'password' });
    }
    assert.equal((await S.client().login(u.username, u.password)).status, 200);
  });

  it('validates the other fields with 422 naming them; username, role and org cannot be changed here', async () => {
    const u = await create('demo-admin');
    for (const [body, field] of [
      [{ active: 'no' }, 'active'],
      [{ active: 0 }, 'active'],
      [{ display_name: 'd'.repeat(121) }, 'display_name'],
      [{ email: 'x'.repeat(255) }, 'email'],
      [{ username: 'renamed' }, 'username'],
      [{ role: 'admin' }, 'role'],
      [{ org: 'lombardia' }, 'org'],
      [{ id: 1 }, 'id'],
    ]) {
      assertError(await C['demo-admin'].patch(`/api/v1/users/${u.id}`, body), 422, { field });
    }
    const now = (await C['demo-admin'].get(`/api/v1/users/${u.id}`)).json;
    assert.equal(now.role, 'operator');
    assert.equal(now.username, u.username);
  });

  it('refuses an invalid e-mail on update too (422 on email)', async () => {
    const u = await create('demo-admin');
    assertError(await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { email: 'not-an-email' }), 422, { field: 'email' });
  });

  it('an admin cannot deactivate its own account (422 on active)', async () => {
    assertError(await C['admin-cremona'].patch(`/api/v1/users/${ID['admin-cremona']}`, { active: false }), 422, { field: 'active' });
    assert.equal((await C['admin-cremona'].get('/api/v1/me')).status, 200);
  });

  it("answers 404 for an account outside the admin's subtree, and changes nothing", async () => {
    const target = ID['coord-luino'];
    for (const body of [{ display_name: 'Hijacked' }, { active: false }, { password: strongPassword() }]) {
      assertError(await C['admin-cremona'].patch(`/api/v1/users/${target}`, body), 404, { code: 'not_found' });
    }
    assertError(await C['admin-cremona'].patch(`/api/v1/users/${ID['demo-admin']}`, { active: false }), 404);
    const u = (await C['demo-admin'].get(`/api/v1/users/${target}`)).json;
    assert.notEqual(u.display_name, 'Hijacked');
    assert.equal(u.active, true);
    assert.equal((await S.login('coord-luino')).constructor.name, 'Client', 'coord-luino can still log in');
  });

  it('answers 404 for an unknown id', async () => {
    assertError(await C['demo-admin'].patch('/api/v1/users/999999', { display_name: 'X' }), 404);
    assertError(await C['demo-admin'].patch('/api/v1/users/abc', { display_name: 'X' }), 404);
  });

  it('refuses non-admins with 403 (also on their own account) and changes nothing', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region']) {
      assertError(await C[who].patch(`/api/v1/users/${ID['demo-mediator']}`, { active: false }), 403, { code: 'forbidden' });
      assertError(await C[who].patch(`/api/v1/users/${ID[who]}`, { display_name: 'Self-made' }), 403);
    }
    assert.equal((await C['demo-mediator'].get('/api/v1/me')).status, 200, 'the mediator was not deactivated');
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().patch(`/api/v1/users/${ID['demo-operator']}`, { active: false }), 401);
  });
});

describe('GET /api/v1/outbox (an admin tool: the admin\'s scope applies)', () => {
  it('a district admin does not see e-mail queued by the region outside its district', async () => {
    const r = await C['demo-admin'].post('/api/v1/outbox/test', { to: 'regione-soltanto@example.org' });
    assert.equal(r.status, 202, r.text);
    const all = await C['demo-admin'].get('/api/v1/outbox?limit=200');
    assert.ok(all.json.items.some((m) => m.to === 'regione-soltanto@example.org'), 'the region admin sees it');
    const district = await C['admin-cremona'].get('/api/v1/outbox?limit=200');
    assert.equal(district.status, 200);
    assert.ok(
      !district.json.items.some((m) => m.to === 'regione-soltanto@example.org'),
      'a cremona admin must not read recipients of messages outside cremona',
    );
  });
});
