// Sessions: login, the cookie, /me, logout, rotation, throttling, and the
// audit of logins. Expiry has its own servers in session-expiry.test.mjs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, useServer } from './helpers.mjs';

const S = useServer({
  users: [
    { username: 'throttled-user', role: 'operator', org: 'cremona' },
    { username: 'rotating-user', role: 'teacher', org: 'cremona' },
    { username: 'form-throttled', role: 'editor', org: 'cremona' },
  ],
});

const pw = (u) => S.accounts.get(u).password;

/** The admin's view of the audit for `query` (a query string without '?'). */
async function audit(query) {
  const a = await S.login('demo-admin');
  const r = await a.get(`/api/v1/audit?limit=500&${query}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

describe('POST /api/v1/session', () => {
  it('logs in: 200 with csrf_token and the user, and a session cookie (HttpOnly, SameSite, Path=/)', async () => {
    const c = S.client();
    const r = await c.login('demo-coordinator', pw('demo-coordinator'));
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json; charset=utf-8/);
    assert.equal(typeof r.json.csrf_token, 'string');
    assert.ok(r.json.csrf_token.length >= 32);
    const u = r.json.user;
    assert.equal(u.username, 'demo-coordinator');
    assert.equal(u.role, 'coordinator');
    assert.equal(u.org.code, 'cremona');
    assert.equal(typeof u.org.name, 'string');
    assert.equal(typeof u.id, 'number');
    const sc = r.setCookies.find((x) => x.name === 'li_session');
    assert.ok(sc, 'li_session cookie');
    assert.ok(sc.value.length >= 43, 'a 256-bit token');
    assert.equal(sc.attrs.httponly, true);
    assert.match(String(sc.attrs.samesite), /^(Lax|Strict)$/i);
    assert.equal(sc.attrs.path, '/');
    assert.equal(sc.attrs.secure, undefined, 'no Secure flag over plain HTTP');
    assert.ok(Number(sc.attrs['max-age']) > 0);
    assert.ok(!r.text.includes(sc.value), 'the token is not in the body');
    assert.ok(!r.text.includes(pw('demo-coordinator')), 'the password is not echoed');
  });

  it('answers the same 401 for a wrong password and for an unknown user, with no cookie', async () => {
    const c = S.client();
    const wrong = await c.login('demo-operator', 'not-the-password-at-all');
    const e1 = assertError(wrong, 401);
    const unknown = await c.login('nobody-here', 'not-the-password-at-all');
    const e2 = assertError(unknown, 401);
    assert.equal(e1.code, e2.code);
    assert.equal(e1.message, e2.message);
    assert.equal(e1.field, e2.field);
    assert.equal(wrong.setCookies.filter((x) => x.name === 'li_session').length, 0);
    assert.equal(unknown.setCookies.filter((x) => x.name === 'li_session').length, 0);
    assertError(await c.get('/api/v1/me'), 401);
  });

  it('refuses a login with the right password but another case of the username', async () => {
    const r = await S.client().login('DEMO-OPERATOR', pw('demo-operator'));
    assertError(r, 401);
  });

  it('validates the body: missing fields 422 naming them, unknown fields 422, wrong types 422', async () => {
    const c = S.client();
    assertError(await c.post('/api/v1/session', { password: 'x' }), 422, { field: 'username' });
    assertError(await c.post('/api/v1/session', { username: 'demo-operator' }), 422, { field: 'password' });
    assertError(await c.post('/api/v1/session', { username: 'demo-operator', password: 'x', remember: true }), 422, {
      code: 'unknown_field',
      field: 'remember',
    });
    assertError(await c.post('/api/v1/session', { username: 42, password: 'x' }), 422, { field: 'username' });
    assertError(
      await c.post('/api/v1/session', { username: 'demo-operator', password: 'x'.repeat(129) }),
      422,
      { field: 'password' },
    );
  });

  it('refuses a form-encoded login (415): a cross-site form cannot log a victim in', async () => {
    const c = S.client();
    const a = S.accounts.get('demo-operator');
    for (const ct of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const r = await c.request('POST', '/api/v1/session', {
        body: JSON.stringify({ username: a.username, password: a.password }),
        headers: { 'Content-Type': ct },
      });
      // A multipart body is read by the form parser before any route: this one
      // has no such boundary, so it is refused as a malformed form (400).
      if (ct.startsWith('multipart/')) assertError(r, 400, { code: 'bad_form' });
      else assertError(r, 415);
      assert.equal(r.setCookies.filter((x) => x.name === 'li_session').length, 0);
    }
  });

  it('does not adopt a session token chosen by the client (no fixation)', async () => {
    const c = S.client();
    const planted = 'A'.repeat(43);
    c.cookies.set('li_session', planted);
    const r = await c.login('demo-mediator', pw('demo-mediator'));
    assert.equal(r.status, 200, r.text);
    assert.notEqual(c.cookie('li_session'), planted);
    const other = S.client();
    other.cookies.set('li_session', planted);
    assertError(await other.get('/api/v1/me'), 401);
  });

  it('is recorded in the audit as login.success with the request id', async () => {
    const c = S.client();
    const r = await c.login('demo-translator', pw('demo-translator'));
    assert.equal(r.status, 200);
    const rid = r.headers.get('x-request-id');
    const items = await audit('action=login.success&user=demo-translator');
    const e = items.find((x) => x.request_id === rid);
    assert.ok(e, 'login.success entry with this request id');
    assert.equal(e.username, 'demo-translator');
    assert.equal(e.object_kind, 'user');
    assert.equal(e.object_id, String(r.json.user.id));
    assert.equal(e.org, 'cremona');
    assert.equal(e.ip, '127.0.0.1');
  });

  it('records failures in the audit, for known and unknown names, without the password', async () => {
    const c = S.client();
    const secret = 'Wrong-But-Secret-Guess-77';
    const known = await c.login('demo-editor', secret);
    assertError(known, 401);
    const unknown = await c.login('ghost-account', secret);
    assertError(unknown, 401);
    const items = await audit('action=login.failure');
    const k = items.find((x) => x.request_id === known.headers.get('x-request-id'));
    assert.ok(k, 'failure on a known account is audited');
    const userId = (await (await S.login('demo-admin')).get('/api/v1/users?limit=200')).json.items.find(
      (u) => u.username === 'demo-editor',
    ).id;
    assert.equal(k.object_id, String(userId));
    const u = items.find((x) => x.request_id === unknown.headers.get('x-request-id'));
    assert.ok(u, 'failure on an unknown name is audited');
    assert.ok(!JSON.stringify(items).includes(secret), 'no password in the audit');
  });
});

describe('GET /api/v1/me', () => {
  it('returns the user, role, organisation and CSRF token', async () => {
    const c = await S.login('demo-operator');
    const r = await c.get('/api/v1/me');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json).sort(), ['csrf_token', 'display_name', 'id', 'org', 'role', 'username']);
    assert.equal(r.json.username, 'demo-operator');
    assert.equal(r.json.role, 'operator');
    assert.deepEqual(Object.keys(r.json.org).sort(), ['code', 'name']);
    assert.equal(r.json.org.code, 'cremona');
    assert.equal(r.json.csrf_token, c.csrf);
  });

  it('answers 401 without a session, and with a malformed or unknown token', async () => {
    const c = S.client();
    assertError(await c.get('/api/v1/me'), 401, { code: 'unauthenticated' });
    c.cookies.set('li_session', 'garbage');
    assertError(await c.get('/api/v1/me'), 401);
    c.cookies.set('li_session', 'x'.repeat(43));
    assertError(await c.get('/api/v1/me'), 401);
    c.cookies.set('li_session', 'x'.repeat(5000));
    assert.ok([400, 401, 413, 431].includes((await c.get('/api/v1/me')).status));
  });

  it('refuses other methods with 405', async () => {
    const c = await S.login('demo-operator');
    assertError(await c.del('/api/v1/me'), 405, { code: 'method_not_allowed' });
    assertError(await c.post('/api/v1/me', {}), 405);
  });
});

describe('DELETE /api/v1/session', () => {
  it('logs out: 204, the cookie is cleared, the token no longer works, and it is audited', async () => {
    const c = await S.login('demo-mediator');
    const token = c.cookie('li_session');
    const r = await c.del('/api/v1/session');
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    const cleared = r.setCookies.find((x) => x.name === 'li_session');
    assert.ok(cleared, 'cookie cleared');
    assert.ok(cleared.value === '' || cleared.attrs['max-age'] === '0');
    const replay = S.client();
    replay.cookies.set('li_session', token);
    assertError(await replay.get('/api/v1/me'), 401);
    const items = await audit('action=logout&user=demo-mediator');
    assert.ok(items.some((x) => x.request_id === r.headers.get('x-request-id')), 'logout audited');
  });

  it('needs a session (401) and the CSRF token (403)', async () => {
    assertError(await S.client().del('/api/v1/session'), 401);
    const c = await S.login('demo-mediator');
    assertError(await c.del('/api/v1/session', { csrf: false }), 403, { code: 'csrf' });
    assertError(await c.del('/api/v1/session', { csrf: 'x'.repeat(43) }), 403, { code: 'csrf' });
    assert.equal((await c.get('/api/v1/me')).status, 200, 'still logged in');
  });
});

describe('rotation', () => {
  it('a new login from the same browser ends the old session and gives a new token and CSRF token', async () => {
    const c = await S.login('rotating-user');
    const oldToken = c.cookie('li_session');
    const oldCsrf = c.csrf;
    const r = await c.login('rotating-user', pw('rotating-user'));
    assert.equal(r.status, 200);
    assert.notEqual(c.cookie('li_session'), oldToken);
    assert.notEqual(c.csrf, oldCsrf);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const old = S.client();
    old.cookies.set('li_session', oldToken);
    assertError(await old.get('/api/v1/me'), 401);
  });

  it('a login as someone else from the same browser also ends the old session', async () => {
    const c = await S.login('rotating-user');
    const oldToken = c.cookie('li_session');
    assert.equal((await c.login('demo-teacher', pw('demo-teacher'))).status, 200);
    assert.equal((await c.get('/api/v1/me')).json.username, 'demo-teacher');
    const old = S.client();
    old.cookies.set('li_session', oldToken);
    assertError(await old.get('/api/v1/me'), 401);
  });

  it('sessions in two browsers are independent', async () => {
    const a = await S.login('rotating-user');
    const b = await S.login('rotating-user');
    assert.notEqual(a.cookie('li_session'), b.cookie('li_session'));
    assert.equal((await a.get('/api/v1/me')).status, 200);
    assert.equal((await b.get('/api/v1/me')).status, 200);
    assert.equal((await a.del('/api/v1/session')).status, 204);
    assert.equal((await b.get('/api/v1/me')).status, 200);
  });
});

describe('throttling', () => {
  it('after 10 failures an account gets 429 with Retry-After, even with the right password; it is audited', async () => {
    const c = S.client();
    const user = 'throttled-user';
    for (let i = 0; i < 10; i++) {
      assertError(await c.login(user, `wrong-password-number-${i}`), 401);
    }
    const throttled = await c.login(user, 'wrong-password-again-x');
    assertError(throttled, 429, { code: 'too_many_attempts' });
    const ra = Number(throttled.headers.get('retry-after'));
    assert.ok(Number.isInteger(ra) && ra >= 1 && ra <= 40, `Retry-After ${throttled.headers.get('retry-after')}`);
    const right = await c.login(user, pw(user));
    assertError(right, 429);
    assert.ok(Number(right.headers.get('retry-after')) >= 1);
    assert.equal(right.setCookies.filter((x) => x.name === 'li_session').length, 0);
    assertError(await c.get('/api/v1/me'), 401);

    // Other accounts from the same address are not affected.
    assert.equal((await c.login('demo-operator', pw('demo-operator'))).status, 200);

    const items = await audit('action=login.throttled');
    const rids = new Set(items.map((x) => x.request_id));
    assert.ok(rids.has(throttled.headers.get('x-request-id')), 'throttled attempt audited');
    assert.ok(rids.has(right.headers.get('x-request-id')), 'throttled right-password attempt audited');
    const failures = await audit('action=login.failure');
    const users = (await (await S.login('demo-admin')).get('/api/v1/users?limit=200')).json.items;
    const id = String(users.find((u) => u.username === user).id);
    assert.ok(failures.filter((x) => x.object_id === id).length >= 10, 'the 10 failures are audited');
  });

  it('the login form is throttled too (429 page with Retry-After)', async () => {
    const user = 'form-throttled';
    const c = S.client();
    for (let i = 0; i < 10; i++) assertError(await c.login(user, `wrong-form-password-${i}`), 401);
    const page = await c.get('/login');
    assert.equal(page.status, 200);
    const token = c.cookie('li_pre');
    assert.ok(token, 'li_pre cookie');
    const body = new URLSearchParams({ _csrf: token, username: user, password: pw(user), next: '/app' });
    const r = await c.request('POST', '/login', {
      body: body.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 429);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
    assert.equal(c.cookie('li_session'), undefined);
  });
});
