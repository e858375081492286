// courses.test.mjs — courses through the API (CONTRACT.md "Courses"):
// courses and their validation, single sessions and weekly patterns that
// skip the national holidays, enrolments with capacity and waiting list,
// withdrawal giving the place to the first waiting (with a notice in the
// outbox), the attendance register of a session written all or nothing,
// attendance_pct, exit levels, certificates refused below the minimum and
// verified publicly with initials only, registers as CSV / XLSX / PDF; and
// every denial: no session, an operator creating a course (403), another
// district's teacher (404 on course, session, enrolment, certificate,
// register), a teacher not assigned to the course (404), the help desk's
// view of a person's courses, and the region's aggregates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, assertError, readXlsx } from './helpers.mjs';

let srv;
let teacher; // demo-teacher (cremona)
let lodiTeacher; // teacher of another district
let coord; // demo-coordinator (cremona)
let operator; // demo-operator (cremona)
let admin;
let region;
const ids = { persons: [] };

const COURSE = {
  title: 'Italiano A1 serale', kind: 'italian_l2', org: 'cremona', audience: 'adults', target_level: 'A1',
  hours: 100, capacity: 2, min_attendance_pct: 60, start_date: '2026-01-12', end_date: '2026-06-30', place: 'CPIA Cremona',
  evening: true,
};

function put(c, p, json, o = {}) {
  return c.request('PUT', p, { json, ...o });
}

/** The text layer of a PDF (pdftotext). */
function pdfText(buf) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crs-pdf-'));
  try {
    const f = path.join(dir, 'x.pdf');
    writeFileSync(f, buf);
    return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bytes(c, p) {
  const res = await fetch(srv.base + p, { headers: { Cookie: c.cookieHeader() } });
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  srv = await startServer({
    users: [
      { username: 'teacher-lodi', role: 'teacher', org: 'lodi' },
      { username: 'teacher-cr2', role: 'teacher', org: 'cremona' },
      { username: 'teacher-cpia', role: 'teacher', org: 'cpia-cremona' },
      { username: 'coord-lodi', role: 'coordinator', org: 'lodi' },
      { username: 'operator-lodi', role: 'operator', org: 'lodi' },
    ],
  });
  teacher = await srv.login('demo-teacher');
  lodiTeacher = await srv.login('teacher-lodi');
  coord = await srv.login('demo-coordinator');
  operator = await srv.login('demo-operator');
  admin = await srv.login('demo-admin');
  region = await srv.login('demo-region');
  const people = [
    ['Amina', 'Diallo', 'f', '1990-03-04', 'SN', 'amina@example.org'],
    ['Karim', 'Benali', 'm', '1985-07-21', 'MA', null],
    ['Olena', 'Kovalenko', 'f', '1979-11-02', 'UA', 'olena@example.org'],
    ['Ravi', 'Sharma', 'm', '2001-01-15', 'IN', null],
  ];
  for (const [given_name, family_name, sex, birth_date, citizenship, email] of people) {
    const body = { given_name, family_name, sex, birth_date, citizenship };
    if (email) body.email = email;
    const r = await coord.post('/api/v1/persons', body);
    assert.equal(r.status, 201, r.text);
    ids.persons.push(r.json.id);
  }
});

after(async () => {
  if (srv) await srv.stop();
});

test('courses: create, read, list, validation and who may', async () => {
  let r = await teacher.post('/api/v1/courses', COURSE);
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.id > 0);
  ids.course = r.json.id;
  assert.equal(r.json.kind, 'italian_l2');
  assert.equal(r.json.org, 'cremona');
  assert.equal(r.json.enrolled, 0);
  assert.equal(r.json.evening, true);

  r = await teacher.get(`/api/v1/courses/${ids.course}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.title, COURSE.title);
  assert.equal(r.json.min_attendance_pct, 60);
  assert.deepEqual(r.json.sessions, []);

  r = await teacher.get('/api/v1/courses?kind=italian_l2&evening=true');
  assert.equal(r.status, 200);
  assert.ok(r.json.items.some((c) => c.id === ids.course));
  assert.ok('next_cursor' in r.json);
  r = await teacher.get('/api/v1/courses?online=true');
  assert.ok(!r.json.items.some((c) => c.id === ids.course));

  // defaults: min_attendance_pct 80, org the caller's
  r = await coord.post('/api/v1/courses', { ...COURSE, org: undefined, min_attendance_pct: undefined, title: 'Orientamento civico', kind: 'civic_orientation' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.min_attendance_pct, 80);
  assert.equal(r.json.org, 'cremona');

  for (const [field, value] of [
    ['kind', 'cooking'], ['audience', 'everyone'], ['target_level', 'A3'], ['hours', 0], ['capacity', -1],
    ['min_attendance_pct', 101], ['start_date', '2026-02-30'], ['title', ''], ['org', 'lodi'],
  ]) {
    r = await teacher.post('/api/v1/courses', { ...COURSE, [field]: value });
    assertError(r, 422, { field });
  }
  r = await teacher.post('/api/v1/courses', { ...COURSE, end_date: '2025-01-01' });
  assertError(r, 422, { field: 'end_date' });
  r = await teacher.post('/api/v1/courses', { ...COURSE, colour: 'red' });
  assertError(r, 422);

  // an operator reads courses but cannot create them; no session, 401; no CSRF, 403
  assertError(await operator.post('/api/v1/courses', COURSE), 403);
  assert.equal((await operator.get(`/api/v1/courses/${ids.course}`)).status, 200);
  assertError(await srv.client().post('/api/v1/courses', COURSE), 401);
  assertError(await teacher.post('/api/v1/courses', COURSE, { csrf: false }), 403);
  // another district's teacher does not see it
  assertError(await lodiTeacher.get(`/api/v1/courses/${ids.course}`), 404);
  r = await lodiTeacher.get('/api/v1/courses');
  assert.ok(!r.json.items.some((c) => c.id === ids.course));
});

test('sessions: single, weekly pattern skipping holidays, moves and cancellations', async () => {
  let r = await teacher.post(`/api/v1/courses/${ids.course}/sessions`, { date: '2026-01-12', start: '18:30', minutes: 120 });
  assert.equal(r.status, 201, r.text);
  ids.s1 = r.json.id;
  // Mondays and Wednesdays 1-15 April 2026: Easter Monday 6 April is skipped
  r = await teacher.post(`/api/v1/courses/${ids.course}/sessions`, { days: [1, 3], start: '18:30', minutes: 120, from: '2026-04-01', to: '2026-04-15' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.count, 4); // 1, 8, 13, 15 April
  assert.deepEqual(r.json.skipped, ['2026-04-06']);
  [ids.s2, ids.s3, ids.s4, ids.s5] = r.json.ids;
  r = await teacher.get(`/api/v1/courses/${ids.course}`);
  assert.deepEqual(r.json.sessions.map((s) => s.date), ['2026-01-12', '2026-04-01', '2026-04-08', '2026-04-13', '2026-04-15']);
  assert.equal(r.json.sessions[0].start, '18:30');

  for (const [body, field] of [
    [{ date: '2026-13-01', start: '18:30', minutes: 60 }, 'date'],
    [{ date: '2025-12-01', start: '18:30', minutes: 60 }, 'date'],
    [{ date: '2026-02-02', start: '25:00', minutes: 60 }, 'start'],
    [{ date: '2026-02-02', start: '18:00', minutes: 0 }, 'minutes'],
    [{ days: [8], start: '18:00', minutes: 60, from: '2026-02-02', to: '2026-02-28' }, 'days'],
    [{ days: [1], start: '18:00', minutes: 60, from: '2026-02-02', to: '2026-01-28' }, 'to'],
  ]) {
    assertError(await teacher.post(`/api/v1/courses/${ids.course}/sessions`, body), 422, { field });
  }
  assertError(await operator.post(`/api/v1/courses/${ids.course}/sessions`, { date: '2026-02-02', start: '18:00', minutes: 60 }), 403);
  assertError(await lodiTeacher.post(`/api/v1/courses/${ids.course}/sessions`, { date: '2026-02-02', start: '18:00', minutes: 60 }), 404);
  assertError(await lodiTeacher.get(`/api/v1/sessions/${ids.s1}`), 404);
  assertError(await lodiTeacher.patch(`/api/v1/sessions/${ids.s1}`, { status: 'cancelled' }), 404);

  // move the last one
  r = await teacher.patch(`/api/v1/sessions/${ids.s5}`, { date: '2026-04-16', start: '17:00' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.session.date, '2026-04-16');
  assert.equal(r.json.session.start, '17:00');
  assertError(await teacher.patch(`/api/v1/sessions/${ids.s5}`, { status: 'postponed' }), 422, { field: 'status' });
});

test('enrolments: capacity, waiting list, the same person twice, project', async () => {
  const [a, b, c, d] = ids.persons;
  let r = await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a, entry_level: 'pre-A1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'enrolled');
  ids.ea = r.json.id;
  assert.ok('project_id' in r.json);
  r = await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: b, entry_level: 'A1' });
  assert.equal(r.json.status, 'enrolled');
  ids.eb = r.json.id;
  r = await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: c });
  assert.equal(r.status, 201);
  assert.equal(r.json.status, 'waiting');
  ids.ec = r.json.id;
  r = await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: d });
  assert.equal(r.json.status, 'waiting');
  ids.ed = r.json.id;

  assertError(await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a }), 409, { code: 'already_enrolled' });
  assertError(await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a, entry_level: 'Z9' }), 422, { field: 'entry_level' });
  assertError(await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: 999999 }), 422, { field: 'person_id' });
  assertError(await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a, project_id: 999999 }), 422, { field: 'project_id' });
  assertError(await teacher.post(`/api/v1/courses/${ids.course}/enrolments`, {}), 422, { field: 'person_id' });
  assertError(await operator.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a }), 403);
  assertError(await lodiTeacher.post(`/api/v1/courses/${ids.course}/enrolments`, { person_id: a }), 404);

  r = await teacher.get(`/api/v1/courses/${ids.course}`);
  assert.equal(r.json.enrolled, 2);
  assert.equal(r.json.waiting, 2);
  r = await teacher.get(`/api/v1/courses/${ids.course}/enrolments`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.items.map((e) => e.status), ['enrolled', 'enrolled', 'waiting', 'waiting']);
  assert.deepEqual(r.json.items.slice(2).map((e) => e.id), [ids.ec, ids.ed]); // arrival order
  assertError(await lodiTeacher.get(`/api/v1/courses/${ids.course}/enrolments`), 404);
  assertError(await lodiTeacher.get(`/api/v1/enrolments/${ids.ea}`), 404);
});

test('a teacher registers a new person while enrolling, with the desk duplicate check', async () => {
  const other = await teacher.post('/api/v1/courses', { ...COURSE, title: 'Italiano A2', capacity: 20 });
  ids.course2 = other.json.id;
  const person = { given_name: 'Fatou', family_name: 'Ndiaye', sex: 'f', birth_date: '1995-05-05', citizenship: 'SN' };
  let r = await teacher.post(`/api/v1/courses/${ids.course2}/enrolments`, { person });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.given_name, 'Fatou');
  r = await teacher.post(`/api/v1/courses/${ids.course2}/enrolments`, { person: { ...person, given_name: 'Fatu' } });
  assertError(r, 409, { code: 'possible_duplicate' });
  r = await teacher.post(`/api/v1/courses/${ids.course2}/enrolments`, { person: { ...person, sex: 'q' } });
  assertError(r, 422, { field: 'sex' });
  // the desk sees the person the teacher registered
  r = await coord.get('/api/v1/persons?q=Ndiaye');
  assert.ok(r.json.items.some((p) => p.family_name === 'Ndiaye'));
});

test('pupils are minors: class, guardian and the guardian\'s consent', async () => {
  const r0 = await teacher.post('/api/v1/courses', { ...COURSE, title: 'Laboratorio L2 per neoarrivati', kind: 'pupils_l2', audience: 'pupils', capacity: 12 });
  assert.equal(r0.status, 201, r0.text);
  const url = `/api/v1/courses/${r0.json.id}/enrolments`;
  const pupil = { person_id: ids.persons[3], school_class: '2B', guardian_name: 'Sunita Sharma', guardian_phone: '+39 333 1234567', guardian_consent: true };
  assertError(await teacher.post(url, { ...pupil, school_class: undefined }), 422, { field: 'school_class' });
  assertError(await teacher.post(url, { ...pupil, guardian_name: undefined }), 422, { field: 'guardian_name' });
  assertError(await teacher.post(url, { ...pupil, guardian_consent: false }), 422, { field: 'guardian_consent' });
  const r = await teacher.post(url, pupil);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.school_class, '2B');
  assert.equal(r.json.guardian_name, 'Sunita Sharma');
  assert.equal(r.json.guardian_consent, true);
});

test('attendance: one request marks a session, all or nothing; attendance_pct', async () => {
  // another course's enrolment in the marks: 422, nothing saved
  const foreign = await teacher.post(`/api/v1/courses/${ids.course2}/enrolments`, { person_id: ids.persons[0] });
  assert.equal(foreign.status, 201);
  let r = await put(teacher, `/api/v1/sessions/${ids.s1}/attendance`, {
    marks: [{ enrolment_id: ids.ea, status: 'present' }, { enrolment_id: foreign.json.id, status: 'present' }],
  });
  assertError(r, 422, { code: 'not_in_course', field: 'marks[1].enrolment_id' });
  r = await teacher.get(`/api/v1/sessions/${ids.s1}`);
  assert.ok(r.json.learners.every((l) => l.status === null), 'nothing saved');
  // a waiting learner is not in the register either
  assertError(await put(teacher, `/api/v1/sessions/${ids.s1}/attendance`, { marks: [{ enrolment_id: ids.ec, status: 'present' }] }), 422);
  assertError(await put(teacher, `/api/v1/sessions/${ids.s1}/attendance`, { marks: [{ enrolment_id: ids.ea, status: 'asleep' }] }), 422, { field: 'marks[0]' });
  assertError(await put(teacher, `/api/v1/sessions/${ids.s1}/attendance`, { marks: [{ enrolment_id: ids.ea, status: 'present' }, { enrolment_id: ids.ea, status: 'late' }] }), 422);
  assertError(await put(teacher, `/api/v1/sessions/${ids.s1}/attendance`, { marks: 'all' }), 422, { field: 'marks' });
  assertError(await put(lodiTeacher, `/api/v1/sessions/${ids.s1}/attendance`, { marks: [] }), 404);
  assertError(await put(operator, `/api/v1/sessions/${ids.s1}/attendance`, { marks: [] }), 403);

  const plan = [
    [ids.s1, 'present', 'present'],
    [ids.s2, 'late', 'absent'],
    [ids.s3, 'present', 'excused'],
    [ids.s4, 'absent', 'present'],
  ];
  for (const [sid, a, b] of plan) {
    r = await put(teacher, `/api/v1/sessions/${sid}/attendance`, { marks: [{ enrolment_id: ids.ea, status: a }, { enrolment_id: ids.eb, status: b }] });
    assert.equal(r.status, 200, r.text);
  }
  assert.deepEqual(r.json.learners.map((l) => l.status).sort(), ['absent', 'present']);
  // 4 sessions held (s5 has no mark): a = 3/4, b = 2/4
  r = await teacher.get(`/api/v1/enrolments/${ids.ea}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.attendance_pct, 75);
  assert.equal(r.json.sessions_held, 4);
  assert.equal(r.json.present, 2);
  assert.equal(r.json.late, 1);
  r = await teacher.get(`/api/v1/enrolments/${ids.eb}`);
  assert.equal(r.json.attendance_pct, 50);
  assert.equal(r.json.warning, true); // under 60% after three sessions
  // cancelling a session keeps its marks but it is no longer held; restoring brings it back
  r = await teacher.patch(`/api/v1/sessions/${ids.s4}`, { status: 'cancelled' });
  assert.equal(r.status, 200);
  assert.equal((await teacher.get(`/api/v1/enrolments/${ids.ea}`)).json.attendance_pct, 100);
  assertError(await put(teacher, `/api/v1/sessions/${ids.s4}/attendance`, { marks: [] }), 409, { code: 'session_cancelled' });
  r = await teacher.patch(`/api/v1/sessions/${ids.s4}`, { status: 'scheduled' });
  assert.equal((await teacher.get(`/api/v1/enrolments/${ids.ea}`)).json.attendance_pct, 75);
  // marking again replaces the mark
  r = await put(teacher, `/api/v1/sessions/${ids.s4}/attendance`, { marks: [{ enrolment_id: ids.eb, status: 'absent' }] });
  assert.equal((await teacher.get(`/api/v1/enrolments/${ids.eb}`)).json.attendance_pct, 25);
});

test('exit level, certificates and their public verification', async () => {
  let r = await teacher.patch(`/api/v1/enrolments/${ids.ea}`, { exit_level: 'A2' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.exit_level, 'A2');
  assert.equal(r.json.entry_level, 'pre-A1');
  assertError(await teacher.patch(`/api/v1/enrolments/${ids.ea}`, { exit_level: 'A9' }), 422, { field: 'exit_level' });
  assertError(await lodiTeacher.patch(`/api/v1/enrolments/${ids.ea}`, { exit_level: 'B1' }), 404);

  // below the minimum: 409
  assertError(await teacher.get(`/api/v1/enrolments/${ids.eb}/certificate.pdf`), 409, { code: 'attendance_below_minimum' });
  assertError(await lodiTeacher.get(`/api/v1/enrolments/${ids.ea}/certificate.pdf`), 404);
  assertError(await operator.get(`/api/v1/enrolments/${ids.ea}/certificate.pdf`), 403);

  const pdf = await bytes(teacher, `/api/v1/enrolments/${ids.ea}/certificate.pdf`);
  assert.equal(pdf.status, 200, srv.stderr().slice(-2000));
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.buf.subarray(0, 5).toString(), '%PDF-');
  const text = pdfText(pdf.buf);
  assert.match(text, /Amina Diallo/);
  assert.match(text, /Italiano A1 serale/);
  assert.match(text, /A2/);
  const code = text.match(/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/)[0];
  assert.match(text, new RegExp(`/verify/${code}`));
  assert.match(text, /1 \/ 1/); // the footer: one page
  r = await teacher.get(`/api/v1/enrolments/${ids.ea}`);
  assert.equal(r.json.certificate_code, code);
  // issued once: the same code again
  const again = pdfText((await bytes(teacher, `/api/v1/enrolments/${ids.ea}/certificate.pdf`)).buf);
  assert.match(again, new RegExp(code));

  // the public page: initials and the course, never the name
  const v = await srv.client().get(`/verify/${code}`);
  assert.equal(v.status, 200);
  assert.match(v.text, /A\. D\./);
  assert.match(v.text, /Italiano A1 serale/);
  assert.doesNotMatch(v.text, /Amina|Diallo/);
  const bad = await srv.client().get('/verify/AAAA-BBBB-CCCC');
  assert.equal(bad.status, 404);
});

test('withdrawal gives the place to the first waiting, with a notice', async () => {
  assertError(await teacher.post(`/api/v1/enrolments/${ids.eb}/withdraw`, {}), 422, { field: 'reason' });
  assertError(await lodiTeacher.post(`/api/v1/enrolments/${ids.eb}/withdraw`, { reason: 'lavoro' }), 404);
  let r = await teacher.post(`/api/v1/enrolments/${ids.eb}/withdraw`, { reason: 'Ha trovato lavoro a turni' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'withdrawn');
  assert.equal(r.json.withdrawal_reason, 'Ha trovato lavoro a turni');
  assert.equal(r.json.promoted_enrolment_id, ids.ec);
  r = await teacher.get(`/api/v1/enrolments/${ids.ec}`);
  assert.equal(r.json.status, 'enrolled');
  assert.equal((await teacher.get(`/api/v1/enrolments/${ids.ed}`)).json.status, 'waiting');
  assertError(await teacher.post(`/api/v1/enrolments/${ids.eb}/withdraw`, { reason: 'again' }), 409);
  // the notice to Olena is in the outbox
  r = await admin.get('/api/v1/outbox?limit=200');
  assert.equal(r.status, 200, r.text);
  const notice = r.json.items.find((m) => m.kind === 'courses.place');
  assert.ok(notice, JSON.stringify(r.json.items.map((m) => m.kind)));
  // a waiting learner who withdraws frees nothing
  r = await teacher.post(`/api/v1/enrolments/${ids.ed}/withdraw`, { reason: 'trasferita' });
  assert.equal(r.json.promoted_enrolment_id, null);
});

test('registers: CSV, XLSX, PDF; denials', async () => {
  let f = await bytes(teacher, `/api/v1/courses/${ids.course}/register?format=csv`);
  assert.equal(f.status, 200);
  assert.match(f.type, /^text\/csv/);
  const lines = f.buf.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'learner,status,2026-01-12 18:30,2026-04-01 18:30,2026-04-08 18:30,2026-04-13 18:30,2026-04-16 17:00,attendance_pct');
  assert.equal(lines.length, 1 + 3); // Amina, Karim (withdrawn), Olena; not the waiting list
  const amina = lines.find((l) => l.startsWith('Diallo Amina'));
  assert.equal(amina, 'Diallo Amina,enrolled,present,late,present,absent,,75.0');
  f = await bytes(teacher, `/api/v1/courses/${ids.course}/register?format=xlsx`);
  assert.equal(f.status, 200);
  assert.match(f.type, /spreadsheetml/);
  // Read back with openpyxl: the CSV's learners in its order, a column per session (its date),
  // the marks as the paper register's letters, the attendance as a number.
  const book = await readXlsx(f.buf);
  assert.equal(book.sheets.length, 1);
  assert.match(book.sheets[0].name, /^(Registro|Register)$/);
  const xr = book.sheets[0].rows;
  const csv = lines.map((l) => l.split(','));
  const sessions = csv[0].slice(2, -1);
  assert.equal(xr[0].length, sessions.length + 3);
  assert.match(xr[0][0], /^(Corsista|Learner)$/);
  assert.match(xr[0][1], /^(Stato|Status)$/);
  assert.deepEqual(xr[0].slice(2, -1), sessions, 'each session by date and time, as the CSV');
  assert.match(xr[0].at(-1), /^(Frequenza|Attendance) %$/);
  assert.equal(xr.length, csv.length, 'as many learners as the CSV');
  const letter = { present: 'P', late: 'R', excused: 'G', absent: 'A', '': null };
  csv.slice(1).forEach((c, i) => {
    const row = xr[1 + i];
    assert.equal(row[0], c[0], `learner ${i}`);
    assert.equal(row[1], c[1], `status of learner ${i}`);
    const marks = Array.from({ length: sessions.length }, (_, k) => row[2 + k] ?? null);
    assert.deepEqual(marks, c.slice(2, -1).map((m) => letter[m]), c[0]);
    assert.equal(typeof row.at(-1), 'number');
    assert.equal(row.at(-1).toFixed(1), c.at(-1));
  });
  const xamina = xr.find((r) => r[0] === 'Diallo Amina');
  assert.deepEqual(xamina, ['Diallo Amina', 'enrolled', 'P', 'R', 'P', 'A', null, 75]);
  f = await bytes(teacher, `/api/v1/courses/${ids.course}/register?format=pdf`);
  assert.equal(f.status, 200);
  const reg = pdfText(f.buf);
  assert.match(reg, /Diallo Amina/);
  assert.match(reg, /Italiano A1 serale/);
  assert.match(reg, /\d+ \/ \d+/); // the page footer
  assertError(await teacher.get(`/api/v1/courses/${ids.course}/register?format=doc`), 422, { field: 'format' });
  assertError(await lodiTeacher.get(`/api/v1/courses/${ids.course}/register?format=csv`), 404);
  assertError(await operator.get(`/api/v1/courses/${ids.course}/register?format=csv`), 403);
});

test('the region reads aggregates only', async () => {
  let r = await region.get('/api/v1/courses/summary');
  assert.equal(r.status, 200, r.text);
  const l2 = r.json.by_kind.find((k) => k.kind === 'italian_l2');
  assert.ok(l2.enrolled === null || l2.enrolled >= 5, JSON.stringify(l2)); // under 5: suppressed
  assert.ok(r.json.levels_gained === null || r.json.levels_gained >= 5);
  assert.ok(!JSON.stringify(r.json).includes('Diallo'));
  assertError(await region.get(`/api/v1/courses/${ids.course}/enrolments`), 403);
  assertError(await region.get(`/api/v1/enrolments/${ids.ea}`), 403);
  assertError(await region.post('/api/v1/courses', COURSE), 403);
});

test('school support records and the early-leaving watch list', async () => {
  const pupil = ids.persons[3];
  let r = await teacher.post('/api/v1/school-support', { person_id: pupil, kind: 'l2_lab', date: '2026-03-02', minutes: 90 });
  assert.equal(r.status, 201, r.text);
  for (const [date, attended] of [['2026-03-09', true], ['2026-03-16', false], ['2026-03-23', false]]) {
    r = await teacher.post('/api/v1/school-support', { person_id: pupil, org: 'cremona', kind: 'summer_support', date, minutes: 60, attended });
    assert.equal(r.status, 201, r.text);
  }
  r = await coord.post('/api/v1/school-support', { person_id: ids.persons[0], kind: 'family_meeting', date: '2026-03-05', minutes: 45, notes: 'con mediatrice' });
  assert.equal(r.status, 201, r.text);
  for (const [body, field] of [
    [{ person_id: pupil, kind: 'football', date: '2026-03-02', minutes: 60 }, 'kind'],
    [{ person_id: pupil, kind: 'reception', date: '2026-02-30', minutes: 60 }, 'date'],
    [{ person_id: pupil, kind: 'reception', date: '2026-03-02', minutes: 0 }, 'minutes'],
    [{ person_id: 999999, kind: 'reception', date: '2026-03-02', minutes: 60 }, 'person_id'],
    [{ person_id: pupil, kind: 'reception', date: '2026-03-02', minutes: 60, org: 'lodi' }, 'org'],
  ]) assertError(await teacher.post('/api/v1/school-support', body), 422, { field });
  assertError(await operator.post('/api/v1/school-support', { person_id: pupil, kind: 'reception', date: '2026-03-02', minutes: 60 }), 403);
  assertError(await region.get('/api/v1/school-support/watch'), 403);
  // another district's teacher can neither add to nor see Cremona's pupils
  assertError(await lodiTeacher.post('/api/v1/school-support', { person_id: pupil, kind: 'reception', date: '2026-03-02', minutes: 60 }), 422, { field: 'person_id' });
  assert.deepEqual((await lodiTeacher.get('/api/v1/school-support')).json.items, []);
  assert.deepEqual((await lodiTeacher.get('/api/v1/school-support/watch')).json.items, []);

  r = await teacher.get(`/api/v1/school-support?person_id=${pupil}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 4);
  assert.equal(r.json.items[0].date, '2026-03-23'); // newest first
  // two of the last three missed: on the watch list; the other pupil is not
  r = await coord.get('/api/v1/school-support/watch');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((w) => [w.person_id, w.reason, w.missed, w.records]), [[pupil, 'repeated_absences', 2, 4]]);
  assertError(await teacher.get('/api/v1/school-support?person_id=x'), 422, { field: 'person_id' });
});

test("mediators' internships: hours, evaluation, completion into the register", async () => {
  let r = await coord.post('/api/v1/mediators', { given_name: 'Sara', family_name: 'Haile', languages: ['ti', 'ar'] });
  assert.equal(r.status, 201, r.text);
  const mediatorId = r.json.id;
  const body = { mediator_id: mediatorId, host_org: 'asst-cremona', tutor: 'Dott.ssa Rossi', hours_required: 40 };
  // a teacher does not see the mediators' register; an operator may not manage
  assertError(await teacher.post('/api/v1/internships', body), 422, { field: 'mediator_id' });
  assertError(await operator.post('/api/v1/internships', body), 403);
  for (const [change, field] of [[{ hours_required: 0 }, 'hours_required'], [{ host_org: 'lodi' }, 'host_org'], [{ tutor: undefined }, 'tutor'], [{ mediator_id: 999999 }, 'mediator_id']]) {
    assertError(await coord.post('/api/v1/internships', { ...body, ...change }), 422, { field });
  }
  r = await coord.post('/api/v1/internships', body);
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  assert.equal(r.json.status, 'open');
  assert.equal(r.json.hours_done, 0);
  assert.equal(r.json.host_org, 'asst-cremona');
  assertError(await lodiTeacher.get(`/api/v1/internships/${id}`), 404);
  assert.ok(!(await lodiTeacher.get('/api/v1/internships')).json.items.some((i) => i.id === id));
  assert.ok((await coord.get('/api/v1/internships')).json.items.some((i) => i.id === id));

  assertError(await coord.post(`/api/v1/internships/${id}/complete`, {}), 409, { code: 'hours_missing' });
  r = await coord.patch(`/api/v1/internships/${id}`, { hours_done: 42 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hours_done, 42);
  assertError(await coord.patch(`/api/v1/internships/${id}`, { hours_required: 10 }), 422);
  assertError(await coord.post(`/api/v1/internships/${id}/complete`, {}), 422, { field: 'evaluation' });
  r = await coord.patch(`/api/v1/internships/${id}`, { evaluation: 'Ottima capacità di relazione con le famiglie.' });
  assert.equal(r.status, 200);
  r = await coord.post(`/api/v1/internships/${id}/complete`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'completed');
  assert.match(r.json.completed_on, /^\d{4}-\d{2}-\d{2}$/);
  r = await coord.get(`/api/v1/mediators/${mediatorId}`);
  assert.ok(r.json.training.some((t) => /Tirocinio presso Azienda Socio-Sanitaria Territoriale Cremona \(42 h/.test(t)), JSON.stringify(r.json.training));
  assertError(await coord.post(`/api/v1/internships/${id}/complete`, {}), 409, { code: 'internship_completed' });
  assertError(await coord.patch(`/api/v1/internships/${id}`, { hours_done: 50 }), 409);
});

/** The account id of `username` (the admin's list). */
async function userId(username) {
  const r = await admin.get('/api/v1/users?limit=200');
  assert.equal(r.status, 200, r.text);
  const u = r.json.items.find((x) => x.username === username);
  assert.ok(u, username);
  return u.id;
}

function day(offset) {
  return new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
}

test('teachers assigned by name: who manages, validation, denials', async () => {
  const cr2 = await srv.login('teacher-cr2');
  const cpia = await srv.login('teacher-cpia');
  const coordLodi = await srv.login('coord-lodi');
  const [idTeacher, idCr2, idCpia, idLodi, idCoord] = await Promise.all(
    ['demo-teacher', 'teacher-cr2', 'teacher-cpia', 'teacher-lodi', 'demo-coordinator'].map(userId));
  // a teacher who creates a course is among its teachers
  let r = await teacher.get(`/api/v1/courses/${ids.course}`);
  assert.deepEqual(r.json.teachers.map((t) => t.id), [idTeacher]);
  assert.equal(r.json.teachers[0].name, 'Docente CPIA Cremona');
  assert.equal(r.json.can_manage, true);
  assert.equal(r.json.can_assign, false);

  r = await coord.post('/api/v1/courses', { ...COURSE, title: 'Italiano B1', teachers: [idCr2] });
  assert.equal(r.status, 201, r.text);
  const cid = r.json.id;
  assert.deepEqual(r.json.teachers.map((t) => t.id), [idCr2]);
  assert.equal(r.json.can_assign, true);
  // the assigned teacher manages it; another teacher of the district reads it but manages nothing
  assert.equal((await cr2.post(`/api/v1/courses/${cid}/sessions`, { date: '2026-02-02', start: '09:00', minutes: 60 })).status, 201);
  r = await teacher.get(`/api/v1/courses/${cid}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.can_manage, false);
  assert.ok(!Array.isArray(r.json.sessions), "no sessions listed");
  assertError(await teacher.post(`/api/v1/courses/${cid}/sessions`, { date: '2026-02-03', start: '09:00', minutes: 60 }), 404);
  assertError(await teacher.get(`/api/v1/courses/${cid}/enrolments`), 404);
  assertError(await teacher.post(`/api/v1/courses/${cid}/enrolments`, { person_id: ids.persons[0] }), 404);
  assertError(await teacher.get(`/api/v1/courses/${cid}/register?format=csv`), 404);
  assert.equal((await cr2.get(`/api/v1/courses/${ids.course}/register?format=csv`)).status, 404);
  assertError(await cr2.get(`/api/v1/enrolments/${ids.ea}`), 404);
  assertError(await cr2.get(`/api/v1/sessions/${ids.s1}`), 404);
  assertError(await cr2.request('PUT', `/api/v1/sessions/${ids.s1}/attendance`, { json: { marks: [] } }), 404);
  assertError(await cr2.get(`/api/v1/enrolments/${ids.ea}/certificate.pdf`), 404);
  // the workspace lists a teacher's own courses only
  const mine = await cr2.get('/courses');
  assert.equal(mine.status, 200);
  assert.match(mine.text, /Italiano B1/);
  assert.doesNotMatch(mine.text, /Italiano A1 serale/);

  // validation: teacher accounts of the course's organisation or one containing it, in the caller's area
  for (const teachers of ['x', [0], ['7'], [999999], [idLodi], [idCoord], [idCpia], Array.from({ length: 21 }, (_, i) => i + 1)]) {
    assertError(await coord.post('/api/v1/courses', { ...COURSE, teachers }), 422, { field: 'teachers' });
  }
  r = await coord.post('/api/v1/courses', { ...COURSE, org: 'cpia-cremona', title: 'Italiano A2 CPIA', teachers: [idCpia, idTeacher, idCpia] });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.teachers.map((t) => t.id).sort(), [idCpia, idTeacher].sort());
  ids.cpiaCourse = r.json.id;
  assert.equal((await cpia.get(`/api/v1/courses/${ids.cpiaCourse}/enrolments`)).status, 200);

  // changing the teachers: coordinators only; the teacher taken off loses the course
  assertError(await teacher.patch(`/api/v1/courses/${cid}`, { teachers: [idTeacher] }), 403);
  assertError(await coordLodi.patch(`/api/v1/courses/${cid}`, { teachers: [] }), 404);
  assertError(await coord.patch(`/api/v1/courses/${cid}`, {}), 422, { field: 'teachers' });
  assertError(await coord.patch(`/api/v1/courses/${cid}`, { teachers: [idLodi] }), 422, { field: 'teachers' });
  assertError(await coord.patch(`/api/v1/courses/${cid}`, { title: 'x' }), 422);
  assertError(await srv.client().patch(`/api/v1/courses/${cid}`, { teachers: [] }), 401);
  assertError(await coord.patch(`/api/v1/courses/${cid}`, { teachers: [idTeacher] }, { csrf: false }), 403);
  r = await coord.patch(`/api/v1/courses/${cid}`, { teachers: [idTeacher] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.teachers.map((t) => t.id), [idTeacher]);
  assert.equal((await teacher.get(`/api/v1/courses/${cid}/enrolments`)).status, 200);
  assertError(await cr2.get(`/api/v1/courses/${cid}/enrolments`), 404);
  r = await coord.get(`/api/v1/audit?limit=200`);
  if (r.status === 200) assert.ok(JSON.stringify(r.json).includes('course.teachers'));
});

test("the help desk's view of a person's courses: attendance, the CPIA exemption, courses near", async () => {
  const a = ids.persons[0]; // Amina: certificate A2 of a cremona (district) course, not a CPIA's
  let r = await operator.get(`/api/v1/persons/${a}/courses`);
  assert.equal(r.status, 200, r.text);
  const e1 = r.json.enrolments.find((x) => x.id === ids.ea);
  assert.equal(e1.attendance_pct, 75);
  assert.equal(e1.course_title, 'Italiano A1 serale');
  assert.ok(e1.certificate_code);
  assert.equal(r.json.exemption, null, 'a district course is not a CPIA certificate');
  assert.equal(r.json.level, 'A2');

  // a CPIA course: a certificate at A2 is the exemption
  const url = `/api/v1/courses/${ids.cpiaCourse}`;
  const en = await teacher.post(`${url}/enrolments`, { person_id: a, entry_level: 'A1' });
  assert.equal(en.status, 201, en.text);
  const s = await teacher.post(`${url}/sessions`, { date: '2026-02-02', start: '09:00', minutes: 120 });
  await teacher.request('PUT', `/api/v1/sessions/${s.json.id}/attendance`, { json: { marks: [{ enrolment_id: en.json.id, status: 'present' }] } });
  await teacher.patch(`/api/v1/enrolments/${en.json.id}`, { exit_level: 'A2' });
  assert.equal((await teacher.get(`/api/v1/enrolments/${en.json.id}/certificate.pdf`)).status, 200);

  // courses open near Amina (Cremona, adult woman, level A2): A2 / B1 or no target; not A1, pupils, Lodi, ended, her own
  const open = { ...COURSE, start_date: day(-10), end_date: day(80), capacity: 20 };
  const mk = async (c, body) => { const x = await c.post('/api/v1/courses', { ...open, ...body }); assert.equal(x.status, 201, x.text); return x.json.id; };
  const b1 = await mk(coord, { title: 'Italiano B1 vicino', target_level: 'B1' });
  const any = await mk(coord, { title: 'Orientamento al lavoro', kind: 'job_orientation', target_level: undefined, audience: 'women' });
  const a1 = await mk(coord, { title: 'Italiano A1 vicino', target_level: 'A1' });
  const pupils = await mk(coord, { title: 'L2 alunni', kind: 'pupils_l2', audience: 'pupils', target_level: 'A2' });
  const lodi = await mk(await srv.login('coord-lodi'), { org: 'lodi', title: 'Italiano B1 Lodi', target_level: 'B1' });

  r = await operator.get(`/api/v1/persons/${a}/courses`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.exemption.level, 'A2');
  assert.match(r.json.exemption.org, /Istruzione Adulti Cremona/);
  assert.match(r.json.exemption.code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  assert.match(r.json.exemption.issued_on, /^\d{4}-\d{2}-\d{2}$/);
  const near = r.json.open_near.map((c) => c.id);
  assert.ok(near.includes(b1) && near.includes(any), JSON.stringify(r.json.open_near));
  for (const no of [a1, pupils, lodi, ids.course, ids.cpiaCourse]) assert.ok(!near.includes(no), `${no} ${JSON.stringify(near)}`);
  assert.equal(r.json.open_near.find((c) => c.id === b1).enrolled, 0);

  // the read is audited under the person
  r = await coord.get(`/api/v1/audit?person_id=${a}&limit=200`);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((x) => x.action === 'course.person.read'), JSON.stringify(r.json.items.map((x) => x.action)));

  // denials: the region and teachers do not read persons; another district: 404; no session: 401
  assertError(await region.get(`/api/v1/persons/${a}/courses`), 403);
  assertError(await teacher.get(`/api/v1/persons/${a}/courses`), 403);
  assertError(await (await srv.login('operator-lodi')).get(`/api/v1/persons/${a}/courses`), 404);
  assertError(await operator.get('/api/v1/persons/999999/courses'), 404);
  assertError(await srv.client().get(`/api/v1/persons/${a}/courses`), 401);
});

test("the region's aggregates: kind, sex, age band, completion, levels gained; region only", async () => {
  const r = await region.get('/api/v1/courses/summary');
  assert.equal(r.status, 200, r.text);
  const text = JSON.stringify(r.json);
  for (const name of ['Diallo', 'Amina', 'Benali', 'Kovalenko']) assert.ok(!text.includes(name), name);
  const cr = r.json.by_district.find((d) => d.district === 'cremona');
  assert.ok(cr.courses >= 3, JSON.stringify(cr)); // courses are not persons: never suppressed
  assert.ok(r.json.participants.some((p) => p.kind === 'italian_l2' && p.sex === 'f'));
  assert.ok(r.json.participants.every((p) => Object.keys(p).sort().join() === 'age_band,kind,learners,sex'));
  assert.ok(r.json.level_gains.some((g) => g.entry_level === 'pre-A1' && g.exit_level === 'A2'));
  // small-cell suppression (monitoring's rule): no person count from 1 to 4 is shown, and a
  // table never hides one cell alone (its total would give it back)
  assert.equal(r.json.suppression.threshold, 5);
  const counts = [
    ...r.json.by_kind.flatMap((k) => [k.enrolled, k.waiting, k.withdrawn]),
    ...r.json.by_district.flatMap((d) => [d.enrolled, d.withdrawn, d.certified]),
    ...Object.values(r.json.by_sex), ...Object.values(r.json.by_age),
    ...r.json.participants.map((p) => p.learners), ...r.json.level_gains.map((g) => g.learners),
    r.json.levels_gained, r.json.learners_with_levels, r.json.completion.ended, r.json.completion.certified,
  ];
  for (const n of counts) assert.ok(n === null || n === 0 || n >= 5, JSON.stringify(counts));
  assert.equal(cr.certified, null); // Cremona's 2+ certificates, under 5
  assert.equal(r.json.completion.certified, null);
  assert.equal(r.json.completion.rate_pct, null);
  const hidden = r.json.participants.filter((p) => p.learners === null).length;
  assert.ok(hidden === 0 || hidden >= 2, 'a lone hidden cell is given back by the total');
  for (const c of [coord, teacher, operator]) assertError(await c.get('/api/v1/courses/summary'), 403);
  assertError(await srv.client().get('/api/v1/courses/summary'), 401);
  // the page: aggregates only, region only
  const page = await region.get('/courses/region');
  assert.equal(page.status, 200);
  assert.match(page.text, /Ambito Territoriale Cremonese/);
  assert.match(page.text, /oscurato/);
  assert.doesNotMatch(page.text, /Diallo|Amina/);
  for (const c of [coord, teacher, operator]) assert.equal((await c.get('/courses/region')).status, 403);
});

test('lists page through a cursor: internships, school support', async () => {
  let r = await teacher.get('/api/v1/school-support?limit=2');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.items.length, 2);
  assert.ok(r.json.next_cursor);
  const r2 = await teacher.get(`/api/v1/school-support?limit=2&cursor=${r.json.next_cursor}`);
  assert.equal(r2.status, 200);
  assert.ok(r2.json.items.length >= 1);
  assert.ok(r2.json.items.every((x) => x.id < r.json.items[1].id));
  assertError(await teacher.get('/api/v1/school-support?limit=0'), 422);
  r = await coord.get('/api/v1/internships?limit=1');
  assert.equal(r.status, 200);
  assert.equal(r.json.items.length, 1);
  assertError(await operator.get('/api/v1/internships'), 403);
});

const form = (o) => ({
  body: new URLSearchParams(o).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

test('pages: school support form and the watch list; who sees them', async () => {
  const pupil = ids.persons[3]; // Ravi Sharma, on the watch list
  let r = await teacher.get('/courses/support');
  assert.equal(r.status, 200);
  assert.match(r.text, /id="support-table"/);
  assert.match(r.text, /Sharma/);
  r = await teacher.request('POST', '/courses/support/find', form({ q: 'Sharma' }));
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`id="p-${pupil}"`));
  const before = (await teacher.get(`/api/v1/school-support?person_id=${pupil}`)).json.items.length;
  r = await teacher.request('POST', '/courses/support', form({ person_id: pupil, kind: 'reception', date: '2026-03-30', minutes: '60' }));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.get('location'), '/courses/support?done=1');
  let items = (await teacher.get(`/api/v1/school-support?person_id=${pupil}`)).json.items;
  assert.equal(items.length, before + 1);
  assert.equal(items[0].attended, false); // the box unticked: missed
  r = await teacher.request('POST', '/courses/support', form({ person_id: pupil, kind: 'football', date: '2026-03-30', minutes: '60' }));
  assert.equal(r.status, 422);
  assert.match(r.text, /id="form-error"/);
  items = (await teacher.get(`/api/v1/school-support?person_id=${pupil}`)).json.items;
  assert.equal(items.length, before + 1, 'nothing saved');
  assert.equal((await teacher.request('POST', '/courses/support', { ...form({ person_id: pupil, kind: 'reception', date: '2026-03-30', minutes: '60' }), csrf: false })).status, 403);
  assert.equal((await operator.get('/courses/support')).status, 403);
  assert.equal((await operator.request('POST', '/courses/support', form({ person_id: pupil, kind: 'reception', date: '2026-03-30', minutes: '60' }))).status, 403);
  r = await lodiTeacher.get('/courses/support');
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /Sharma/);

  // the watch list: the school's teachers and the district's coordinators only
  for (const c of [teacher, coord]) {
    r = await c.get('/courses/watch');
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`data-person="${pupil}"`));
  }
  for (const c of [operator, region]) assert.equal((await c.get('/courses/watch')).status, 403);
  r = await lodiTeacher.get('/courses/watch');
  assert.equal(r.status, 200);
  assert.match(r.text, /id="watch-empty"/);
  assert.notEqual((await srv.client().get('/courses/watch')).status, 200);
});

test("pages: mediators' internships, the teachers form, the posted search", async () => {
  let r = await coord.post('/api/v1/mediators', { given_name: 'Yonas', family_name: 'Tesfaye', languages: ['ti'] });
  assert.equal(r.status, 201, r.text);
  const mid = r.json.id;
  r = await coord.get('/courses/internships');
  assert.equal(r.status, 200);
  assert.match(r.text, /Tesfaye/);
  r = await coord.request('POST', '/courses/internships', form({ mediator_id: mid, host_org: 'asst-cremona', tutor: 'Dott. Bianchi', hours_required: '0' }));
  assert.equal(r.status, 422);
  r = await coord.request('POST', '/courses/internships', form({ mediator_id: mid, host_org: 'asst-cremona', tutor: 'Dott. Bianchi', hours_required: '20' }));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.headers.get('location').match(/internships\/(\d+)/)[1]);
  r = await coord.get(`/courses/internships/${id}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="internship-edit"/);
  r = await coord.request('POST', `/courses/internships/${id}`, form({ hours_done: '12', tutor: 'Dott. Bianchi', evaluation: '', complete: '1' }));
  assert.equal(r.status, 409); // hours missing: shown with the error, nothing saved
  assert.equal((await coord.get(`/api/v1/internships/${id}`)).json.hours_done, 0);
  r = await coord.request('POST', `/courses/internships/${id}`, form({ hours_done: '20', tutor: 'Dott. Bianchi', evaluation: 'Puntuale e attento.', complete: '1' }));
  assert.equal(r.status, 303);
  r = await coord.get(`/api/v1/internships/${id}`);
  assert.equal(r.json.status, 'completed');
  assert.equal(r.json.evaluation, 'Puntuale e attento.');
  assert.equal((await lodiTeacher.get(`/courses/internships/${id}`)).status, 404);
  assert.equal((await operator.get('/courses/internships')).status, 403);
  assert.equal((await teacher.request('POST', '/courses/internships', form({ mediator_id: mid, host_org: 'asst-cremona', tutor: 'X', hours_required: '20' }))).status, 422);

  // the teachers form: coordinators tick the teachers; teachers may not
  const idCr2 = await userId('teacher-cr2');
  r = await coord.request('POST', `/courses/${ids.course2}/teachers`, form({ [`t${idCr2}`]: '1' }));
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.deepEqual((await coord.get(`/api/v1/courses/${ids.course2}`)).json.teachers.map((t) => t.id), [idCr2]);
  r = await coord.get(`/courses/${ids.course2}`);
  assert.match(r.text, new RegExp(`id="t-${idCr2}" name="t${idCr2}" value="1" checked`));
  assert.equal((await teacher.request('POST', `/courses/${ids.course2}/teachers`, form({ [`t${idCr2}`]: '1' }))).status, 403);
  assert.equal((await (await srv.login('coord-lodi')).request('POST', `/courses/${ids.course2}/teachers`, form({}))).status, 404);
  assert.equal((await (await srv.login('teacher-cr2')).request('POST', `/courses/${ids.course2}/teachers`, form({}))).status, 403);
  assert.equal((await teacher.get(`/courses/${ids.course2}`)).status, 404); // no longer assigned

  // the enrol form's search is posted: the name stays out of the address
  r = await teacher.request('POST', `/courses/${ids.course}/find`, form({ q: 'Kovalenko' }));
  assert.equal(r.status, 200);
  assert.match(r.text, /id="search-results"[\s\S]*Kovalenko/);
});

test("the help desk's pages: the person's courses and the exemption on A2-test and EU long-term procedures", async () => {
  const a = ids.persons[0];
  let r = await operator.get(`/desk/persons/${a}`);
  assert.equal(r.status, 200);
  assert.match(r.text, /id="person-courses"/);
  assert.match(r.text, /id="a2-exemption"/);
  assert.match(r.text, /Italiano A1 serale[\s\S]*75%/);
  assert.match(r.text, /id="courses-near"[\s\S]*Italiano B1 vicino/);
  r = await operator.post('/api/v1/procedures', { person_id: a, type: 'a2_test', facts: { booking_date: '2026-03-01' } });
  assert.equal(r.status, 201, r.text);
  const page = await operator.get(`/desk/procedures/${r.json.id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="a2-exemption"[^>]*>[^<]*A2/);
  r = await operator.post('/api/v1/procedures', { person_id: a, type: 'eu_long_term', facts: { legal_stay_since: '2019-01-01' } });
  assert.equal(r.status, 201, r.text);
  assert.match((await operator.get(`/desk/procedures/${r.json.id}`)).text, /id="a2-exemption"/);
  r = await operator.get(`/desk/persons/${a}?tab=procedures`);
  assert.equal((r.text.match(/li-exemption/g) || []).length, 2);
  // someone without a CPIA certificate: no exemption on their A2 test
  r = await operator.post('/api/v1/procedures', { person_id: ids.persons[1], type: 'a2_test', facts: { booking_date: '2026-03-01' } });
  assert.doesNotMatch((await operator.get(`/desk/procedures/${r.json.id}`)).text, /id="a2-exemption"/);
  r = await coord.get(`/api/v1/audit?person_id=${a}&limit=200`);
  assert.ok(r.json.items.some((x) => x.action === 'course.exemption.read'));
});
