// info.test.mjs — qualified information through the API and the public pages
// (CONTRACT.md "Qualified information"): materials with revisions and a diff,
// the translation workflow (draft -> review -> published, stale when the
// source moves on, a second person publishes), safe Markdown (no <script>,
// no javascript: links), the public portal with the Italian fallback and
// search (Chinese too), leaflets whose text pdftotext gives back (Arabic,
// Urdu, Chinese), notices valid today with the board page and Atom feed, the
// newsletter's double opt-in through the outbox, and every denial: no
// session, a role without the capability (403), another district (404), bad
// fields (422 with the field).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, assertError, Client } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv;
let sink;
let editor; // demo-editor (cremona)
let translator; // demo-translator (cremona)
let reviewer; // a second translator of cremona
let lodiEditor; // editor of another district
let operator;
let anon;
const ids = {};

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test' },
    users: [
      { username: 'tr-second', role: 'translator', org: 'cremona' },
      { username: 'ed-lodi', role: 'editor', org: 'lodi' },
    ],
  });
  editor = await srv.login('demo-editor');
  translator = await srv.login('demo-translator');
  reviewer = await srv.login('tr-second');
  lodiEditor = await srv.login('ed-lodi');
  operator = await srv.login('demo-operator');
  anon = new Client(srv.base);
});

after(async () => {
  await srv?.stop();
  await sink?.stop();
});

/** PUT with a JSON body (the client has no shorthand for it). */
const put = (c, p, json) => c.request('PUT', p, { json });

/** The text layer of a PDF (pdftotext), with bidi marks removed. */
function pdfText(buf) {
  const r = spawnSync('pdftotext', ['-', '-'], { input: buf });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout.toString('utf8').replace(/[\u200e\u200f\u202a-\u202e]/g, '');
}

async function getBytes(p) {
  const res = await fetch(srv.base + p);
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

test('an editor creates a material; each change is a new revision, with a diff', async () => {
  const r = await editor.post('/api/v1/materials', {
    title: 'Tessera sanitaria', body: 'Prima riga.\n\nSeconda riga.', category: 'health', org: 'cremona', review_by: '2027-06-30',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.revision, 1);
  ids.m = r.json.id;
  let p = await editor.patch(`/api/v1/materials/${ids.m}`, { body: 'Prima riga.\n\nSeconda riga cambiata.' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.revision, 2);
  p = await editor.patch(`/api/v1/materials/${ids.m}`, { body: 'Prima riga.\n\nSeconda riga cambiata.' });
  assert.equal(p.json.revision, 2, 'no change, no new revision');
  p = await editor.patch(`/api/v1/materials/${ids.m}`, { title: 'Tessera sanitaria (TEAM)' });
  assert.equal(p.json.revision, 3);
  const d = await editor.get(`/api/v1/materials/${ids.m}/diff?from=1&to=2`);
  assert.equal(d.status, 200, d.text);
  assert.deepEqual(d.json.body.filter((l) => l.op !== 'same'), [
    { op: 'del', text: 'Seconda riga.' }, { op: 'add', text: 'Seconda riga cambiata.' },
  ]);
  const g = await editor.get(`/api/v1/materials/${ids.m}`);
  assert.equal(g.json.revision, 3);
  assert.deepEqual(g.json.revisions.map((x) => x.revision), [3, 2, 1]);
  assert.equal(g.json.review_by, '2027-06-30');
  assertError(await editor.get(`/api/v1/materials/${ids.m}/diff?from=1&to=9`), 422, { field: 'to' });
});

test('the review-by date reminds the editor once it is reached', async () => {
  const r = await editor.post('/api/v1/materials', { title: 'Vecchio opuscolo', body: 'Da rivedere.', category: 'family', review_by: '2024-01-31' });
  assert.equal(r.status, 201);
  const list = await editor.get('/api/v1/materials');
  const byId = Object.fromEntries(list.json.items.map((m) => [m.id, m]));
  assert.equal(byId[r.json.id].review_due, true);
  assert.equal(byId[ids.m].review_due, false);
  const page = await editor.get('/info/editor');
  assert.match(page.text, /li-review-due/);
});

test('materials: bad fields are 422 with the field', async () => {
  assertError(await editor.post('/api/v1/materials', { title: 'x', body: 'y', category: 'cooking' }), 422, { field: 'category' });
  assertError(await editor.post('/api/v1/materials', { body: 'y', category: 'health' }), 422, { field: 'title' });
  assertError(await editor.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health', review_by: '2027-02-30' }), 422, { field: 'review_by' });
  assertError(await editor.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health', org: 'lodi' }), 422, { field: 'org' });
  assertError(await editor.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health', colour: 'red' }), 422);
});

test('materials: denials — no session 401, operator and translator 403, another district 404', async () => {
  assertError(await anon.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health' }), 401);
  assertError(await operator.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health' }), 403);
  assertError(await translator.post('/api/v1/materials', { title: 'x', body: 'y', category: 'health' }), 403);
  assertError(await operator.get('/api/v1/materials'), 403);
  assertError(await lodiEditor.patch(`/api/v1/materials/${ids.m}`, { title: 'mine' }), 404);
  assertError(await lodiEditor.get(`/api/v1/materials/${ids.m}`), 404);
  assertError(await lodiEditor.get(`/api/v1/materials/${ids.m}/translations`), 404);
  const list = await lodiEditor.get('/api/v1/materials');
  assert.equal(list.status, 200);
  assert.ok(!list.json.items.some((m) => m.id === ids.m));
});

test('translations: draft -> review -> published by a second person; stale when the source changes', async () => {
  const url = `/api/v1/materials/${ids.m}/translations/en`;
  let r = await put(translator, url, { title: 'Health card', body: 'First line.\n\nSecond line changed.', status: 'draft' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'draft');
  assert.equal(r.json.source_revision, 3);
  assertError(await put(reviewer, url, { status: 'published' }), 409, { code: 'not_in_review' });
  r = await put(translator, url, { title: 'Health card', body: 'First line.\n\nSecond line changed.', status: 'review' });
  assert.equal(r.json.status, 'review');
  assertError(await put(translator, url, { status: 'published' }), 403, { code: 'own_translation' });
  assertError(await put(reviewer, url, { status: 'published', body: 'Something else.' }), 409, { code: 'text_changed' });
  r = await put(reviewer, url, { status: 'published' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'published');
  let list = await translator.get(`/api/v1/materials/${ids.m}/translations`);
  assert.deepEqual(list.json.items.map((t) => [t.lang, t.status, t.source_revision]), [['en', 'published', 3]]);

  const page = await anon.get(`/info/${ids.m}?lang=en`);
  assert.match(page.text, /<html lang="en" dir="ltr">/);
  assert.match(page.text, /Health card/);
  assert.doesNotMatch(page.text, /id="info-fallback"/);

  assert.equal((await editor.patch(`/api/v1/materials/${ids.m}`, { body: 'Prima riga.\n\nTerza versione.' })).json.revision, 4);
  list = await translator.get(`/api/v1/materials/${ids.m}/translations`);
  assert.deepEqual(list.json.items.map((t) => [t.lang, t.status, t.source_revision]), [['en', 'stale', 3]]);
  const stalePage = await anon.get(`/info/${ids.m}?lang=en`);
  assert.match(stalePage.text, /id="info-stale"/);

  r = await put(translator, url, { title: 'Health card', body: 'First line.\n\nThird version.', status: 'review' });
  assert.equal(r.json.source_revision, 4);
  r = await put(editor, url, { status: 'published' });
  assertError(r, 403); // an editor is not a translator: reviewing is the translators' work
  r = await put(reviewer, url, { status: 'published' });
  assert.equal(r.json.status, 'published');
});

test('translations: denials and bad fields', async () => {
  const url = `/api/v1/materials/${ids.m}/translations/ar`;
  assertError(await put(operator, url, { title: 'x', body: 'y' }), 403);
  assertError(await put(anon, url, { title: 'x', body: 'y' }), 401);
  assertError(await put(translator, `/api/v1/materials/${ids.m}/translations/xx`, { title: 'x', body: 'y' }), 422, { field: 'lang' });
  assertError(await put(translator, url, { title: 'x', body: 'y', status: 'final' }), 422, { field: 'status' });
  assertError(await put(translator, url, { body: 'y' }), 422, { field: 'title' });
  assertError(await put(translator, '/api/v1/materials/999999/translations/ar', { title: 'x', body: 'y' }), 404);
  const lodiTr = await srv.login('ed-lodi');
  assertError(await lodiTr.get(`/api/v1/materials/${ids.m}/translations`), 404);
});

test('Markdown is rendered safe: no raw HTML, no javascript: links', async () => {
  const body = '# Titolo\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[clic](javascript:alert(3)) e [ok](https://www.regione.lombardia.it)\n\n**forte**';
  const r = await editor.post('/api/v1/materials', { title: 'Prova sicurezza', body, category: 'work', org: 'cremona' });
  assert.equal(r.status, 201);
  const page = await anon.get(`/info/${r.json.id}`);
  const article = page.text.slice(page.text.indexOf('id="info-body"'), page.text.indexOf('</article>'));
  assert.doesNotMatch(article, /<script/i);
  assert.doesNotMatch(article, /onerror/i);
  assert.doesNotMatch(article, /javascript:/i);
  assert.match(article, /<strong>forte<\/strong>/);
  assert.match(article, /href="https:\/\/www\.regione\.lombardia\.it"/);
});

test('public portal: list by category, Italian fallback marked in the visitor\'s language, right to left for Arabic', async () => {
  const list = await anon.get('/info?lang=ar');
  assert.equal(list.status, 200);
  assert.match(list.text, /<html lang="ar" dir="rtl">/);
  assert.match(list.text, /تجديد تصريح الإقامة/);
  const health = await anon.get('/info?category=health&lang=it');
  assert.match(health.text, /Iscriversi al Servizio sanitario/);
  assert.doesNotMatch(health.text, /Rinnovare il permesso/);
    const school = (await anon.get('/info?category=school&lang=it')).text.match(/href="\/info\/(\d+)"/)[1];
  const zh = await anon.get(`/info/${school}?lang=zh`);
  assert.match(zh.text, /<html lang="zh" dir="ltr">/);
  assert.match(zh.text, /id="info-fallback"[^>]*>此文本尚无您的语言版本/);
  assert.match(zh.text, /<article[^>]*lang="it"/);
  const ur = await anon.get(`/info/${school}?lang=ur`);
  assert.match(ur.text, /<html lang="ur" dir="rtl">/);
  assert.match(ur.text, /<article[^>]*lang="it" dir="ltr"/);
  assert.ok(Buffer.byteLength(zh.text) < 100 * 1024, 'a page under 100 KB');
  assert.equal((await anon.get('/info/999999')).status, 404);
  assert.equal((await anon.get('/info/abc')).status, 404);
});

test('public search finds Chinese (two and four characters), Italian, and nothing for nonsense', async () => {
  const count = (t) => (t.match(/href="\/info\/\d+"/g) || []).length;
  assert.equal(count((await anon.get(`/info?lang=zh&q=${encodeURIComponent('医疗')}`)).text), 1);
  assert.equal(count((await anon.get(`/info?lang=zh&q=${encodeURIComponent('居留许可')}`)).text), 2); // permits, health
  assert.equal(count((await anon.get(`/info?lang=zh&q=${encodeURIComponent('印花税票')}`)).text), 1);
  assert.equal(count((await anon.get('/info?lang=it&q=passaporto')).text), 1);
  assert.equal(count((await anon.get('/info?lang=it&q=zzqqxx')).text), 0);
  const all = count((await anon.get('/info?lang=it')).text);
  assert.equal(count((await anon.get('/info?lang=it&q=%25%25_')).text), all, 'wildcards alone are no search');
});

test('leaflets: the PDF text layer is the translation (Arabic, Chinese, Urdu, Italian)', async () => {
  const permits = (await anon.get('/info?category=permits&lang=it')).text.match(/href="\/info\/(\d+)"/)[1];
  const ar = await getBytes(`/info/${permits}.pdf?lang=ar`);
  assert.equal(ar.status, 200);
  assert.equal(ar.type, 'application/pdf');
  assert.match(pdfText(ar.buf), /تجديد تصريح/);
  assert.match(pdfText(ar.buf), /جواز سفر ساري المفعول/);
  const zh = await getBytes(`/info/${permits}.pdf?lang=zh`);
  assert.match(pdfText(zh.buf), /居留许可的续签/);
  // Urdu: translate it here (translator writes, a second translator publishes), then print it.
  const url = `/api/v1/materials/${permits}/translations/ur`;
  let r = await put(translator, url, { title: 'رہائشی اجازت نامے کی تجدید', body: 'رہائشی اجازت نامہ ختم ہونے سے پہلے تجدید کروائیں۔', status: 'review' });
  assert.equal(r.status, 200, r.text);
  r = await put(reviewer, url, { status: 'published' });
  assert.equal(r.json.status, 'published');
  const ur = await getBytes(`/info/${permits}.pdf?lang=ur`);
  const urText = pdfText(ur.buf);
  assert.match(urText, /تجدید/);
  assert.match(urText, /رہائشی/);
  const it = await getBytes(`/info/${permits}.pdf`);
  assert.match(pdfText(it.buf), /Rinnovare il permesso di soggiorno/);
  assert.equal((await getBytes('/info/999999.pdf')).status, 404);
});

test('notices: valid today only, the board page and its Atom feed; denials', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
  const past = new Date(Date.now() - 10 * 86400000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
  let r = await editor.post('/api/v1/notices', { title: 'Avviso valido', body: 'Oggi sì.', org: 'cremona', valid_from: today, valid_until: later });
  assert.equal(r.status, 201, r.text);
  r = await editor.post('/api/v1/notices', { title: 'Avviso scaduto', body: 'Ieri.', org: 'cremona', valid_from: past, valid_until: yesterday });
  assert.equal(r.status, 201);
  assertError(await editor.post('/api/v1/notices', { title: 'x', body: 'y', org: 'cremona', valid_from: later, valid_until: today }), 422, { field: 'valid_until' });
  assertError(await editor.post('/api/v1/notices', { title: 'x', body: 'y', org: 'cremona', valid_from: 'oggi', valid_until: today }), 422, { field: 'valid_from' });
  assertError(await editor.post('/api/v1/notices', { title: 'x', body: 'y', org: 'lodi', valid_from: today, valid_until: later }), 422, { field: 'org' });
  assertError(await operator.post('/api/v1/notices', { title: 'x', body: 'y', org: 'cremona', valid_from: today, valid_until: later }), 403);
  assertError(await anon.post('/api/v1/notices', { title: 'x', body: 'y', org: 'cremona', valid_from: today, valid_until: later }), 401);
  const pub = await anon.get('/api/v1/public/notices?org=cremona');
  assert.equal(pub.status, 200);
  const titles = pub.json.items.map((n) => n.title);
  assert.ok(titles.includes('Avviso valido'));
  assert.ok(!titles.includes('Avviso scaduto'));
  assertError(await anon.get('/api/v1/public/notices?org=nowhere'), 404);
  assertError(await anon.get('/api/v1/public/notices'), 422, { field: 'org' });
  const page = await anon.get('/bacheca/cremona');
  assert.equal(page.status, 200);
  assert.match(page.text, /Avviso valido/);
  assert.doesNotMatch(page.text, /Avviso scaduto/);
  const feed = await anon.get('/bacheca/cremona.atom');
  assert.equal(feed.status, 200);
  assert.match(feed.headers.get('content-type'), /application\/atom\+xml/);
  assert.match(feed.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.match(feed.text, /<title>Avviso valido<\/title>/);
  const kiosk = await anon.get('/bacheca/cremona/kiosk');
  assert.equal(kiosk.status, 200);
  assert.match(kiosk.headers.get('refresh') || '', /^\d+/);
  assert.equal((await anon.get('/bacheca/nowhere')).status, 404);
  const lodi = await lodiEditor.get('/api/v1/notices');
  assert.ok(!lodi.json.items.some((n) => n.title === 'Avviso valido'));
});

test('newsletter: 202, confirmation e-mail with consent and both links, confirm and unsubscribe', async () => {
  const r = await anon.post('/api/v1/public/newsletter', { email: 'lettore@example.org', name: 'Lettore', lang: 'fr' });
  assert.equal(r.status, 202, r.text);
  const again = await anon.post('/api/v1/public/newsletter', { email: 'lettore@example.org', name: 'Lettore', lang: 'fr' });
  assert.equal(again.status, 202);
  assertError(await anon.post('/api/v1/public/newsletter', { email: 'not-an-address', lang: 'fr' }), 422, { field: 'email' });
  assertError(await anon.post('/api/v1/public/newsletter', { name: 'x' }), 422, { field: 'email' });
  const msg = await sink.waitFor((m) => m.to.includes('lettore@example.org') && /\/newsletter\/confirm\//.test(m.text || m.raw));
  assert.ok(msg, 'a confirmation e-mail');
  const text = msg.text || msg.raw;
  assert.match(text, /lettre d'information/);
  const confirm = text.match(/\/newsletter\/confirm\/([A-Za-z0-9_-]+)/g).pop().split('/').pop();
  const unsub = text.match(/\/newsletter\/unsubscribe\/([A-Za-z0-9_-]+)/g).pop().split('/').pop();
  let p = await anon.get(`/newsletter/confirm/${confirm}`);
  assert.equal(p.status, 200, p.text.slice(0, 300));
  assert.match(p.text, /id="newsletter-done"/);
  p = await anon.get(`/newsletter/unsubscribe/${unsub}`);
  assert.equal(p.status, 200);
  assert.equal((await anon.get('/newsletter/confirm/nope')).status, 404);
  assert.equal((await anon.get('/newsletter/unsubscribe/nope')).status, 404);
});

test('progress per language: share published and current', async () => {
  const r = await editor.get('/api/v1/materials/progress');
  assert.equal(r.status, 200, r.text);
  const en = r.json.items.find((x) => x.lang === 'en');
  assert.ok(r.json.materials >= 4);
  assert.ok(en.published >= 3 && en.current <= en.published);
  assertError(await operator.get('/api/v1/materials/progress'), 403);
});

/** POSTs an HTML form (urlencoded, with the session's CSRF token). */
const form = (c, p, fields) => c.request('POST', p, {
  body: new URLSearchParams({ _csrf: c.csrf, ...fields }).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

test('workspaces: the editor writes, the translator translates side by side, a second translator publishes', async () => {
  let r = await form(editor, '/info/editor', { title: 'Casa popolare', body: 'Bando aperto.', category: 'housing', review_by: '' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = r.headers.get('location').match(/\/info\/editor\/(\d+)/)[1];
  r = await form(editor, `/info/editor/${id}`, { title: 'Casa popolare', body: 'Bando aperto fino a marzo.', review_by: '2027-03-31' });
  assert.equal(r.status, 303);
  r = await editor.get(`/info/editor/${id}?from=1&to=2`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="diff"/);
  assert.match(r.text, /Bando aperto fino a marzo\./);
  r = await form(editor, '/info/editor', { title: '', body: 'x', category: 'housing' });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="form-error"/);

  r = await form(translator, `/info/translate/${id}/ar`, { title: 'السكن الشعبي', body: 'الإعلان مفتوح حتى مارس.', status: 'review' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await form(translator, `/info/translate/${id}/ar`, { status: 'published' });
  assert.equal(r.status, 403);
  assert.match(r.text, /id="form-error"/);
  r = await form(reviewer, `/info/translate/${id}/ar`, { status: 'published' });
  assert.equal(r.status, 303);
  await editor.patch(`/api/v1/materials/${id}`, { body: 'Bando aperto fino ad aprile.' });
  r = await translator.get(`/info/translate/${id}/ar`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="changes"/, 'what changed in the source since the translation');
  assert.match(r.text, /Bando aperto fino ad aprile\./);
  assert.match(r.text, /<textarea[^>]*lang="ar" dir="rtl"/);
  assert.match(r.text, /id="glossary"/);
  r = await translator.get('/info/translate');
  assert.equal(r.status, 200);
  assert.match(r.text, /<svg class="li-progress-chart" role="img"/);
  assert.match(r.text, /id="progress-table"/);
});

test('workspaces: denials', async () => {
  assert.equal((await operator.get('/info/editor')).status, 403);
  assert.equal((await operator.get('/info/translate')).status, 403);
  assert.equal((await editor.get('/info/translate')).status, 403);
  assert.equal((await translator.get('/info/editor')).status, 403);
  assert.equal((await lodiEditor.get(`/info/editor/${ids.m}`)).status, 404);
  assert.equal((await anon.get('/info/editor')).status, 303);
  const r = await form(lodiEditor, `/info/editor/${ids.m}`, { title: 'mine' });
  assert.equal(r.status, 404);
});

test('the portal\'s newsletter form: the consent is required, then a confirmation e-mail in the visitor\'s language', async () => {
  const c = new Client(srv.base);
  const page = await c.get('/info?lang=es');
  const token = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const post = (fields) => c.request('POST', '/info/newsletter', {
    body: new URLSearchParams({ _csrf: token, ...fields }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  let r = await post({ email: 'lectora@example.org' });
  assert.equal(r.status, 422);
  assert.match(r.text, /Marca la casilla/);
  r = await post({ email: 'nope', consent: '1' });
  assert.equal(r.status, 422);
  r = await post({ email: 'lectora@example.org', consent: '1' });
  assert.equal(r.status, 303);
  const msg = await sink.waitFor((m) => m.to.includes('lectora@example.org'));
  assert.match(msg.text, /Quiero recibir el boletín/);
  assert.match(msg.text, /\/newsletter\/unsubscribe\//);
  r = await c.request('POST', '/info/newsletter', { body: 'email=x%40y.it&consent=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 403, 'no form token, no sign-up');
});
