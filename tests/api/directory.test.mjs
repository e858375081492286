// directory.test.mjs — participation and the directory (CONTRACT.md
// "Participation and directory"): association self-registration confirmed by
// e-mail and reviewed by the district (the association told, an approved one
// given its own account), the public list of approved ones only, events and
// the public .ics feed read back by ical.js, services, and the HSDS 3.0 read
// API, every answer validated against the HSDS compiled schemas carried in
// tests/fixtures/hsds-3.0/ (CC BY-SA 4.0, Open Referral). Denials: another
// district's coordinator (404), a role without the capability (403), bad
// fields (422 naming the field), pending associations not public.
//
// No JSON-schema validator is installed (no ajv in node_modules), so
// validate() below walks the schema itself: type, required, properties,
// items, enum and the formats uuid, email, uri, date-time — the keywords the
// HSDS compiled schemas use for their constraints.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import { startServer, assertError, ROOT, strongPassword } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

const FIX = path.join(ROOT, 'tests/fixtures/hsds-3.0');
const SERVICE = JSON.parse(readFileSync(path.join(FIX, 'service.json'), 'utf8'));
const ORGANIZATION = JSON.parse(readFileSync(path.join(FIX, 'organization.json'), 'utf8'));
const OPENAPI = JSON.parse(readFileSync(path.join(FIX, 'openapi.json'), 'utf8'));
const PAGE = OPENAPI.components.schemas.Page;
const META = OPENAPI.paths['/'].get.responses['200'].content['application/json'].schema;
const TAXONOMY = SERVICE.properties.attributes.items.properties.taxonomy_term.properties.taxonomy_detail;

const FORMATS = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  email: /^[^@\s]+@[^@\s]+\.[^@\s]+$/,
  uri: /^https?:\/\/[^\s]+$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
};

/** The JSON type of a value, as JSON Schema names it. */
function typeOf(v) {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Validates `v` against `schema`; returns a list of "path: problem" (empty when valid). */
function validate(schema, v, at = '$', errors = []) {
  if (!schema || typeof schema !== 'object') return errors;
  if (schema.type) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errors.push(`${at}: ${t} is not ${types.join('|')}`);
      return errors;
    }
  }
  if (schema.enum && !schema.enum.includes(v)) errors.push(`${at}: ${JSON.stringify(v)} not in enum`);
  if (schema.format && typeof v === 'string' && FORMATS[schema.format] && !FORMATS[schema.format].test(v)) {
    errors.push(`${at}: ${JSON.stringify(v)} is not a ${schema.format}`);
  }
  if (typeOf(v) === 'object') {
    for (const k of schema.required || []) if (!(k in v)) errors.push(`${at}: ${k} is required`);
    for (const [k, sub] of Object.entries(schema.properties || {})) if (k in v) validate(sub, v[k], `${at}.${k}`, errors);
  }
  if (Array.isArray(v) && schema.items) v.forEach((x, i) => validate(schema.items, x, `${at}[${i}]`, errors));
  for (const sub of schema.allOf || []) validate(sub, v, at, errors);
  return errors;
}

function assertValid(schema, v, what) {
  const errors = validate(schema, v);
  assert.deepEqual(errors, [], `${what} does not validate: ${errors.slice(0, 5).join('; ')}`);
}

/** A paginated HSDS answer whose contents validate against `item`. */
function assertPage(r, item, what) {
  assert.equal(r.status, 200, r.text);
  for (const k of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents']) {
    assert.ok(k in r.json, `${what}: ${k} missing`);
  }
  assertValid(PAGE, r.json, what);
  assert.ok(Array.isArray(r.json.contents));
  assert.equal(r.json.size, r.json.contents.length);
  r.json.contents.forEach((c, i) => assertValid(item, c, `${what}.contents[${i}]`));
}

let srv;
let sink;
let coord; // demo-coordinator (cremona)
let lodi; // coordinator of another district
let editor; // demo-editor (cremona)
let operator;
let anon;

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_PUBLIC_URL: 'http://labimpact.test' },
    users: [{ username: 'coord-lodi', role: 'coordinator', org: 'lodi' }, { username: 'cpia-op', role: 'operator', org: 'cpia-cremona' }],
  });
  coord = await srv.login('demo-coordinator');
  lodi = await srv.login('coord-lodi');
  editor = await srv.login('demo-editor');
  operator = await srv.login('demo-operator');
  anon = srv.client();
});

after(async () => {
  await srv?.stop();
  await sink?.stop();
});

const registration = (over = {}) => ({
  name: 'Associazione Ponte (test)', email: 'ponte@example.org', description: 'Doposcuola e corsi.', org: 'cremona',
  communities: ['MA', 'SN'], languages: ['ar', 'fr'], ...over,
});

/** Registers, confirms through the mailed link; returns the id. */
async function registerConfirmed(over) {
  const body = registration(over);
  const r = await anon.post('/api/v1/public/associations', body);
  assert.equal(r.status, 202, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['id', 'status']);
  assert.equal(r.json.status, 'pending');
  const mail = await sink.waitFor((m) => m.to.includes(body.email) && /Conferma|Confirm/.test(m.subject));
  const link = mail.text.match(/http:\/\/labimpact\.test(\/associazioni\/conferma\/[A-Za-z0-9_-]+)/);
  assert.ok(link, mail.text);
  const visitor = srv.client();
  const page = await visitor.get(link[1]);
  assert.equal(page.status, 200);
  const token = page.text.match(/name="_csrf" value="([^"]+)"/)[1];
  const done = await visitor.request('POST', link[1], {
    body: `_csrf=${encodeURIComponent(token)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(done.status, 303, done.text);
  return r.json.id;
}

test('an association registers, confirms its e-mail, the district approves it; then it is public and has its account', async () => {
  const before = await anon.get('/api/v1/public/associations?org=cremona');
  const id = await registerConfirmed({ legal_form: 'aps', runts: '123456', website: 'https://ponte.example.org' });
  const pub = await anon.get('/api/v1/public/associations?org=cremona');
  assert.equal(pub.json.items.length, before.json.items.length, 'pending associations are not public');
  assert.equal((await anon.get(`/api/v1/public/associations/${id}`)).status, 404);

  assertError(await operator.post(`/api/v1/associations/${id}/review`, { decision: 'approve' }), 403);
  assertError(await lodi.post(`/api/v1/associations/${id}/review`, { decision: 'approve' }), 404);
  assertError(await lodi.get(`/api/v1/associations/${id}`), 404);
  assertError(await coord.post(`/api/v1/associations/${id}/review`, { decision: 'maybe' }), 422, { field: 'decision' });
  const queue = await coord.get('/api/v1/associations?status=pending');
  assert.ok(queue.json.items.some((a) => a.id === id && a.email === 'ponte@example.org'));
  assert.ok(!(await lodi.get('/api/v1/associations?status=pending')).json.items.some((a) => a.id === id));

  const ok = await coord.post(`/api/v1/associations/${id}/review`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assertError(await coord.post(`/api/v1/associations/${id}/review`, { decision: 'reject', reason: 'x' }), 409);
  const listed = await anon.get('/api/v1/public/associations?org=cremona');
  const a = listed.json.items.find((x) => x.id === id);
  assert.ok(a, 'approved: public');
  assert.deepEqual(a.communities, ['MA', 'SN']);
  assert.deepEqual(a.languages, ['ar', 'fr']);
  assert.equal(a.runts, '123456');
  assert.equal(a.email, undefined, 'the e-mail is not public');
  assert.ok(!(await anon.get('/api/v1/public/associations?org=lodi')).json.items.some((x) => x.id === id));

  // The association is told, with its account; it changes its own profile.
  const mail = await sink.waitFor((m) => m.to.includes('ponte@example.org') && /approvata|approved/.test(m.subject));
  const user = mail.text.match(/Nome utente: (\S+)/)[1];
  const pw = mail.text.match(/primo accesso\): (\S+)/)[1];
  const me = srv.client();
  assert.equal((await me.login(user, pw)).status, 200);
  const fresh = strongPassword();
  assert.equal((await me.post('/api/v1/me/password', { current_password: pw, new_password: fresh })).status, 204);
  const upd = await me.patch(`/api/v1/associations/${id}`, { activities: ['doposcuola', 'sport'], languages: ['ar', 'fr', 'wo'] });
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual(upd.json.activities, ['doposcuola', 'sport']);
  const other = await registerConfirmed({ name: 'Altra (test)', email: 'altra@example.org' });
  assertError(await me.patch(`/api/v1/associations/${other}`, { description: 'x' }), 404);
  assertError(await me.post(`/api/v1/associations/${other}/review`, { decision: 'approve' }), 403);
  assertError(await me.patch(`/api/v1/associations/${id}`, { website: 'ftp://x.example.org' }), 422, { field: 'website' });

  // Its own event, in the public calendar.
  const ev = await me.post('/api/v1/events', {
    title: 'Festa di quartiere (test)', start: '2027-03-10T17:00', end: '2027-03-10T19:30', place: 'Cremona', themes: ['culture'],
  });
  assert.equal(ev.status, 201, ev.text);
  assertError(await me.post('/api/v1/events', {
    title: 'x', start: '2027-03-10T17:00', end: '2027-03-10T19:30', place: 'Cremona', association_id: other,
  }), 403);
  const ics = await anon.get('/events.ics?org=cremona');
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const cal = new ICAL.Component(ICAL.parse(ics.text));
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const mine = events.find((e) => e.summary === 'Festa di quartiere (test)');
  assert.ok(mine, 'the event is in the feed');
  assert.equal(mine.startDate.toString().slice(0, 16), '2027-03-10T17:00');
  assert.equal(mine.endDate.toString().slice(0, 16), '2027-03-10T19:30');
});

test('a rejection needs a reason and tells the association; an unconfirmed one cannot be reviewed', async () => {
  const id = await registerConfirmed({ name: 'Da respingere (test)', email: 'no@example.org' });
  assertError(await coord.post(`/api/v1/associations/${id}/review`, { decision: 'reject' }), 422, { field: 'reason' });
  const r = await coord.post(`/api/v1/associations/${id}/review`, { decision: 'reject', reason: 'Fuori dal territorio' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.reason, 'Fuori dal territorio');
  const mail = await sink.waitFor((m) => m.to.includes('no@example.org') && /non accolta|not accepted/.test(m.subject));
  assert.match(mail.text, /Fuori dal territorio/);
  assert.equal((await anon.get(`/api/v1/public/associations/${id}`)).status, 404);

  const u = await anon.post('/api/v1/public/associations', registration({ email: 'later@example.org' }));
  assert.equal(u.status, 202);
  assertError(await coord.post(`/api/v1/associations/${u.json.id}/review`, { decision: 'approve' }), 409, { code: 'not_confirmed' });
});

test('registration refuses bad fields with 422 naming the field', async () => {
  const bad = [
    [{ email: 'not-an-email' }, 'email'],
    [{ email: undefined }, 'email'],
    [{ name: '' }, 'name'],
    [{ org: 'nowhere' }, 'org'],
    [{ org: 'lombardia' }, 'org'],
    [{ communities: ['morocco'] }, 'communities'], [{ communities: ['QQ'] }, 'communities'],
    [{ communities: 'MA' }, 'communities'],
    [{ languages: ['arabic'] }, 'languages'],
    [{ runts: '12-34' }, 'runts'],
    [{ website: 'javascript:alert(1)' }, 'website'],
    [{ legal_form: 'club' }, 'legal_form'],
    [{ extra: 1 }, 'extra'],
  ];
  for (const [over, field] of bad) {
    const body = registration(over);
    for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
    const r = await anon.post("/api/v1/public/associations", body);
    assert.equal(r.status, 422, `${JSON.stringify(over)}: ${r.text}`);
    assertError(r, 422, { field });
  }
});

test('events: editors and coordinators of the district; bad times and other districts refused', async () => {
  const ev = { title: 'Incontro (test)', start: '2027-05-02T10:00', end: '2027-05-02T12:00', place: 'Casalmaggiore', org: 'cremona' };
  assert.equal((await editor.post('/api/v1/events', ev)).status, 201);
  assert.equal((await coord.post('/api/v1/events', { ...ev, themes: ['youth', 'sport'], languages: ['ar'] })).status, 201);
  assertError(await operator.post('/api/v1/events', ev), 403);
  assertError(await lodi.post('/api/v1/events', ev), 404);
  assertError(await coord.post('/api/v1/events', { ...ev, end: '2027-05-02T09:00' }), 422, { field: 'end' });
  assertError(await coord.post('/api/v1/events', { ...ev, start: '2027-13-02T10:00' }), 422, { field: 'start' });
  assertError(await coord.post('/api/v1/events', { ...ev, themes: ['politics'] }), 422, { field: 'themes' });
  assertError(await coord.post('/api/v1/events', { ...ev, association_id: 999999 }), 422, { field: 'association_id' });
  assertError(await anon.post('/api/v1/events', ev), 401);
  const list = await anon.get('/api/v1/public/events?org=cremona');
  assert.ok(list.json.items.some((e) => e.title === 'Incontro (test)' && e.start === '2027-05-02T10:00'));
  assert.equal((await anon.get('/events.ics?org=nowhere')).status, 404);
});

const service = (over = {}) => ({
  name: 'Sportello lavoro (test)', description: 'Orientamento al lavoro per stranieri', org: 'cremona',
  languages: ['it', 'ar'], email: 'lavoro@example.org', phone: '+39 0372 000000', url: 'https://lavoro.example.org',
  address: { address_1: 'Via Esempio 1', city: 'Cremona', postal_code: '26100' }, categories: ['work'],
  schedules: [{ byday: 'MO,WE', opens_at: '09:00', closes_at: '12:00' }], ...over,
});

test('services: created by editors and coordinators, read through HSDS, schema-valid', async () => {
  const r = await editor.post('/api/v1/services', service());
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.hsds_id, /^[0-9a-f-]{36}$/);
  assertError(await operator.post('/api/v1/services', service()), 403);
  assertError(await lodi.post('/api/v1/services', service()), 404);
  assertError(await anon.post('/api/v1/services', service()), 401);
  const bad = [
    [{ email: 'x@' }, 'email'], [{ url: 'ftp://files.example.org' }, 'url'], [{ languages: ['xx'] }, 'languages'],
    [{ categories: ['pizza'] }, 'categories'], [{ name: undefined }, 'name'],
    [{ address: { address_1: 'Via', city: 'Cremona', postal_code: '261' } }, 'address.postal_code'],
    [{ address: { street: 'x' } }, 'address.street'],
    [{ schedules: [{ byday: 'XX', opens_at: '09:00', closes_at: '12:00' }] }, 'schedules'],
    [{ schedules: [{ byday: 'MO', opens_at: '12:00', closes_at: '09:00' }] }, 'schedules'],
  ];
  for (const [over, field] of bad) {
    const body = service(over);
    for (const k of Object.keys(over)) if (over[k] === undefined) delete body[k];
    assertError(await editor.post('/api/v1/services', body), 422, { field });
  }

  const meta = await anon.get('/hsds/');
  assert.equal(meta.status, 200);
  assertValid(META, meta.json, 'GET /hsds/');
  assert.equal(meta.json.version, '3.0');

  const one = await anon.get(`/hsds/services/${r.json.hsds_id}`);
  assert.equal(one.status, 200, one.text);
  assertValid(SERVICE, one.json, 'GET /hsds/services/{id}');
  const s = one.json;
  assert.equal(s.name, 'Sportello lavoro (test)');
  assert.ok(s.organization && s.organization.name);
  assert.equal(s.service_at_locations.length, 1);
  assert.equal(s.service_at_locations[0].location.addresses[0].postal_code, '26100');
  assert.deepEqual(s.languages.map((l) => l.code), ['it', 'ar']);
  assert.equal(s.phones[0].number, '+39 0372 000000');
  assert.deepEqual([s.schedules[0].freq, s.schedules[0].byday, s.schedules[0].opens_at], ['WEEKLY', 'MO,WE', '09:00']);
  assert.equal(s.attributes[0].taxonomy_term.code, 'work');
  assert.equal((await anon.get('/hsds/services/00000002-0000-4000-8000-0000000fffff')).status, 404);
  assert.equal((await anon.get('/hsds/services/42')).status, 404);

  const org = await anon.get(`/hsds/organizations/${s.organization_id}`);
  assert.equal(org.status, 200);
  assertValid(ORGANIZATION, org.json, 'GET /hsds/organizations/{id}');
  assert.ok(org.json.services.some((x) => x.id === s.id));
  assertPage(await anon.get('/hsds/organizations?per_page=5'), ORGANIZATION, 'GET /hsds/organizations');
  const tax = await anon.get('/hsds/taxonomies');
  assertPage(tax, TAXONOMY, 'GET /hsds/taxonomies');
  assert.equal(tax.json.total_items, 1);
});

test('HSDS services: paging, search, modified_after, every page schema-valid', async () => {
  const all = await anon.get('/hsds/services?per_page=100');
  assertPage(all, SERVICE, 'GET /hsds/services');
  const total = all.json.total_items;
  assert.ok(total >= 27, `the demo services: ${total}`); // three per demo district
  const p1 = await anon.get('/hsds/services?page=1&per_page=10');
  assertPage(p1, SERVICE, 'page 1');
  assert.equal(p1.json.size, 10);
  assert.equal(p1.json.total_pages, Math.ceil(total / 10));
  assert.equal(p1.json.first_page, true);
  assert.equal(p1.json.last_page, false);
  const last = await anon.get(`/hsds/services?page=${p1.json.total_pages}&per_page=10`);
  assert.equal(last.json.last_page, true);
  assert.equal(last.json.size, total - 10 * (p1.json.total_pages - 1));
  const past = await anon.get(`/hsds/services?page=${p1.json.total_pages + 1}&per_page=10`);
  assert.equal(past.json.size, 0);
  assert.equal(past.json.empty, false);

  const found = await anon.get('/hsds/services?search=Mediazione%20Cremona');
  assertPage(found, SERVICE, 'search');
  assert.ok(found.json.contents.length >= 1);
  assert.ok(found.json.contents.every((c) => /mediazione/i.test(c.name + c.description)));
  // Word prefixes, any case, punctuation ignored: the same answer on both engines.
  const prefix = await anon.get('/hsds/services?search=MEDIAZ');
  assert.equal(prefix.json.total_items, (await anon.get('/hsds/services?search=mediazione')).json.total_items);
  assert.ok(prefix.json.total_items >= 9);
  const punct = await anon.get(`/hsds/services?search=${encodeURIComponent("mediazione, (cremona)!% _\\ '\"*:&|")}`);
  assert.equal(punct.status, 200);
  assert.equal(punct.json.total_items, found.json.total_items);
  assertPage(punct, SERVICE, 'search with punctuation');
  const none = await anon.get('/hsds/services?search=zzzqqq');
  assert.equal(none.json.empty, true);
  assert.equal(none.json.total_items, 0);
  const arabic = await anon.get('/hsds/services?language=ar&per_page=100');
  assert.ok(arabic.json.contents.every((c) => c.languages.some((l) => l.code === 'ar')));
  const future = await anon.get('/hsds/services?modified_after=2099-01-01');
  assert.equal(future.json.total_items, 0);
  const sinceAlways = await anon.get('/hsds/services?modified_after=2000-01-01T00:00:00Z&per_page=1');
  assert.equal(sinceAlways.json.total_items, total);

  for (const [q, field] of [['page=0', 'page'], ['page=x', 'page'], ['per_page=0', 'per_page'], ['per_page=101', 'per_page'],
    ['modified_after=yesterday', 'modified_after'], ['modified_after=2026-02-30', 'modified_after']]) {
    const r = await anon.get(`/hsds/services?${q}`);
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.field, field);
  }
});

/** Parses CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') q = false; else field += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

test('HSDS data package: datapackage.json and one CSV per table, columns of the HSDS schemas', async () => {
  const dp = await anon.get('/hsds/datapackage.json');
  assert.equal(dp.status, 200);
  assert.equal(dp.json.profile, 'tabular-data-package');
  const names = dp.json.resources.map((r) => r.name);
  for (const n of ['organizations', 'services', 'locations', 'service_at_locations', 'addresses', 'phones', 'schedules',
    'languages', 'attributes', 'taxonomies', 'taxonomy_terms']) assert.ok(names.includes(n), n);
  // The HSDS table each resource follows, found by its `path` in the compiled schemas.
  const tables = {};
  const walk = (s) => {
    if (!s || typeof s !== 'object') return;
    if (typeof s.path === 'string' && s.path.endsWith('.csv') && s.properties) tables[s.path] ??= s;
    for (const v of Object.values(s)) walk(v);
  };
  walk(SERVICE);
  walk(ORGANIZATION);
  const services = (await anon.get('/hsds/services?per_page=1')).json.total_items;
  for (const r of dp.json.resources) {
    const csv = await anon.get(`/hsds/${r.path}`);
    assert.equal(csv.status, 200, r.path);
    assert.match(csv.headers.get('content-type'), /^text\/csv/);
    const rows = parseCsv(csv.text);
    assert.deepEqual(rows[0], r.schema.fields.map((f) => f.name), `${r.path} header`);
    const schema = tables[r.path];
    if (schema) for (const col of rows[0]) assert.ok(col in schema.properties, `${r.path}: ${col} is an HSDS column`);
    assert.ok(rows.slice(1).every((x) => x.length === rows[0].length), `${r.path}: every row has every column`);
    if (r.name === 'services') assert.equal(rows.length - 1, services);
    if (r.name === 'taxonomy_terms') assert.ok(rows.some((x) => x[1] === 'mediation'));
  }
  assert.equal((await anon.get('/hsds/nothing.csv')).status, 404);
  assert.equal((await anon.get('/hsds/services.json')).status, 404);
});

test('HSDS data package import: the exported package comes back in, checked like typed-in services, all or nothing', async () => {
  const dp = (await anon.get('/hsds/datapackage.json')).json;
  const files = {};
  for (const r of dp.resources) files[r.path] = (await anon.get(`/hsds/${r.path}`)).text;
  const before = (await anon.get('/hsds/services?per_page=1')).json.total_items;
  assertError(await operator.post('/api/v1/services/import', { files }), 403);
  assertError(await lodi.post('/api/v1/services/import', { org: 'cremona', files }), 404);
  assertError(await lodi.post('/api/v1/services/import', { files: {} }), 422, { field: 'files' });
  const bad = files['services.csv'].replace(/\r\n/, '\r\n00000002-0000-4000-8000-00000000ffff,x,Bad (test),d,,not-an-email,active,\r\n');
  assertError(await lodi.post('/api/v1/services/import', { files: { ...files, 'services.csv': bad } }), 422, { field: 'services.csv:2:email' });
  assert.equal((await anon.get('/hsds/services?per_page=1')).json.total_items, before, 'nothing of a failed import is kept');

  const r = await lodi.post('/api/v1/services/import', { files });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.imported, before);
  const after = await anon.get('/hsds/services?per_page=100&search=Sportello%20lavoro');
  assertPage(after, SERVICE, 'imported services');
  const copies = after.json.contents.filter((s) => s.name === 'Sportello lavoro (test)');
  assert.equal(copies.length, 2, 'the original and its imported copy');
  const copy = copies.find((s) => s.organization.name === 'Ambito Territoriale di Lodi');
  assert.ok(copy, 'imported into the importer\'s district');
  assert.deepEqual(copy.languages.map((l) => l.code), ['it', 'ar']);
  assert.equal(copy.schedules[0].byday, 'MO,WE');
  assert.equal(copy.service_at_locations[0].location.addresses[0].postal_code, '26100');
  assert.equal(copy.phones[0].number, '+39 0372 000000');
  assert.equal(copy.attributes[0].taxonomy_term.code, 'work');
});

/** A registered, confirmed, approved association and its logged-in account (password changed). */
async function approvedAccount(over) {
  const id = await registerConfirmed(over);
  assert.equal((await coord.post(`/api/v1/associations/${id}/review`, { decision: 'approve' })).status, 200);
  const mail = await sink.waitFor((m) => m.to.includes(over.email) && /approvata|approved/.test(m.subject));
  const user = mail.text.match(/Nome utente: (\S+)/)[1];
  const pw = mail.text.match(/primo accesso\): (\S+)/)[1];
  const c = srv.client();
  assert.equal((await c.login(user, pw)).status, 200);
  assert.equal((await c.post('/api/v1/me/password', { current_password: pw, new_password: strongPassword() })).status, 204);
  return { id, c };
}

test('channels: the district announces and calls for co-design, associations ask; e-mail notices; support recorded', async () => {
  const a1 = await approvedAccount({ name: 'Canale uno (test)', email: 'canale1@example.org' });
  const a2 = await approvedAccount({ name: 'Canale due (test)', email: 'canale2@example.org' });

  const call = await coord.post('/api/v1/threads', { kind: 'codesign', title: 'Coprogettazione estate 2027', body: 'Proposte entro marzo.' });
  assert.equal(call.status, 201, call.text);
  const notice = await sink.waitFor((m) => m.to.includes('canale2@example.org') && /Coprogettazione estate 2027/.test(m.subject));
  assert.match(notice.text, /Proposte entro marzo/);
  assertError(await a1.c.post('/api/v1/threads', { kind: 'announcement', title: 'x', body: 'y' }), 403, { field: 'kind' });
  assertError(await operator.post('/api/v1/threads', { title: 'x', body: 'y' }), 403);
  assertError(await lodi.get(`/api/v1/threads/${call.json.id}`), 404);
  assertError(await coord.post('/api/v1/threads', { kind: 'gossip', title: 'x', body: 'y' }), 422, { field: 'kind' });
  assertError(await coord.post('/api/v1/threads', { title: 'x' }), 422, { field: 'body' });

  const q = await a1.c.post('/api/v1/threads', { title: 'Sala per le riunioni?', body: 'Ci serve una sala il sabato.' });
  assert.equal(q.status, 201, q.text);
  assert.ok((await coord.get('/api/v1/threads')).json.items.some((t) => t.id === q.json.id && t.kind === 'question'));
  assert.ok(!(await a2.c.get('/api/v1/threads')).json.items.some((t) => t.id === q.json.id), 'another association\'s question is not shown');
  assert.ok((await a2.c.get('/api/v1/threads')).json.items.some((t) => t.id === call.json.id));
  assertError(await a2.c.get(`/api/v1/threads/${q.json.id}`), 404);
  assertError(await a2.c.post(`/api/v1/threads/${q.json.id}/messages`, { body: 'x' }), 404);
  const reply = await coord.post(`/api/v1/threads/${q.json.id}/messages`, { body: 'Sì, la sala civica.' });
  assert.equal(reply.status, 201);
  await sink.waitFor((m) => m.to.includes('canale1@example.org') && /Sala per le riunioni/.test(m.subject));
  const thread = await a1.c.get(`/api/v1/threads/${q.json.id}`);
  assert.deepEqual(thread.json.messages.map((m) => [m.body, m.from_association]),
    [['Ci serve una sala il sabato.', true], ['Sì, la sala civica.', false]]);
  assert.equal(thread.json.messages[0].author, 'Canale uno (test)');

  const s = await coord.post('/api/v1/support', { association_id: a1.id, kind: 'grant', description: 'Contributo per il doposcuola', amount_cents: 150000, date: '2027-01-15' });
  assert.equal(s.status, 201, s.text);
  assertError(await coord.post('/api/v1/support', { association_id: a1.id, kind: 'money', description: 'x', date: '2027-01-15' }), 422, { field: 'kind' });
  assertError(await coord.post('/api/v1/support', { association_id: a1.id, kind: 'space', description: 'x', date: '2027-02-30' }), 422, { field: 'date' });
  assertError(await lodi.post('/api/v1/support', { association_id: a1.id, kind: 'space', description: 'x', date: '2027-02-01' }), 404);
  assertError(await a1.c.post('/api/v1/support', { association_id: a1.id, kind: 'space', description: 'x', date: '2027-02-01' }), 403);
  const mine = await a1.c.get(`/api/v1/support?association_id=${a1.id}`);
  assert.deepEqual(mine.json.items.map((x) => [x.kind, x.amount_cents]), [['grant', 150000]]);
  assertError(await a2.c.get(`/api/v1/support?association_id=${a1.id}`), 404);
});

test('recurring initiatives: weekly and monthly rules in the feed (RRULE, expanded by ical.js) and on the calendar', async () => {
  const base = { title: 'Caffè linguistico (test)', start: '2027-01-06T17:00', end: '2027-01-06T18:30', place: 'Cremona', org: 'cremona' };
  const weekly = await coord.post('/api/v1/events', { ...base, recurrence: { freq: 'weekly', byday: 'WE,SA', until: '2027-04-30' } });
  assert.equal(weekly.status, 201, weekly.text);
  const monthly = await editor.post('/api/v1/events', {
    ...base, title: 'Assemblea mensile (test)', start: '2027-01-09T10:00', end: '2027-01-09T12:00',
    recurrence: { freq: 'monthly', byday: '2SA', until: '2027-12-31' },
  });
  assert.equal(monthly.status, 201, monthly.text);
  for (const [rec, field] of [[{ freq: 'daily', until: '2027-02-01' }, 'recurrence.freq'],
    [{ freq: 'weekly' }, 'recurrence.until'], [{ freq: 'weekly', until: '2026-01-01' }, 'recurrence.until'],
    [{ freq: 'weekly', until: '2030-01-01' }, 'recurrence.until'], [{ freq: 'weekly', byday: 'XX', until: '2027-02-01' }, 'recurrence.byday'],
    [{ freq: 'monthly', byday: '5SA', until: '2027-02-01' }, 'recurrence.byday'], [{ freq: 'weekly', interval: 9, until: '2027-02-01' }, 'recurrence.interval'],
    [{ freq: 'weekly', until: '2027-02-01', count: 3 }, 'recurrence'], ['weekly', 'recurrence']]) {
    assertError(await coord.post('/api/v1/events', { ...base, recurrence: rec }), 422, { field });
  }
  assertError(await lodi.post('/api/v1/events', { ...base, recurrence: { freq: 'weekly', until: '2027-02-01' } }), 404);
  assertError(await operator.post('/api/v1/events', { ...base, recurrence: { freq: 'weekly', until: '2027-02-01' } }), 403);

  const ics = await anon.get('/events.ics?org=cremona');
  const cal = new ICAL.Component(ICAL.parse(ics.text));
  const vevents = cal.getAllSubcomponents('vevent');
  const w = new ICAL.Event(vevents.find((v) => v.getFirstPropertyValue('summary') === 'Caffè linguistico (test)'));
  assert.ok(w.isRecurring());
  assert.equal(w.component.getFirstPropertyValue('rrule').freq, 'WEEKLY');
  const it = w.iterator();
  const got = [];
  for (let t = it.next(); t; t = it.next()) got.push(t.toString().slice(0, 16));
  assert.deepEqual(got.slice(0, 4), ['2027-01-06T17:00', '2027-01-09T17:00', '2027-01-13T17:00', '2027-01-16T17:00']);
  assert.equal(got.at(-1), '2027-04-28T17:00');
  assert.equal(got.length, 33); // Wednesdays and Saturdays from 6 January to 30 April 2027
  const m = new ICAL.Event(vevents.find((v) => v.getFirstPropertyValue('summary') === 'Assemblea mensile (test)'));
  const mi = m.iterator();
  const months = [];
  for (let t = mi.next(); t; t = mi.next()) months.push(t.toString().slice(0, 10));
  assert.deepEqual(months.slice(0, 4), ['2027-01-09', '2027-02-13', '2027-03-13', '2027-04-10']);
  assert.equal(months.length, 12);
  // Across the change to summer time (28 March 2027) the local hour stays.
  assert.ok(got.includes('2027-03-31T17:00'));

  // The same occurrences, one item each, in the public list (and the page).
  const list = (await anon.get('/api/v1/public/events?org=cremona')).json.items.filter((e) => e.title === 'Caffè linguistico (test)');
  assert.deepEqual(list.map((e) => e.start).slice(0, 3), ['2027-01-06T17:00', '2027-01-09T17:00', '2027-01-13T17:00']);
  assert.equal(list.length, 33);
  assert.ok(list.every((e) => e.recurring && /^FREQ=WEEKLY;INTERVAL=1;BYDAY=WE,SA;UNTIL=20270430T215959Z$/.test(e.recurrence)));
  assert.equal(list.find((e) => e.start === '2027-03-31T17:00').end, '2027-03-31T18:30');
  const page = await anon.get('/eventi/cremona');
  assert.equal(page.status, 200);
  assert.match(page.text, /31\/03\/2027 17:00/);
  assert.match(page.text, /Ogni settimana|Every week/);
});

test('threads are paged (limit, cursor) and the list read is audited', async () => {
  for (let i = 0; i < 3; i++) {
    assert.equal((await coord.post('/api/v1/threads', { kind: 'announcement', title: `Avviso ${i} (paging)`, body: 'Testo.' })).status, 201);
  }
  const p1 = await coord.get('/api/v1/threads?limit=2');
  assert.equal(p1.status, 200);
  assert.equal(p1.json.items.length, 2);
  assert.ok(p1.json.next_cursor);
  const p2 = await coord.get(`/api/v1/threads?limit=2&cursor=${p1.json.next_cursor}`);
  assert.ok(p2.json.items.length >= 1);
  assert.ok(p2.json.items.every((t) => t.id < p1.json.items[1].id), 'the next page goes on from the cursor');
  assert.equal(new Set([...p1.json.items, ...p2.json.items].map((t) => t.id)).size, p1.json.items.length + p2.json.items.length);
  assertError(await coord.get('/api/v1/threads?limit=0'), 422, { field: 'limit' });
  assertError(await operator.get('/api/v1/threads'), 403);
  assertError(await anon.get('/api/v1/threads'), 401);
  const admin = await srv.login('demo-admin');
  const audit = await admin.get('/api/v1/audit?action=thread.list&limit=200');
  assert.ok(audit.json.items.some((a) => a.action === 'thread.list'), 'the list read is audited');
});

/** POSTs an HTML form of a logged-in page (its _csrf field: the session's token). */
function postForm(c, p, fields, { token = c.csrf } = {}) {
  const body = new URLSearchParams();
  if (token) body.append('_csrf', token);
  for (const [k, v] of Object.entries(fields)) for (const x of [].concat(v)) body.append(k, x);
  return c.request('POST', p, { body: body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, csrf: false });
}

test('channel pages: threads opened, read and answered in the browser pages; e-mail notices; support recorded on its page', async () => {
  const a = await approvedAccount({ name: 'Pagine canali (test)', email: 'pagine@example.org' });
  assert.equal((await operator.get('/canali')).status, 403);
  const out = await anon.get('/canali');
  assert.equal(out.status, 303);
  assert.match(out.headers.get('location'), /^\/login/);
  assert.equal((await postForm(coord, '/canali', { kind: 'codesign', title: 'x', body: 'y' }, { token: 'wrong' })).status, 403);

  const made = await postForm(coord, '/canali', { kind: 'codesign', title: 'Tavolo estate ragazzi (pagine)', body: 'Idee entro aprile.' });
  assert.equal(made.status, 303, made.text);
  const where = made.headers.get('location');
  assert.match(where, /^\/canali\/\d+\?sent=1$/);
  const tid = Number(where.match(/\d+/)[0]);
  await sink.waitFor((m) => m.to.includes('pagine@example.org') && /Tavolo estate ragazzi/.test(m.subject));
  const listed = await a.c.get('/canali');
  assert.equal(listed.status, 200);
  assert.match(listed.text, /Tavolo estate ragazzi \(pagine\)/);
  assert.doesNotMatch(listed.text, /name="kind" value="codesign"|<option value="codesign"/, 'an association only asks');
  const bad = await postForm(a.c, `/canali/${tid}/messaggi`, { body: '' });
  assert.equal(bad.status, 422);
  const replied = await postForm(a.c, `/canali/${tid}/messaggi`, { body: 'Proponiamo un torneo.' });
  assert.equal(replied.status, 303, replied.text);
  await sink.waitFor((m) => /Tavolo estate ragazzi/.test(m.subject) && /Proponiamo un torneo/.test(m.text));
  const page = await coord.get(`/canali/${tid}`);
  assert.match(page.text, /Idee entro aprile\.[\s\S]*Proponiamo un torneo\./);
  assert.match(page.text, /Pagine canali \(test\)/);
  assert.equal((await lodi.get(`/canali/${tid}`)).status, 404);
  assert.equal((await postForm(a.c, '/canali', { kind: 'announcement', title: 'x', body: 'y' })).status, 403);
  const q = await postForm(a.c, '/canali', { kind: 'question', title: 'Domanda pagine (test)', body: 'Orari della sala?' });
  assert.equal(q.status, 303);
  assert.match((await coord.get('/canali')).text, /Domanda pagine \(test\)/);

  // Support: the coordinator records it on the association's page; the association reads its own.
  assert.match((await coord.get('/sostegno')).text, new RegExp(`/associazioni/${a.id}/sostegno`));
  assert.equal((await a.c.get('/sostegno')).headers.get('location'), `/associazioni/${a.id}/sostegno`);
  assert.equal((await postForm(coord, `/associazioni/${a.id}/sostegno`, { kind: 'grant', date: '2027-02-01', description: 'Contributo sede', amount: '12,3x' })).status, 422);
  const rec = await postForm(coord, `/associazioni/${a.id}/sostegno`, { kind: 'grant', date: '2027-02-01', description: 'Contributo sede', amount: '250,50' });
  assert.equal(rec.status, 303, rec.text);
  const own = await a.c.get(`/associazioni/${a.id}/sostegno`);
  assert.equal(own.status, 200);
  assert.match(own.text, /Contributo sede/);
  assert.match(own.text, /250,50 €/);
  assert.doesNotMatch(own.text, /id="support-form"/, 'the association does not record support');
  assert.equal((await a.c.get('/api/v1/support?association_id=' + a.id)).json.items[0].amount_cents, 25050);
  assert.equal((await lodi.get(`/associazioni/${a.id}/sostegno`)).status, 404);
  assert.equal((await postForm(lodi, `/associazioni/${a.id}/sostegno`, { kind: 'space', date: '2027-02-01', description: 'x' })).status, 404);
  assert.equal((await postForm(a.c, `/associazioni/${a.id}/sostegno`, { kind: 'space', date: '2027-02-01', description: 'x' })).status, 403);
  assert.equal((await operator.get(`/associazioni/${a.id}/sostegno`)).status, 403);
  const admin = await srv.login('demo-admin');
  const audit = (await admin.get('/api/v1/audit?action=support.list&limit=50')).json.items;
  assert.ok(audit.length >= 1, 'the support pages are audited');
  assert.ok((await admin.get('/api/v1/audit?action=thread.read&limit=50')).json.items.length >= 1);
});

/** PUT with a JSON body. */
const put = (c, p, json) => c.request('PUT', p, { json });

test('service editor: PUT replaces a service (checked as at creation), the pages create and edit one with hours, languages, needs', async () => {
  const made = await editor.post('/api/v1/services', service({ name: 'Da modificare (test)' }));
  assert.equal(made.status, 201);
  const id = made.json.id;
  const replaced = await put(coord, `/api/v1/services/${id}`, service({ name: 'Modificato (test)', languages: ['it', 'uk'], categories: ['housing'],
    schedules: [{ byday: 'TU,TH', opens_at: '14:00', closes_at: '17:30' }] }));
  assert.equal(replaced.status, 200, replaced.text);
  assert.equal(replaced.json.name, 'Modificato (test)');
  const h = (await anon.get(`/hsds/services/${made.json.hsds_id}`)).json;
  assertValid(SERVICE, h, 'the changed service');
  assert.equal(h.name, 'Modificato (test)');
  assert.deepEqual(h.languages.map((l) => l.code), ['it', 'uk']);
  assert.equal(h.schedules[0].byday, 'TU,TH');
  assert.equal(h.attributes[0].taxonomy_term.code, 'housing');
  assertError(await put(coord, `/api/v1/services/${id}`, service({ url: 'javascript:alert(1)' })), 422, { field: 'url' });
  assertError(await put(coord, `/api/v1/services/${id}`, service({ org: 'lodi' })), 422, { field: 'org' });
  assertError(await put(lodi, `/api/v1/services/${id}`, service()), 404);
  assertError(await lodi.get(`/api/v1/services/${id}`), 404);
  assertError(await put(operator, `/api/v1/services/${id}`, service()), 403);
  assertError(await put(anon, `/api/v1/services/${id}`, service()), 401);
  assert.equal((await coord.get(`/api/v1/services/${id}`)).json.name, 'Modificato (test)');

  // The pages.
  assert.equal((await operator.get('/servizi/gestione')).status, 403);
  const list = await editor.get('/servizi/gestione');
  assert.equal(list.status, 200);
  assert.match(list.text, new RegExp(`/servizi/gestione/${id}"`));
  const bad = await postForm(editor, '/servizi/gestione/nuovo', { name: 'Pagina (test)', email: 'nope', org: 'cremona' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /value="Pagina \(test\)"/, 'the refused form comes back as typed');
  const ok = await postForm(editor, '/servizi/gestione/nuovo', {
    name: 'Pagina (test)', org: 'cremona', description: 'Creato dalla pagina', email: 'pagina@example.org', address_1: 'Via Roma 2',
    city: 'Casalmaggiore', postal_code: '26041', languages: ['it', 'ar'], categories: ['mediation', 'legal'],
    h0_days: ['MO', 'FR'], h0_opens: '09:00', h0_closes: '12:00', h1_days: ['WE'], h1_opens: '15:00', h1_closes: '18:00',
  });
  assert.equal(ok.status, 303, ok.text);
  const pid = Number(ok.headers.get('location').match(/gestione\/(\d+)/)[1]);
  const edit = await editor.get(`/servizi/gestione/${pid}`);
  assert.match(edit.text, /id="h0-MO" name="h0_days" value="MO" checked/);
  const api = (await editor.get(`/api/v1/services/${pid}`)).json;
  assert.deepEqual(api.schedules, [{ byday: 'MO,FR', opens_at: '09:00', closes_at: '12:00' }, { byday: 'WE', opens_at: '15:00', closes_at: '18:00' }]);
  assert.deepEqual(api.categories, ['mediation', 'legal']);
  const changed = await postForm(editor, `/servizi/gestione/${pid}`, { ...{ name: 'Pagina cambiata (test)', org: 'cremona', city: 'Cremona', languages: 'it' } });
  assert.equal(changed.status, 303);
  assert.equal((await editor.get(`/api/v1/services/${pid}`)).json.city, 'Cremona');
  assert.equal((await postForm(lodi, `/servizi/gestione/${pid}`, { name: 'x' })).status, 404);
  assert.equal((await lodi.get(`/servizi/gestione/${pid}`)).status, 404);
  assert.equal((await postForm(editor, `/servizi/gestione/${pid}`, { name: 'x', h0_days: 'MO', h0_opens: '12:00', h0_closes: '09:00' })).status, 422);
});

test('referrals: the desk picks the receiving service from the directory; the service sees only what it needs and answers; the desk reads the answer', async () => {
  const recv = await srv.login('cpia-op');
  const admin0 = await srv.login('demo-admin');
  const teacher = await admin0.post('/api/v1/users', { username: 'cpia-teacher', password: strongPassword(), role: 'teacher', org: 'cpia-cremona', email: 'cpia-teacher@example.org' });
  assert.equal(teacher.status, 201, teacher.text);
  const desk = operator; // demo-operator, the Cremona help desk
  const found = (await anon.get('/hsds/services?search=CPIA&per_page=100')).json.contents
    .find((s) => s.organization.name === 'Centro Provinciale Istruzione Adulti Cremona');
  assert.ok(found, 'the CPIA of Cremona is in the directory');
  const serviceId = parseInt(found.id.slice(-12), 16);
  const p = await desk.post('/api/v1/persons', { given_name: 'Awa', family_name: 'Sow (invio)', sex: 'f', birth_date: '1991-04-02',
    citizenship: 'SN', phone: '+39 333 0000001', email: 'awa@example.org', preferred_language: 'fr' });
  assert.equal(p.status, 201, p.text);
  assertError(await desk.post('/api/v1/referrals', { person_id: p.json.id, service_id: 99999999 }), 422, { field: 'service_id' });
  assertError(await desk.post('/api/v1/referrals', { person_id: p.json.id, service_id: serviceId, to_org: 'cremona' }), 422, { field: 'to_org' });
  const r = await desk.post('/api/v1/referrals', { person_id: p.json.id, service_id: serviceId, reason: 'Corso di italiano A2' });
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  const told = await sink.waitFor((m) => m.to.includes('cpia-teacher@example.org') && /Nuovo invio/.test(m.subject));
  assert.match(told.text, /\/invii-ricevuti/);
  assert.doesNotMatch(told.text + told.subject, /Awa|Sow|italiano A2/, 'no personal data in the notice');

  // The receiving service: only the name, phone and preferred language of the person.
  const inbox = await recv.get('/api/v1/incoming-referrals');
  assert.equal(inbox.status, 200, inbox.text);
  const got = inbox.json.items.find((x) => x.id === rid);
  assert.ok(got, 'the CPIA sees the referral');
  assert.deepEqual(Object.keys(got).sort(), ['answer_note', 'answered_at', 'created_at', 'family_name', 'from_org', 'given_name', 'id',
    'phone', 'preferred_language', 'reason', 'service', 'status', 'to_org'].sort());
  assert.equal(got.given_name, 'Awa');
  assert.equal(got.service, found.name);
  assert.equal(got.reason, 'Corso di italiano A2');
  assert.doesNotMatch(JSON.stringify(inbox.json), /awa@example|1991-04-02|"SN"/, 'nothing else of the person');
  assert.ok(!(await lodi.get('/api/v1/incoming-referrals')).json.items.some((x) => x.id === rid), 'another district sees nothing');
  assertError(await editor.get('/api/v1/incoming-referrals'), 403);
  assertError(await anon.get('/api/v1/incoming-referrals'), 401);
  assertError(await recv.get('/api/v1/incoming-referrals?status=lost'), 422, { field: 'status' });
  const page = await recv.get('/invii-ricevuti');
  assert.equal(page.status, 200);
  assert.match(page.text, /Awa Sow \(invio\)/);
  assert.doesNotMatch(page.text, /awa@example|1991-04-02/);

  // Answers: declined needs a note; steps in order; another district's coordinator cannot answer.
  assertError(await recv.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'declined' }), 422, { field: 'note' });
  assertError(await recv.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'completed' }), 409);
  assertError(await recv.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'lost' }), 422, { field: 'status' });
  assertError(await lodi.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'accepted' }), 404);
  assertError(await editor.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'accepted' }), 403);
  const acc = await postForm(recv, `/invii-ricevuti/${rid}`, { status: 'accepted' });
  assert.equal(acc.status, 303, acc.text);
  const done = await recv.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'completed', note: 'Iscritta al corso A2 del martedì' });
  assert.equal(done.status, 200, done.text);
  assertError(await recv.post(`/api/v1/incoming-referrals/${rid}/answer`, { status: 'declined', note: 'x' }), 409);

  // The sending desk sees the answer (API and the person page) and was told by e-mail.
  const back = (await desk.get(`/api/v1/referrals?person_id=${p.json.id}`)).json.items.find((x) => x.id === rid);
  assert.equal(back.status, 'completed');
  assert.equal(back.answer_note, 'Iscritta al corso A2 del martedì');
  assert.equal(back.service_id, serviceId);
  assert.equal(back.to_org, 'cpia-cremona');
  const person = await desk.get(`/desk/persons/${p.json.id}?tab=casework`);
  assert.match(person.text, /Iscritta al corso A2 del martedì/);
  const form = await desk.get(`/desk/persons/${p.json.id}/referrals/new?need=adult-education&comune=Cremona`);
  assert.equal(form.status, 200);
  assert.match(form.text, new RegExp(`name="service_id" value="${serviceId}"`));
  assert.equal((await lodi.get(`/desk/persons/${p.json.id}/referrals/new`)).status, 404);
  const viaPage = await postForm(desk, `/desk/persons/${p.json.id}/referrals`, { service_id: String(serviceId), reason: 'Secondo invio' });
  assert.equal(viaPage.status, 303, viaPage.text);
  assert.ok((await recv.get('/api/v1/incoming-referrals?status=sent')).json.items.some((x) => x.reason === 'Secondo invio'));

  // Erasing the person erases the answer too; the receiver keeps no name.
  assert.equal((await coord.del(`/api/v1/persons/${p.json.id}`)).status, 204);
  const gone = (await recv.get('/api/v1/incoming-referrals')).json.items.find((x) => x.id === rid);
  assert.equal(gone.answer_note, null);
  assert.equal(gone.reason, null);
  assert.doesNotMatch(JSON.stringify(gone), /Awa|Sow|333 0000001/);

  const admin = await srv.login('demo-admin');
  const reads = (await admin.get('/api/v1/audit?action=referral.incoming.read&limit=200')).json.items;
  assert.ok(reads.some((a) => String(a.object_id) === String(rid)), 'the receiver\'s reads are audited');
  assert.ok((await admin.get('/api/v1/audit?action=referral.answer&limit=50')).json.items.length >= 2);
});
