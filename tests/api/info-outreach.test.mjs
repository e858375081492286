// info-outreach.test.mjs — qualified information reaching people (issue 11):
// attachments per language on a material (the file is the body, its type
// sniffed, shown in the visitor's language or in Italian marked so), the
// review-by reminder mailed to the editor through the outbox by a machine
// timer (as the desk's digest) and listed in the editor's workspace, the
// newsletter's issues composed from notices, materials and events and sent
// to confirmed subscribers in their language with the job's progress (real
// SMTP sink), the contacts and office hours of desks and offices on the
// district's page and /info, the portal's manifest and service worker, and
// every denial: an operator cannot edit, another district's editor gets 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer, assertError, Client, ROOT, sleep } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv;
let sink;
let docs;
let admin;
let editor; // demo-editor (cremona)
let translator;
let reviewer;
let coordinator;
let lodiEditor;
let operator;
let anon;
const ids = {};

before(async () => {
  sink = await startSmtpSink();
  docs = await mkdtemp(path.join(os.tmpdir(), 'labimpact-info-docs-'));
  srv = await startServer({
    env: {
      LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test',
      LABIMPACT_DOCUMENTS: docs,
    },
    users: [
      { username: 'tr-second', role: 'translator', org: 'cremona' },
      { username: 'ed-lodi', role: 'editor', org: 'lodi' },
    ],
  });
  admin = await srv.login('demo-admin');
  editor = await srv.login('demo-editor');
  translator = await srv.login('demo-translator');
  reviewer = await srv.login('tr-second');
  coordinator = await srv.login('demo-coordinator');
  lodiEditor = await srv.login('ed-lodi');
  operator = await srv.login('demo-operator');
  anon = new Client(srv.base);
  const m = await editor.post('/api/v1/materials', { title: 'Permesso di soggiorno', body: 'Come si rinnova.', category: 'permits', org: 'cremona' });
  assert.equal(m.status, 201, m.text);
  ids.m = m.json.id;
});

after(async () => {
  await srv?.stop();
  await sink?.stop();
  if (docs) await rm(docs, { recursive: true, force: true });
});

const put = (c, p, json) => c.request('PUT', p, { json });
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** POSTs `bytes` as an attachment of material `id` in `lang`. */
const upload = (c, id, lang, bytes, { title = 'Modulo', filename = 'modulo' } = {}) => c.request('POST', `/api/v1/materials/${id}/attachments/${lang}`, {
  body: bytes, headers: { 'Content-Type': 'application/octet-stream', 'X-Title': encodeURIComponent(title), 'Content-Disposition': `attachment; filename="${encodeURIComponent(filename)}"` },
});

test('attachments: a file per language, type by its bytes, the Arabic one shown in Arabic, Italian elsewhere marked', async () => {
  let r = await upload(editor, ids.m, 'it', PDF, { title: 'Modulo di rinnovo', filename: 'rinnovo.exe' });
  assert.equal(r.status, 201, r.text);
  ids.itFile = r.json.id;
  const png = await readFile(path.join(ROOT, 'static/info/icon-192.png'));
  r = await upload(editor, ids.m, 'ar', png, { title: 'استمارة التجديد', filename: 'استمارة' });
  assert.equal(r.status, 201, r.text);
  ids.arFile = r.json.id;
  const list = await editor.get(`/api/v1/materials/${ids.m}/attachments`);
  assert.equal(list.status, 200);
  const byLang = Object.fromEntries(list.json.items.map((a) => [a.lang, a]));
  assert.equal(byLang.it.content_type, 'application/pdf');
  assert.equal(byLang.it.filename, 'rinnovo_exe.pdf', 'the extension comes from the bytes');
  assert.equal(byLang.ar.content_type, 'image/png');
  assert.equal(byLang.ar.title, 'استمارة التجديد');
  const mat = await editor.get(`/api/v1/materials/${ids.m}`);
  assert.equal(mat.json.attachments.length, 2);

  const ar = await anon.get(`/info/${ids.m}?lang=ar`);
  assert.match(ar.text, /id="info-files"/);
  assert.match(ar.text, /استمارة التجديد/);
  assert.doesNotMatch(ar.text, /Modulo di rinnovo/);
  const fr = await anon.get(`/info/${ids.m}?lang=fr`);
  assert.match(fr.text, /Modulo di rinnovo/);
  assert.match(fr.text, /li-file-fallback/, 'the Italian file is marked as such');
  const file = await fetch(`${srv.base}/info/files/${ids.itFile}`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'application/pdf');
  assert.match(file.headers.get('content-disposition'), /^attachment; filename="rinnovo_exe.pdf"/);
  // one Cache-Control, the public one (fetch joins repeated headers with ", ")
  assert.equal(file.headers.get('cache-control'), 'public, max-age=300');
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), PDF);
});

test('attachments: bad files and denials', async () => {
  assertError(await upload(editor, ids.m, 'it', Buffer.from('MZ\x90\x00 not a document')), 415, { field: 'file' });
  assertError(await upload(editor, ids.m, 'it', Buffer.alloc(0)), 422, { field: 'file' });
  assertError(await upload(editor, ids.m, 'xx', PDF), 422, { field: 'lang' });
  assertError(await upload(operator, ids.m, 'it', PDF), 403);
  assertError(await upload(translator, ids.m, 'it', PDF), 403);
  assertError(await upload(lodiEditor, ids.m, 'it', PDF), 404);
  assertError(await upload(anon, ids.m, 'it', PDF), 401);
  assertError(await editor.request('POST', `/api/v1/materials/${ids.m}/attachments/it`, { body: PDF, csrf: false }), 403, { code: 'csrf' });
  assertError(await lodiEditor.get(`/api/v1/materials/${ids.m}/attachments`), 404);
  assertError(await operator.get(`/api/v1/materials/${ids.m}/attachments`), 403);
  assertError(await lodiEditor.request('DELETE', `/api/v1/attachments/${ids.arFile}`), 404);
  assertError(await operator.request('DELETE', `/api/v1/attachments/${ids.arFile}`), 403);
  const del = await editor.request('DELETE', `/api/v1/attachments/${ids.arFile}`);
  assert.equal(del.status, 204, del.text);
  assert.equal((await fetch(`${srv.base}/info/files/${ids.arFile}`)).status, 404);
  const ar = await anon.get(`/info/${ids.m}?lang=ar`);
  assert.match(ar.text, /li-file-fallback/, 'without the Arabic file the Italian one is shown, marked');
  assert.equal((await anon.get('/info/files/999999')).status, 404);
});

test('review-by: the machine timer mails the editor once per date; the workspace lists the overdue', async () => {
  const u = await admin.post('/api/v1/users', { username: 'ed-remind', password: 'Tp-longpassword-zq7', role: 'editor', org: 'cremona', email: 'redazione@example.org' });
  assert.equal(u.status, 201, u.text);
  const old = await editor.post('/api/v1/materials', { title: 'Opuscolo scaduto', body: 'Da rivedere.', category: 'health', review_by: '2024-03-31' });
  const lodi = await lodiEditor.post('/api/v1/materials', { title: 'Opuscolo di Lodi', body: 'Altro.', category: 'health', review_by: '2024-03-31' });
  assert.equal(lodi.status, 201);
  assertError(await operator.post('/api/v1/materials/reminders', {}), 403);
  assertError(await editor.post('/api/v1/materials/reminders', {}), 403);
  const timer = srv.client(); // loopback, no session
  const r = await timer.post('/api/v1/materials/reminders', {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.queued >= 1);
  const m = await sink.waitFor((x) => x.to.includes('redazione@example.org') && /rivedere/.test(x.subject), 15000);
  assert.ok(m, 'the reminder reached the SMTP server');
  assert.match(m.text, /Opuscolo scaduto \(2024-03-31\)/);
  assert.match(m.text, new RegExp(`/info/editor/${old.json.id}`));
  assert.doesNotMatch(m.text, /Opuscolo di Lodi/, 'another district\'s material is not in a Cremona editor\'s reminder');
  assert.equal((await timer.post('/api/v1/materials/reminders', {})).json.queued, 0, 'once per date');
  // A new review-by date, once passed, reminds again.
  await editor.patch(`/api/v1/materials/${old.json.id}`, { review_by: '2024-04-30' });
  assert.ok((await timer.post('/api/v1/materials/reminders', {})).json.queued >= 1);

  const over = await editor.get('/api/v1/materials/overdue');
  assert.equal(over.status, 200);
  assert.ok(over.json.items.some((x) => x.id === old.json.id));
  assert.ok(!over.json.items.some((x) => x.id === lodi.json.id));
  assertError(await operator.get('/api/v1/materials/overdue'), 403);
  const page = await editor.get('/info/editor');
  assert.match(page.text, /id="overdue"/);
  assert.match(page.text, /Opuscolo scaduto/);
});

test('materials and notices lists are paged (limit and cursor)', async () => {
  const a = await editor.get('/api/v1/materials?limit=1');
  assert.equal(a.status, 200);
  assert.equal(a.json.items.length, 1);
  assert.ok(a.json.next_cursor);
  const b = await editor.get(`/api/v1/materials?limit=1&cursor=${a.json.next_cursor}`);
  assert.notEqual(b.json.items[0].id, a.json.items[0].id);
  assertError(await editor.get('/api/v1/materials?limit=0'), 422);
  assertError(await operator.get('/api/v1/notices'), 403);
});

/** Subscribes and confirms `email` in `lang`; resolves the unsubscribe token. */
async function subscriber(email, lang) {
  const r = await anon.post('/api/v1/public/newsletter', { email, lang });
  assert.equal(r.status, 202, r.text);
  const msg = await sink.waitFor((m) => m.to.includes(email) && /\/newsletter\/confirm\//.test(m.text));
  const confirm = msg.text.match(/\/newsletter\/confirm\/([A-Za-z0-9_-]+)/)[1];
  assert.equal((await anon.get(`/newsletter/confirm/${confirm}`)).status, 200);
  return msg.text.match(/\/newsletter\/unsubscribe\/([A-Za-z0-9_-]+)/)[1];
}

test('newsletter issue: composed from notices, materials and events, sent in each subscriber\'s language with progress', async () => {
  // A published English translation; none in Arabic.
  const url = `/api/v1/materials/${ids.m}/translations/en`;
  assert.equal((await put(translator, url, { title: 'Residence permit', body: 'How to renew it.', status: 'review' })).status, 200);
  assert.equal((await put(reviewer, url, { status: 'published' })).status, 200);
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10);
  const n = await editor.post('/api/v1/notices', { title: 'Sportello chiuso venerdì', body: 'Riapre lunedì.', org: 'cremona', valid_from: today, valid_until: later });
  assert.equal(n.status, 201);
  const ev = await coordinator.post('/api/v1/events', { title: 'Incontro informativo', start: '2027-05-10T17:00', end: '2027-05-10T19:00', place: 'Biblioteca di Cremona', org: 'cremona' });
  assert.equal(ev.status, 201, ev.text);
  await subscriber('en-reader@example.org', 'en');
  const arUnsub = await subscriber('ar-reader@example.org', 'ar');
  const gone = await subscriber('gone@example.org', 'fr');
  assert.equal((await anon.get(`/newsletter/unsubscribe/${gone}`)).status, 200);
  await anon.post('/api/v1/public/newsletter', { email: 'never-confirmed@example.org', lang: 'it' });

  const body = {
    subject: 'Notizie di maggio', intro: 'Le novità del mese.', notice_ids: [n.json.id], material_ids: [ids.m], event_ids: [ev.json.id],
    translations: { ar: { subject: 'أخبار شهر مايو', intro: 'مستجدات الشهر.' } },
  };
  assertError(await operator.post('/api/v1/newsletter/issues', body), 403);
  assertError(await translator.post('/api/v1/newsletter/issues', body), 403);
  assertError(await lodiEditor.post('/api/v1/newsletter/issues', body), 422, { field: 'notice_ids' });
  assertError(await editor.post('/api/v1/newsletter/issues', { ...body, subject: '' }), 422, { field: 'subject' });
  assertError(await editor.post('/api/v1/newsletter/issues', { ...body, material_ids: ['x'] }), 422, { field: 'material_ids' });
  assertError(await editor.post('/api/v1/newsletter/issues', { ...body, translations: { xx: { subject: 'x' } } }), 422, { field: 'translations' });
  assertError(await editor.post('/api/v1/newsletter/issues', { ...body, translations: { ar: { subject: 1 } } }), 422, { field: 'translations' });
  const is = await editor.post('/api/v1/newsletter/issues', body);
  assert.equal(is.status, 201, is.text);
  const id = is.json.id;
  ids.issue = id;
  assertError(await lodiEditor.get(`/api/v1/newsletter/issues/${id}`), 404);
  assertError(await lodiEditor.post(`/api/v1/newsletter/issues/${id}/send`, {}), 404);
  assertError(await operator.post(`/api/v1/newsletter/issues/${id}/send`, {}), 403);
  const draft = await editor.get(`/api/v1/newsletter/issues/${id}`);
  assert.equal(draft.json.status, 'draft');
  assert.equal(draft.json.job.total, 0);

  const sent = await editor.post(`/api/v1/newsletter/issues/${id}/send`, {});
  assert.equal(sent.status, 202, sent.text);
  assert.equal(sent.json.status, 'sent');
  assert.equal(sent.json.recipients, 2, 'confirmed and not unsubscribed only');
  assert.equal(sent.json.job.total, 2);
  assertError(await editor.post(`/api/v1/newsletter/issues/${id}/send`, {}), 409, { code: 'already_sent' });
  const page = await editor.get(`/info/editor/issues/${id}`);
  assert.match(page.text, /id="job-counts"/);

  let job;
  for (let i = 0; i < 60; i++) {
    job = (await editor.get(`/api/v1/newsletter/issues/${id}`)).json.job;
    if (job.done) break;
    await sleep(250);
  }
  assert.deepEqual(job, { total: 2, sent: 2, failed: 0, pending: 0, done: true });
  const done = await editor.get(`/info/editor/issues/${id}`);
  assert.equal(done.headers.get('refresh'), null, 'no more refreshing once done');
  const en = sink.messages.find((m) => m.to.includes('en-reader@example.org') && m.subject === 'Notizie di maggio');
  const ar = sink.messages.find((m) => m.to.includes('ar-reader@example.org') && m.subject === 'أخبار شهر مايو');
  assert.ok(en && ar, 'both subscribers got the issue');
  assert.match(en.text, /Residence permit/);
  assert.match(en.text, new RegExp(`/info/${ids.m}\\?lang=en`));
  assert.match(ar.text, /Permesso di soggiorno \([^)]+\)/, 'the Italian title, marked, for Arabic');
  for (const m of [en, ar]) {
    assert.match(m.text, /Sportello chiuso venerdì/);
    assert.match(m.text, /Incontro informativo/);
    assert.match(m.text, /2027-05-10, Biblioteca di Cremona/);
  }
  assert.match(en.text, /Le novità del mese/, 'no English introduction: the Italian one');
  assert.match(ar.text, /مستجدات الشهر/, 'the Arabic introduction for the Arabic reader');
  assert.doesNotMatch(ar.text, /Le novità del mese/);
  assert.match(ar.text, new RegExp(`/newsletter/unsubscribe/${arUnsub}`));
  assert.ok(!sink.messages.some((m) => (m.to.includes('gone@example.org') || m.to.includes('never-confirmed@example.org')) && !/newsletter\/confirm/.test(m.text)));
  const list = await editor.get('/api/v1/newsletter/issues');
  assert.ok(list.json.items.some((x) => x.id === id && x.job.sent === 2));
  assert.ok(!(await lodiEditor.get('/api/v1/newsletter/issues')).json.items.some((x) => x.id === id));
});

test('contacts and office hours: edited by the coordinator or editor, on the district page and /info', async () => {
  const body = {
    address: 'Via Aselli 13/A, 26100 Cremona', phone: '+39 0372 407111', email: 'sportello@comune.cremona.it', by_appointment: true,
    note: 'Portare un documento.',
    hours: [
      { weekday: 1, opens: '09:00', closes: '12:30' }, { weekday: 3, opens: '14:00', closes: '17:00' },
      { weekday: 4, opens: '14:30', closes: '17:30', kind: 'facilitation' },
    ],
  };
  let r = await put(coordinator, '/api/v1/contacts/cremona', body);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hours.length, 3);
  assert.equal(r.json.hours[2].kind, 'facilitation');
  r = await put(editor, '/api/v1/contacts/cremona', { ...body, phone: '0372 407222' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.phone, '0372 407222');
  assertError(await put(operator, '/api/v1/contacts/cremona', body), 403);
  assertError(await put(translator, '/api/v1/contacts/cremona', body), 403);
  assertError(await put(lodiEditor, '/api/v1/contacts/cremona', body), 404);
  assertError(await lodiEditor.get('/api/v1/contacts/cremona'), 404);
  assertError(await anon.request('PUT', '/api/v1/contacts/cremona', { json: body }), 401);
  assertError(await put(editor, '/api/v1/contacts/nowhere', body), 404);
  assertError(await put(editor, '/api/v1/contacts/cremona', { ...body, phone: 'call me' }), 422, { field: 'phone' });
  assertError(await put(editor, '/api/v1/contacts/cremona', { ...body, email: 'x@' }), 422, { field: 'email' });
  assertError(await put(editor, '/api/v1/contacts/cremona', { ...body, hours: [{ weekday: 8, opens: '09:00', closes: '10:00' }] }), 422, { field: 'hours' });
  assertError(await put(editor, '/api/v1/contacts/cremona', { ...body, hours: [{ weekday: 1, opens: '12:00', closes: '09:00' }] }), 422, { field: 'hours' });
  assertError(await put(editor, '/api/v1/contacts/cremona', { ...body, colour: 'red' }), 422);
  const pub = await anon.get('/api/v1/public/contacts?org=cremona');
  assert.equal(pub.status, 200);
  assert.equal(pub.json.items[0].org, 'cremona');
  assert.equal(pub.json.items[0].by_appointment, true);
  assertError(await anon.get('/api/v1/public/contacts?org=nowhere'), 404);
  const district = await anon.get('/ambiti/cremona');
  assert.match(district.text, /id="contacts"/);
  assert.match(district.text, /0372 407222/);
  assert.match(district.text, /li-facilitation/);
  assert.match(district.text, /14:30–17:30/);
  const lodiPage = await anon.get('/ambiti/lodi');
  assert.doesNotMatch(lodiPage.text, /0372 407222/);
  const info = await anon.request('GET', '/info', { headers: { 'Accept-Language': 'ar' } });
  assert.match(info.text, /id="contacts"/);
  assert.match(info.text, /sportello@comune.cremona.it/);
});

test('the portal is installable: manifest, icons and a service worker allowed to control /info', async () => {
  const page = await anon.get('/info');
  assert.match(page.text, /<link rel="manifest" href="\/static\/info\/manifest.webmanifest">/);
  assert.match(page.text, /\/static\/info\/offline.js/);
  const man = await anon.get('/static/info/manifest.webmanifest');
  assert.equal(man.status, 200);
  assert.match(man.headers.get('content-type'), /manifest\+json/);
  const m = JSON.parse(man.text);
  assert.equal(m.start_url, '/info');
  assert.ok(m.icons.some((i) => i.sizes === '512x512'));
  for (const i of m.icons) assert.equal((await fetch(srv.base + i.src)).status, 200);
  const sw = await fetch(`${srv.base}/static/info/sw.js`);
  assert.equal(sw.status, 200);
  assert.equal(sw.headers.get('service-worker-allowed'), '/');
});

test('while the messages wait for the SMTP server, the issue page refreshes itself and the job counts them pending', async () => {
  await sink.stop(); // the relay goes away: deliveries fail and wait for their next attempt
  sink = null;
  const is = await editor.post('/api/v1/newsletter/issues', { subject: 'Numero in attesa', material_ids: [ids.m] });
  assert.equal(is.status, 201, is.text);
  const sent = await editor.post(`/api/v1/newsletter/issues/${is.json.id}/send`, {});
  assert.equal(sent.status, 202, sent.text);
  assert.ok(sent.json.job.total >= 1);
  await sleep(1500); // one sender pass at least (LABIMPACT_OUTBOX_INTERVAL=1): it fails, the messages stay pending
  const job = (await editor.get(`/api/v1/newsletter/issues/${is.json.id}`)).json.job;
  assert.equal(job.done, false);
  assert.equal(job.pending, job.total);
  const page = await editor.get(`/info/editor/issues/${is.json.id}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('refresh') || '', /^\d+$/, 'the page reloads itself while sending');
  assert.match(page.text, /<progress[^>]+value="0"/);
});

test('the compose page: a refused issue is shown again with its error and its text; denials', async () => {
  const page = await editor.get('/info/editor/issues');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="issue-form"/);
  const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const r = await editor.request('POST', '/info/editor/issues', {
    body: new URLSearchParams({ _csrf: csrf, subject: 'Solo oggetto', intro: '' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="form-error"/);
  assert.match(r.text, /value="Solo oggetto"/);
  assert.equal((await operator.get('/info/editor/issues')).status, 403);
  assert.equal((await editor.get(`/info/editor/issues/${ids.issue}`)).status, 200);
  assert.equal((await lodiEditor.get(`/info/editor/issues/${ids.issue}`)).status, 404);
  assert.equal((await lodiEditor.get('/info/editor/contacts/cremona')).status, 404);
  assert.equal((await anon.get('/info/editor/contacts')).status, 303);
});
