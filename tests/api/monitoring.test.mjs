// monitoring.test.mjs — the AMIF indicators computed live (CONTRACT.md
// "Governance and monitoring"), against fixtures counted by hand, created
// through the API in the Lodi district, whose project (lab-impact-2-lodi)
// runs from 2025-09-25 to 2028-09-24:
//
//   person  sex born        activities                                   counts for
//   A       f   2008-03-01  consult 2025-10-01 family_reunification,     O.2.3, O.2.5; <18 (17 at her
//                           consult 2026-04-01 work                       first activity, 18 at the second)
//   B       m   1960-01-10  procedure eu_long_term 2025-11-05            O.2.3, R.2.11; >60
//   C       x   1990-05-05  italian_l2 (2026-01-12) A1 -> B1, procedure  O.2.3, O.2.3.1, R.2.8, O.2.5; 18-60
//                           family_reunification 2026-02-01
//   D       f   1995-01-01  waiting list of the italian_l2 course only   nothing (waiting never counts)
//   E       m   1980-02-02  civic_orientation + job_orientation          O.2.3, O.2.3.2, O.2.3.3; 18-60
//                           (2026-02-02)
//   F       f   1985-06-06  italian_l2 (2025-10-15) A2 -> A2             O.2.3, O.2.3.1 (no level gained); 18-60
//   G       m   2000-07-07  consult 2025-09-01 (before the project)      nothing
//   two anonymous consultations family_reunification (2025-12-01)       contacts only: P.CONS, never O.2.x
//
// Whole project: O.2.3 = 5 (f 2, m 2, x 1; <18 1, 18-60 3, >60 1), O.2.3.1 = 2,
// O.2.3.2 = 1, O.2.3.3 = 1, O.2.5 = 2, R.2.8 = 1, R.2.11 = 1, P.CONS = 4
// (family_reunification 3, work 1), O.2.7 = 1, O.2.2 = districts and comuni
// under Lodi. Window 2026-01-01..2026-06-30: O.2.3 = 3 (A, C, E), A still <18.
// Plus denials: no session 401, operator and teacher 403, another district's
// coordinator 404, the region reads every district's aggregates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, assertError, readXlsx, csvRows } from './helpers.mjs';

let srv;
let lodi; // coordinator of lodi
let lodiOp; // operator of lodi
let cremona; // demo-coordinator (cremona)
let region;
let operator;
let teacher;
let projectId;
const P = {};

/** The text layer of a PDF (pdftotext). */
function pdfText(buf) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mon-pdf-'));
  try {
    const f = path.join(dir, 'x.pdf');
    writeFileSync(f, buf);
    return execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Asserts that a sheet read back from XLSX holds the CSV of the same request:
 * as many rows, every cell equal, numbers (never in the first column) as numbers. */
function assertSameTable(xrows, crows) {
  assert.equal(xrows.length, crows.length, 'as many rows as the CSV');
  crows.forEach((c, i) => {
    const x = xrows[i];
    assert.ok(x.length <= c.length, `row ${i} has no extra cells`);
    c.forEach((want, k) => {
      const got = x[k] ?? '';
      if (typeof got === 'number') {
        assert.ok(k > 0 && i > 0, `a number in row ${i} column ${k}`);
        assert.equal(got, Number(want), `row ${i} column ${k}`);
      } else {
        assert.equal(got, want, `row ${i} column ${k}`);
        if (i > 0 && k > 0) assert.ok(want === '' || Number.isNaN(Number(want)), `${want} in row ${i} column ${k} is a number`);
      }
    });
  });
}

/** The one sheet of an XLSX answer, read back with openpyxl. */
async function sheet(f, name) {
  assert.equal(f.status, 200);
  assert.match(f.type, /spreadsheetml/);
  const book = await readXlsx(f.buf);
  assert.equal(book.sheets.length, 1);
  assert.equal(book.sheets[0].name, name);
  return book.sheets[0].rows;
}

async function bytes(c, p) {
  const res = await fetch(srv.base + p, { headers: c ? { Cookie: c.cookieHeader() } : {} });
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

const item = (r, code) => {
  const it = r.json.items.find((x) => x.code === code);
  assert.ok(it, `indicator ${code}`);
  return it;
};

async function person(given, sex, birth) {
  const r = await lodi.post('/api/v1/persons', { given_name: given, family_name: 'Test', sex, birth_date: birth, citizenship: 'MA', org: 'lodi' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.org, 'lodi');
  return r.json.id;
}

async function consult(body) {
  const r = await lodiOp.post('/api/v1/consultations', { channel: 'in_person', ...body });
  assert.equal(r.status, 201, r.text);
}

async function procedure(pid, type, opened_on, facts) {
  const r = await lodiOp.post('/api/v1/procedures', { person_id: pid, type, opened_on, facts });
  assert.equal(r.status, 201, r.text);
}

async function course(kind, start, capacity, extra = {}) {
  const r = await lodi.post('/api/v1/courses', {
    title: `Corso ${kind} ${start}`, kind, org: 'lodi', audience: 'adults', hours: 20, capacity,
    start_date: start, end_date: '2026-06-30', ...extra,
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

async function enrol(courseId, pid, entry_level) {
  const body = { person_id: pid };
  if (entry_level) body.entry_level = entry_level;
  const r = await lodi.post(`/api/v1/courses/${courseId}/enrolments`, body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

before(async () => {
  srv = await startServer({
    users: [
      { username: 'coord-lodi', role: 'coordinator', org: 'lodi' },
      { username: 'op-lodi', role: 'operator', org: 'lodi' },
    ],
  });
  lodi = await srv.login('coord-lodi');
  lodiOp = await srv.login('op-lodi');
  cremona = await srv.login('demo-coordinator');
  region = await srv.login('demo-region');
  operator = await srv.login('demo-operator');
  teacher = await srv.login('demo-teacher');

  P.A = await person('Alba', 'f', '2008-03-01');
  P.B = await person('Bruno', 'm', '1960-01-10');
  P.C = await person('Cai', 'x', '1990-05-05');
  P.D = await person('Dana', 'f', '1995-01-01');
  P.E = await person('Emil', 'm', '1980-02-02');
  P.F = await person('Fatou', 'f', '1985-06-06');
  P.G = await person('Gino', 'm', '2000-07-07');

  await consult({ person_id: P.A, date: '2025-10-01', topics: ['family_reunification'] });
  await consult({ person_id: P.A, date: '2026-04-01', topics: ['work'] });
  await consult({ person_id: P.G, date: '2025-09-01', topics: ['work'] });
  for (let i = 0; i < 2; i++)
    await consult({ person_id: null, citizenship: 'NG', sex: 'f', age_band: '18-60', date: '2025-12-01', topics: ['family_reunification'], org: 'lodi' });
  await procedure(P.B, 'eu_long_term', '2025-11-05', { legal_stay_since: '2015-01-01' });
  await procedure(P.C, 'family_reunification', '2026-02-01', { request_date: '2026-02-01' });

  const l2 = await course('italian_l2', '2026-01-12', 1, { target_level: 'B1' });
  const ec = await enrol(l2, P.C, 'A1');
  const ed = await enrol(l2, P.D, 'pre-A1');
  assert.equal(ec.status, 'enrolled');
  assert.equal(ed.status, 'waiting');
  let r = await lodi.patch(`/api/v1/enrolments/${ec.id}`, { exit_level: 'B1' });
  assert.equal(r.status, 200, r.text);
  r = await lodi.patch(`/api/v1/enrolments/${ed.id}`, { exit_level: 'A2' }); // on the waiting list: still never counted
  assert.ok(r.status === 200 || r.status === 409 || r.status === 422, r.text);
  const l2b = await course('italian_l2', '2025-10-15', 5);
  const ef = await enrol(l2b, P.F, 'A2');
  r = await lodi.patch(`/api/v1/enrolments/${ef.id}`, { exit_level: 'A2' });
  assert.equal(r.status, 200, r.text);
  await enrol(await course('civic_orientation', '2026-02-02', 5), P.E);
  await enrol(await course('job_orientation', '2026-02-02', 5), P.E);

  const orgs = await srv.login('demo-admin').then((a) => a.get('/api/v1/orgs?limit=200'));
  assert.equal(orgs.status, 200, orgs.text);
  const lodiOrg = orgs.json.items.find((o) => o.code === 'lodi');
  assert.ok(lodiOrg);
  r = await region.get('/api/v1/indicators/districts');
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  if (srv) await srv.stop();
});

async function lodiProject() {
  if (projectId) return projectId;
  // The project is found through the districts' figures: the region lists
  // every project of a subtree in its workspace; here, by trying ids.
  for (let id = 1; id < 50; id++) {
    const r = await lodi.get(`/api/v1/indicators?project_id=${id}`);
    if (r.status === 200 && item(r, 'O.2.3').value > 0) return (projectId = id);
  }
  throw new Error('no Lodi project');
}

test('every counting rule over the whole project, by sex and age band', async () => {
  const id = await lodiProject();
  const r = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  assert.equal(r.status, 200, r.text);
  const o23 = item(r, 'O.2.3');
  assert.equal(o23.value, 5); // A, B, C, E, F: D waits, G came before the project, anonymous never
  assert.deepEqual(o23.by_sex, { m: 2, f: 2, x: 1 });
  assert.deepEqual(o23.by_age, { '<18': 1, '18-60': 3, '>60': 1 });
  assert.equal(item(r, 'O.2.3.1').value, 2); // C, F (not D: waiting)
  assert.deepEqual(item(r, 'O.2.3.1').by_sex, { m: 0, f: 1, x: 1 });
  assert.equal(item(r, 'O.2.3.2').value, 1);
  assert.equal(item(r, 'O.2.3.3').value, 1);
  assert.deepEqual(item(r, 'O.2.3.3').by_sex, { m: 1, f: 0, x: 0 });
  const o25 = item(r, 'O.2.5');
  assert.equal(o25.value, 2); // A by consultation, C by procedure; the two anonymous never
  assert.deepEqual(o25.by_age, { '<18': 1, '18-60': 1, '>60': 0 });
  assert.equal(item(r, 'R.2.8').value, 1); // C gained A1 -> B1; F stayed A2
  assert.equal(item(r, 'R.2.11').value, 1);
  assert.deepEqual(item(r, 'R.2.11').by_age, { '<18': 0, '18-60': 0, '>60': 1 });
  assert.equal(item(r, 'O.2.7').value, 1); // led by the district
  assert.ok(item(r, 'O.2.2').value >= 1);
  const cons = item(r, 'P.CONS');
  assert.equal(cons.value, 4); // A twice + two anonymous; G before the project
  assert.deepEqual(cons.by_topic, { family_reunification: 3, work: 1 });
  assert.equal(item(r, 'P.TRAIN').value, 0);
  for (const it of r.json.items) assert.ok(!('by_sex_age' in it));
  assert.ok(!r.text.includes('Alba') && !r.text.includes('Test'));
});

test('once per project: a second activity adds nobody, a new person adds one', async () => {
  const id = await lodiProject();
  await consult({ person_id: P.B, date: '2026-03-03', topics: ['family_reunification'] });
  let r = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  assert.equal(item(r, 'O.2.3').value, 5); // B already counted
  assert.equal(item(r, 'O.2.5').value, 3); // B now received family-reunification information
  assert.deepEqual(item(r, 'O.2.5').by_age, { '<18': 1, '18-60': 1, '>60': 1 });
  assert.equal(item(r, 'P.CONS').value, 5);
  const H = await person('Hana', 'f', '1999-09-09');
  await procedure(H, 'family_reunification', '2026-05-05', { request_date: '2026-05-05' });
  r = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  assert.equal(item(r, 'O.2.3').value, 6);
  assert.deepEqual(item(r, 'O.2.3').by_sex, { m: 2, f: 3, x: 1 });
});

test('a window: counted when active inside it, age still at the first activity', async () => {
  const id = await lodiProject();
  const r = await lodi.get(`/api/v1/indicators?project_id=${id}&from=2026-01-01&to=2026-02-28`);
  assert.equal(r.status, 200, r.text);
  const o23 = item(r, 'O.2.3');
  assert.equal(o23.value, 2); // C (course, procedure), E (courses); A's next visit is in April
  assert.deepEqual(o23.by_age, { '<18': 0, '18-60': 2, '>60': 0 });
  const s1 = await lodi.get(`/api/v1/indicators?project_id=${id}&period=2026-S1`);
  assert.equal(s1.status, 200, s1.text);
  // A (April, 18 by then, counted <18 from October), B (March), C, E, Hana (May)
  assert.equal(item(s1, 'O.2.3').value, 5);
  assert.equal(item(s1, 'O.2.3').by_age['<18'], 1);
  assert.equal(item(s1, 'O.2.3.1').value, 1); // C; F's course started in October
  // The whole period and whole semesters are read from the summaries the
  // triggers keep (migration 0015); any other window straight from the
  // records: the two agree on the same activities.
  const raw = await lodi.get(`/api/v1/indicators?project_id=${id}&from=2026-01-01&to=2026-07-01`);
  assert.deepEqual(raw.json.items, s1.json.items);
  const whole = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  const wholeRaw = await lodi.get(`/api/v1/indicators?project_id=${id}&from=1900-01-02`);
  assert.deepEqual(wholeRaw.json.items, whole.json.items);
  assertError(await lodi.get(`/api/v1/indicators?project_id=${id}&from=2026-13-01`), 422, { field: 'from' });
  assertError(await lodi.get(`/api/v1/indicators?project_id=${id}&from=2026-03-01&to=2026-01-01`), 422, { field: 'to' });
  assertError(await lodi.get(`/api/v1/indicators?project_id=${id}&period=2026-S3`), 422, { field: 'period' });
  assertError(await lodi.get('/api/v1/indicators?project_id=abc'), 422, { field: 'project_id' });
});

test('by organisation: the subtree sums its projects; the region reads every district', async () => {
  const id = await lodiProject();
  const byProject = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  const byOrg = await lodi.get('/api/v1/indicators?org=lodi');
  assert.equal(byOrg.status, 200, byOrg.text);
  assert.equal(item(byOrg, 'O.2.3').value, item(byProject, 'O.2.3').value);
  const own = await lodi.get('/api/v1/indicators');
  assert.equal(item(own, 'O.2.3').value, item(byProject, 'O.2.3').value);
  const reg = await region.get(`/api/v1/indicators?project_id=${id}`);
  assert.equal(reg.status, 200, reg.text);
  assert.deepEqual(item(reg, 'O.2.3'), item(byProject, 'O.2.3'));
  const all = await region.get('/api/v1/indicators');
  assert.equal(all.status, 200);
  assert.ok(item(all, 'O.2.3').value >= 6);
  const d = await region.get('/api/v1/indicators/districts');
  assert.equal(d.status, 200, d.text);
  const lodiRow = d.json.districts.find((x) => x.code === 'lodi');
  assert.equal(lodiRow.items.find((x) => x.code === 'O.2.3').value, 6);
  assert.ok(d.json.districts.length >= 9);
  assert.ok(!d.text.includes('Alba'));
  const own2 = await lodi.get('/api/v1/indicators/districts');
  assert.deepEqual(own2.json.districts.map((x) => x.code), ['lodi']);
  const t = await lodi.get('/api/v1/indicators/trend?from=2025-07-01&to=2026-12-31');
  assert.equal(t.status, 200, t.text);
  assert.deepEqual(t.json.periods.map((p) => p.period), ['2025-S2', '2026-S1', '2026-S2']);
  assert.equal(t.json.periods[0].items.find((x) => x.code === 'O.2.3').value, 3); // A, B, F
});

test('denials: no session, wrong role, another district', async () => {
  const id = await lodiProject();
  assertError(await srv.client().get('/api/v1/indicators'), 401);
  assertError(await operator.get('/api/v1/indicators'), 403);
  assertError(await teacher.get('/api/v1/indicators'), 403);
  assertError(await lodiOp.get(`/api/v1/indicators?project_id=${id}`), 403);
  assertError(await cremona.get(`/api/v1/indicators?project_id=${id}`), 404);
  assertError(await cremona.get('/api/v1/indicators?org=lodi'), 404);
  assertError(await lodi.get('/api/v1/indicators?org=cremona'), 404);
  assertError(await lodi.get('/api/v1/indicators?project_id=999999'), 404);
  for (const p of ['/api/v1/indicators/districts?org=lodi', '/api/v1/indicators/trend?org=lodi', '/api/v1/indicators/open-data?org=lodi'])
    assertError(await cremona.get(p), 404);
  for (const p of ['/api/v1/indicators/districts', '/api/v1/indicators/trend', '/api/v1/indicators/open-data'])
    assertError(await operator.get(p), 403);
});

test('exports: CSV, XLSX read back, PDF for the managing authority', async () => {
  const id = await lodiProject();
  let f = await bytes(lodi, `/api/v1/indicators?project_id=${id}&format=csv`);
  assert.equal(f.status, 200);
  assert.match(f.type, /^text\/csv/);
  const lines = f.buf.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'Codice,Indicatore,Unità,Valore,Uomini,Donne,Non binario,Under 18,18-60,Oltre 60'); // Italian first
  assert.ok(lines.some((l) => /^O\.2\.3,.*,6,2,3,1,1,4,1$/.test(l)), lines.join('\n'));
  const csv = csvRows(f.buf.toString('utf8'));
  f = await bytes(lodi, `/api/v1/indicators?project_id=${id}&format=xlsx`);
  const rows = await sheet(f, 'Indicators');
  assert.equal(rows[0][0], 'Codice');
  assertSameTable(rows, csv);
  const json = await lodi.get(`/api/v1/indicators?project_id=${id}`);
  assert.equal(rows.length, 1 + json.json.items.length, 'a row per indicator of the JSON');
  for (const it of json.json.items) {
    const row = rows.find((r) => r[0] === it.code);
    assert.ok(row, it.code);
    if (typeof it.value === 'number') assert.equal(row[3], it.value, it.code);
  }
  const o23 = rows.find((r) => r[0] === 'O.2.3');
  assert.deepEqual(o23.slice(3), [6, 2, 3, 1, 1, 4, 1]);
  f = await bytes(lodi, `/api/v1/indicators?project_id=${id}&format=pdf`);
  assert.equal(f.status, 200);
  assert.equal(f.type, 'application/pdf');
  const text = pdfText(f.buf);
  assert.match(text, /O\.2\.3\.1/);
  assert.match(text, /R\.2\.11/);
  f = await bytes(region, '/api/v1/indicators/districts?format=xlsx');
  const d = await sheet(f, 'Districts');
  assertSameTable(d, csvRows((await bytes(region, '/api/v1/indicators/districts?format=csv')).buf.toString('utf8')));
  const dj = (await region.get('/api/v1/indicators/districts')).json.districts;
  assert.equal(d.length, 1 + dj.length, 'a row per district of the JSON');
  const lodiRow = d.find((r) => r[0] === 'lodi');
  assert.equal(lodiRow[d[0].indexOf('O.2.3')], 6);
  f = await bytes(lodi, '/api/v1/indicators/trend?format=csv&from=2025-07-01&to=2026-06-30');
  assert.equal(f.status, 200);
  assert.match(f.buf.toString('utf8'), /2025-S2,2025-07-01/);
  const tcsv = csvRows(f.buf.toString('utf8'));
  const tr = await sheet(await bytes(lodi, '/api/v1/indicators/trend?format=xlsx&from=2025-07-01&to=2026-06-30'), 'Trend');
  assertSameTable(tr, tcsv);
  const tj = (await lodi.get('/api/v1/indicators/trend?from=2025-07-01&to=2026-06-30')).json.periods;
  assert.deepEqual(tr.slice(1).map((r) => r[0]), tj.map((p) => p.period));
  assert.equal(tr[1][tr[0].indexOf('O.2.3')], tj[0].items.find((x) => x.code === 'O.2.3').value);
  assertError(await lodi.get('/api/v1/indicators?format=doc'), 422, { field: 'format' });
});

test('open data: cells under 5 suppressed, with complements so totals do not give them away', async () => {
  const f = await bytes(region, '/api/v1/indicators/open-data?format=csv');
  assert.equal(f.status, 200);
  const text = f.buf.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(text[0], 'district,indicator,sex,age_band,value,flag');
  const rows = text.slice(1).map((l) => l.split(','));
  for (const r of rows) {
    if (r[4] !== '') assert.ok(Number(r[4]) === 0 || Number(r[4]) >= 5, `published small cell ${r.join(',')}`);
    else assert.equal(r[5], 'suppressed');
  }
  // Lodi's O.2.3 by sex (m 2, f 3, x 1) and by age (<18 1, 18-60 4, >60 1):
  // every cell hidden; its total (6) published, from which no cell follows.
  const lodi23 = rows.filter((r) => r[0] === 'lodi' && r[1] === 'O.2.3');
  const cell = (sex, band) => lodi23.find((r) => r[2] === sex && r[3] === band);
  for (const s of ['m', 'f', 'x']) assert.equal(cell(s, 'total')[5], 'suppressed');
  for (const b of ['<18', '18-60', '>60']) assert.equal(cell('total', b)[5], 'suppressed');
  assert.equal(cell('total', 'total')[4], '6');
  // In every table no line (a district's row, a column, the totals) holds
  // exactly one hidden entry: subtraction gives nothing away.
  const lines = new Map();
  const count = (k, hidden) => lines.set(k, (lines.get(k) || 0) + (hidden ? 1 : 0));
  for (const r of rows) {
    const hidden = r[5] === 'suppressed';
    if (r[3] === 'total') { // the sexes' table and the totals
      count(`${r[1]}|sex|row:${r[0]}`, hidden);
      count(`${r[1]}|sex|col:${r[2]}`, hidden);
    }
    if (r[2] === 'total') { // the age bands' table and the totals
      count(`${r[1]}|age|row:${r[0]}`, hidden);
      count(`${r[1]}|age|col:${r[3]}`, hidden);
    }
  }
  assert.ok(lines.size > 10);
  for (const [k, n] of lines) assert.notEqual(n, 1, `${k} holds one hidden entry`);
  assert.ok(!f.buf.toString('utf8').includes('Alba'));
  // The XLSX of the same table, read back with openpyxl: the same cells, suppressed ones empty.
  const x = await sheet(await bytes(region, '/api/v1/indicators/open-data?format=xlsx'), 'Open data');
  assertSameTable(x, csvRows(f.buf.toString('utf8')));
  const xl23 = x.filter((r) => r[0] === 'lodi' && r[1] === 'O.2.3');
  assert.equal(xl23.find((r) => r[2] === 'total' && r[3] === 'total')[4], 6);
  for (const r of xl23.filter((r) => r[5] === 'suppressed')) assert.equal(r[4] ?? null, null);
});

// The plan's own indicators on budget and meetings, counted by hand in the
// Lodi project (added here, over what the demo seeded, read first):
//   on the project's first budget line (planned: governance's own total); expenses 2,500.00 (2026-02-10) and
//   1,000.00 (2026-08-01): spent +3,500.00 over the project, +2,500.00 in 2026-S1.
//   meetings (all in 2026-S1, past): tavolo, 3 invited (lodi x2 present,
//   ascsi-lodi absent): 2 persons, 1 organisation; laboratory, lodi and
//   ascsi-lodi present: 2 persons, 2 organisations; case meeting on person A,
//   one present (lodi): 1 person, 1 organisation; a school meeting in 2030:
//   not held. Held +3 (tavolo 1, lab 1, case 1), persons +5, organisations +4.
async function planFigures(q) {
  const r = await lodi.get(`/api/v1/indicators?project_id=${await lodiProject()}${q}`);
  assert.equal(r.status, 200, r.text);
  const v = (c) => item(r, c);
  return { spent: v('P.BUDGET').value, planned: v('P.BUDGET.PLAN').value, pct: v('P.BUDGET.PCT').value,
    held: v('P.MEET'), att: v('P.ATT'), orgs: v('P.ATT.ORG') };
}

async function meeting(body, marks) {
  let r = await lodi.post('/api/v1/meetings', { org: 'lodi', minutes: 60, ...body });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  if (!marks) return id;
  r = await lodi.post(`/api/v1/meetings/${id}/invitations`, { invitees: marks.map(([org], i) => ({ org, email: `m${id}.${i}@example.org` })) });
  assert.equal(r.status, 200, r.text);
  const inv = r.json.invitees;
  r = await lodi.request('PUT', `/api/v1/meetings/${id}/attendance`, { json: { marks: marks.map(([, status], i) => ({ invitee_id: inv.find((x) => x.email === `m${id}.${i}@example.org`).id, status })) } });
  assert.equal(r.status, 200, r.text);
  return id;
}

test("the plan's own: budget spent against plan, meetings held and attendance", async () => {
  const pid = await lodiProject();
  const S1 = '&from=2026-01-01&to=2026-06-30';
  const b0 = await planFigures(''), s0 = await planFigures(S1);
  let r = await lodi.get(`/api/v1/projects/${pid}/budget`);
  assert.equal(r.status, 200, r.text);
  let line = r.json.lines[0]?.id;
  if (!line) { // a project without lines: one of 10,000.00
    r = await lodi.post(`/api/v1/projects/${pid}/budget-lines`, { category: 'staff', planned_cents: 1000000, label: 'Monitoraggio' });
    assert.equal(r.status, 201, r.text);
    line = r.json.id;
  }
  for (const [date, amount_cents] of [['2026-02-10', 250000], ['2026-08-01', 100000]]) {
    r = await lodi.post('/api/v1/expenses', { budget_line_id: line, date, amount_cents, description: `Spesa ${date}` });
    assert.equal(r.status, 201, r.text);
  }
  await meeting({ kind: 'tavolo', title: 'Tavolo di marzo', start: '2026-03-10T10:00' }, [['lodi', 'present'], ['lodi', 'present'], ['ascsi-lodi', 'absent']]);
  await meeting({ kind: 'lab', title: 'Laboratorio ANCI', start: '2026-04-14T14:00', series: 'Laboratori' }, [['lodi', 'present'], ['ascsi-lodi', 'present']]);
  await meeting({ kind: 'case', title: 'Riunione di rete', start: '2026-05-05T09:00', person_id: P.A }, [['lodi', 'present']]);
  await meeting({ kind: 'school', title: 'Referenti scolastici', start: '2030-03-03T15:00' });

  const b = await planFigures(''), s = await planFigures(S1);
  const gov = (await lodi.get(`/api/v1/projects/${pid}/budget`)).json.total; // governance's own sums
  assert.equal(b.planned, gov.planned_cents);
  assert.equal(b.spent, gov.spent_cents);
  assert.ok(b.planned - b0.planned === 0 || b.planned - b0.planned === 1000000);
  assert.equal(s.planned, b.planned, 'the plan is the whole life of the project');
  assert.equal(b.spent - b0.spent, 350000);
  assert.equal(s.spent - s0.spent, 250000);
  assert.equal(b.pct, Math.floor((b.spent * 1000) / b.planned) / 10);
  const dk = (x, y) => Object.fromEntries(Object.keys(x.by_kind).map((k) => [k, x.by_kind[k] - y.by_kind[k]]));
  for (const [x, y] of [[b, b0], [s, s0]]) {
    assert.equal(x.held.value - y.held.value, 3);
    assert.deepEqual(dk(x.held, y.held), { tavolo: 1, lab: 1, case: 1, school: 0 });
    assert.equal(x.att.value - y.att.value, 5);
    assert.deepEqual(dk(x.att, y.att), { tavolo: 2, lab: 2, case: 1, school: 0 });
    assert.equal(x.orgs.value - y.orgs.value, 4);
    assert.deepEqual(dk(x.orgs, y.orgs), { tavolo: 1, lab: 2, case: 1, school: 0 });
  }
  // nothing of the case meeting but counts
  r = await lodi.get(`/api/v1/indicators?project_id=${pid}`);
  assert.doesNotMatch(r.text, /Riunione di rete|Alba/);
  // another district reads none of it; the region reads the district's
  assertError(await cremona.get(`/api/v1/indicators?project_id=${pid}`), 404);
  r = await region.get('/api/v1/indicators?org=lodi');
  assert.equal(r.status, 200, r.text);
  assert.equal(item(r, 'P.ATT.ORG').value, b.orgs.value);
  // the exports carry them, the dashboard draws and tabulates them
  r = await lodi.get(`/api/v1/indicators?project_id=${pid}&format=csv`);
  assert.equal(r.status, 200);
  const row = (code) => r.text.split('\n').find((l) => l.startsWith(`${code},`));
  assert.ok(row('P.BUDGET').includes(`,${b.spent}`), row('P.BUDGET'));
  assert.ok(row('P.ATT.ORG').includes(`,${b.orgs.value}`), row('P.ATT.ORG'));
  const x = await bytes(lodi, `/api/v1/indicators?project_id=${pid}&format=xlsx`);
  const xr = (await readXlsx(x.buf)).sheets[0].rows.find((cells) => cells[0] === 'P.MEET');
  assert.ok(xr && xr.includes(b.held.value), JSON.stringify(xr));
  const pdf = await bytes(lodi, `/api/v1/indicators?project_id=${pid}&format=pdf`);
  assert.match(pdfText(pdf.buf), /P\.BUDGET\.PCT/);
  const page = await lodi.get('/monitoraggio?org=lodi');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="chart-budget"/);
  assert.match(page.text, /id="chart-meetings"/);
  const tav = /<tr data-kind="tavolo">([\s\S]*?)<\/tr>/.exec(page.text);
  assert.ok(tav && tav[1].includes('Tavolo territoriale'), 'the meetings table');
});

// A project or organisation change recomputes only what it affects (the
// district's activities without project_id): the figures read from the
// summaries (whole period, one semester) must equal those counted from the
// records directly (a window the summaries do not hold: from 1900-01-02, or
// 2025-07-02..12-31, no fixture being dated on those days).
async function sameBothWays(q) {
  for (const [fast, direct] of [['', '&from=1900-01-02'], ['&from=2025-07-01&to=2025-12-31', '&from=2025-07-02&to=2025-12-31']]) {
    const a = await lodi.get(`/api/v1/indicators?${q}${fast}`), b = await lodi.get(`/api/v1/indicators?${q}${direct}`);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.deepEqual(a.json.items, b.json.items, `${q}${fast}: the summaries against the records`);
  }
}

test('a new project and moved dates: only the district recomputed, the figures exact', async () => {
  const old = await lodiProject();
  // Hand count. The activities take their project when written (governance); the one written when no
  // project held its date keeps none: G's consultation of 2025-09-01 (the Lodi project starts 2025-09-25).
  // A project of Lodi from 2025-08-01 to 2025-09-20 takes it; moved to start 2025-09-05, it loses it.
  const before = (await lodi.get(`/api/v1/indicators?project_id=${old}`)).json.items;
  let r = await lodi.post('/api/v1/projects', { title: 'Lodi — avvio', org: 'lodi', fund: 'FAMI 2021-2027', start: '2025-08-01', end: '2025-09-20', budget_cents: 1000000, grant_cents: 500000 });
  assert.equal(r.status, 201, r.text);
  const fresh = r.json.id;
  r = await lodi.get(`/api/v1/indicators?project_id=${fresh}`);
  assert.equal(item(r, 'O.2.3').value, 1); // G, 25 at 2025-09-01
  assert.deepEqual(item(r, 'O.2.3').by_sex, { m: 1, f: 0, x: 0 });
  assert.deepEqual(item(r, 'O.2.3').by_age, { '<18': 0, '18-60': 1, '>60': 0 });
  assert.equal(item(r, 'P.CONS').value, 1);
  assert.deepEqual(item(r, 'P.CONS').by_topic, { work: 1 });
  assert.deepEqual((await lodi.get(`/api/v1/indicators?project_id=${old}`)).json.items, before, 'the first project unchanged');
  for (const q of [`project_id=${old}`, `project_id=${fresh}`, 'org=lodi']) await sameBothWays(q);

  r = await lodi.patch(`/api/v1/projects/${fresh}`, { start: '2025-09-05' });
  assert.equal(r.status, 200, r.text);
  r = await lodi.get(`/api/v1/indicators?project_id=${fresh}`);
  assert.equal(item(r, 'O.2.3').value, 0); // G's 2025-09-01 is outside it again
  assert.equal(item(r, 'P.CONS').value, 0);
  r = await lodi.get('/api/v1/indicators?org=lodi&period=2025-S2');
  assert.equal(r.status, 200, r.text);
  for (const q of [`project_id=${old}`, `project_id=${fresh}`, 'org=lodi']) await sameBothWays(q);
  assertError(await cremona.get(`/api/v1/indicators?project_id=${fresh}`), 404);
});
