// Pages, over HTTP only (the browser tests live in tests/e2e): the public
// home and district pages in several languages, the login form, the
// workspace and admin pages with their denials, escaping of stored text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { strongPassword, useServer } from './helpers.mjs';

const C = {};
const S = useServer({}, async (srv) => {
  for (const u of ['demo-admin', 'demo-coordinator', 'demo-operator']) C[u] = await srv.login(u);
});

const form = (o, extra = {}) => ({
  body: new URLSearchParams(o).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  csrf: false,
  ...extra,
});

/** The <html> tag's attributes. */
function htmlTag(text) {
  const m = text.match(/<html\b([^>]*)>/i);
  assert.ok(m, 'an <html> tag');
  const lang = m[1].match(/\blang="([^"]*)"/)?.[1];
  const dir = m[1].match(/\bdir="([^"]*)"/)?.[1];
  return { lang, dir };
}

/** The <li> items inside the element with id `id` (a <ul>). */
function listItems(text, id) {
  const m = text.match(new RegExp(`<ul[^>]*id="${id}"[^>]*>([\\s\\S]*?)</ul>`));
  assert.ok(m, `list #${id}`);
  return m[1].match(/<li\b/g)?.length ?? 0;
}

describe('public home page', () => {
  it('GET / is the Italian home page by default, with the districts from the database', async () => {
    const r = await S.client().get('/');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
    assert.deepEqual(htmlTag(r.text), { lang: 'it', dir: 'ltr' });
    assert.match(r.text, /Lab'Impact|Lab&#39;Impact|Lab&#x27;Impact/);
    assert.ok(r.text.includes('href="/ambiti/cremona"'), 'links the Cremonese district');
    assert.ok(r.text.includes('href="/ambiti/luino"'), 'links the Luino district');
    assert.ok(r.text.includes('/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css'), 'Bootstrap Italia');
    assert.doesNotMatch(r.text, /<script(?![^>]*\bsrc=)[^>]*>/i, 'no inline script (CSP)');
  });

  it('?lang=en gives English and remembers the choice in a cookie', async () => {
    const c = S.client();
    const r = await c.get('/?lang=en');
    assert.equal(r.status, 200);
    assert.deepEqual(htmlTag(r.text), { lang: 'en', dir: 'ltr' });
    assert.equal(c.cookie('li_lang'), 'en');
    assert.equal(htmlTag((await c.get('/')).text).lang, 'en', 'the cookie keeps English');
  });

  it('?lang=ar gives Arabic, right to left', async () => {
    const r = await S.client().get('/?lang=ar');
    assert.equal(r.status, 200);
    assert.deepEqual(htmlTag(r.text), { lang: 'ar', dir: 'rtl' });
  });

  it('Accept-Language chooses the language when nothing else does; unknown languages fall back to Italian', async () => {
    const en = await S.client().get('/', { headers: { 'Accept-Language': 'en-GB,en;q=0.9' } });
    assert.equal(htmlTag(en.text).lang, 'en');
    const fr = await S.client().get('/', { headers: { 'Accept-Language': 'fr-FR' } });
    assert.equal(htmlTag(fr.text).lang, 'fr');
    const xx = await S.client().get('/?lang=xx', { headers: { 'Accept-Language': 'tlh' } });
    assert.equal(htmlTag(xx.text).lang, 'it');
    const pref = await S.client().get('/?lang=ar', { headers: { 'Accept-Language': 'en' } });
    assert.equal(htmlTag(pref.text).lang, 'ar', 'an explicit choice beats Accept-Language');
  });

  it('offers a language switch with every catalogue', async () => {
    const r = await S.client().get('/');
    for (const l of ['it', 'en', 'ar']) assert.ok(r.text.includes(`hreflang="${l}"`), `switch to ${l}`);
  });
});

describe('district pages', () => {
  it('/ambiti/cremona lists the 15 partners of the Cremonese network, the lead first', async () => {
    const r = await S.client().get('/ambiti/cremona');
    assert.equal(r.status, 200);
    assert.equal(listItems(r.text, 'partner-list'), 15);
    assert.ok(r.text.includes('Azienda Sociale Cremonese'));
    assert.ok(r.text.includes('Consorzio Casalasco'));
    const list = r.text.match(/<ul[^>]*id="partner-list"[^>]*>([\s\S]*?)<\/ul>/)[1];
    assert.ok(list.indexOf('Azienda Sociale Cremonese') < list.indexOf('Consorzio Casalasco'), 'lead first');
  });

  it('/ambiti/luino lists its 24 comuni', async () => {
    const r = await S.client().get('/ambiti/luino');
    assert.equal(r.status, 200);
    assert.equal(listItems(r.text, 'comune-list'), 24);
  });

  it('/ambiti/lodi shows the 2nd-edition project with its budget', async () => {
    const r = await S.client().get('/ambiti/lodi');
    assert.equal(r.status, 200);
    assert.match(r.text, /237[.,]?170/);
  });

  it('answers 404 for unknown codes and for organisations that are not districts', async () => {
    for (const p of ['/ambiti/nowhere', '/ambiti/cpia-cremona', '/ambiti/lombardia']) {
      const r = await S.client().get(p);
      assert.equal(r.status, 404, p);
      assert.match(r.headers.get('content-type'), /^text\/html/);
    }
  });

  it('escapes stored text: a name with markup shows as text', async () => {
    const name = '<script>alert("x")</script><b>Bold</b> & Co';
    const r = await C['demo-admin'].post('/api/v1/orgs', { code: 'xss-partner', name, kind: 'partner', parent: 'cremona' });
    assert.equal(r.status, 201, r.text);
    const page = await S.client().get('/ambiti/cremona');
    assert.ok(!page.text.includes('<script>alert'), 'no raw script');
    assert.ok(!page.text.includes('<b>Bold</b>'), 'no raw markup');
    assert.match(page.text, /&lt;script&gt;alert\(/);
    const home = await S.client().get('/?lang=en');
    assert.ok(!home.text.includes('<script>alert'));
  });
});

describe('login page', () => {
  it('GET /login shows the form with a _csrf field matching the li_pre cookie (HttpOnly)', async () => {
    const c = S.client();
    const r = await c.get('/login');
    assert.equal(r.status, 200);
    assert.match(r.text, /<form[^>]*method="post"[^>]*action="\/login"/);
    assert.match(r.text, /name="username"/);
    assert.match(r.text, /name="password"/);
    const token = r.text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(token, '_csrf field');
    const pre = r.setCookies.find((x) => x.name === 'li_pre');
    assert.ok(pre, 'li_pre cookie');
    assert.equal(pre.value, token);
    assert.equal(pre.attrs.httponly, true);
    assert.match(String(pre.attrs.samesite), /lax|strict/i);
  });

  it('a correct form login redirects to /app (or a local next) and sets the session cookie', async () => {
    const c = S.client();
    await c.get('/login');
    const a = S.accounts.get('demo-operator');
    const r = await c.request('POST', '/login', form({ _csrf: c.cookie('li_pre'), username: a.username, password: a.password, next: '/app' }));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/app');
    const sc = r.setCookies.find((x) => x.name === 'li_session');
    assert.ok(sc && sc.attrs.httponly === true);
    assert.equal((await c.get('/app')).status, 200);
  });

  it('never redirects off the site after login (open redirect)', async () => {
    const a = S.accounts.get('demo-operator');
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
      const c = S.client();
      await c.get('/login');
      const r = await c.request('POST', '/login', form({ _csrf: c.cookie('li_pre'), username: a.username, password: a.password, next }));
      assert.equal(r.status, 303);
      const loc = r.headers.get('location');
      assert.ok(loc.startsWith('/') && !loc.startsWith('//') && !loc.startsWith('/\\'), `${next} -> ${loc}`);
    }
  });

  it('a wrong password shows the form again with 401 and an error, and no session', async () => {
    const c = S.client();
    await c.get('/login');
    const r = await c.request('POST', '/login', form({ _csrf: c.cookie('li_pre'), username: 'demo-operator', password: 'not-the-password' }));
    assert.equal(r.status, 401);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /id="login-error"/);
    assert.match(r.text, /value="demo-operator"/, 'the username is kept');
    assert.ok(!r.text.includes('not-the-password'), 'the password is not echoed');
    assert.equal(c.cookie('li_session'), undefined);
  });

  it('a page POST without _csrf is refused with 403', async () => {
    const a = S.accounts.get('demo-operator');
    const r = await S.client().request('POST', '/login', form({ username: a.username, password: a.password }));
    assert.equal(r.status, 403);
    const out = await C['demo-operator'].request('POST', '/logout', form({}));
    assert.equal(out.status, 403);
  });

  it('GET /login with a session goes to the workspace', async () => {
    const r = await C['demo-operator'].get('/login');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/app');
  });
});

describe('workspace and admin pages', () => {
  it('GET /app without a session redirects to the login page with next', async () => {
    const r = await S.client().get('/app');
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/login?next=%2Fapp');
  });

  it("GET /app shows the user's organisation and network", async () => {
    const r = await C['demo-coordinator'].get('/app');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('Ambito Territoriale Cremonese'));
    const children = (await C['demo-coordinator'].get('/api/v1/orgs')).json.items.filter((o) => o.parent === 'cremona');
    assert.ok(children.length >= 15);
    assert.equal(listItems(r.text, 'network-list'), children.length);
    assert.match(r.text, /name="_csrf" value="[^"]+"/, 'the logout form carries the token');
  });

  it('admin pages: 200 for the admin, 403 for other roles, login redirect without a session', async () => {
    for (const p of ['/admin/users', '/admin/orgs']) {
      assert.equal((await C['demo-admin'].get(p)).status, 200, p);
      assert.equal((await C['demo-coordinator'].get(p)).status, 403, p);
      assert.equal((await C['demo-operator'].get(p)).status, 403, p);
      const anon = await S.client().get(p);
      assert.equal(anon.status, 303);
      assert.match(anon.headers.get('location'), /^\/login\?next=/);
    }
  });

  it('the audit page: 200 for coordinator and admin, 403 for an operator', async () => {
    assert.equal((await C['demo-coordinator'].get('/audit')).status, 200);
    assert.equal((await C['demo-admin'].get('/audit?action=login.success')).status, 200);
    assert.equal((await C['demo-operator'].get('/audit')).status, 403);
  });

  it('the admin creates an account through the form; errors come back as 422 with the form', async () => {
    const a = C['demo-admin'];
    const page = await a.get('/admin/users');
    const token = page.text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.equal(token, a.csrf);
    const ok = await a.request('POST', '/admin/users', form({ _csrf: token, username: 'page-made', password: strongPassword(), role: 'teacher', org: 'cremona' }));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), '/admin/users?created=1');
    const list = (await a.get('/api/v1/users?limit=200')).json.items;
    assert.ok(list.some((u) => u.username === 'page-made'));
    const bad = await a.request('POST', '/admin/users', form({ _csrf: token, username: 'page-bad', password: 'short', role: 'teacher', org: 'cremona' }));
    assert.equal(bad.status, 422);
    assert.match(bad.text, /id="form-error"/);
    assert.match(bad.text, /value="page-bad"/, 'the form keeps the input');
  });

  it('the admin creates an organisation through the form', async () => {
    const a = C['demo-admin'];
    const ok = await a.request('POST', '/admin/orgs', form({ _csrf: a.csrf, code: 'page-org', name: 'Da pagina', kind: 'partner', parent: 'cremona' }));
    assert.equal(ok.status, 303);
    assert.equal((await a.get('/api/v1/orgs/page-org')).status, 200);
    const bad = await a.request('POST', '/admin/orgs', form({ _csrf: a.csrf, code: 'page-org', name: 'Doppione', kind: 'partner', parent: 'cremona' }));
    assert.equal(bad.status, 409);
  });

  it('POST /logout with the token ends the session and goes home', async () => {
    const c = await S.login('demo-teacher');
    const r = await c.request('POST', '/logout', form({ _csrf: c.csrf }));
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), '/');
    assert.equal((await c.get('/app')).status, 303);
  });
});
