// CSRF: every unsafe API endpoint refuses a request without X-CSRF-Token, with
// a wrong one, or with another session's token (403 "csrf"), changes nothing,
// and records access.denied. Unsafe pages need the _csrf form field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, strongPassword, useServer } from './helpers.mjs';

let admin;
let other; // another session, whose token must not work for the admin's cookie
let victimId;
const S = useServer({}, async (srv) => {
  admin = await srv.login('demo-admin');
  other = await srv.login('demo-coordinator');
  const users = (await admin.get('/api/v1/users?limit=200')).json.items;
  victimId = users.find((u) => u.username === 'demo-operator').id;
});

/** The unsafe API endpoints with a valid body each, and how to see that nothing changed. */
const cases = () => [
  {
    name: 'POST /api/v1/users',
    send: (o) =>
      admin.post(
        '/api/v1/users',
        { username: 'csrf-victim-user', password: strongPassword(), role: 'operator', org: 'cremona' },
        o,
      ),
    unchanged: async () => {
      const items = (await admin.get('/api/v1/users?limit=200')).json.items;
      assert.ok(!items.some((u) => u.username === 'csrf-victim-user'), 'no user created');
    },
  },
  {
    name: 'PATCH /api/v1/users/{id}',
    send: (o) => admin.patch(`/api/v1/users/${victimId}`, { display_name: 'Hijacked', active: false }, o),
    unchanged: async () => {
      const u = (await admin.get(`/api/v1/users/${victimId}`)).json;
      assert.notEqual(u.display_name, 'Hijacked');
      assert.equal(u.active, true);
    },
  },
  {
    name: 'POST /api/v1/orgs',
    send: (o) => admin.post('/api/v1/orgs', { code: 'csrf-org', name: 'Evil', kind: 'partner', parent: 'cremona' }, o),
    unchanged: async () => assertError(await admin.get('/api/v1/orgs/csrf-org'), 404),
  },
  {
    name: 'PATCH /api/v1/orgs/{code}',
    send: (o) => admin.patch('/api/v1/orgs/cpia-cremona', { name: 'Hijacked' }, o),
    unchanged: async () => assert.notEqual((await admin.get('/api/v1/orgs/cpia-cremona')).json.name, 'Hijacked'),
  },
  {
    name: 'DELETE /api/v1/session',
    send: (o) => admin.del('/api/v1/session', o),
    unchanged: async () => assert.equal((await admin.get('/api/v1/me')).status, 200, 'still logged in'),
  },
];

describe('unsafe API requests', () => {
  for (const variant of [
    { label: 'without X-CSRF-Token', opts: () => ({ csrf: false }) },
    { label: 'with a wrong X-CSRF-Token', opts: () => ({ csrf: 'Z'.repeat(43) }) },
    { label: 'with an empty X-CSRF-Token', opts: () => ({ csrf: '', headers: { 'X-CSRF-Token': '' } }) },
    { label: "with another session's X-CSRF-Token", opts: () => ({ csrf: other.csrf }) },
    { label: 'with the token in a form field instead of the header', opts: () => ({ csrf: false, query: true }) },
  ]) {
    describe(variant.label, () => {
      for (const k of cases().map((x) => x.name)) {
        it(`${k} -> 403 csrf, nothing changed`, async () => {
          const cs = cases().find((x) => x.name === k);
          let r;
          if (variant.opts().query) {
            // A form post carrying _csrf: the API takes the token from the header only.
            const [method, p] = k.split(' ');
            const url = p.replace('{id}', String(victimId)).replace('{code}', 'cpia-cremona');
            r = await admin.request(method, url, {
              csrf: false,
              body: new URLSearchParams({ _csrf: admin.csrf, name: 'Hijacked' }).toString(),
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            });
          } else {
            r = await cs.send(variant.opts());
          }
          assertError(r, 403, { code: 'csrf' });
          await cs.unchanged();
        });
      }
    });
  }

  it('the refusals are audited as access.denied', async () => {
    const r = await admin.post('/api/v1/orgs', { code: 'csrf-org-2', name: 'X', kind: 'partner', parent: 'cremona' }, {
      csrf: false,
    });
    assertError(r, 403, { code: 'csrf' });
    const items = (await admin.get('/api/v1/audit?action=access.denied&limit=500')).json.items;
    const e = items.find((x) => x.request_id === r.headers.get('x-request-id'));
    assert.ok(e, 'access.denied entry for this request');
    assert.equal(e.username, 'demo-admin');
    assert.match(e.detail || '', /POST \/api\/v1\/orgs/);
  });

  it('with the right token the same requests go through (the tests above are not vacuous)', async () => {
    const c = await S.login('demo-admin');
    const r = await c.patch('/api/v1/orgs/cpia-cremona', { description: 'CPIA di Cremona' });
    assert.equal(r.status, 200, r.text);
    assert.equal((await c.del('/api/v1/session')).status, 204);
  });
});

describe('unsafe pages', () => {
  // A browser form: the token travels (or not) in the _csrf field, never in a header.
  const form = (o) => ({
    body: new URLSearchParams(o).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    csrf: false,
  });

  it('POST /logout without or with a wrong _csrf -> 403, still logged in; with it -> 303', async () => {
    const c = await S.login('demo-teacher');
    assert.equal((await c.request('POST', '/logout', form({}))).status, 403);
    assert.equal((await c.request('POST', '/logout', form({ _csrf: 'nope' }))).status, 403);
    assert.equal((await c.get('/api/v1/me')).status, 200);
    const ok = await c.request('POST', '/logout', form({ _csrf: c.csrf }));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/');
    assertError(await c.get('/api/v1/me'), 401);
  });

  it('POST /admin/users without _csrf -> 403 and no account', async () => {
    const r = await admin.request(
      'POST',
      '/admin/users',
      form({ username: 'csrf-page-user', password: strongPassword(), role: 'operator', org: 'cremona' }),
    );
    assert.equal(r.status, 403);
    const items = (await admin.get('/api/v1/users?limit=200')).json.items;
    assert.ok(!items.some((u) => u.username === 'csrf-page-user'));
  });

  it('POST /admin/orgs without _csrf -> 403 and no organisation', async () => {
    const r = await admin.request(
      'POST',
      '/admin/orgs',
      form({ code: 'csrf-page-org', name: 'X', kind: 'partner', parent: 'cremona' }),
    );
    assert.equal(r.status, 403);
    assertError(await admin.get('/api/v1/orgs/csrf-page-org'), 404);
  });

  it('a token in the X-CSRF-Token header is accepted for pages too', async () => {
    const r = await admin.request('POST', '/admin/orgs', {
      ...form({ code: 'csrf-header-org', name: 'Header token', kind: 'partner', parent: 'cremona' }),
      csrf: admin.csrf,
    });
    assert.equal(r.status, 303);
    assert.equal((await admin.get('/api/v1/orgs/csrf-header-org')).status, 200);
  });

  it('POST /login needs the li_pre cookie and the matching _csrf field', async () => {
    const a = S.accounts.get('demo-editor');
    const fresh = S.client();
    // No cookie, no field.
    let r = await fresh.request('POST', '/login', form({ username: a.username, password: a.password }));
    assert.equal(r.status, 403);
    // A field but no cookie (what a cross-site form can do).
    r = await fresh.request('POST', '/login', form({ _csrf: 'A'.repeat(43), username: a.username, password: a.password }));
    assert.equal(r.status, 403);
    // Cookie and a different field.
    await fresh.get('/login');
    assert.ok(fresh.cookie('li_pre'));
    r = await fresh.request('POST', '/login', form({ _csrf: 'B'.repeat(43), username: a.username, password: a.password }));
    assert.equal(r.status, 403);
    assert.equal(fresh.cookie('li_session'), undefined);
    // Both, matching.
    r = await fresh.request(
      'POST',
      '/login',
      form({ _csrf: fresh.cookie('li_pre'), username: a.username, password: a.password, next: '/app' }),
    );
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/app');
    assert.ok(fresh.cookie('li_session'));
  });
});
