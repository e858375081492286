// One-time passwords (security review, item 6): a password an admin sets,
// creating an account or resetting one, must be replaced at the first login;
// until then the session can do nothing else (the API answers 403
// password_change_required, pages send to /account/password). The owner is
// told by e-mail through the outbox, and giving a personal-data role (or
// resetting the password of an account holding one) shows in the district
// coordinators' audit log. Accounts made on the command line are not one-time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, strongPassword, useServer } from './helpers.mjs';

const C = {};
const S = useServer(
  { users: [{ username: 'coord-luino', role: 'coordinator', org: 'luino' }] },
  async (srv) => {
    for (const u of ['demo-admin', 'demo-coordinator', 'coord-luino']) C[u] = await srv.login(u);
  },
);

const FORM_CT = { 'Content-Type': 'application/x-www-form-urlencoded' };
let seq = 0;
const name = (p) => `${p}-${process.pid % 1000}-${++seq}`;

/** Creates an account as demo-admin; returns {id, username, password}. */
async function create(fields = {}) {
  const body = { username: name('otp'), password: strongPassword(), role: 'operator', org: 'cremona', ...fields };
  const r = await C['demo-admin'].post('/api/v1/users', body);
  assert.equal(r.status, 201, r.text);
  return { id: r.json.id, username: body.username, password: body.password, email: body.email };
}

/** Audit entries `action` about account `id` as `who` sees them. */
async function auditOf(who, action, id) {
  const r = await C[who].get(`/api/v1/audit?action=${action}&limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((e) => e.object_id === String(id));
}

describe('a password an admin set is one-time', () => {
  it('the first login says so, and the session can do nothing but replace it or log out', async () => {
    const u = await create();
    const c = S.client();
    const login = await c.login(u.username, u.password);
    assert.equal(login.status, 200, login.text);
    assert.equal(login.json.password_change_required, true);
    for (const p of ['/api/v1/me', '/api/v1/orgs', '/api/v1/persons', '/api/v1/audit']) {
      assertError(await c.get(p), 403, { code: 'password_change_required' });
    }
    assertError(await c.post('/api/v1/outbox/test', { to: 'x@example.org' }), 403, { code: 'password_change_required' });
    for (const p of ['/app', '/admin/users', '/audit']) {
      const r = await c.get(p);
      assert.equal(r.status, 303, p);
      assert.equal(r.headers.get('location'), '/account/password');
    }
    const page = await c.get('/account/password');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="password-form"/);
    assert.match(page.text, /id="password-required"/);
    assert.equal((await c.del('/api/v1/session')).status, 204, 'logging out is allowed');
  });

  it('replacing it over the API: the current password must be right, the new one good and different', async () => {
    const u = await create();
    const c = S.client();
    await c.login(u.username, u.password);
    const fresh = strongPassword();
    assertError(await c.post('/api/v1/me/password', { current_password: 'wrong-wrong-wrong', new_password: fresh }), 422, { field: 'current_password' });
    assertError(await c.post('/api/v1/me/password', { current_password: u.password, new_password: u.password }), 422, { field: 'new_password' });
    assertError(await c.post('/api/v1/me/password', { current_password: u.password, new_password: 'password1234' }), 422, { field: 'new_password' });
    assertError(await c.post('/api/v1/me/password', { current_password: u.password, new_password: fresh, x: 1 }), 422, { field: 'x' });
    assertError(await c.post('/api/v1/me/password', { current_password: u.password, new_password: fresh }, { csrf: false }), 403, { code: 'csrf' });
    const other = S.client();
    assert.equal((await other.login(u.username, u.password)).status, 200);
    const r = await c.post('/api/v1/me/password', { current_password: u.password, new_password: fresh });
    assert.equal(r.status, 204, r.text);
    assert.equal((await c.get('/api/v1/me')).status, 200, 'the session goes on, unrestricted');
    assertError(await other.get('/api/v1/me'), 401); // the other session ended
    assertError(await S.client().login(u.username, u.password), 401);
    const again = await S.client().login(u.username, fresh);
    assert.equal(again.status, 200);
    assert.equal(again.json.password_change_required, false, 'a password the owner chose is lasting');
    const audit = await auditOf('demo-admin', 'user.password_change', u.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].username, u.username);
    assert.ok(!JSON.stringify(audit).includes(fresh));
  });

  it('replacing it through the page: a form login lands on the form, which then opens the workspace', async () => {
    const c = S.client();
    const page = await C['demo-admin'].get('/admin/users');
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
    const username = name('page');
    const password = strongPassword();
    const made = await C['demo-admin'].request('POST', '/admin/users', {
      body: new URLSearchParams({ _csrf: csrf, username, password, role: 'teacher', org: 'cremona' }).toString(),
      headers: FORM_CT,
      csrf: false,
    });
    assert.equal(made.status, 303, made.text.slice(0, 300));
    await c.get('/login');
    const login = await c.request('POST', '/login', {
      body: new URLSearchParams({ _csrf: c.cookie('li_pre'), username, password, next: '/app' }).toString(),
      headers: FORM_CT,
      csrf: false,
    });
    assert.equal(login.status, 303);
    const app = await c.get('/app');
    assert.equal(app.status, 303);
    assert.equal(app.headers.get('location'), '/account/password');
    const formPage = await c.get('/account/password');
    const token = formPage.text.match(/name="_csrf" value="([^"]+)"/)[1];
    const fresh = strongPassword();
    const send = (o) => c.request('POST', '/account/password', { body: new URLSearchParams({ _csrf: token, ...o }).toString(), headers: FORM_CT, csrf: false });
    const mismatch = await send({ current_password: password, new_password: fresh, new_password_again: `${fresh}x` });
    assert.equal(mismatch.status, 422);
    assert.match(mismatch.text, /id="form-error"/);
    assert.ok(!mismatch.text.includes(fresh), 'passwords are not echoed');
    const wrong = await send({ current_password: 'not-the-password', new_password: fresh, new_password_again: fresh });
    assert.equal(wrong.status, 422);
    assert.equal((await c.get('/app')).status, 303, 'still one-time after the failures');
    const ok = await send({ current_password: password, new_password: fresh, new_password_again: fresh });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/app');
    assert.equal((await c.get('/app')).status, 200);
  });

  it('a reset by an admin is one-time again, and ends the sessions', async () => {
    const u = await create({ role: 'coordinator', org: 'cremona', email: 'coord.reset@example.org' });
    const c = S.client();
    await c.login(u.username, u.password);
    const own = strongPassword();
    assert.equal((await c.post('/api/v1/me/password', { current_password: u.password, new_password: own })).status, 204);
    const reset = strongPassword();
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { password: reset });
    assert.equal(r.status, 200, r.text);
    assertError(await c.get('/api/v1/me'), 401);
    const again = S.client();
    const login = await again.login(u.username, reset);
    assert.equal(login.json.password_change_required, true);
    assertError(await again.get('/api/v1/persons'), 403, { code: 'password_change_required' });
  });

  it('accounts of the command line (demo, user add) are not one-time', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'coord-luino']) {
      const c = S.client();
      const r = await c.login(who, S.accounts.get(who).password);
      assert.equal(r.json.password_change_required, false, who);
      assert.equal((await c.get('/api/v1/me')).status, 200);
    }
  });
});

describe('the owner is told by e-mail', () => {
  it('on creation and on reset, through the outbox, when the account has an address', async () => {
    const u = await create({ email: 'owner.told@example.org' });
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { password: strongPassword() });
    assert.equal(r.status, 200);
    const out = (await C['demo-admin'].get('/api/v1/outbox?limit=200')).json.items;
    const told = out.filter((m) => m.to === 'owner.told@example.org' && m.kind === 'user.password');
    assert.equal(told.length, 2, JSON.stringify(out.slice(0, 5)));
    for (const m of told) assert.equal(m.ref, String(u.id));
    const silent = await create();
    await C['demo-admin'].patch(`/api/v1/users/${silent.id}`, { password: strongPassword() });
    const after = (await C['demo-admin'].get('/api/v1/outbox?limit=200')).json.items;
    assert.ok(!after.some((m) => m.kind === 'user.password' && m.ref === String(silent.id)), 'nothing without an address');
  });
});

describe("the district's coordinators see personal-data roles given", () => {
  it('creating an operator, coordinator or mediator in cremona (or below) shows in the cremona coordinator\'s audit', async () => {
    for (const [role, org] of [['operator', 'cremona'], ['coordinator', 'cremona'], ['mediator', 'cpia-cremona']]) {
      const u = await create({ role, org });
      const seen = await auditOf('demo-coordinator', 'user.grant', u.id);
      assert.equal(seen.length, 1, `${role} at ${org}`);
      assert.equal(seen[0].org, 'cremona', 'tied to the district');
      assert.equal(seen[0].detail, role);
      assert.equal(seen[0].username, 'demo-admin');
      assert.equal((await auditOf('coord-luino', 'user.grant', u.id)).length, 0, 'not shown to another district');
    }
  });

  it('roles without personal data are not announced', async () => {
    const u = await create({ role: 'teacher' });
    assert.equal((await auditOf('demo-admin', 'user.grant', u.id)).length, 0);
  });

  it("resetting a coordinator's password shows too", async () => {
    const u = await create({ role: 'coordinator', org: 'cremona' });
    const r = await C['demo-admin'].patch(`/api/v1/users/${u.id}`, { password: strongPassword() });
    assert.equal(r.status, 200);
    const seen = await auditOf('demo-coordinator', 'user.password_reset', u.id);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].org, 'cremona');
    assert.equal((await auditOf('coord-luino', 'user.password_reset', u.id)).length, 0);
  });
});
