// mediation.test.mjs — on-call intercultural mediation through the API
// (CONTRACT.md "Mediation"): the register, requests, candidates with the
// reasons others are excluded, offers, booking that the database refuses to
// double (also under concurrency), close-out, void and late cancellation,
// statements as JSON / CSV / XLSX / PDF, .ics feeds read back by ical.js,
// e-mails through the outbox to a real SMTP server, and every denial: no
// session, wrong role, other district (404), a mediator reaching another's
// data (404), no CSRF token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import ICAL from 'ical.js';
import { startServer, assertError, readXlsx } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let srv;
let sink;
let coord; // demo-coordinator (cremona)
let lodi; // coordinator of another district
let admin;
let operator;
let medUser; // demo-mediator (cremona), linked to mediator `amina`
let medUser2; // another mediator account, linked to `karim`
const ids = {};

/** Rome local "YYYY-MM-DDTHH:MM" of a Date. */
function rome(d) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(d).map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** A Rome local time `days` from now at hh:mm, on a Tuesday to Friday: skips weekends, and Mondays,
 * when Samir (Monday mornings only) would become a candidate by the calendar alone. */
function future(days, hh, mm = 0) {
  const d = new Date(Date.now() + days * 86400000);
  let s = rome(d).slice(0, 10);
  for (;;) {
    const wd = new Date(`${s}T12:00:00Z`).getUTCDay();
    if (wd >= 2 && wd <= 5) break;
    s = rome(new Date(new Date(`${s}T12:00:00Z`).getTime() + 86400000)).slice(0, 10);
  }
  return `${s}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test' },
    users: [
      { username: 'coord-lodi', role: 'coordinator', org: 'lodi' },
      { username: 'med-karim', role: 'mediator', org: 'cremona' },
    ],
  });
  coord = await srv.login('demo-coordinator');
  lodi = await srv.login('coord-lodi');
  admin = await srv.login('demo-admin');
  operator = await srv.login('demo-operator');
  medUser = await srv.login('demo-mediator');
  medUser2 = await srv.login('med-karim');
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
});

test('the register: create mediators, validation, and who may', async () => {
  let r = await coord.post('/api/v1/mediators', {
    given_name: 'Amina', family_name: 'Diallo', languages: ['ar', 'fr', 'wo'], email: 'amina@example.org',
    username: 'demo-mediator', qualifications: ['Mediatrice interculturale (corso regionale 2023)'],
    training: ['Tirocinio ASST Cremona'],
  });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.languages, ['ar', 'fr', 'wo']);
  assert.deepEqual(r.json.domains, ['health', 'legal', 'school', 'social']); // all by default
  assert.equal(r.json.org, 'cremona');
  assert.equal(r.json.username, 'demo-mediator');
  assert.match(r.json.calendar_url, /^\/api\/v1\/mediators\/\d+\/calendar\.ics\?token=/);
  ids.amina = r.json.id;

  r = await coord.post('/api/v1/mediators', {
    given_name: 'Karim', family_name: 'Haddad', languages: ['ar'], domains: ['health', 'school'],
    email: 'karim@example.org', username: 'med-karim',
  });
  assert.equal(r.status, 201, r.text);
  ids.karim = r.json.id;
  // Speaks Arabic but only health, and only on Monday mornings.
  r = await coord.post('/api/v1/mediators', {
    given_name: 'Samir', family_name: 'Nasser', languages: ['ar'], domains: ['health'],
    availability: [{ weekday: 1, from: '09:00', to: '13:00' }],
  });
  assert.equal(r.status, 201, r.text);
  ids.samir = r.json.id;
  r = await coord.post('/api/v1/mediators', { given_name: 'Elena', family_name: 'Popescu', languages: ['ro'] });
  assert.equal(r.status, 201);
  ids.elena = r.json.id;
  // The contract's minimal form, by the admin naming the district.
  r = await admin.post('/api/v1/mediators', { given_name: 'Xu', family_name: 'Wei', languages: ['zh'], org: 'lodi' });
  assert.equal(r.status, 201, r.text);
  ids.xu = r.json.id;

  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['arabic'] }), 422,
    { field: 'languages' });
  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B' }), 422, { field: 'languages' });
  assertError(await coord.post('/api/v1/mediators', { family_name: 'B', languages: ['ar'] }), 422, { field: 'given_name' });
  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'], domains: ['cooking'] }),
    422, { field: 'domains' });
  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'], org: 'lodi' }),
    422, { field: 'org' }); // another district
  assertError(await coord.post('/api/v1/mediators', {
    given_name: 'A', family_name: 'B', languages: ['ar'], availability: [{ weekday: 8, from: '09:00', to: '10:00' }],
  }), 422, { field: 'availability' });
  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'], username: 'demo-mediator' }),
    409, { field: 'username' }); // already linked
  // Denials.
  assertError(await srv.client().post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'] }), 401);
  assertError(await operator.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'] }), 403);
  assertError(await medUser.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'] }), 403);
  assertError(await coord.post('/api/v1/mediators', { given_name: 'A', family_name: 'B', languages: ['ar'] }, { csrf: false }), 403);
});

test('who sees which mediator', async () => {
  let r = await coord.get('/api/v1/mediators');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((m) => m.id).sort(), [ids.amina, ids.karim, ids.samir, ids.elena].sort());
  r = await coord.get('/api/v1/mediators?language=ro');
  assert.deepEqual(r.json.items.map((m) => m.id), [ids.elena]);
  r = await lodi.get('/api/v1/mediators');
  assert.deepEqual(r.json.items.map((m) => m.id), [ids.xu]);
  assertError(await lodi.get(`/api/v1/mediators/${ids.amina}`), 404);
  assertError(await coord.get(`/api/v1/mediators/${ids.xu}`), 404);
  // A mediator sees their own record only.
  r = await medUser.get('/api/v1/mediators');
  assert.deepEqual(r.json.items.map((m) => m.id), [ids.amina]);
  r = await medUser.get(`/api/v1/mediators/${ids.amina}`);
  assert.equal(r.status, 200);
  assertError(await medUser.get(`/api/v1/mediators/${ids.karim}`), 404);
  assertError(await operator.get('/api/v1/mediators'), 403);
  assertError(await srv.client().get('/api/v1/mediators'), 401);
  // A mediator changes their own availability, not their languages, and nobody else's record.
  r = await medUser.patch(`/api/v1/mediators/${ids.amina}`, { phone: '+39 333 0000000' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.phone, '+39 333 0000000');
  assertError(await medUser.patch(`/api/v1/mediators/${ids.amina}`, { languages: ['en'] }), 403);
  assertError(await medUser.patch(`/api/v1/mediators/${ids.karim}`, { phone: '1' }), 404);
  assertError(await lodi.patch(`/api/v1/mediators/${ids.amina}`, { phone: '1' }), 404);
  r = await coord.patch(`/api/v1/mediators/${ids.elena}`, { training: ['Corso base 2024'] });
  assert.deepEqual(r.json.training, ['Corso base 2024']);
  // Reading a mediator's record is audited.
  r = await admin.get('/api/v1/audit?limit=200');
  if (r.status === 200) assert.ok(r.json.items.some((a) => a.action === 'mediator.read'), 'mediator.read audited');
});

test('requests: create, validate, scope', async () => {
  const start = future(10, 10, 0);
  let r = await coord.post('/api/v1/mediation/requests', {
    language: 'ar', domain: 'school', start, minutes: 90, place: 'IC Marconi, Casalmaggiore',
    requester: { name: 'Prof.ssa Bianchi', email: 'bianchi@example.org' }, body: 'IC Marconi Casalmaggiore',
    notes: 'Colloquio con i genitori',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'open');
  assert.equal(r.json.start, start);
  assert.equal(r.json.minutes, 90);
  assert.equal(r.json.body.name, 'IC Marconi Casalmaggiore');
  ids.req1 = r.json.id;
  // The contract's plain requester (a name).
  r = await coord.post('/api/v1/mediation/requests', {
    language: 'ro', domain: 'health', start: future(10, 15, 0), minutes: 60, place: 'Consultorio', requester: 'Dott. Rossi',
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.requester.name, 'Dott. Rossi');
  ids.reqRo = r.json.id;

  const bad = { language: 'ar', domain: 'school', start, minutes: 60, place: 'x' };
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, language: 'Arabic' }), 422, { field: 'language' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, domain: 'sport' }), 422, { field: 'domain' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, start: '10/03/2026 10:00' }), 422, { field: 'start' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, start: '2026-03-29T02:30' }), 422,
    { code: 'nonexistent_time', field: 'start' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, minutes: 5 }), 422, { field: 'minutes' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, place: undefined }), 422, { field: 'place' });
  assertError(await coord.post('/api/v1/mediation/requests', { ...bad, colour: 'red' }), 422);
  assertError(await coord.post('/api/v1/mediation/requests', bad, { csrf: false }), 403);
  assertError(await srv.client().post('/api/v1/mediation/requests', bad), 401);
  assertError(await operator.post('/api/v1/mediation/requests', bad), 403);
  assertError(await medUser.post('/api/v1/mediation/requests', bad), 403);

  r = await coord.get(`/api/v1/mediation/requests/${ids.req1}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.notes, 'Colloquio con i genitori');
  assertError(await lodi.get(`/api/v1/mediation/requests/${ids.req1}`), 404);
  assertError(await medUser.get(`/api/v1/mediation/requests/${ids.req1}`), 404); // not offered to her
  r = await lodi.get('/api/v1/mediation/requests');
  assert.equal(r.json.items.length, 0);
  r = await coord.get('/api/v1/mediation/requests?status=open');
  assert.ok(r.json.items.some((x) => x.id === ids.req1));
});

test('candidates: able and free, best first, with the reasons of the others', async () => {
  let r = await coord.get(`/api/v1/mediation/requests/${ids.req1}/candidates`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((c) => c.mediator_id).sort(), [ids.amina, ids.karim].sort());
  const samir = r.json.excluded.find((x) => x.mediator_id === ids.samir);
  assert.ok(samir, 'samir speaks Arabic, so he is listed as excluded');
  assert.ok(samir.reasons.includes('domain'));
  assert.equal(r.json.others, 1); // Elena does not speak Arabic
  assertError(await lodi.get(`/api/v1/mediation/requests/${ids.req1}/candidates`), 404);
  assertError(await medUser.get(`/api/v1/mediation/requests/${ids.req1}/candidates`), 403);
  assertError(await srv.client().get(`/api/v1/mediation/requests/${ids.req1}/candidates`), 401);
});

test('assign books the mediator; an overlapping booking is refused with 409', async () => {
  let r = await coord.post(`/api/v1/mediation/requests/${ids.req1}/assign`, { mediator_id: ids.karim });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'assigned');
  assert.equal(r.json.mediator.id, ids.karim);
  // Assigned twice: the request is no longer open.
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req1}/assign`, { mediator_id: ids.amina }), 409);
  // Another Arabic request overlapping by 15 minutes: Karim is busy, Amina is the candidate.
  const req1 = (await coord.get(`/api/v1/mediation/requests/${ids.req1}`)).json;
  const t = req1.start.slice(0, 11) + '11:15';
  r = await coord.post('/api/v1/mediation/requests', { language: 'ar', domain: 'health', start: t, minutes: 60, place: 'ASST Cremona' });
  ids.req2 = r.json.id;
  r = await coord.get(`/api/v1/mediation/requests/${ids.req2}/candidates`);
  assert.deepEqual(r.json.items.map((c) => c.mediator_id), [ids.amina]);
  assert.ok(r.json.excluded.find((x) => x.mediator_id === ids.karim).reasons.includes('busy'));
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req2}/assign`, { mediator_id: ids.karim }), 409,
    { code: 'mediator_busy' });
  // Not eligible (no Arabic) and other district's mediator.
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req2}/assign`, { mediator_id: ids.elena }), 422);
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req2}/assign`, { mediator_id: ids.xu }), 422);
  assertError(await lodi.post(`/api/v1/mediation/requests/${ids.req2}/assign`, { mediator_id: ids.amina }), 404);
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req2}/assign`, { mediator_id: ids.amina }, { csrf: false }), 403);
  // Samir is outside his availability and domain for req2? He is health-qualified; Monday mornings only.
  // Fairness: after Karim's assignment Amina (never served) comes first.
  r = await coord.post('/api/v1/mediation/requests', { language: 'ar', domain: 'school', start: future(20, 9, 0), minutes: 60, place: 'x' });
  const c = await coord.get(`/api/v1/mediation/requests/${r.json.id}/candidates`);
  assert.deepEqual(c.json.items.map((x) => x.mediator_id), [ids.amina, ids.karim]);
});

test('concurrent assigns of overlapping times to one mediator: exactly one wins', async () => {
  const day = future(30, 14, 0);
  const a = await coord.post('/api/v1/mediation/requests', { language: 'ro', domain: 'school', start: day, minutes: 120, place: 'A' });
  const b = await coord.post('/api/v1/mediation/requests', {
    language: 'ro', domain: 'social', start: day.slice(0, 11) + '15:30', minutes: 60, place: 'B',
  });
  for (let round = 0; round < 3; round++) {
    const rs = await Promise.all([
      coord.post(`/api/v1/mediation/requests/${a.json.id}/assign`, { mediator_id: ids.elena }),
      coord.post(`/api/v1/mediation/requests/${b.json.id}/assign`, { mediator_id: ids.elena }),
    ]);
    const codes = rs.map((x) => x.status).sort();
    if (round === 0) {
      assert.deepEqual(codes, [200, 409], rs.map((x) => x.text).join('\n'));
    } else {
      assert.deepEqual(codes, [409, 409]); // both already decided
    }
  }
  // Released, the other one can be booked.
  const won = (await coord.get(`/api/v1/mediation/requests/${a.json.id}`)).json.status === 'assigned' ? a : b;
  const lost = won === a ? b : a;
  let r = await coord.post(`/api/v1/mediation/requests/${won.json.id}/unassign`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'open');
  r = await coord.post(`/api/v1/mediation/requests/${lost.json.id}/assign`, { mediator_id: ids.elena });
  assert.equal(r.status, 200, r.text);
});

test('offers: the mediator sees, accepts; first acceptance wins; others cannot touch it', async () => {
  let r = await coord.post(`/api/v1/mediation/requests/${ids.req2}/offers`, { mediator_ids: [ids.amina] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.items.length, 1);
  const offerId = r.json.items[0].id;
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req2}/offers`, { mediator_ids: [ids.karim] }), 422,
    { code: 'not_candidate' }); // Karim is busy then
  // The mediator sees the offer and the request (without notes), Karim does not.
  r = await medUser.get('/api/v1/mediation/offers?status=open');
  assert.deepEqual(r.json.items.map((o) => o.id), [offerId]);
  r = await medUser.get(`/api/v1/mediation/requests/${ids.req2}`);
  assert.equal(r.status, 200);
  r = await medUser2.get('/api/v1/mediation/offers');
  assert.equal(r.json.items.length, 0);
  assertError(await medUser2.post(`/api/v1/mediation/offers/${offerId}/accept`, {}), 404);
  assertError(await coord.post(`/api/v1/mediation/offers/${offerId}/accept`, {}), 403);
  assertError(await medUser.post(`/api/v1/mediation/offers/${offerId}/accept`, {}, { csrf: false }), 403);
  r = await medUser.post(`/api/v1/mediation/offers/${offerId}/accept`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'assigned');
  assert.equal(r.json.mediator.id, ids.amina);
  assertError(await medUser.post(`/api/v1/mediation/offers/${offerId}/accept`, {}), 409);
});

test('close-out by the booked mediator pays by the tariff; nobody else may close it', async () => {
  // req2 is Amina's (health, 60 booked). Karim cannot close it, nor can Lodi.
  assertError(await medUser2.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 60 }), 404);
  assertError(await lodi.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 60 }), 404);
  assertError(await medUser.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 900 }), 422,
    { field: 'minutes_worked' });
  assertError(await medUser.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 60, travel_km: -3 }), 422,
    { field: 'travel_km' });
  const t = (await coord.get('/api/v1/mediation/tariffs?org=cremona')).json;
  assert.equal(t.org, 'cremona');
  let r = await medUser.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 70, travel_km: 12.5 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'done');
  // 70' -> billable rounded up to the increment, above the minimum; weekday daytime: no supplement.
  const billable = Math.max(t.min_minutes, Math.ceil(70 / t.increment_minutes) * t.increment_minutes);
  assert.equal(r.json.pay.billable_minutes, billable);
  assert.equal(r.json.pay.base_cents, Math.round((billable * t.hourly_cents) / 60));
  assert.equal(r.json.pay.travel_cents, Math.round(125 * t.travel_cents_per_km / 10));
  assert.equal(r.json.pay.total_cents, r.json.pay.base_cents + r.json.pay.supplement_cents + r.json.pay.travel_cents);
  assertError(await medUser.post(`/api/v1/mediation/requests/${ids.req2}/close`, { minutes_worked: 70 }), 409);
  // The coordinator closes Karim's job.
  r = await coord.post(`/api/v1/mediation/requests/${ids.req1}/close`, { minutes_worked: 45 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.pay.billable_minutes, t.min_minutes); // the minimum
});

test('cancellations: void pays nothing; late inside the window pays; outside the window is refused', async () => {
  // Void an open request.
  let r = await coord.post(`/api/v1/mediation/requests/${ids.reqRo}/close`, { cancel: 'void', reason: 'Famiglia trasferita' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'cancelled');
  assert.equal(r.json.cancel.kind, 'void');
  assert.equal(r.json.pay, null);
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.reqRo}/close`, { cancel: 'void' }), 409);
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req1}/close`, { cancel: 'maybe' }), 422, { field: 'cancel' });
  assertError(await coord.post(`/api/v1/mediation/requests/${ids.req1}/close`, { cancel: 'void' }), 409); // done already
  // Late: a booking starting in about a day (inside 48 h).
  const soon = rome(new Date(Date.now() + 26 * 3600 * 1000)).slice(0, 14) + '00';
  r = await coord.post('/api/v1/mediation/requests', { language: 'ar', domain: 'social', start: soon, minutes: 90, remote: true });
  assert.equal(r.status, 201, r.text);
  const late = r.json.id;
  assertError(await coord.post(`/api/v1/mediation/requests/${late}/close`, { cancel: 'late' }), 422, { code: 'not_assigned' });
  r = await coord.post(`/api/v1/mediation/requests/${late}/assign`, { mediator_id: ids.amina, force: true });
  assert.equal(r.status, 200, r.text);
  assertError(await coord.post(`/api/v1/mediation/requests/${late}/close`, { cancel: 'late', minutes_worked: 5 }), 422);
  assertError(await medUser.post(`/api/v1/mediation/requests/${late}/close`, { cancel: 'late' }), 403); // coordinators cancel
  r = await coord.post(`/api/v1/mediation/requests/${late}/close`, { cancel: 'late' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.cancel.kind, 'late');
  assert.ok(r.json.pay.total_cents > 0);
  assert.equal(r.json.pay.travel_cents, 0);
  ids.late = late;
  ids.lateMonth = soon.slice(0, 7);
  // Late outside the window (30 days ahead) is refused: that one is void.
  r = await coord.post('/api/v1/mediation/requests', { language: 'fr', domain: 'legal', start: future(30, 9, 0), minutes: 60, place: 'Tribunale' });
  await coord.post(`/api/v1/mediation/requests/${r.json.id}/assign`, { mediator_id: ids.amina });
  assertError(await coord.post(`/api/v1/mediation/requests/${r.json.id}/close`, { cancel: 'late' }), 422, { code: 'outside_window' });
  r = await coord.post(`/api/v1/mediation/requests/${r.json.id}/close`, { cancel: 'void' });
  assert.equal(r.status, 200);
});

test('statements: lines and totals in cents, as JSON, CSV, XLSX and PDF; scope', async () => {
  const req2 = (await coord.get(`/api/v1/mediation/requests/${ids.req2}`)).json;
  const month = req2.start.slice(0, 7);
  let r = await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}`);
  assert.equal(r.status, 200, r.text);
  const st = r.json;
  assert.equal(st.mediator.id, ids.amina);
  const line = st.lines.find((l) => l.request_id === ids.req2);
  assert.ok(line);
  assert.equal(line.total_cents, req2.pay.total_cents);
  assert.equal(st.total_cents, st.lines.reduce((s, l) => s + l.total_cents, 0));
  assert.ok(!st.lines.some((l) => l.request_id === ids.reqRo), 'void is not on a statement');
  // The late cancellation is on its month's statement.
  r = await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${ids.lateMonth}`);
  const lateLine = r.json.lines.find((l) => l.request_id === ids.late);
  assert.ok(lateLine);
  assert.equal(lateLine.kind, 'late_cancel');
  // The mediator downloads their own; not Karim's.
  r = await medUser.get(`/api/v1/mediation/statements?month=${month}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.total_cents, st.total_cents);
  assertError(await medUser.get(`/api/v1/mediation/statements?mediator_id=${ids.karim}&month=${month}`), 404);
  assertError(await lodi.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}`), 404);
  assertError(await operator.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}`), 403);
  assertError(await srv.client().get(`/api/v1/mediation/statements?month=${month}`), 401);
  assertError(await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=2026-13`), 422, { field: 'month' });
  // The coordinator's summary of the month.
  r = await coord.get(`/api/v1/mediation/statements?month=${month}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.find((x) => x.mediator_id === ids.amina).total_cents, st.total_cents);
  // CSV: the last line holds the total in euro.
  r = await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}&format=csv`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition'), /attachment; filename="statement-/);
  const rows = r.text.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));
  assert.equal(rows[0][0], 'date');
  assert.equal(rows.length, st.lines.length + 2);
  assert.equal(rows.at(-1)[16], (st.total_cents / 100).toFixed(2));
  // By Accept header too.
  r = await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}`, { headers: { Accept: 'text/csv' } });
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  const bin = async (fmt) => {
    const res = await fetch(`${srv.base}/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}&format=${fmt}`,
      { headers: { Cookie: coord.cookieHeader() } });
    return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
  };
  const x = await bin('xlsx');
  assert.equal(x.status, 200);
  assert.match(x.type, /spreadsheetml/);
  // Read back with openpyxl: a header, a row per line of the JSON in its order, then the totals; euro as numbers.
  const book = await readXlsx(x.buf);
  assert.equal(book.sheets.length, 1);
  assert.equal(book.sheets[0].name, month);
  const xr = book.sheets[0].rows;
  assert.deepEqual(xr[0].slice(0, 4), ['Data', 'Inizio', 'Richiesta', 'Ente']);
  assert.equal(xr[0][16], 'Totale €');
  assert.ok(st.lines.length > 0);
  assert.equal(xr.length, 1 + st.lines.length + 1, 'header, the lines, the total');
  st.lines.forEach((l, i) => {
    const row = xr[1 + i];
    assert.equal(row[0], l.date, `line ${i} date`);
    assert.equal(row[1], l.start);
    assert.equal(row[2], l.request_id);
    assert.equal(row[6], l.kind);
    assert.equal(row[9], l.billable_minutes);
    assert.equal(row[12], l.travel_km);
    assert.equal(row[16], l.total_cents / 100);
  });
  const xline = xr.find((row) => row[2] === ids.req2);
  assert.equal(xline[16], line.total_cents / 100);
  const xtotal = xr.at(-1);
  assert.equal(xtotal[6], 'Totale');
  assert.equal(xtotal[9], st.billable_minutes);
  assert.equal(xtotal[13], st.base_cents / 100);
  assert.equal(xtotal[16], st.total_cents / 100);
  // Asked by its Accept header: the same workbook.
  const ax = await fetch(`${srv.base}/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}`,
    { headers: { Cookie: coord.cookieHeader(), Accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  assert.match(ax.headers.get('content-type'), /spreadsheetml/);
  assert.deepEqual((await readXlsx(Buffer.from(await ax.arrayBuffer()))).sheets, book.sheets);
  const p = await bin('pdf');
  assert.equal(p.status, 200);
  assert.equal(p.type, 'application/pdf');
  assert.equal(p.buf.subarray(0, 5).toString(), '%PDF-');
  assert.ok(p.buf.subarray(-8).toString().includes('%%EOF'));
  // Its text layer (pdftotext): the mediator, the month, the total in euro, the page footer.
  const pt = spawnSync('pdftotext', ['-layout', '-', '-'], { input: p.buf }).stdout.toString('utf8');
  assert.ok(pt.includes(`${st.mediator.given_name} ${st.mediator.family_name}`), pt.slice(0, 500));
  assert.ok(pt.includes(month));
  const euros = `${Math.floor(st.total_cents / 100).toLocaleString('de-DE')},${String(st.total_cents % 100).padStart(2, '0')}`;
  assert.ok(pt.includes(euros), `${euros} in ${pt}`);
  assert.match(pt, /1 \/ 1/);
  assertError(await coord.get(`/api/v1/mediation/statements?mediator_id=${ids.amina}&month=${month}&format=doc`), 422);
});

test('calendar.ics: read back by ical.js, in Europe/Rome; by session or by the feed token', async () => {
  const me = (await medUser.get(`/api/v1/mediators/${ids.amina}`)).json;
  let r = await medUser.get(`/api/v1/mediators/${ids.amina}/calendar.ics`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/calendar/);
  const cal = new ICAL.Component(ICAL.parse(r.text));
  const tz = cal.getFirstSubcomponent('vtimezone');
  assert.equal(tz.getFirstPropertyValue('tzid'), 'Europe/Rome');
  ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const req2 = (await coord.get(`/api/v1/mediation/requests/${ids.req2}`)).json;
  const ev = events.find((e) => e.uid === `mediation-request-${ids.req2}@labimpact`);
  assert.ok(ev, 'the booking is in the feed');
  assert.equal(ev.component.getFirstProperty('dtstart').getParameter('tzid'), 'Europe/Rome');
  assert.equal(ev.startDate.zone.tzid, 'Europe/Rome');
  // The instant matches the request's Rome local time.
  assert.equal(rome(ev.startDate.toJSDate()), req2.start);
  assert.equal(rome(ev.endDate.toJSDate()), req2.end);
  const cancelled = events.find((e) => e.uid === `mediation-request-${ids.late}@labimpact`);
  assert.equal(cancelled.component.getFirstPropertyValue('status'), 'CANCELLED');
  // Calendar applications use the token, without a session.
  const anon = srv.client();
  r = await anon.get(me.calendar_url);
  assert.equal(r.status, 200);
  assert.match(r.text, /BEGIN:VCALENDAR/);
  assertError(await anon.get(`/api/v1/mediators/${ids.amina}/calendar.ics?token=wrong`), 404);
  assertError(await anon.get(`/api/v1/mediators/${ids.karim}/calendar.ics?token=${new URL(me.calendar_url, srv.base).searchParams.get('token')}`), 404);
  assertError(await anon.get(`/api/v1/mediators/${ids.amina}/calendar.ics`), 401);
  assertError(await medUser.get(`/api/v1/mediators/${ids.karim}/calendar.ics`), 404);
  assertError(await lodi.get(`/api/v1/mediators/${ids.amina}/calendar.ics`), 404);
  r = await coord.get(`/api/v1/mediators/${ids.amina}/calendar.ics`);
  assert.equal(r.status, 200);
});

test('e-mails go through the outbox to the SMTP server: offer, assignment, cancellation, reminder', async () => {
  const offer = await sink.waitFor((m) => m.to.includes('amina@example.org') && /Mediation offer|Offerta/i.test(m.subject));
  assert.ok(offer, 'offer e-mail');
  const assigned = await sink.waitFor((m) => m.to.includes('karim@example.org') && /assigned|assegnata/i.test(m.subject));
  assert.ok(assigned, 'assignment e-mail');
  const requester = await sink.waitFor((m) => m.to.includes('bianchi@example.org'));
  assert.ok(requester, 'the requester is told');
  const cancel = await sink.waitFor((m) => m.to.includes('amina@example.org') && /cancel|annullata/i.test(m.subject));
  assert.ok(cancel, 'cancellation e-mail');
  // A booking starting within a day gets its reminder once.
  const soon = rome(new Date(Date.now() + 5 * 3600 * 1000)).slice(0, 14) + '00';
  let r = await coord.post('/api/v1/mediation/requests', { language: 'wo', domain: 'social', start: soon, minutes: 60, remote: true });
  r = await coord.post(`/api/v1/mediation/requests/${r.json.id}/assign`, { mediator_id: ids.amina, force: true });
  assert.equal(r.status, 200, r.text);
  r = await coord.post('/api/v1/mediation/reminders', {});
  assert.equal(r.status, 200);
  assert.equal(r.json.queued, 1);
  r = await coord.post('/api/v1/mediation/reminders', {});
  assert.equal(r.json.queued, 0);
  const reminder = await sink.waitFor((m) => m.to.includes('amina@example.org') && /Reminder|Promemoria/i.test(m.subject));
  assert.ok(reminder, 'reminder e-mail');
  assertError(await medUser.post('/api/v1/mediation/reminders', {}), 403);
});

/** The audit entries with `action` that `client` may read (newest first). */
async function auditOf(client, action) {
  const r = await client.get(`/api/v1/audit?action=${encodeURIComponent(action)}&limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

/** Reads `path` as `reader` and checks that cremona's coordinator sees
 * exactly one new `action` entry (naming `objectId` when given, under
 * cremona), and that lodi's coordinator does not see it. */
async function assertReadAudited(reader, path, action, objectId) {
  const before = (await auditOf(coord, action)).length;
  const r = await reader.get(path);
  assert.equal(r.status, 200, `${path}: ${r.text}`);
  const after = await auditOf(coord, action);
  assert.equal(after.length, before + 1, `${action} after GET ${path}`);
  assert.equal(after[0].org, 'cremona', JSON.stringify(after[0]));
  if (objectId !== undefined) assert.equal(after[0].object_id, String(objectId));
  const theirs = await auditOf(lodi, action);
  assert.ok(!theirs.some((a) => a.id === after[0].id), `${action} must not reach another district`);
  assert.ok(theirs.every((a) => a.org === 'lodi'), `${action}: only lodi's own entries in lodi's log`);
}

test('reads of personal data are audited in the district of the record; other districts do not see them', async () => {
  await assertReadAudited(coord, '/api/v1/mediation/requests', 'mediation.request.list');
  await assertReadAudited(coord, `/api/v1/mediation/requests/${ids.req1}`, 'mediation.request.read', ids.req1);
  await assertReadAudited(medUser, `/api/v1/mediation/requests/${ids.req2}`, 'mediation.request.read', ids.req2);
  await assertReadAudited(coord, `/api/v1/mediation/requests/${ids.req1}/candidates`, 'mediation.candidates.read', ids.req1);
  await assertReadAudited(medUser, '/api/v1/mediation/offers', 'mediation.offer.list');
  await assertReadAudited(coord, `/api/v1/mediators/${ids.amina}`, 'mediator.read', ids.amina);
  await assertReadAudited(coord, `/api/v1/mediation/statements?month=${future(0, 10).slice(0, 7)}&mediator_id=${ids.amina}`,
    'mediation.statement.read', ids.amina);
  await assertReadAudited(coord, `/api/v1/mediators/${ids.amina}/calendar.ics`, 'mediation.calendar.read', ids.amina);
  // The feed read by a calendar application (no session) is audited too.
  const me = (await medUser.get(`/api/v1/mediators/${ids.amina}`)).json;
  await assertReadAudited(srv.client(), me.calendar_url, 'mediation.calendar.read', ids.amina);
  // The pages.
  await assertReadAudited(coord, '/mediation', 'mediation.request.list');
  await assertReadAudited(coord, `/mediation/requests/${ids.req1}`, 'mediation.request.read', ids.req1);
  await assertReadAudited(medUser, '/mediation/me', 'mediation.me.read', ids.amina);
  // A list's entry carries the count.
  const [list] = await auditOf(coord, 'mediation.request.list');
  assert.match(list.detail, /^\d+ records$/);
});

test('the audit of mediation writes carries the record\'s district', async () => {
  for (const action of ['mediator.create', 'mediation.request.create', 'mediation.assign', 'mediation.close',
    'mediation.offer', 'mediation.offer.accept']) {
    const mine = await auditOf(coord, action);
    assert.ok(mine.length > 0 && mine.every((a) => a.org === 'cremona'), `${action}: ${JSON.stringify(mine[0])}`);
    assert.ok((await auditOf(lodi, action)).every((a) => a.org === 'lodi'), `${action} in lodi's log`);
  }
  const created = await auditOf(coord, 'mediation.request.create');
  assert.ok(created.some((a) => a.object_id === String(ids.req1)), 'the request created is in its district\'s log');
  assert.ok(!(await auditOf(lodi, 'mediation.request.create')).some((a) => a.object_id === String(ids.req1)));
});
