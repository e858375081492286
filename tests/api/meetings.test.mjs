// meetings.test.mjs — meetings through the API (CONTRACT.md "Governance and
// monitoring": POST /api/v1/meetings): the tavolo territoriale and its
// validation, changes, invitations by e-mail with an iCalendar file
// (METHOD:REQUEST) received by a real SMTP server and read back with
// ical.js, attendance written all or nothing with organisations counted,
// minutes with files, decisions followed up (overdue, mine), case meetings
// (scoped to coordinators and operators of the district, every read and
// write audited with the person), the documents library (type by magic
// bytes, size cap, network-only or public without a session), the demo
// data; and every denial: no session 401, no CSRF 403, wrong role 403,
// another district 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, assertError, serverSql } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv, sink;
let coord, operator, teacher, region, lodi, anon;
const ids = {};

const TAVOLO = {
  kind: 'tavolo', title: 'Tavolo territoriale di febbraio', org: 'cremona', start: '2027-02-10T10:00', minutes: 120,
  place: 'Azienda Sociale Cremonese', agenda: '1. Dati degli sportelli\n2. <b>Corsi</b> L2',
};

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
/** A ZIP local file header for `name` followed by `data`. */
function zipEntry(name, data) {
  const h = Buffer.alloc(30);
  h.write('PK\x03\x04', 0, 'latin1');
  h.writeUInt16LE(Buffer.byteLength(name), 26);
  return Buffer.concat([h, Buffer.from(name), Buffer.from(data)]);
}
const EPUB = Buffer.concat([zipEntry('mimetype', 'application/epub+zip'), zipEntry('META-INF/container.xml', '<x/>')]);
const ODT = zipEntry('mimetype', 'application/vnd.oasis.opendocument.text');
const DOCX = Buffer.concat([zipEntry('[Content_Types].xml', '<Types/>'), zipEntry('word/document.xml', '<w/>')]);
const ZIP = zipEntry('notes.txt', 'hello');

/** A raw upload with its headers. */
function upload(c, p, buf, headers = {}, o = {}) {
  return c.request('POST', p, { body: buf, headers: { 'Content-Type': 'application/octet-stream', ...headers }, ...o });
}
async function bytes(c, p) {
  const res = await fetch(srv.base + p, { headers: c.cookies.size ? { Cookie: c.cookieHeader() } : {} });
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}
const put = (c, p, json, o = {}) => c.request('PUT', p, { json, ...o });

/** The Rome local "YYYY-MM-DDTHH:MM" of a JS date. */
function rome(d) {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return f.format(d).replace(' ', 'T');
}

/** The parts of a multipart message: [{headers, body (decoded Buffer)}]. */
function mimeParts(raw) {
  const m = /boundary="([^"]+)"/.exec(raw);
  assert.ok(m, 'a multipart message');
  return raw.split(`--${m[1]}`).slice(1, -1).map((chunk) => {
    const sep = chunk.indexOf('\r\n\r\n');
    const head = chunk.slice(0, sep).trim();
    const headers = {};
    for (const line of head.split(/\r\n(?![ \t])/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
    }
    const body = chunk.slice(sep + 4);
    return { headers, body: /base64/i.test(headers['content-transfer-encoding'] || '') ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body) };
  });
}

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    users: [{ username: 'coord-lodi', role: 'coordinator', org: 'lodi' }],
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test' },
  });
  coord = await srv.login('demo-coordinator');
  operator = await srv.login('demo-operator');
  teacher = await srv.login('demo-teacher');
  region = await srv.login('demo-region');
  lodi = await srv.login('coord-lodi');
  anon = srv.client();
  for (const [k, c] of [['coord', coord], ['operator', operator], ['teacher', teacher]]) ids[k] = (await c.get('/api/v1/me')).json.id;
  assert.ok(ids.coord > 0 && ids.operator > 0);
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
});

test('meetings: create a tavolo, validation, denials', async () => {
  let r = await coord.post('/api/v1/meetings', TAVOLO);
  assert.equal(r.status, 201, r.text);
  ids.tavolo = r.json.id;
  assert.equal(r.json.kind, 'tavolo');
  assert.equal(r.json.org, 'cremona');
  assert.equal(r.json.start, '2027-02-10T10:00');
  assert.equal(r.json.end, '2027-02-10T12:00');
  assert.equal(r.json.minutes, 120);
  assert.equal(r.json.agenda, TAVOLO.agenda);
  assert.deepEqual(r.json.invitees, []);
  assert.deepEqual(r.json.attendance, { present: 0, absent: 0, excused: 0, unmarked: 0, organisations_present: 0 });
  assert.equal(r.json.minutes_text, null);
  assert.ok('project_id' in r.json);
  // the duration defaults to two hours; the organisation to the caller's
  r = await coord.post('/api/v1/meetings', { kind: 'school', title: 'Referenti scolastici', start: '2027-03-03T15:00' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.minutes, 120);
  assert.equal(r.json.org, 'cremona');
  ids.school = r.json.id;

  for (const [field, value] of [
    ['kind', 'party'], ['kind', undefined], ['title', ''], ['start', '2027-02-30T10:00'], ['start', '10/02/2027'],
    ['minutes', 5], ['minutes', 721], ['org', 'lodi'], ['org', 'nowhere'], ['series', 'Serie A'], ['person_id', 1],
    ['project_id', 999999],
  ]) {
    assertError(await coord.post('/api/v1/meetings', { ...TAVOLO, [field]: value }), 422, { field });
  }
  // the hour skipped when clocks go forward does not exist in Rome
  assertError(await coord.post('/api/v1/meetings', { ...TAVOLO, start: '2027-03-28T02:30' }), 422, { code: 'nonexistent_time', field: 'start' });
  assertError(await coord.post('/api/v1/meetings', { ...TAVOLO, colour: 'red' }), 422);
  assertError(await anon.post('/api/v1/meetings', TAVOLO), 401);
  assertError(await coord.post('/api/v1/meetings', TAVOLO, { csrf: false }), 403);
  assertError(await teacher.post('/api/v1/meetings', TAVOLO), 403);
});

test('meetings: read, list with pages, change; other districts see nothing', async () => {
  let r = await coord.get(`/api/v1/meetings/${ids.tavolo}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.title, TAVOLO.title);
  assert.equal((await teacher.get(`/api/v1/meetings/${ids.tavolo}`)).status, 200); // the network reads a tavolo
  assertError(await lodi.get(`/api/v1/meetings/${ids.tavolo}`), 404);
  assertError(await anon.get(`/api/v1/meetings/${ids.tavolo}`), 401);
  assertError(await coord.get('/api/v1/meetings/999999'), 404);

  r = await coord.get('/api/v1/meetings?kind=tavolo&limit=2');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 2);
  assert.ok(r.json.next_cursor);
  const all = [];
  for (let cursor = null, n = 0; n < 20; n++) {
    r = await coord.get(`/api/v1/meetings?kind=tavolo&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
    all.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) break;
  }
  assert.ok(all.some((m) => m.id === ids.tavolo));
  assert.ok(all.every((m) => m.kind === 'tavolo' && m.org === 'cremona'));
  r = await lodi.get('/api/v1/meetings?limit=200');
  assert.ok(!r.json.items.some((m) => m.id === ids.tavolo));
  assert.ok(r.json.items.some((m) => m.org === 'lodi'), 'Lodi sees its own demo tavolo');
  assertError(await coord.get('/api/v1/meetings?kind=party'), 422, { field: 'kind' });
  assertError(await coord.get('/api/v1/meetings?from=2027-13-01'), 422, { field: 'from' });
  r = await coord.get('/api/v1/meetings?from=2027-02-01&to=2027-02-28&limit=200');
  assert.ok(r.json.items.some((m) => m.id === ids.tavolo));
  assert.ok(r.json.items.every((m) => m.start >= '2027-02-01' && m.start < '2027-02-28'));
  assertError(await anon.get('/api/v1/meetings'), 401);

  r = await coord.patch(`/api/v1/meetings/${ids.tavolo}`, { place: 'Sala consiliare, Cremona', start: '2027-02-10T09:30' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.place, 'Sala consiliare, Cremona');
  assert.equal(r.json.start, '2027-02-10T09:30');
  assertError(await coord.patch(`/api/v1/meetings/${ids.tavolo}`, { minutes: 1000 }), 422, { field: 'minutes' });
  assertError(await coord.patch(`/api/v1/meetings/${ids.tavolo}`, { kind: 'lab' }), 422);
  assertError(await coord.patch(`/api/v1/meetings/${ids.tavolo}`, { title: '' }), 422, { field: 'title' });
  assertError(await lodi.patch(`/api/v1/meetings/${ids.tavolo}`, { place: 'x' }), 404);
  assertError(await teacher.patch(`/api/v1/meetings/${ids.tavolo}`, { place: 'x' }), 403);
  assertError(await coord.patch(`/api/v1/meetings/${ids.tavolo}`, { place: 'x' }, { csrf: false }), 403);
});

test('invitations: e-mail with an iCalendar REQUEST, read back by ical.js; no duplicates', async () => {
  const url = `/api/v1/meetings/${ids.tavolo}/invitations`;
  let r = await coord.post(url, { invitees: [{ org: 'asst-cremona', email: 'asst.tavolo@example.org', name: 'ASST Cremona' }, { org: 'cpia-cremona', email: 'cpia.tavolo@example.org' }, { user_id: ids.operator }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.invitees.length, 3);
  const asst = r.json.invitees.find((i) => i.email === 'asst.tavolo@example.org');
  assert.equal(asst.org, 'asst-cremona');
  assert.equal(asst.name, 'ASST Cremona');
  assert.equal(r.json.invitees.find((i) => i.email === 'cpia.tavolo@example.org').name, 'Centro Provinciale Istruzione Adulti Cremona');
  assert.ok(r.json.invitees.some((i) => i.user_id === ids.operator));
  // the same again: nobody twice
  r = await coord.post(url, { invitees: [{ org: 'asst-cremona', email: 'ASST.tavolo@example.org' }, { user_id: ids.operator }] });
  assert.equal(r.json.invitees.length, 3);

  const m = await sink.waitFor((x) => x.to.includes('asst.tavolo@example.org'));
  assert.ok(m, 'the invitation arrived');
  assert.match(m.subject, /Invito: Tavolo territoriale di febbraio, 2027-02-10 ore 09:30/);
  const parts = mimeParts(m.raw);
  assert.equal(parts.length, 2);
  assert.match(parts[0].headers['content-type'], /^text\/plain; charset=UTF-8/);
  const text = parts[0].body.toString('utf8');
  assert.match(text, /Ordine del giorno:\n1\. Dati degli sportelli/);
  assert.match(text, /Sala consiliare, Cremona/);
  assert.match(parts[1].headers['content-type'], /^text\/calendar; charset=UTF-8; method=REQUEST/);
  assert.match(parts[1].headers['content-disposition'], /attachment; filename="invito\.ics"/);
  const cal = new ICAL.Component(ICAL.parse(parts[1].body.toString('utf8')));
  assert.equal(cal.getFirstPropertyValue('method'), 'REQUEST');
  ICAL.TimezoneService.register(cal.getFirstSubcomponent('vtimezone'));
  const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent'));
  assert.equal(ev.uid, `meeting-${ids.tavolo}@labimpact`);
  assert.equal(ev.summary, TAVOLO.title);
  assert.equal(ev.location, 'Sala consiliare, Cremona');
  assert.equal(ev.startDate.zone.tzid, 'Europe/Rome');
  assert.equal(rome(ev.startDate.toJSDate()), '2027-02-10T09:30');
  assert.equal(rome(ev.endDate.toJSDate()), '2027-02-10T11:30');
  assert.equal(ev.component.getFirstPropertyValue('organizer'), 'mailto:noreply@labimpact.test');
  assert.deepEqual(ev.attendees.map((a) => a.getFirstValue()), ['mailto:asst.tavolo@example.org']);
  assert.ok(await sink.waitFor((x) => x.to.includes('cpia.tavolo@example.org')));
  // one message each in the outbox, of the meeting, for its district
  const admin = await srv.login('demo-admin');
  const queued = (await admin.get('/api/v1/outbox?limit=200')).json.items.filter((x) => x.ref === `meeting:${ids.tavolo}`);
  assert.deepEqual(queued.map((x) => x.to).sort(), ['asst.tavolo@example.org', 'cpia.tavolo@example.org']);
  assert.ok(queued.every((x) => x.kind === 'meetings.invitation'));

  for (const [inv, field] of [
    [{ org: 'asst-cremona', email: 'not-an-address' }, 'invitees[0].email'],
    [{ email: 'x@example.org' }, 'invitees[0].org'],
    [{ org: 'nowhere', email: 'x@example.org' }, 'invitees[0].org'],
    [{ user_id: 999999 }, 'invitees[0].user_id'],
  ]) {
    assertError(await coord.post(url, { invitees: [inv] }), 422, { field });
  }
  assertError(await coord.post(url, { invitees: [] }), 422, { field: 'invitees' });
  assertError(await coord.post(url, { invitees: [{ org: 'asst-cremona', email: 'a@example.org', phone: '1' }] }), 422);
  assertError(await lodi.post(url, { invitees: [{ org: 'lodi', email: 'a@example.org' }] }), 404);
  assertError(await teacher.post(url, { invitees: [{ org: 'cremona', email: 'a@example.org' }] }), 403);
  assertError(await coord.post(url, { invitees: [{ org: 'cremona', email: 'a@example.org' }] }, { csrf: false }), 403);
  assertError(await anon.post(url, { invitees: [{ org: 'cremona', email: 'a@example.org' }] }), 401);

  // the meeting's own .ics (PUBLISH) for the calendar button
  r = await coord.get(`/api/v1/meetings/${ids.tavolo}/calendar.ics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  const pub = new ICAL.Component(ICAL.parse(r.text));
  assert.equal(pub.getFirstPropertyValue('method'), 'PUBLISH');
  assert.equal(new ICAL.Event(pub.getFirstSubcomponent('vevent')).summary, TAVOLO.title);
  assertError(await lodi.get(`/api/v1/meetings/${ids.tavolo}/calendar.ics`), 404);
  assertError(await anon.get(`/api/v1/meetings/${ids.tavolo}/calendar.ics`), 401);
});

test('attendance: all or nothing; organisations counted once', async () => {
  const url = `/api/v1/meetings/${ids.tavolo}/attendance`;
  const m = (await coord.get(`/api/v1/meetings/${ids.tavolo}`)).json;
  const [a, b, c] = m.invitees;
  const other = (await coord.get(`/api/v1/meetings/${ids.school}`)).json;
  await coord.post(`/api/v1/meetings/${ids.school}/invitations`, { invitees: [{ org: 'cremona', email: 'scuola@example.org' }] });
  const foreign = (await coord.get(`/api/v1/meetings/${other.id}`)).json.invitees[0];
  let r = await put(coord, url, { marks: [{ invitee_id: a.id, status: 'present' }, { invitee_id: foreign.id, status: 'present' }] });
  assertError(r, 422, { code: 'not_invited', field: 'marks[1].invitee_id' });
  r = await put(coord, url, { marks: [{ invitee_id: a.id, status: 'present' }, { invitee_id: b.id, status: 'late' }] });
  assertError(r, 422, { field: 'marks[1].status' });
  r = await coord.get(`/api/v1/meetings/${ids.tavolo}`);
  assert.ok(r.json.invitees.every((i) => i.status === null), 'nothing saved');
  assertError(await put(coord, url, { marks: [] }), 422, { field: 'marks' });
  assertError(await put(coord, url, { marks: [{ invitee_id: a.id }] }), 422, { field: 'status' });
  assertError(await put(lodi, url, { marks: [{ invitee_id: a.id, status: 'present' }] }), 404);
  assertError(await put(teacher, url, { marks: [{ invitee_id: a.id, status: 'present' }] }), 403);
  assertError(await put(coord, url, { marks: [{ invitee_id: a.id, status: 'present' }] }, { csrf: false }), 403);

  r = await put(coord, url, { marks: [{ invitee_id: a.id, status: 'present' }, { invitee_id: b.id, status: 'present' }, { invitee_id: c.id, status: 'excused' }] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.attendance, { present: 2, absent: 0, excused: 1, unmarked: 0, organisations_present: 2 });
  const statuses = Object.fromEntries(r.json.invitees.map((i) => [i.id, i.status]));
  assert.deepEqual(statuses, { [a.id]: 'present', [b.id]: 'present', [c.id]: 'excused' });
});

test('minutes and their files', async () => {
  const url = `/api/v1/meetings/${ids.tavolo}/minutes`;
  let r = await coord.post(url, { text: 'Il tavolo ha esaminato i dati.\nSi decide di estendere lo sportello.' });
  assert.equal(r.status, 200, r.text);
  assert.match(r.json.minutes_text, /estendere lo sportello/);
  assertError(await coord.post(url, {}), 422, { field: 'text' });
  assertError(await coord.post(url, { text: 'x'.repeat(50001) }), 422, { field: 'text' });
  assertError(await lodi.post(url, { text: 'x' }), 404);
  assertError(await teacher.post(url, { text: 'x' }), 403);

  const files = `/api/v1/meetings/${ids.tavolo}/files`;
  r = await upload(coord, files, PDF, { 'X-Title': encodeURIComponent('Verbale firmato — febbraio'), 'X-Filename': 'verbale.pdf' });
  assert.equal(r.status, 201, r.text);
  ids.minutesFile = r.json.id;
  assertError(await upload(coord, files, PNG, { 'X-Filename': 'foto.png' }), 415);
  assertError(await upload(coord, files, Buffer.alloc(0)), 422, { field: 'file' });
  assertError(await upload(coord, files, PDF, { 'X-Visibility': 'public' }), 422, { field: 'visibility' });
  assertError(await upload(lodi, files, PDF), 404);
  assertError(await upload(coord, files, PDF, {}, { csrf: false }), 403);
  r = await coord.get(`/api/v1/meetings/${ids.tavolo}`);
  assert.deepEqual(r.json.files.map((f) => [f.title, f.filename, f.content_type]), [['Verbale firmato — febbraio', 'verbale.pdf', 'application/pdf']]);
  const got = await bytes(coord, `/api/v1/library/${ids.minutesFile}`);
  assert.equal(got.status, 200);
  assert.equal(got.type, 'application/pdf');
  assert.deepEqual(got.buf, PDF);
  assert.equal((await bytes(lodi, `/api/v1/library/${ids.minutesFile}`)).status, 404);
  assert.equal((await bytes(anon, `/api/v1/library/${ids.minutesFile}`)).status, 401);
  // a minutes file is not in the library list
  r = await coord.get('/api/v1/library?limit=200');
  assert.ok(!r.json.items.some((d) => d.id === ids.minutesFile));
});

test('decisions: owner and due date, followed up, overdue and mine', async () => {
  const url = `/api/v1/meetings/${ids.tavolo}/decisions`;
  let r = await coord.post(url, { text: 'Ricognizione dei mediatori urdu', owner_user_id: ids.coord, due: '2027-03-01' });
  assert.equal(r.status, 201, r.text);
  ids.d1 = r.json.id;
  r = await coord.post(url, { text: 'Calendario dei corsi in bacheca', owner_name: 'CPIA Cremona', due: '2020-01-15' });
  assert.equal(r.status, 201, r.text);
  ids.d2 = r.json.id;
  for (const [body, field] of [
    [{ owner_name: 'X', due: '2027-01-01' }, 'text'],
    [{ text: 'x', owner_name: 'X', due: '2027-02-30' }, 'due'],
    [{ text: 'x', owner_name: 'X' }, 'due'],
    [{ text: 'x', due: '2027-01-01' }, 'owner_user_id'],
    [{ text: 'x', owner_user_id: 999999, due: '2027-01-01' }, 'owner_user_id'],
  ]) {
    assertError(await coord.post(url, body), 422, { field });
  }
  assertError(await lodi.post(url, { text: 'x', owner_name: 'X', due: '2027-01-01' }), 404);
  assertError(await teacher.post(url, { text: 'x', owner_name: 'X', due: '2027-01-01' }), 403);

  r = await coord.get(`/api/v1/meetings/${ids.tavolo}`);
  const d1 = r.json.decisions.find((d) => d.id === ids.d1);
  assert.equal(d1.owner, 'Coordinamento Ambito Cremonese');
  assert.equal(d1.status, 'open');
  r = await coord.get('/api/v1/decisions?overdue=true');
  assert.ok(r.json.items.some((d) => d.id === ids.d2), 'past its due date');
  assert.ok(!r.json.items.some((d) => d.id === ids.d1));
  r = await coord.get('/api/v1/decisions?mine=true');
  assert.deepEqual(r.json.items.map((d) => d.id).filter((i) => i === ids.d1 || i === ids.d2), [ids.d1]);
  assert.ok(!(await lodi.get('/api/v1/decisions')).json.items.some((d) => d.id === ids.d1));
  assertError(await anon.get('/api/v1/decisions'), 401);

  r = await coord.patch(`/api/v1/decisions/${ids.d2}`, { status: 'done' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'done');
  assert.ok(r.json.done_at > 0);
  r = await coord.get('/api/v1/decisions?overdue=true');
  assert.ok(!r.json.items.some((d) => d.id === ids.d2), 'done: no longer overdue');
  r = await coord.patch(`/api/v1/decisions/${ids.d1}`, { due: '2027-04-01', owner_name: 'ASC' });
  assert.equal(r.json.due, '2027-04-01');
  assertError(await coord.patch(`/api/v1/decisions/${ids.d1}`, { status: 'maybe' }), 422, { field: 'status' });
  assertError(await coord.patch(`/api/v1/decisions/${ids.d1}`, { due: 'soon' }), 422, { field: 'due' });
  assertError(await lodi.patch(`/api/v1/decisions/${ids.d1}`, { status: 'done' }), 404);
  assertError(await teacher.patch(`/api/v1/decisions/${ids.d1}`, { status: 'done' }), 403);
  assertError(await coord.patch(`/api/v1/decisions/${ids.d1}`, { status: 'done' }, { csrf: false }), 403);
});

test('case meetings: the district\'s coordinators and operators only, every access audited', async () => {
  let r = await coord.post('/api/v1/persons', { given_name: 'Samira', family_name: 'Haddad', sex: 'f', birth_date: '1988-02-02', citizenship: 'MA' });
  assert.equal(r.status, 201, r.text);
  ids.person = r.json.id;
  const CASE = { kind: 'case', title: 'Riunione di rete per S.H.', start: '2027-01-20T11:00', minutes: 60, place: 'Sportello', person_id: ids.person };
  assertError(await operator.post('/api/v1/meetings', { ...CASE, person_id: undefined }), 422, { field: 'person_id' });
  assertError(await operator.post('/api/v1/meetings', { ...CASE, person_id: 999999 }), 422, { field: 'person_id' });
  r = await operator.post('/api/v1/meetings', CASE);
  assert.equal(r.status, 201, r.text);
  ids.case = r.json.id;
  assert.equal(r.json.person_id, ids.person);
  r = await coord.get(`/api/v1/meetings/${ids.case}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.person_name, 'Samira Haddad');
  // nobody else: a teacher of the same district, the region, another district
  assertError(await teacher.get(`/api/v1/meetings/${ids.case}`), 404);
  assertError(await region.get(`/api/v1/meetings/${ids.case}`), 404);
  assertError(await lodi.get(`/api/v1/meetings/${ids.case}`), 404);
  assertError(await teacher.get(`/api/v1/meetings/${ids.case}/calendar.ics`), 404);
  assert.ok(!(await teacher.get('/api/v1/meetings?limit=200')).json.items.some((m) => m.kind === 'case'));
  assert.ok((await coord.get('/api/v1/meetings?kind=case')).json.items.some((m) => m.id === ids.case));
  assertError(await teacher.post('/api/v1/meetings', CASE), 403);

  // the invitation does not carry the title (it names the person)
  r = await operator.post(`/api/v1/meetings/${ids.case}/invitations`, { invitees: [{ org: 'asst-cremona', email: 'consultorio@example.org' }] });
  assert.equal(r.status, 200, r.text);
  const mail = await sink.waitFor((x) => x.to.includes('consultorio@example.org'));
  assert.ok(mail);
  assert.doesNotMatch(mail.raw + mimeParts(mail.raw).map((p) => p.body.toString('utf8')).join(''), /S\.H\.|Haddad|Samira/);
  assert.match(mail.subject, /Riunione di caso/);
  const inv = r.json.invitees[0];
  r = await put(operator, `/api/v1/meetings/${ids.case}/attendance`, { marks: [{ invitee_id: inv.id, status: 'present' }] });
  assert.equal(r.status, 200, r.text);
  r = await operator.post(`/api/v1/meetings/${ids.case}/minutes`, { text: 'Concordato il percorso.' });
  assert.equal(r.status, 200);
  r = await upload(operator, `/api/v1/meetings/${ids.case}/files`, PDF, { 'X-Filename': 'progetto.pdf' });
  assert.equal(r.status, 201);
  const caseFile = r.json.id;
  assert.equal((await bytes(teacher, `/api/v1/library/${caseFile}`)).status, 404);
  assert.equal((await bytes(coord, `/api/v1/library/${caseFile}`)).status, 200);

  r = await coord.get(`/api/v1/audit?person_id=${ids.person}&limit=500`);
  assert.equal(r.status, 200, r.text);
  const actions = r.json.items.filter((e) => e.object_kind === 'meeting' || e.object_kind === 'meeting_document').map((e) => e.action);
  for (const a of ['meeting.create', 'meeting.read', 'meeting.invite', 'meeting.attendance', 'meeting.minutes', 'meeting.file.create', 'document.read']) {
    assert.ok(actions.includes(a), `audited: ${a} (${actions.join(', ')})`);
  }
  assert.ok(r.json.items.filter((e) => e.action === 'meeting.read').every((e) => e.object_id === String(ids.case)));
});

test('library: PDF, EPUB, ODT, DOCX by their bytes; network-only or public without a session', async () => {
  let r = await upload(coord, '/api/v1/library', PDF, { 'X-Title': 'Guida ai servizi', 'X-Filename': 'guida.pdf', 'X-Visibility': 'public' });
  assert.equal(r.status, 201, r.text);
  ids.publicDoc = r.json.id;
  r = await upload(coord, '/api/v1/library', EPUB, { 'X-Title': 'E-book dei laboratori', 'X-Filename': 'ebook.epub', 'X-Series': 'Laboratori 2027' });
  assert.equal(r.status, 201, r.text);
  ids.networkDoc = r.json.id;
  r = await upload(coord, '/api/v1/library', ODT, { 'X-Title': 'Verbale', 'X-Filename': 'verbale.odt' });
  assert.equal(r.status, 201, r.text);
  r = await upload(coord, '/api/v1/library', DOCX, { 'X-Title': 'Scheda', 'X-Filename': 'scheda.docx' });
  assert.equal(r.status, 201, r.text);
  ids.docx = r.json.id;
  // a name does not make a type: a PNG called .pdf, a plain ZIP called .docx
  assertError(await upload(coord, '/api/v1/library', PNG, { 'X-Filename': 'finto.pdf' }), 415);
  assertError(await upload(coord, '/api/v1/library', ZIP, { 'X-Filename': 'finto.docx' }), 415);
  assertError(await upload(coord, '/api/v1/library', Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024)])), 413);
  assertError(await upload(coord, '/api/v1/library', PDF, { 'X-Visibility': 'everyone' }), 422, { field: 'visibility' });
  assertError(await upload(coord, '/api/v1/library', PDF, { 'X-Org': 'lodi' }), 422, { field: 'org' });
  assertError(await upload(teacher, '/api/v1/library', PDF), 403);
  assertError(await upload(anon, '/api/v1/library', PDF), 401);
  assertError(await upload(coord, '/api/v1/library', PDF, {}, { csrf: false }), 403);

  r = await coord.get('/api/v1/library?limit=200');
  const mine = r.json.items.filter((d) => [ids.publicDoc, ids.networkDoc, ids.docx].includes(d.id));
  assert.deepEqual(mine.map((d) => [d.filename, d.visibility]), [['guida.pdf', 'public'], ['ebook.epub', 'network'], ['scheda.docx', 'network']]);
  assert.equal(mine[1].series, 'Laboratori 2027');
  assert.equal(mine[2].content_type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.ok(r.json.items.some((d) => d.org === 'lombardia' && d.visibility === 'public'), 'the region\'s e-book (demo)');
  assert.equal((await bytes(teacher, `/api/v1/library/${ids.networkDoc}`)).status, 200);
  assert.equal((await bytes(lodi, `/api/v1/library/${ids.networkDoc}`)).status, 404);

  // without a session: the public ones only
  r = await anon.get('/api/v1/library');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((d) => d.id === ids.publicDoc));
  assert.ok(r.json.items.every((d) => d.visibility === 'public'));
  const got = await bytes(anon, `/api/v1/library/${ids.publicDoc}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.buf, PDF);
  assert.equal((await bytes(anon, `/api/v1/library/${ids.networkDoc}`)).status, 401);
  assert.equal((await bytes(anon, '/api/v1/library/999999')).status, 401);
  // the public page lists it too
  const page = await fetch(`${srv.base}/documenti`);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Guida ai servizi/);
  assert.doesNotMatch(html, /E-book dei laboratori<\/a>/);
});

test('a meeting inside an approved period is locked (409 period_locked)', async () => {
  // the Lodi project (second edition, from 25 September 2025) counts the district's meetings
  let r = await lodi.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo di maggio', start: '2026-05-12T10:00', minutes: 120 });
  assert.equal(r.status, 201, r.text);
  const may = r.json;
  assert.ok(may.project_id > 0, 'the meeting belongs to the district\'s project');
  await lodi.post(`/api/v1/meetings/${may.id}/invitations`, { invitees: [{ org: 'lodi', email: 'udp@example.org' }] });
  const inv = (await lodi.get(`/api/v1/meetings/${may.id}`)).json.invitees[0];
  await serverSql(srv, `INSERT INTO project_submission (project_id, period, from_date, to_date, status, submitted_at, decided_at) VALUES (${may.project_id}, '2026-S1', '2026-01-01', '2026-06-30', 'approved', 0, 0)`);
  assertError(await lodi.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo di marzo', start: '2026-03-10T10:00' }), 409, { code: 'period_locked' });
  assertError(await lodi.patch(`/api/v1/meetings/${may.id}`, { place: 'Lodi' }), 409, { code: 'period_locked' });
  assertError(await put(lodi, `/api/v1/meetings/${may.id}/attendance`, { marks: [{ invitee_id: inv.id, status: 'present' }] }), 409, { code: 'period_locked' });
  assertError(await lodi.post(`/api/v1/meetings/${may.id}/minutes`, { text: 'tardi' }), 409, { code: 'period_locked' });
  r = await lodi.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo di luglio', start: '2026-07-14T10:00' });
  assert.equal(r.status, 201, r.text);
  assertError(await lodi.patch(`/api/v1/meetings/${r.json.id}`, { start: '2026-06-30T10:00' }), 409, { code: 'period_locked' });
  assert.equal((await lodi.patch(`/api/v1/meetings/${r.json.id}`, { start: '2026-07-15T10:00' })).status, 200);
});

const form = (o) => ({ body: new URLSearchParams(o).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, csrf: false });

test('pages: the forms post back, errors shown again with nothing kept, CSRF and roles enforced', async () => {
  let r = await coord.request('POST', '/meetings/new', form({ _csrf: coord.csrf, kind: 'tavolo', title: 'Tavolo da pagina', start: '2027-02-30T10:00', minutes: '90' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="form-error"/);
  assert.match(r.text, /value="Tavolo da pagina"/, 'the values typed are kept');
  r = await coord.request('POST', '/meetings/new', form({ kind: 'tavolo', title: 'Senza token', start: '2027-02-10T10:00' }));
  assert.equal(r.status, 403);
  r = await teacher.request('POST', '/meetings/new', form({ _csrf: teacher.csrf, kind: 'tavolo', title: 'x', start: '2027-02-10T10:00' }));
  assert.equal(r.status, 403);
  r = await coord.request('POST', '/meetings/new', form({ _csrf: coord.csrf, kind: 'tavolo', title: 'Tavolo da pagina', start: '2027-04-07T10:00', minutes: '90', agenda: '<b>1</b>' }));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(/\/meetings\/(\d+)$/.exec(r.headers.get('location'))[1]);
  r = await coord.get(`/meetings/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /&lt;b&gt;1&lt;\/b&gt;/, 'the agenda is escaped');
  // invite, mark, decide through the forms
  r = await coord.request('POST', `/meetings/${id}/invite`, form({ _csrf: coord.csrf, org: 'asst-cremona', email: 'pagina@example.org' }));
  assert.equal(r.status, 303);
  r = await coord.request('POST', `/meetings/${id}/invite`, form({ _csrf: coord.csrf, org: 'asst-cremona', email: 'not-an-address' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="form-error"/);
  const m = (await coord.get(`/api/v1/meetings/${id}`)).json;
  assert.equal(m.invitees.length, 1);
  r = await coord.request('POST', `/meetings/${id}/attendance`, form({ _csrf: coord.csrf, [`a${m.invitees[0].id}`]: 'late' }));
  assert.equal(r.status, 422);
  assert.equal((await coord.get(`/api/v1/meetings/${id}`)).json.invitees[0].status, null);
  r = await coord.request('POST', `/meetings/${id}/attendance`, form({ _csrf: coord.csrf, [`a${m.invitees[0].id}`]: 'excused' }));
  assert.equal(r.status, 303);
  assert.equal((await coord.get(`/api/v1/meetings/${id}`)).json.invitees[0].status, 'excused');
  r = await coord.request('POST', `/meetings/${id}/decisions`, form({ _csrf: coord.csrf, text: 'Da pagina', owner_name: 'ASC', due: '2027-05-01' }));
  assert.equal(r.status, 303);
  const d = (await coord.get(`/api/v1/meetings/${id}`)).json.decisions[0];
  r = await coord.request('POST', `/meetings/decisions/${d.id}`, form({ _csrf: coord.csrf, status: 'done' }));
  assert.equal(r.status, 303);
  assert.equal((await coord.get(`/api/v1/meetings/${id}`)).json.decisions[0].status, 'done');
  r = await lodi.request('POST', `/meetings/decisions/${d.id}`, form({ _csrf: lodi.csrf, status: 'open' }));
  assert.equal(r.status, 404);
  assert.equal((await lodi.get(`/meetings/${id}`)).status, 404);
  assert.equal((await teacher.get('/meetings/new')).status, 403);
  r = await anon.get('/meetings');
  assert.ok([302, 303].includes(r.status), `anonymous: to the login (${r.status})`);
});

test('demo: monthly tavoli in Lodi and Cremona, the laboratories for every district, Luino\'s school meeting', async () => {
  let r = await coord.get('/api/v1/meetings?kind=tavolo&org=cremona&limit=200');
  const tavoli = r.json.items.filter((m) => /Cremonese n\./.test(m.title));
  assert.ok(tavoli.length >= 5);
  const past = tavoli.find((m) => m.present > 0);
  assert.ok(past, 'a past tavolo with attendance');
  r = await coord.get(`/api/v1/meetings/${past.id}`);
  assert.ok(r.json.attendance.organisations_present > 1);
  assert.ok(r.json.minutes_text);
  assert.ok(r.json.decisions.length > 0);
  r = await coord.get('/api/v1/meetings?kind=lab&limit=200');
  assert.ok(r.json.items.length >= 4, 'the region\'s laboratories are seen from a district');
  assert.ok(r.json.items.every((m) => m.series === r.json.items[0].series && m.series));
  const series = await coord.get(`/api/v1/meetings?series=${encodeURIComponent(r.json.items[0].series)}&limit=200`);
  assert.deepEqual(series.json.items.map((m) => m.id), r.json.items.map((m) => m.id));
  assert.equal((await coord.get('/api/v1/meetings?series=nessuna')).json.items.length, 0);
  assertError(await coord.patch(`/api/v1/meetings/${r.json.items[0].id}`, { place: 'x' }), 403); // the region's, not the district's
  // the region's laboratory files are read in every district, as the laboratory is
  const admin = await srv.login('demo-admin');
  const up = await upload(admin, `/api/v1/meetings/${r.json.items[0].id}/files`, PDF, { 'X-Title': 'Materiali del laboratorio' });
  assert.equal(up.status, 201, up.text);
  assert.equal((await bytes(coord, `/api/v1/library/${up.json.id}`)).status, 200);
  assert.equal((await bytes(lodi, `/api/v1/library/${up.json.id}`)).status, 200);
  assert.equal((await bytes(anon, `/api/v1/library/${up.json.id}`)).status, 401);
  r = await lodi.get('/api/v1/meetings?kind=tavolo&limit=200');
  assert.ok(r.json.items.some((m) => m.org === 'lodi'));
  r = await region.get('/api/v1/meetings?kind=school&org=luino');
  assert.equal(r.json.items.length, 1);
});
