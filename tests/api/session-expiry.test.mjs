// Session expiry, on two servers with tiny limits: LABIMPACT_SESSION_IDLE=2
// (idle seconds) and LABIMPACT_SESSION_MAX=5 (absolute seconds). Sessions are
// opened first, then one wait lets them all expire; the waits are long enough
// for the server's whole-second clock. No timing is asserted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, serverSql, sleep, startServer } from './helpers.mjs';

let IDLE;
let ABS;
const c = {};

/** A form login through /login (li_pre double-submit). */
async function formLogin(client, username, password) {
  await client.get('/login');
  const body = new URLSearchParams({ _csrf: client.cookie('li_pre'), username, password, next: '/app' });
  return client.request('POST', '/login', {
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
}

before(async () => {
  [IDLE, ABS] = await Promise.all([
    startServer({ env: { LABIMPACT_SESSION_IDLE: '2' } }),
    startServer({ env: { LABIMPACT_SESSION_MAX: '5' } }),
  ]);
  // Each session works right after its login.
  const open = async (srv, name, username) => {
    c[name] = await srv.login(username);
    assert.equal((await c[name].get('/api/v1/me')).status, 200, `${name} works at first`);
  };
  await open(IDLE, 'api', 'demo-operator');
  await open(IDLE, 'page', 'demo-coordinator');
  await open(IDLE, 'relogin', 'demo-teacher');
  await open(IDLE, 'pub', 'demo-editor');
  await open(IDLE, 'form', 'demo-mediator');
  await open(ABS, 'abs', 'demo-admin');
  const a = ABS.accounts.get('demo-region');
  c.absCookie = (await ABS.client().login(a.username, a.password)).setCookies.find((x) => x.name === 'li_session');
  c.formToken = c.form.cookie('li_session');
  await sleep(3100); // limits are whole seconds: past 2 s idle for sure, not yet 5 s old
  // Used within the 30-minute idle limit, but the absolute limit still comes.
  await c.abs.get('/api/v1/me');
  await sleep(3100); // now more than 5 s since the login: the absolute limit is passed
});

after(async () => {
  await Promise.all([IDLE?.stop(), ABS?.stop()]);
});

describe('idle limit (LABIMPACT_SESSION_IDLE=2)', () => {
  it('an idle session expires: the API answers 401 session_expired, then a new login works', async () => {
    assertError(await c.api.get('/api/v1/me'), 401, { code: 'session_expired' });
    assertError(await c.api.get('/api/v1/me'), 401);
    c.api.cookies.delete('li_session');
    const a = IDLE.accounts.get('demo-operator');
    const again = await c.api.login(a.username, a.password);
    assert.equal(again.status, 200, again.text);
    assert.equal((await c.api.get('/api/v1/me')).status, 200);
  });

  it('a page with an expired session sends the browser to the login page', async () => {
    const r = await c.page.get('/app');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/login/);
  });

  it('an expired cookie does not stand in the way of logging in again (API)', async () => {
    // The browser still holds the expired cookie when it posts the login.
    const a = IDLE.accounts.get('demo-teacher');
    const r = await c.relogin.login(a.username, a.password);
    assert.equal(r.status, 200, `login with an expired cookie in the jar: ${r.status} ${r.text}`);
    assert.equal((await c.relogin.get('/api/v1/me')).status, 200);
  });

  it('an expired cookie does not stand in the way of public pages', async () => {
    const home = await c.pub.get('/');
    assert.equal(home.status, 200, `public home with an expired cookie: ${home.status} ${home.headers.get('location')}`);
  });

  it('an expired cookie does not stand in the way of the login form', async () => {
    const a = IDLE.accounts.get('demo-mediator');
    const r = await formLogin(c.form, a.username, a.password);
    assert.equal(r.status, 303, `form login with an expired cookie: ${r.status}`);
    assert.equal(r.headers.get('location'), '/app');
    assert.notEqual(c.form.cookie('li_session'), c.formToken);
    assert.equal((await c.form.get('/api/v1/me')).status, 200);
  });
});

describe('absolute limit (LABIMPACT_SESSION_MAX=5)', () => {
  it('the cookie lives no longer than the session', () => {
    assert.ok(c.absCookie, 'li_session set');
    assert.ok(Number(c.absCookie.attrs['max-age']) <= 5);
  });

  it('a session in use still ends at the absolute limit', async () => {
    assertError(await c.abs.get('/api/v1/me'), 401, { code: 'session_expired' });
  });

  it('a login removes the sessions past the absolute limit, also those whose cookie never comes back', async () => {
    // demo-region's session (c.absCookie) is past the limit and was never presented again.
    const user = ABS.accounts.get('demo-region').username.replaceAll("'", "''");
    const left = `SELECT COUNT(*) FROM session WHERE user_id = (SELECT id FROM app_user WHERE username = '${user}')`;
    assert.equal(await serverSql(ABS, left), '1', 'the expired session is still stored before the login');
    const a = ABS.accounts.get('demo-operator');
    const fresh = ABS.client();
    assert.equal((await fresh.login(a.username, a.password)).status, 200);
    assert.equal(await serverSql(ABS, left), '0', 'the session past the absolute limit is still stored');
    assert.equal((await fresh.get('/api/v1/me')).status, 200, 'the new session works');
  });
});
