// Findings of the security review on the request edge: the login's `next`
// never leaves the site (open redirect), language links are built from the
// normalised path only, urlencoded forms are parsed once with a cap on their
// fields, and visitors without a session may only send small bodies.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { assertError, useServer } from './helpers.mjs';

let admin;
const S = useServer({}, async (srv) => {
  admin = await srv.login('demo-admin');
});

const FORM_CT = { 'Content-Type': 'application/x-www-form-urlencoded' };
const form = (o) => ({ body: new URLSearchParams(o).toString(), headers: FORM_CT, csrf: false });

/** One raw HTTP/1.1 request (the path sent byte for byte); resolves {status, head, body}. */
function rawRequest(port, requestLine, headers = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1');
    let data = '';
    s.on('data', (d) => (data += d.toString('latin1')));
    s.on('error', reject);
    s.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), head, body: rest.join('\r\n\r\n') });
    });
    const h = Object.entries({ Host: '127.0.0.1', Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    s.write(`${requestLine} HTTP/1.1\r\n${h}\r\n`);
  });
}

/** Logs demo-operator in through the login form with `next`; returns the Location. */
async function loginWithNext(next) {
  const a = S.accounts.get('demo-operator');
  const c = S.client();
  await c.get('/login');
  const r = await c.request('POST', '/login', form({ _csrf: c.cookie('li_pre'), username: a.username, password: a.password, next }));
  assert.equal(r.status, 303, r.text.slice(0, 200));
  return r.headers.get('location');
}

describe('login redirect (next)', () => {
  it('a next that could leave the site goes to the workspace instead', async () => {
    const bad = [
      '/\t/evil.example', // a browser drops the tab: //evil.example
      '/\n/evil.example',
      '/\r\n/evil.example',
      '\t//evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '/app\\..\\..\\evil',
      'https://evil.example/',
      'https:evil.example',
      'javascript:alert(1)',
      '/%09/evil.example', // encoded once more: decoded by whoever reads it next
      '/%0a/evil.example',
      '/%5C/evil.example',
      ' /app',
      '',
      `/${'a'.repeat(600)}`,
    ];
    for (const next of bad) assert.equal(await loginWithNext(next), '/app', JSON.stringify(next));
  });

  it('a local path is kept, query string included', async () => {
    for (const next of ['/app', '/audit?action=login.success', '/ambiti/cremona', '/persons?q=rossi%20maria'])
      assert.equal(await loginWithNext(next), next);
  });

  it('the login form never carries a bad next in its hidden field', async () => {
    const r = await S.client().get(`/login?next=${encodeURIComponent('/\t/evil.example')}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /name="next" value="\/app"/);
  });
});

describe('language links', () => {
  it('GET //evil.example: the 404 page links to the same-site path, never to another host', async () => {
    const r = await S.client().get('//evil.example');
    assert.equal(r.status, 404);
    const hrefs = [...r.text.matchAll(/href="([^"]*\?lang=[^"]*)"/g)].map((m) => m[1]);
    assert.ok(hrefs.length >= 2, 'language links are there');
    for (const h of hrefs) {
      assert.ok(h.startsWith('/') && !h.startsWith('//') && !h.includes('\\'), h);
      assert.match(h, /^\/evil\.example\?lang=/);
    }
  });

  it('paths with backslashes or control characters link to the home page', async () => {
    for (const p of ['/%5Cevil.example', '/%5C%5Cevil.example', '/a%09b', '///%5Cevil.example']) {
      const r = await rawRequest(S.port, `GET ${p}`);
      assert.equal(r.status, 404, p);
      const hrefs = [...r.body.matchAll(/href="([^"]*\?lang=[^"]*)"/g)].map((m) => m[1]);
      assert.ok(hrefs.length >= 2, p);
      for (const h of hrefs) assert.match(h, /^\/\?lang=/, `${p}: ${h}`);
    }
  });

  it('an ordinary page keeps its own path in the links', async () => {
    const r = await S.client().get('/ambiti/cremona');
    assert.equal(r.status, 200);
    assert.match(r.text, /href="\/ambiti\/cremona\?lang=en"/);
  });
});

describe('urlencoded forms', () => {
  const fields = (n) => Array.from({ length: n }, (_, i) => `f${i}=${i}`).join('&');

  it(`more than 256 fields: 413 too_many_fields, anonymous or not`, async () => {
    const c = S.client();
    await c.get('/login');
    const body = `_csrf=${c.cookie('li_pre')}&username=demo-operator&password=x&${fields(300)}`;
    assertError(await c.request('POST', '/login', { body, headers: FORM_CT, csrf: false }), 413, { code: 'too_many_fields' });
    const r = await admin.request('POST', '/admin/users', { body: `_csrf=${admin.csrf}&${fields(300)}`, headers: FORM_CT, csrf: false });
    assertError(r, 413, { code: 'too_many_fields' });
  });

  it('256 fields are read as usual', async () => {
    const c = S.client();
    await c.get('/login');
    const a = S.accounts.get('demo-operator');
    const body = `${fields(253)}&_csrf=${c.cookie('li_pre')}&username=${a.username}&password=${encodeURIComponent(a.password)}`;
    const r = await c.request('POST', '/login', { body, headers: FORM_CT, csrf: false });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  });

  /** A page's refusal of a body over the cap: a 413 page in the layout (the API answers JSON). */
  const assertPageTooLarge = (r) => {
    assert.equal(r.status, 413, r.text.slice(0, 300));
    assert.match(r.headers.get('content-type') || '', /^text\/html/);
    assert.match(r.text, /<main/);
  };

  it('a visitor without a session may send at most 64 KiB (413 too_large), stated or chunked', async () => {
    const big = `username=demo-operator&password=${'p'.repeat(70 * 1024)}`;
    assertPageTooLarge(await S.client().request('POST', '/login', { body: big, headers: FORM_CT, csrf: false }));
    const json = JSON.stringify({ username: 'demo-operator', password: 'p'.repeat(70 * 1024) });
    assertError(await S.client().request('POST', '/api/v1/session', { body: json, headers: { 'Content-Type': 'application/json' } }), 413, { code: 'too_large' });
    // A forged session cookie does not lift the cap.
    const forged = S.client();
    forged.cookies.set('li_session', 'A'.repeat(43));
    assertPageTooLarge(await forged.request('POST', '/login', { body: big, headers: FORM_CT, csrf: false }));
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    const stream = new ReadableStream({
      start(ctl) {
        for (let i = 0; i < 5; i++) ctl.enqueue(chunk);
        ctl.close();
      },
    });
    const res = await fetch(`${S.base}/login`, { method: 'POST', body: stream, duplex: 'half', headers: FORM_CT });
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type') || '', /^text\/html/);
    assert.match(await res.text(), /<main/);
  });

  it('eight parallel anonymous 1 MB login posts are refused at once, and the server still answers', async () => {
    const big = `username=demo-operator&password=${'p'.repeat(1024 * 1024 - 40)}`;
    const t0 = Date.now();
    const rs = await Promise.all(
      Array.from({ length: 8 }, () => S.client().request('POST', '/login', { body: big, headers: FORM_CT, csrf: false })),
    );
    for (const r of rs) assertPageTooLarge(r);
    assert.ok(Date.now() - t0 < 5000, `${Date.now() - t0} ms`);
    assert.equal((await S.client().get('/healthz')).status, 200);
  });

  it('a logged-in user may still send a large form (then judged on its fields)', async () => {
    const body = new URLSearchParams({ _csrf: admin.csrf, username: 'big-form', password: 'x', display_name: 'd'.repeat(200 * 1024), role: 'operator' }).toString();
    const r = await admin.request('POST', '/admin/users', { body, headers: FORM_CT, csrf: false });
    assert.notEqual(r.status, 413, r.text.slice(0, 200));
    assert.equal(r.status, 422);
  });
});
