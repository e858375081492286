// Health, metrics, static files, the served OpenAPI document and the headers
// every response carries. The server trusts a proxy (LABIMPACT_TRUST_PROXY=1)
// so that X-Real-IP can stand for a non-loopback client and
// X-Forwarded-Proto for TLS.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, assertError, useServer } from './helpers.mjs';

const S = useServer({ env: { LABIMPACT_TRUST_PROXY: '1' } });
const REMOTE = { 'X-Real-IP': '203.0.113.7' };

/** Asserts the security headers the server puts on every response. */
function assertSecurityHeaders(r, { tls = false } = {}) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp, 'Content-Security-Policy');
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /default-src 'self'/);
  const script = csp.split(';').map((s) => s.trim()).find((s) => s.startsWith('script-src'));
  assert.ok(script, 'script-src present');
  assert.doesNotMatch(script, /unsafe-inline|unsafe-eval/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.ok(r.headers.get('referrer-policy'), 'Referrer-Policy');
  assert.match(r.headers.get('x-request-id') || '', /^[0-9a-f]{16}$/);
  if (tls) assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d+/);
  else assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
}

describe('healthz', () => {
  it('answers 200 {"status":"ok"} as JSON', async () => {
    const r = await S.client().get('/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(r.json, { status: 'ok' });
    assertSecurityHeaders(r);
  });

  it('answers HEAD without a body', async () => {
    const r = await S.client().request('HEAD', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });

  it('gives every response a different request id', async () => {
    const c = S.client();
    const ids = new Set();
    for (let i = 0; i < 5; i++) ids.add((await c.get('/healthz')).headers.get('x-request-id'));
    assert.equal(ids.size, 5);
  });

  it('refuses other methods with 405', async () => {
    const r = await S.client().request('POST', '/healthz', { body: '{}', headers: { 'Content-Type': 'application/json' } });
    assert.equal(r.status, 405);
  });
});

describe('security headers', () => {
  it('are on API errors', async () => {
    const r = await S.client().get('/api/v1/me');
    assertError(r, 401, { code: 'unauthenticated' });
    assertSecurityHeaders(r);
  });

  it('are on pages, with no-store caching for personal pages', async () => {
    const home = await S.client().get('/');
    assert.equal(home.status, 200);
    assertSecurityHeaders(home);
    const login = await S.client().get('/login');
    assertSecurityHeaders(login);
    const a = await S.login('demo-admin');
    const app = await a.get('/app');
    assert.equal(app.status, 200);
    assertSecurityHeaders(app);
    assert.match(app.headers.get('cache-control') || '', /no-store/);
    const me = await a.get('/api/v1/me');
    assert.match(me.headers.get('cache-control') || '', /no-store/);
  });

  it('are on static files and on 404s', async () => {
    const c = S.client();
    assertSecurityHeaders(await c.get('/static/css/app.css'));
    assertSecurityHeaders(await c.get('/static/nope.css'));
    assertSecurityHeaders(await c.get('/no/such/page'));
  });

  it('add HSTS only behind TLS (X-Forwarded-Proto: https from the trusted proxy)', async () => {
    const r = await S.client().get('/healthz', { headers: { 'X-Forwarded-Proto': 'https' } });
    assertSecurityHeaders(r, { tls: true });
  });

  it('mark the session cookie Secure behind TLS', async () => {
    const a = S.accounts.get('demo-editor');
    const c = S.client();
    const r = await c.post(
      '/api/v1/session',
      { username: a.username, password: a.password },
      { headers: { 'X-Forwarded-Proto': 'https' } },
    );
    assert.equal(r.status, 200);
    const sc = r.setCookies.find((x) => x.name === 'li_session');
    assert.ok(sc, 'li_session set');
    assert.equal(sc.attrs.secure, true);
    assert.equal(sc.attrs.httponly, true);
  });
});

describe('metrics', () => {
  it('are served from loopback in Prometheus text format, per route', async () => {
    const c = S.client();
    await c.get('/healthz');
    const r = await c.get('/metrics');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /# TYPE labimpact_http_requests_total counter/);
    assert.match(r.text, /labimpact_http_requests_total\{route="\/healthz",method="GET",status="2xx"\} \d+/);
    assert.match(r.text, /labimpact_http_request_duration_seconds_bucket\{route="\/healthz",method="GET",le="\+Inf"\} \d+/);
    assert.match(r.text, /labimpact_http_request_duration_seconds_count\{route="\/healthz",method="GET"\} \d+/);
  });

  it('do not name raw paths of unknown URLs (no unbounded label values)', async () => {
    const c = S.client();
    await c.get('/api/v1/orgs-secret-path-xyz');
    const r = await c.get('/metrics');
    assert.doesNotMatch(r.text, /orgs-secret-path-xyz/);
  });

  it('refuse an anonymous remote client (401, or the login redirect of pages)', async () => {
    const r = await S.client().get('/metrics', { headers: REMOTE });
    if (r.status === 303) assert.match(r.headers.get('location'), /^\/login\?next=%2Fmetrics$/);
    else assert.equal(r.status, 401);
    assert.doesNotMatch(r.text, /labimpact_http_requests_total/);
  });

  it('refuse a remote non-admin with 403', async () => {
    const c = await S.login('demo-coordinator');
    const r = await c.get('/metrics', { headers: REMOTE });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /labimpact_http_requests_total/);
  });

  it('are served to a remote admin', async () => {
    const c = await S.login('demo-admin');
    const r = await c.get('/metrics', { headers: REMOTE });
    assert.equal(r.status, 200);
    assert.match(r.text, /labimpact_http_requests_total/);
  });
});

describe('static files', () => {
  it('serve with type, ETag and cache headers; 304 on If-None-Match', async () => {
    const c = S.client();
    const r = await c.get('/static/css/app.css');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/css/);
    const disk = await readFile(path.join(ROOT, 'static/css/app.css'), 'utf8');
    assert.equal(r.text, disk);
    const etag = r.headers.get('etag');
    assert.match(etag, /^"[^"]+"$/);
    assert.match(r.headers.get('cache-control'), /public, max-age=\d+/);
    const again = await c.get('/static/css/app.css', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    assert.equal(again.headers.get('etag'), etag);
    const other = await c.get('/static/css/app.css', { headers: { 'If-None-Match': '"not-it"' } });
    assert.equal(other.status, 200);
  });

  it('serve Bootstrap Italia from the vendor folder with a long cache', async () => {
    const r = await S.client().get('/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('cache-control'), /max-age=604800/);
  });

  it('answer 404 for missing files and for paths that climb out', async () => {
    const c = S.client();
    assert.equal((await c.get('/static/css/none.css')).status, 404);
    assert.equal((await c.get('/static/%2e%2e/src/main.c')).status, 404);
    assert.equal((await c.get('/static/css/%2e%2e/%2e%2e/Makefile')).status, 404);
    assert.equal((await c.get('/static/')).status, 404);
  });
});

describe('OpenAPI document', () => {
  it('is served at /api/v1/openapi.json as the file in docs/api', async () => {
    const r = await S.client().get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    const disk = JSON.parse(await readFile(path.join(ROOT, 'docs/api/openapi.json'), 'utf8'));
    assert.deepEqual(r.json, disk);
    assert.match(r.json.openapi, /^3\.1\./);
  });
});

describe('login throttling per address (through the trusted proxy)', () => {
  it('after 100 failures in an hour from one address, every login from it gets 429; other addresses are unaffected', async () => {
    const ip = { 'X-Real-IP': '198.51.100.9' };
    const attempt = (username, password, headers = ip) =>
      S.client().post('/api/v1/session', { username, password }, { headers });
    // 10 names x 10 failures: no single account reaches its own limit first.
    const jobs = [];
    for (let n = 0; n < 10; n++) for (let i = 0; i < 10; i++) jobs.push([`spray-${n}`, `wrong-password-${i}`]);
    for (let k = 0; k < jobs.length; k += 4) {
      const batch = await Promise.all(jobs.slice(k, k + 4).map(([u, p]) => attempt(u, p)));
      for (const r of batch) assertError(r, 401);
    }
    const a = S.accounts.get('demo-translator');
    const blocked = await attempt(a.username, a.password);
    assertError(blocked, 429, { code: 'too_many_attempts' });
    const ra = Number(blocked.headers.get('retry-after'));
    assert.ok(ra >= 1 && ra <= 3601, `Retry-After ${ra}`);
    const other = await attempt(a.username, a.password, { 'X-Real-IP': '198.51.100.10' });
    assert.equal(other.status, 200, 'another address logs in');
  });
});
