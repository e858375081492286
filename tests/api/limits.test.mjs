// Input limits and error shapes: body size (413), malformed JSON (400), content
// type (415), unknown and oversized fields (422), invalid UTF-8, deep nesting,
// oversized headers, and the 404/405 shapes. After each abuse the server must
// still answer.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, useServer } from './helpers.mjs';

const MiB = 1024 * 1024;
let admin;
const S = useServer({}, async (srv) => {
  admin = await srv.login('demo-admin');
});

const JSON_CT = { 'Content-Type': 'application/json' };
const raw = (method, p, body, headers = JSON_CT) => admin.request(method, p, { body, headers });

async function stillHealthy() {
  const r = await S.client().get('/healthz');
  assert.equal(r.status, 200);
}

async function orgAbsent(code) {
  assertError(await admin.get(`/api/v1/orgs/${code}`), 404);
}

describe('body size', () => {
  it('a body over 1 MiB gets 413 in the error shape (public and authenticated endpoints)', async () => {
    const big = `{"username":"${'u'.repeat(MiB)}","password":"x"}`;
    const r = await S.client().request('POST', '/api/v1/session', { body: big, headers: JSON_CT });
    assertError(r, 413, { code: 'too_large' });
    const r2 = await raw('POST', '/api/v1/orgs', `{"code":"huge","name":"${'n'.repeat(MiB)}","kind":"partner","parent":"cremona"}`);
    assertError(r2, 413, { code: 'too_large' });
    await orgAbsent('huge');
    await stillHealthy();
  });

  it('a chunked body (no Content-Length) over 1 MiB also gets 413', async () => {
    const chunk = new TextEncoder().encode('y'.repeat(64 * 1024));
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 20; i++) c.enqueue(chunk);
        c.close();
      },
    });
    const res = await fetch(`${S.base}/api/v1/orgs`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { ...JSON_CT, Cookie: admin.cookieHeader(), 'X-CSRF-Token': admin.csrf },
    });
    const text = await res.text();
    assert.equal(res.status, 413, text);
    assert.equal(JSON.parse(text).error.code, 'too_large');
    await stillHealthy();
  });

  it('a body of exactly 1 MiB is read (and then judged on its fields: 422 too long)', async () => {
    const head = '{"code":"edge","kind":"partner","parent":"cremona","name":"';
    const body = head + 'n'.repeat(MiB - head.length - 2) + '"}';
    assert.equal(Buffer.byteLength(body), MiB);
    assertError(await raw('POST', '/api/v1/orgs', body), 422, { field: 'name' });
    await orgAbsent('edge');
  });
});

describe('malformed JSON', () => {
  const bodies = {
    empty: '',
    truncated: '{"username":',
    'not an object (array)': '[]',
    'not an object (string)': '"x"',
    'not an object (null)': 'null',
    'trailing garbage': '{"username":"a","password":"b"} x',
    'single quotes': "{'username':'a'}",
    'duplicate keys': '{"username":"a","username":"b","password":"c"}',
    'a number too large': '{"username":"a","password":"b","x":1e999}',
    'a byte-order mark': '\ufeff{"username":"a","password":"b"}',
    'deep nesting': '['.repeat(60000), // under the 64 KiB a visitor without a session may send
  };
  for (const [name, body] of Object.entries(bodies)) {
    it(`${name} -> 400 malformed_json`, async () => {
      assertError(await S.client().request('POST', '/api/v1/session', { body, headers: JSON_CT }), 400, {
        code: 'malformed_json',
      });
    });
  }

  it('authenticated endpoints answer 400 too, and change nothing', async () => {
    assertError(await raw('POST', '/api/v1/orgs', '{"code":"broken",'), 400);
    assertError(await raw('POST', '/api/v1/users', '{"username":'), 400);
    assertError(await raw('PATCH', '/api/v1/orgs/cremona', '{"name":"X"'), 400);
    assertError(await raw('PATCH', '/api/v1/users/1', 'nope'), 400);
    await orgAbsent('broken');
    assert.notEqual((await admin.get('/api/v1/orgs/cremona')).json.name, 'X');
    await stillHealthy();
  });
});

describe('content type', () => {
  let n = 0;
  for (const ct of [null, 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/jsonx', 'text/json']) {
    it(`${ct ?? 'no Content-Type'} -> 415`, async () => {
      const code = `ct-test-${++n}`;
      const body = `{"code":"${code}","name":"CT","kind":"partner","parent":"cremona"}`;
      const headers = ct ? { 'Content-Type': ct } : {};
      const r = await admin.request('POST', '/api/v1/orgs', { body: ct ? body : Buffer.from(body), headers });
      assertError(r, 415);
      await orgAbsent(code);
    });
  }

  it('application/json with a charset parameter, in any case, is accepted', async () => {
    const r = await raw('POST', '/api/v1/orgs', '{"code":"ct-charset","name":"CT","kind":"partner","parent":"cremona"}', {
      'Content-Type': 'Application/JSON; charset=utf-8',
    });
    assert.equal(r.status, 201, r.text);
  });

  it('PATCH bodies need JSON too', async () => {
    assertError(await raw('PATCH', '/api/v1/orgs/cremona', 'name=X', { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
  });

  it('authentication comes first: no session with a wrong type is still 401', async () => {
    const r = await S.client().request('POST', '/api/v1/orgs', { body: 'x', headers: { 'Content-Type': 'text/plain' } });
    assertError(r, 401);
  });
});

describe('fields', () => {
  it('an unknown field -> 422 naming it', async () => {
    const r = await admin.post('/api/v1/orgs', { code: 'uf', name: 'X', kind: 'partner', parent: 'cremona', colour: 'red' });
    assertError(r, 422, { code: 'unknown_field', field: 'colour' });
    await orgAbsent('uf');
  });

  it('an oversized field -> 422 naming it', async () => {
    assertError(await admin.post('/api/v1/orgs', { code: 'os', name: 'n'.repeat(5000), kind: 'partner', parent: 'cremona' }), 422, {
      field: 'name',
    });
    assertError(await S.client().post('/api/v1/session', { username: 'u'.repeat(65), password: 'x' }), 422, { field: 'username' });
    await orgAbsent('os');
  });

  it('length limits count characters, not bytes', async () => {
    // 2000 two-byte characters fit a 2000-character description.
    const r = await admin.post('/api/v1/orgs', { code: 'chars', name: 'X', kind: 'partner', parent: 'cremona', description: 'è'.repeat(2000) });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.description, 'è'.repeat(2000));
  });

  it('a wrong type -> 422 naming the field', async () => {
    assertError(await admin.post('/api/v1/orgs', { code: 'wt', name: 12, kind: 'partner', parent: 'cremona' }), 422, { field: 'name' });
    assertError(await admin.post('/api/v1/orgs', { code: 'wt', name: 'X', kind: 'partner', parent: 'cremona', is_lead: 'true' }), 422, {
      field: 'is_lead',
    });
    assertError(await admin.post('/api/v1/orgs', { code: 'wt', name: { a: 1 }, kind: 'partner', parent: 'cremona' }), 422, {
      field: 'name',
    });
    await orgAbsent('wt');
  });

  it('control characters in text -> 422 naming the field', async () => {
    const r = await admin.post('/api/v1/orgs', { code: 'cc', name: 'bell\u0007', kind: 'partner', parent: 'cremona' });
    assertError(r, 422, { field: 'name' });
    await orgAbsent('cc');
  });

  it('a NUL escape (\\u0000) is refused (400 or 422), never stored', async () => {
    const r = await raw('POST', '/api/v1/orgs', '{"code":"nul","name":"a\\u0000b","kind":"partner","parent":"cremona"}');
    assert.ok([400, 422].includes(r.status), `got ${r.status}`);
    assertError(r, r.status);
    await orgAbsent('nul');
  });
});

describe('invalid UTF-8', () => {
  const cases = {
    'a stray 0xFF byte': Buffer.from([0xff, 0xfe]),
    'an overlong "/" (C0 AF)': Buffer.from([0xc0, 0xaf]),
    'a truncated sequence': Buffer.from([0xe2, 0x82]),
    'an encoded surrogate (ED A0 80)': Buffer.from([0xed, 0xa0, 0x80]),
    'a code point past U+10FFFF (F4 90 80 80)': Buffer.from([0xf4, 0x90, 0x80, 0x80]),
  };
  let n = 0;
  for (const [name, bytes] of Object.entries(cases)) {
    it(`${name} in a string -> 400 or 422, nothing stored`, async () => {
      const code = `utf-${++n}`;
      const body = Buffer.concat([
        Buffer.from(`{"code":"${code}","kind":"partner","parent":"cremona","name":"ab`),
        bytes,
        Buffer.from('cd"}'),
      ]);
      const r = await raw('POST', '/api/v1/orgs', body);
      assert.ok([400, 422].includes(r.status), `got ${r.status}: ${r.text}`);
      assertError(r, r.status);
      await orgAbsent(code);
    });
  }

  it('a lone surrogate escape (\\ud800) -> 400 or 422, nothing stored', async () => {
    const r = await raw('POST', '/api/v1/orgs', '{"code":"lone","name":"a\\ud800b","kind":"partner","parent":"cremona"}');
    assert.ok([400, 422].includes(r.status), `got ${r.status}`);
    await orgAbsent('lone');
  });

  it('invalid UTF-8 in a login name -> 400 or 422, not 500', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff]), Buffer.from('","password":"x"}')]);
    const r = await S.client().request('POST', '/api/v1/session', { body, headers: JSON_CT });
    assert.ok([400, 422].includes(r.status), `got ${r.status}`);
  });

  it('valid multi-byte text (Arabic, emoji) round-trips', async () => {
    const name = 'جمعية المهاجرين 🌍 Associazione';
    const r = await admin.post('/api/v1/orgs', { code: 'utf-ok', name, kind: 'partner', parent: 'cremona' });
    assert.equal(r.status, 201, r.text);
    assert.equal((await admin.get('/api/v1/orgs/utf-ok')).json.name, name);
  });
});

describe('headers and URLs', () => {
  it('oversized request headers are refused with a 4xx and the server keeps serving', async () => {
    const r = await admin.get('/api/v1/me', { headers: { 'X-Padding': 'x'.repeat(64 * 1024) } });
    assert.ok(r.status >= 400 && r.status < 500, `got ${r.status}`);
    await stillHealthy();
  });

  it('bad query parameters get 422, not 500', async () => {
    assertError(await admin.get('/api/v1/orgs?limit=1%3BDROP'), 422, { field: 'limit' });
    assertError(await admin.get('/api/v1/orgs?limit=99999999999999999999'), 422, { field: 'limit' });
    // A cursor past every id is either refused or an empty last page.
    const past = await admin.get('/api/v1/orgs?cursor=99999999999999999999999');
    if (past.status === 200) assert.deepEqual(past.json, { items: [], next_cursor: null });
    else assertError(past, 422, { field: 'cursor' });
  });
});

describe('404 and 405', () => {
  it('an unknown API path -> 404 in the error shape with request_id', async () => {
    for (const p of ['/api/v1/nope', '/api/v1/orgs/cremona/extra', '/api/v2/orgs', '/api/']) {
      assertError(await admin.get(p), 404, { code: 'not_found' });
    }
    assertError(await S.client().get('/api/v1/nope'), 404);
  });

  it('a known API path with another method -> 405 in the error shape', async () => {
    for (const [m, p] of [
      ['PUT', '/api/v1/orgs'],
      ['DELETE', '/api/v1/orgs/cremona'],
      ['PUT', '/api/v1/users/1'],
      ['DELETE', '/api/v1/users/1'],
      ['GET', '/api/v1/session'],
      ['PATCH', '/api/v1/session'],
      ['POST', '/api/v1/openapi.json'],
    ]) {
      const opts = m === 'GET' ? {} : { body: '{}', headers: JSON_CT };
      assertError(await admin.request(m, p, opts), 405, { code: 'method_not_allowed' });
    }
  });

  it('an unknown page -> 404 HTML page that shows the request id', async () => {
    const r = await S.client().get('/no/such/page');
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(r.text.includes(r.headers.get('x-request-id')), 'request id on the page');
  });
});

describe('error messages', () => {
  it("are in the caller's language (Accept-Language), with the same code", async () => {
    const it_ = await S.client().get('/api/v1/me', { headers: { 'Accept-Language': 'it' } });
    const en = await S.client().get('/api/v1/me', { headers: { 'Accept-Language': 'en' } });
    assertError(it_, 401, { code: 'unauthenticated' });
    assertError(en, 401, { code: 'unauthenticated' });
    assert.equal(en.json.error.message, 'Please log in.');
    assert.notEqual(it_.json.error.message, en.json.error.message);
  });
});
