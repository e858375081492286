// /api/v1/orgs: the tree each caller may see (own subtree plus ancestors),
// 404 outside it, admin create/update with validation naming the field,
// kind placement, duplicates, pagination, and the denials.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, listAll, useServer } from './helpers.mjs';

const FIELDS = ['category', 'code', 'description', 'istat_code', 'is_lead', 'kind', 'name', 'parent'].sort();
const CREMONA_PARTNERS = 15;

const C = {}; // logged-in clients
let ALL = []; // every organisation, as the region's admin sees them
const S = useServer(
  {
    users: [
      { username: 'coord-luino', role: 'coordinator', org: 'luino' },
      { username: 'admin-cremona', role: 'admin', org: 'cremona' },
      { username: 'admin-luino', role: 'admin', org: 'luino' },
    ],
  },
  async (srv) => {
    for (const u of ['demo-admin', 'demo-region', 'demo-coordinator', 'demo-operator', 'coord-luino', 'admin-cremona', 'admin-luino']) {
      C[u] = await srv.login(u);
    }
    const r = await C['demo-admin'].get('/api/v1/orgs?limit=1000');
    assert.equal(r.status, 200, r.text);
    ALL = r.json.items;
  },
);

/** Codes of the subtree of `root` (itself included) in ALL. */
function subtree(root) {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of ALL) if (o.parent && out.has(o.parent) && !out.has(o.code)) (out.add(o.code), (grew = true));
  }
  return out;
}

/** Codes of the ancestors of `code` in ALL. */
function ancestors(code) {
  const by = new Map(ALL.map((o) => [o.code, o]));
  const out = new Set();
  for (let p = by.get(code)?.parent; p; p = by.get(p)?.parent) out.add(p);
  return out;
}

const codes = (items) => items.map((o) => o.code);

describe('GET /api/v1/orgs', () => {
  it('the region admin sees the whole demo network with the documented fields', () => {
    const set = new Set(codes(ALL));
    assert.equal(set.size, ALL.length, 'no duplicates');
    for (const c of ['lombardia', 'cremona', 'luino', 'lodi', 'sondrio', 'cittiglio', 'cpia-cremona', 'ismu', 'anci-lombardia']) {
      assert.ok(set.has(c), `has ${c}`);
    }
    for (const o of ALL) assert.deepEqual(Object.keys(o).sort(), FIELDS);
    const root = ALL.filter((o) => o.parent === null);
    assert.deepEqual(codes(root), ['lombardia']);
    assert.equal(root[0].kind, 'region');
    const cremona = ALL.filter((o) => o.parent === 'cremona');
    assert.equal(cremona.length, CREMONA_PARTNERS);
    assert.ok(cremona.every((o) => o.kind === 'partner'));
    assert.equal(ALL.filter((o) => o.parent === 'luino' && o.kind === 'comune').length, 24);
    assert.equal(typeof ALL[0].is_lead, 'boolean');
  });

  it("a coordinator of cremona sees cremona's subtree plus its ancestors, and nothing else", async () => {
    const r = await C['demo-coordinator'].get('/api/v1/orgs');
    assert.equal(r.status, 200);
    const got = new Set(codes(r.json.items));
    const want = new Set([...subtree('cremona'), ...ancestors('cremona')]);
    assert.deepEqual([...got].sort(), [...want].sort());
    assert.ok(got.has('lombardia'));
    assert.ok(got.has('cpia-cremona'));
    assert.ok(!got.has('luino'));
    assert.ok(![...got].some((c) => c.startsWith('luino-')), 'no comune of luino');
    assert.ok(!got.has('ismu') && !got.has('lodi'), 'no sibling of cremona');
    assert.equal(r.json.next_cursor, null);
  });

  it("a coordinator of luino sees luino's 24 comuni and partner, not cremona's network", async () => {
    const r = await C['coord-luino'].get('/api/v1/orgs');
    const got = new Set(codes(r.json.items));
    const want = new Set([...subtree('luino'), ...ancestors('luino')]);
    assert.deepEqual([...got].sort(), [...want].sort());
    assert.ok(!got.has('cremona') && !got.has('cpia-cremona'));
  });

  it('every role of a district sees the same network (read access is not an admin privilege)', async () => {
    const a = codes((await C['demo-operator'].get('/api/v1/orgs')).json.items).sort();
    const b = codes((await C['demo-coordinator'].get('/api/v1/orgs')).json.items).sort();
    assert.deepEqual(a, b);
    const region = codes((await C['demo-region'].get('/api/v1/orgs?limit=1000')).json.items).sort();
    assert.deepEqual(region, codes(ALL).sort());
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().get('/api/v1/orgs'), 401, { code: 'unauthenticated' });
  });

  it('pagination with limit/cursor covers every item exactly once, for the admin and for a district', async () => {
    for (const [who, limit] of [
      ['demo-admin', 7],
      ['demo-admin', 1],
      ['demo-coordinator', 5],
      ['coord-luino', 4],
    ]) {
      const full = codes((await C[who].get('/api/v1/orgs?limit=1000')).json.items);
      const paged = codes(await listAll(C[who], '/api/v1/orgs', limit));
      assert.equal(new Set(paged).size, paged.length, `${who}/${limit}: no duplicates`);
      assert.deepEqual(paged, full, `${who}/${limit}: same items in the same order`);
    }
  });

  it('a page exactly as long as what is left ends with next_cursor null or an empty last page', async () => {
    const n = (await C['demo-coordinator'].get('/api/v1/orgs')).json.items.length;
    const r = await C['demo-coordinator'].get(`/api/v1/orgs?limit=${n}`);
    assert.equal(r.json.items.length, n);
    if (r.json.next_cursor !== null) {
      const more = await C['demo-coordinator'].get(`/api/v1/orgs?limit=${n}&cursor=${r.json.next_cursor}`);
      assert.equal(more.json.items.length, 0);
    }
  });

  it('a cursor cannot reveal organisations out of scope', async () => {
    const all = await listAll(C['demo-coordinator'], '/api/v1/orgs', 3);
    assert.ok(all.every((o) => !o.code.startsWith('luino')));
  });

  it('refuses bad limits and cursors with 422 naming the parameter', async () => {
    const c = C['demo-coordinator'];
    for (const q of ['limit=0', 'limit=-1', 'limit=abc', 'limit=100000', 'limit=1.5']) {
      assertError(await c.get(`/api/v1/orgs?${q}`), 422, { field: 'limit' });
    }
    for (const q of ['cursor=abc', 'cursor=-4', 'cursor=1e3']) {
      assertError(await c.get(`/api/v1/orgs?${q}`), 422, { field: 'cursor' });
    }
  });
});

describe('GET /api/v1/orgs/{code}', () => {
  it('returns one organisation with the documented fields', async () => {
    const r = await C['demo-coordinator'].get('/api/v1/orgs/cpia-cremona');
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json).sort(), FIELDS);
    assert.equal(r.json.code, 'cpia-cremona');
    assert.equal(r.json.kind, 'partner');
    assert.equal(r.json.parent, 'cremona');
    assert.deepEqual(r.json, ALL.find((o) => o.code === 'cpia-cremona'));
  });

  it('shows ancestors to a district user', async () => {
    const r = await C['demo-coordinator'].get('/api/v1/orgs/lombardia');
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'region');
  });

  it('answers 404 for another district, its comuni and partners, siblings, and unknown codes', async () => {
    const c = C['demo-coordinator'];
    const luinoComune = ALL.find((o) => o.parent === 'luino' && o.kind === 'comune').code;
    for (const code of ['luino', luinoComune, 'comune-luino-udp', 'lodi', 'ismu', 'anci-lombardia', 'no-such-org']) {
      assertError(await c.get(`/api/v1/orgs/${code}`), 404, { code: 'not_found' });
    }
    assertError(await C['coord-luino'].get('/api/v1/orgs/cpia-cremona'), 404);
  });

  it('answers the same 404 for out of scope and absent (no existence oracle)', async () => {
    const a = await C['demo-coordinator'].get('/api/v1/orgs/luino');
    const b = await C['demo-coordinator'].get('/api/v1/orgs/luino-nope');
    assert.equal(a.json.error.code, b.json.error.code);
    assert.equal(a.json.error.message, b.json.error.message);
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().get('/api/v1/orgs/cremona'), 401);
  });
});

describe('POST /api/v1/orgs', () => {
  it('an admin creates a partner under a district: 201 with the organisation, then visible and audited', async () => {
    const body = {
      code: 'test-partner-1',
      name: 'Associazione di prova',
      kind: 'partner',
      parent: 'cremona',
      category: 'association',
      description: 'Creata dai test',
      is_lead: false,
    };
    const r = await C['demo-admin'].post('/api/v1/orgs', body);
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(Object.keys(r.json).sort(), FIELDS);
    assert.equal(r.json.code, body.code);
    assert.equal(r.json.name, body.name);
    assert.equal(r.json.kind, 'partner');
    assert.equal(r.json.parent, 'cremona');
    assert.equal(r.json.category, 'association');
    assert.equal(r.json.description, 'Creata dai test');
    assert.equal(r.json.is_lead, false);
    assert.deepEqual((await C['demo-coordinator'].get('/api/v1/orgs/test-partner-1')).json, r.json);
    assertError(await C['coord-luino'].get('/api/v1/orgs/test-partner-1'), 404);
    const audit = (await C['demo-admin'].get('/api/v1/audit?action=org.create&limit=50')).json.items;
    const e = audit.find((x) => x.request_id === r.headers.get('x-request-id'));
    assert.ok(e, 'org.create audited');
    assert.equal(e.object_id, 'test-partner-1');
    assert.equal(e.username, 'demo-admin');
  });

  it('accepts each kind where it belongs: ambito and support under the region, comune and partner under an ambito', async () => {
    const a = C['demo-admin'];
    const ok = [
      { code: 'test-ambito', name: 'Ambito di prova', kind: 'ambito', parent: 'lombardia' },
      { code: 'test-support', name: 'Supporto di prova', kind: 'support', parent: 'lombardia' },
      { code: 'test-comune', name: 'Comune di prova', kind: 'comune', parent: 'test-ambito', istat_code: '019036' },
      { code: 'test-partner-2', name: 'Partner di prova', kind: 'partner', parent: 'test-ambito', is_lead: true },
    ];
    for (const body of ok) {
      const r = await a.post('/api/v1/orgs', body);
      assert.equal(r.status, 201, `${body.code}: ${r.text}`);
      assert.equal(r.json.kind, body.kind);
      assert.equal(r.json.parent, body.parent);
    }
    assert.equal((await a.get('/api/v1/orgs/test-comune')).json.istat_code, '019036');
    assert.equal((await a.get('/api/v1/orgs/test-partner-2')).json.is_lead, true);
  });

  it('refuses a kind in the wrong place with 422 on parent (or kind)', async () => {
    const a = C['demo-admin'];
    const bad = [
      { kind: 'ambito', parent: 'cremona' },
      { kind: 'support', parent: 'cremona' },
      { kind: 'partner', parent: 'lombardia' },
      { kind: 'comune', parent: 'lombardia' },
      { kind: 'comune', parent: 'cpia-cremona' },
      { kind: 'partner', parent: 'ismu' },
      { kind: 'region', parent: 'lombardia' },
      { kind: 'partner', parent: ALL.find((o) => o.kind === 'comune').code },
    ];
    for (const [i, b] of bad.entries()) {
      const r = await a.post('/api/v1/orgs', { code: `bad-place-${i}`, name: 'Fuori posto', ...b });
      const e = assertError(r, 422);
      assert.ok(['parent', 'kind'].includes(e.field), `${JSON.stringify(b)} -> field ${e.field}`);
      assertError(await a.get(`/api/v1/orgs/bad-place-${i}`), 404);
    }
  });

  it('validates every field with 422 naming it', async () => {
    const a = C['demo-admin'];
    const base = { code: 'valid-code', name: 'Nome', kind: 'partner', parent: 'cremona' };
    const cases = [
      [{ code: undefined }, 'code'],
      [{ code: '' }, 'code'],
      [{ code: 'x' }, 'code'],
      [{ code: 'Upper-Case' }, 'code'],
      [{ code: '1starts-with-digit' }, 'code'],
      [{ code: 'has space' }, 'code'],
      [{ code: 'under_score' }, 'code'],
      [{ code: 'a'.repeat(41) }, 'code'],
      [{ code: 7 }, 'code'],
      [{ name: undefined }, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'n'.repeat(1000) }, 'name'],
      [{ name: ['x'] }, 'name'],
      [{ kind: undefined }, 'kind'],
      [{ kind: 'country' }, 'kind'],
      [{ parent: undefined }, 'parent'],
      [{ parent: 'no-such-parent' }, 'parent'],
      [{ istat_code: '12ab56' }, 'istat_code'],
      [{ istat_code: '12345' }, 'istat_code'],
      [{ istat_code: 123456 }, 'istat_code'],
      [{ is_lead: 'yes' }, 'is_lead'],
      [{ is_lead: 1 }, 'is_lead'],
      [{ description: 'd'.repeat(2001) }, 'description'],
      [{ category: 'c'.repeat(41) }, 'category'],
      [{ id: 5 }, 'id'],
      [{ path: '/1/' }, 'path'],
    ];
    for (const [patch, field] of cases) {
      const body = { ...base, ...patch };
      for (const k of Object.keys(patch)) if (patch[k] === undefined) delete body[k];
      const r = await a.post('/api/v1/orgs', body);
      assertError(r, 422, { field });
    }
    assertError(await a.get('/api/v1/orgs/valid-code'), 404);
  });

  it('refuses a code already used with 409 on code', async () => {
    const a = C['demo-admin'];
    for (const code of ['cremona', 'lombardia', 'cpia-cremona']) {
      assertError(await a.post('/api/v1/orgs', { code, name: 'Doppione', kind: 'partner', parent: 'cremona' }), 409, {
        field: 'code',
      });
    }
    assert.equal((await a.get('/api/v1/orgs/cremona')).json.name, ALL.find((o) => o.code === 'cremona').name);
  });

  it('a district admin creates in its own district but not under another district or the region', async () => {
    const a = C['admin-cremona'];
    const ok = await a.post('/api/v1/orgs', { code: 'cremona-new-partner', name: 'Nuovo partner', kind: 'partner', parent: 'cremona' });
    assert.equal(ok.status, 201, ok.text);
    for (const [code, kind, parent] of [
      ['evil-in-luino', 'partner', 'luino'],
      ['evil-in-region', 'ambito', 'lombardia'],
      ['evil-support', 'support', 'lombardia'],
    ]) {
      const r = await a.post('/api/v1/orgs', { code, name: 'Fuori ambito', kind, parent });
      assertError(r, 422, { field: 'parent' });
      assertError(await C['demo-admin'].get(`/api/v1/orgs/${code}`), 404);
    }
  });

  it('refuses non-admins with 403 and creates nothing', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region', 'coord-luino']) {
      const r = await C[who].post('/api/v1/orgs', { code: `by-${who}`, name: 'X', kind: 'partner', parent: 'cremona' });
      assertError(r, 403, { code: 'forbidden' });
      assertError(await C['demo-admin'].get(`/api/v1/orgs/by-${who}`), 404);
    }
  });

  it('answers 401 without a session', async () => {
    const r = await S.client().post('/api/v1/orgs', { code: 'anon-org', name: 'X', kind: 'partner', parent: 'cremona' });
    assertError(r, 401);
  });
});

describe('PATCH /api/v1/orgs/{code}', () => {
  it('an admin updates name, category, ISTAT code, description and lead flag; audited', async () => {
    const a = C['demo-admin'];
    const body = { name: 'Associazione rinominata', category: 'volunteers', istat_code: '019036', description: 'Nuova', is_lead: true };
    const r = await a.patch('/api/v1/orgs/test-partner-1', body);
    assert.equal(r.status, 200, r.text);
    for (const [k, v] of Object.entries(body)) assert.equal(r.json[k], v, k);
    assert.equal(r.json.code, 'test-partner-1');
    assert.equal(r.json.parent, 'cremona');
    assert.deepEqual((await a.get('/api/v1/orgs/test-partner-1')).json, r.json);
    const partial = await a.patch('/api/v1/orgs/test-partner-1', { description: 'Solo la descrizione' });
    assert.equal(partial.status, 200);
    assert.equal(partial.json.name, 'Associazione rinominata', 'absent fields are kept');
    assert.equal(partial.json.is_lead, true);
    const audit = (await a.get('/api/v1/audit?action=org.update&limit=50')).json.items;
    assert.ok(audit.some((x) => x.request_id === r.headers.get('x-request-id') && x.object_id === 'test-partner-1'));
  });

  it('sets is_lead back to false', async () => {
    const r = await C['demo-admin'].patch('/api/v1/orgs/test-partner-1', { is_lead: false });
    assert.equal(r.status, 200);
    assert.equal(r.json.is_lead, false);
  });

  it('validates with 422 naming the field, and changes nothing', async () => {
    const a = C['demo-admin'];
    const before = (await a.get('/api/v1/orgs/cpia-cremona')).json;
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ name: 'n'.repeat(1000) }, 'name'],
      [{ istat_code: 'abc' }, 'istat_code'],
      [{ is_lead: 'no' }, 'is_lead'],
      [{ code: 'renamed' }, 'code'],
      [{ parent: 'luino' }, 'parent'],
      [{ kind: 'ambito' }, 'kind'],
      [{ name: 'Valid', bogus: 1 }, 'bogus'],
    ]) {
      assertError(await a.patch('/api/v1/orgs/cpia-cremona', body), 422, { field });
    }
    assert.deepEqual((await a.get('/api/v1/orgs/cpia-cremona')).json, before);
  });

  it('a district admin updates its district but gets 404 for another district and for the region', async () => {
    const a = C['admin-cremona'];
    const ok = await a.patch('/api/v1/orgs/cremona-new-partner', { name: 'Partner aggiornato' });
    assert.equal(ok.status, 200, ok.text);
    for (const code of ['luino', 'comune-luino-udp', 'lombardia', 'ismu']) {
      assertError(await a.patch(`/api/v1/orgs/${code}`, { name: 'Hijacked' }), 404, { code: 'not_found' });
      assert.notEqual((await C['demo-admin'].get(`/api/v1/orgs/${code}`)).json.name, 'Hijacked');
    }
    assertError(await C['admin-luino'].patch('/api/v1/orgs/cremona', { name: 'Hijacked' }), 404);
  });

  it('answers 404 for an unknown code', async () => {
    assertError(await C['demo-admin'].patch('/api/v1/orgs/no-such-org', { name: 'X' }), 404);
  });

  it('refuses non-admins with 403 and changes nothing', async () => {
    for (const who of ['demo-coordinator', 'demo-operator', 'demo-region']) {
      assertError(await C[who].patch('/api/v1/orgs/cpia-cremona', { name: 'Hijacked' }), 403, { code: 'forbidden' });
    }
    assert.notEqual((await C['demo-admin'].get('/api/v1/orgs/cpia-cremona')).json.name, 'Hijacked');
  });

  it('answers 401 without a session', async () => {
    assertError(await S.client().patch('/api/v1/orgs/cremona', { name: 'X' }), 401);
  });
});
