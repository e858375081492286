// /api/v1/audit: coordinators and admins read the entries of their subtree,
// newest first, with filters and pagination; other roles get 403. The set-up
// makes events in two districts (cremona, luino) and at the region.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, listAll, strongPassword, useServer } from './helpers.mjs';

const ENTRY_FIELDS = ['action', 'at', 'detail', 'id', 'ip', 'object_id', 'object_kind', 'org', 'person_id', 'reason', 'request_id', 'username'].sort();

const C = {};
const RID = {}; // event name -> request id of the request that made it
let ORGS = []; // all organisations
const S = useServer(
  {
    users: [
      { username: 'coord-luino', role: 'coordinator', org: 'luino' },
      { username: 'oper-luino', role: 'operator', org: 'luino' },
      { username: 'admin-cremona', role: 'admin', org: 'cremona' },
    ],
  },
  async (srv) => {
    for (const u of ['demo-admin', 'demo-coordinator', 'demo-operator', 'coord-luino', 'oper-luino', 'admin-cremona']) {
      C[u] = await srv.login(u);
    }
    ORGS = (await C['demo-admin'].get('/api/v1/orgs?limit=1000')).json.items;
    const ids = Object.fromEntries((await C['demo-admin'].get('/api/v1/users?limit=200')).json.items.map((u) => [u.username, u.id]));
    const rid = (name, r, status) => {
      assert.equal(r.status, status, `${name}: ${r.text}`);
      RID[name] = r.headers.get('x-request-id');
    };
    // Cremona: an admin of the district creates a partner and an account and updates an account.
    rid('cremona.org.create', await C['admin-cremona'].post('/api/v1/orgs', { code: 'audit-partner', name: 'Partner', kind: 'partner', parent: 'cremona' }), 201);
    rid('cremona.user.create', await C['admin-cremona'].post('/api/v1/users', { username: 'audit-made', password: strongPassword(), role: 'teacher', org: 'cremona' }), 201);
    rid('cremona.user.update', await C['admin-cremona'].patch(`/api/v1/users/${ids['demo-operator']}`, { display_name: 'Sportello' }), 200);
    // Cremona: an operator is refused the audit (access.denied).
    rid('cremona.denied', await C['demo-operator'].get('/api/v1/audit'), 403);
    // Cremona: a failed login on a cremona account.
    rid('cremona.login.failure', await srv.client().login('demo-operator', 'not-the-right-password'), 401);
    // Luino: the region admin creates a partner in luino; a luino operator is refused.
    rid('luino.org.create', await C['demo-admin'].post('/api/v1/orgs', { code: 'audit-luino-partner', name: 'Partner', kind: 'partner', parent: 'luino' }), 201);
    rid('luino.denied', await C['oper-luino'].get('/api/v1/audit'), 403);
    // No organisation: a failed login for an unknown name.
    rid('unknown.login.failure', await srv.client().login('nobody-at-all', 'not-the-right-password'), 401);
    ORGS = (await C['demo-admin'].get('/api/v1/orgs?limit=1000')).json.items;
  },
);

/** Codes of the subtree of `root`. */
function subtree(root) {
  const out = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of ORGS) if (o.parent && out.has(o.parent) && !out.has(o.code)) (out.add(o.code), (grew = true));
  }
  return out;
}

async function all(who, query = '') {
  return listAll(C[who], `/api/v1/audit${query ? `?${query}` : ''}`, 500);
}

const rids = (items) => new Set(items.map((x) => x.request_id));

describe('GET /api/v1/audit: who may read', () => {
  it('answers 401 without a session', async () => {
    assertError(await S.client().get('/api/v1/audit'), 401);
  });

  it('refuses operator, mediator, teacher, editor, translator and region with 403', async () => {
    for (const who of ['demo-operator', 'demo-mediator', 'demo-teacher', 'demo-editor', 'demo-translator', 'demo-region']) {
      const c = C[who] || (C[who] = await S.login(who));
      assertError(await c.get('/api/v1/audit'), 403, { code: 'forbidden' });
      assertError(await c.get('/api/v1/audit?action=login.success'), 403);
    }
  });

  it('is read-only: other methods answer 405', async () => {
    const a = C['demo-admin'];
    assertError(await a.request('DELETE', '/api/v1/audit'), 405);
    assertError(await a.post('/api/v1/audit', { action: 'forged' }), 405);
    assertError(await a.patch('/api/v1/audit', { action: 'forged' }), 405);
  });
});

describe('GET /api/v1/audit: scope', () => {
  it("a coordinator of cremona sees cremona's entries and only entries of cremona's subtree", async () => {
    const items = await all('demo-coordinator');
    const mine = subtree('cremona');
    for (const e of items) assert.ok(mine.has(e.org), `entry ${e.id} ${e.action} of org ${e.org} is outside cremona`);
    const got = rids(items);
    for (const k of ['cremona.org.create', 'cremona.user.create', 'cremona.denied']) assert.ok(got.has(RID[k]), `sees ${k}`);
    for (const k of ['luino.org.create', 'luino.denied', 'unknown.login.failure']) assert.ok(!got.has(RID[k]), `does not see ${k}`);
    const logins = items.filter((e) => e.action === 'login.success').map((e) => e.username);
    assert.ok(logins.includes('demo-coordinator') && logins.includes('demo-operator'));
    assert.ok(!logins.includes('coord-luino') && !logins.includes('oper-luino') && !logins.includes('demo-admin'));
  });

  it("a coordinator of luino sees luino's entries and none of cremona's", async () => {
    const items = await all('coord-luino');
    const mine = subtree('luino');
    for (const e of items) assert.ok(mine.has(e.org), `entry ${e.id} ${e.action} of org ${e.org} is outside luino`);
    const got = rids(items);
    for (const k of ['luino.org.create', 'luino.denied']) assert.ok(got.has(RID[k]), `sees ${k}`);
    for (const k of ['cremona.org.create', 'cremona.user.create', 'cremona.user.update', 'cremona.denied']) {
      assert.ok(!got.has(RID[k]), `does not see ${k}`);
    }
  });

  it("a district admin sees its district's entries, not the region's nor other districts'", async () => {
    const items = await all('admin-cremona');
    const mine = subtree('cremona');
    for (const e of items) assert.ok(mine.has(e.org), `entry ${e.id} ${e.action} of org ${e.org}`);
    assert.ok(rids(items).has(RID['cremona.org.create']));
    assert.ok(!rids(items).has(RID['luino.org.create']));
  });

  it('the region admin sees every entry, including those tied to no organisation', async () => {
    const got = rids(await all('demo-admin'));
    for (const k of Object.keys(RID)) assert.ok(got.has(RID[k]), `sees ${k}`);
  });

  it("an admin's change to a district account is visible to that district (user.update)", async () => {
    assert.ok(rids(await all('demo-coordinator')).has(RID['cremona.user.update']), 'cremona coordinator sees it');
    assert.ok(rids(await all('admin-cremona')).has(RID['cremona.user.update']), 'the admin who made it sees it');
  });

  it("a failed login on a district account is visible to that district's coordinator", async () => {
    assert.ok(rids(await all('demo-coordinator')).has(RID['cremona.login.failure']));
    assert.ok(!rids(await all('coord-luino')).has(RID['cremona.login.failure']));
  });
});

describe('GET /api/v1/audit: order, fields, filters, pagination', () => {
  it('lists newest first with the documented fields', async () => {
    const r = await C['demo-admin'].get('/api/v1/audit?limit=500');
    assert.equal(r.status, 200);
    const items = r.json.items;
    assert.ok(items.length >= 10);
    for (const e of items) assert.deepEqual(Object.keys(e).sort(), ENTRY_FIELDS);
    for (let i = 1; i < items.length; i++) {
      assert.ok(items[i - 1].id > items[i].id, 'ids decrease');
      assert.ok(items[i - 1].at >= items[i].at, 'times do not increase');
    }
    const newest = (await C['demo-admin'].get('/api/v1/audit?limit=1')).json.items[0];
    assert.equal(newest.id, items[0].id);
  });

  it('records who, what, where and the request for an admin change', async () => {
    const items = await all('demo-admin', 'action=org.create');
    const e = items.find((x) => x.request_id === RID['cremona.org.create']);
    assert.equal(e.username, 'admin-cremona');
    assert.equal(e.object_kind, 'org');
    assert.equal(e.object_id, 'audit-partner');
    assert.equal(e.ip, '127.0.0.1');
    assert.equal(typeof e.at, 'number');
    assert.ok(Math.abs(e.at - Date.now() / 1000) < 3600, 'at is a Unix time in seconds');
  });

  it('filters by action', async () => {
    const items = await all('demo-admin', 'action=login.success');
    assert.ok(items.length >= 6);
    assert.ok(items.every((e) => e.action === 'login.success'));
    assert.deepEqual(await all('demo-admin', 'action=no.such.action'), []);
  });

  it('filters by user', async () => {
    const items = await all('demo-admin', 'user=admin-cremona');
    assert.ok(items.length >= 3);
    assert.ok(items.every((e) => e.username === 'admin-cremona'));
    const both = await all('demo-admin', 'user=admin-cremona&action=org.create');
    assert.deepEqual(both.map((e) => e.request_id), [RID['cremona.org.create']]);
  });

  it('filters by time (from, to, inclusive, Unix seconds)', async () => {
    const items = await all('demo-admin');
    const t = items[items.length - 1].at;
    const now = Math.floor(Date.now() / 1000);
    assert.deepEqual(await all('demo-admin', `from=${now + 3600}`), []);
    assert.deepEqual(await all('demo-admin', 'to=1'), []);
    const window = await all('demo-admin', `from=${t}&to=${t}`);
    assert.ok(window.length >= 1);
    assert.ok(window.every((e) => e.at === t));
    assert.equal((await all('demo-admin', `from=${t}`)).length, items.length);
  });

  it('filters by person_id (no personal data yet: nothing matches)', async () => {
    assert.deepEqual(await all('demo-admin', 'person_id=1'), []);
  });

  it('refuses malformed filters with 422 naming them', async () => {
    const a = C['demo-admin'];
    for (const f of ['person_id', 'from', 'to']) {
      assertError(await a.get(`/api/v1/audit?${f}=abc`), 422, { field: f });
      assertError(await a.get(`/api/v1/audit?${f}=-5`), 422, { field: f });
    }
    assertError(await a.get('/api/v1/audit?limit=0'), 422, { field: 'limit' });
    assertError(await a.get('/api/v1/audit?limit=501'), 422, { field: 'limit' });
    assertError(await a.get('/api/v1/audit?cursor=zz'), 422, { field: 'cursor' });
  });

  it('pagination with limit/cursor covers every entry exactly once, newest first', async () => {
    const full = (await C['demo-admin'].get('/api/v1/audit?limit=500')).json.items.map((e) => e.id);
    for (const limit of [1, 4, 7]) {
      const paged = (await listAll(C['demo-admin'], '/api/v1/audit', limit)).map((e) => e.id);
      // Reading pages adds no entries (reads of the audit are not audited now).
      assert.deepEqual(paged, full.slice(0, paged.length));
      assert.equal(paged.length, full.length);
    }
    const district = (await listAll(C['demo-coordinator'], '/api/v1/audit', 2)).map((e) => e.id);
    const districtFull = (await C['demo-coordinator'].get('/api/v1/audit?limit=500')).json.items.map((e) => e.id);
    assert.deepEqual(district, districtFull);
  });
});
