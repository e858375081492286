// governance.test.mjs — projects, actions, networks, budget lines, expenses
// with their documents, the budget (planned and spent per line, per action,
// in total), the expenses' export, and the district-to-region approval of
// semesters (CONTRACT.md "Governance and monitoring"): every validation,
// every denial (no session 401, an operator 403, the region writing a
// district's budget 403, another district's coordinator 404, no CSRF token
// 403), the approval states, the lock of an approved semester on
// consultations, procedures, mediation requests, enrolments and expenses
// (409 period_locked, and outside it everything still works), and late
// corrections after the region reopens a semester.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, readXlsx } from './helpers.mjs';

let srv;
let coord; // demo-coordinator (cremona)
let lodi; // coordinator of lodi
let operator; // demo-operator (cremona)
let teacher; // demo-teacher (cremona)
let region; // demo-region
const ids = {};

const PROJECT = {
  title: 'Lab\'Impact — prova Cremona', org: 'cremona', fund: 'FAMI 2021-2027', start: '2026-01-01', end: '2027-12-31',
  budget_cents: 10000000, grant_cents: 7500000,
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

async function bytes(c, p) {
  const res = await fetch(srv.base + p, { headers: { Cookie: c.cookieHeader() } });
  return { status: res.status, type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
}

before(async () => {
  srv = await startServer({ users: [{ username: 'coord-lodi', role: 'coordinator', org: 'lodi' }] });
  coord = await srv.login('demo-coordinator');
  lodi = await srv.login('coord-lodi');
  operator = await srv.login('demo-operator');
  teacher = await srv.login('demo-teacher');
  region = await srv.login('demo-region');
  const r = await coord.post('/api/v1/persons', { given_name: 'Amina', family_name: 'Diallo', sex: 'f', birth_date: '1990-03-04', citizenship: 'SN' });
  assert.equal(r.status, 201, r.text);
  ids.person = r.json.id;
});

after(async () => {
  if (srv) await srv.stop();
});

test('projects: create, validate, read, list, change; denials', async () => {
  let r = await coord.post('/api/v1/projects', PROJECT);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.org, 'cremona');
  assert.equal(r.json.edition, '2021-2027', 'the edition comes from the fund');
  assert.equal(r.json.code, 'cremona-2026');
  assert.equal(r.json.budget_cents, 10000000);
  assert.equal(r.json.grant_cents, 7500000);
  assert.equal(r.json.network.lead.code, 'cremona');
  assert.deepEqual(r.json.network.partners, []);
  ids.project = r.json.id;

  const bad = [
    [{ title: '' }, 'title'], [{ title: undefined }, 'title'], [{ fund: undefined }, 'fund'],
    [{ start: '2026-02-30' }, 'start'], [{ end: '2025-12-31' }, 'end'], [{ end: '2037-01-01' }, 'end'],
    [{ budget_cents: -1 }, 'budget_cents'], [{ budget_cents: 12.5 }, 'budget_cents'], [{ budget_cents: '100' }, 'budget_cents'],
    [{ grant_cents: 10000001 }, 'grant_cents'], [{ grant_cents: undefined }, 'grant_cents'],
    [{ budget_cents: undefined }, 'budget_cents'], [{ edition: '2027-2021' }, 'edition'], [{ code: 'a b' }, 'code'],
    [{ org: 'lodi' }, 'org'], [{ org: 'nowhere' }, 'org'], [{ colour: 'red' }, 'colour'],
    [{ title: 'x'.repeat(201) }, 'title'],
  ];
  for (const [change, field] of bad) {
    assertError(await coord.post('/api/v1/projects', { ...PROJECT, ...change }), 422, { field });
  }
  assertError(await coord.post('/api/v1/projects', { ...PROJECT, code: 'cremona-2026' }), 409, { field: 'code' });
  r = await coord.post('/api/v1/projects', { ...PROJECT, fund: 'AMIF', start: '2025-10-01', end: '2025-12-31' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.edition, '2025-2025', 'without years in the fund, the edition is the years of its dates');
  assert.equal(r.json.code, 'cremona-2025');

  r = await coord.get(`/api/v1/projects/${ids.project}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.title, PROJECT.title);
  r = await coord.get('/api/v1/projects?limit=200');
  assert.ok(r.json.items.some((p) => p.id === ids.project));
  assert.ok(r.json.items.every((p) => p.org === 'cremona'), 'a coordinator lists only their district');
  r = await region.get('/api/v1/projects?limit=200');
  assert.ok(r.json.items.some((p) => p.id === ids.project), 'the region reads every project');
  assert.ok(r.json.items.some((p) => p.code === 'lab-impact-2-lodi' && p.budget_cents === 23717000), 'Lodi keeps its figures');
  const current = r.json.items.filter((p) => p.edition === '2021-2027' && p.org !== 'lombardia');
  assert.equal(new Set(current.map((p) => p.org)).size, 35, 'each of the 35 districts has a project of the 2021-2027 edition');

  r = await coord.patch(`/api/v1/projects/${ids.project}`, { title: 'Lab\'Impact — Cremona (prova)', description: 'Prova' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.title, 'Lab\'Impact — Cremona (prova)');
  assertError(await coord.patch(`/api/v1/projects/${ids.project}`, { grant_cents: 20000000 }), 422, { field: 'grant_cents' });
  assertError(await coord.patch(`/api/v1/projects/${ids.project}`, { end: '2025-01-01' }), 422, { field: 'end' });
  assertError(await coord.patch(`/api/v1/projects/${ids.project}`, { org: 'lodi' }), 422, { field: 'org' });

  assertError(await srv.client().get('/api/v1/projects'), 401);
  assertError(await srv.client().post('/api/v1/projects', PROJECT), 401);
  assertError(await operator.get('/api/v1/projects'), 403);
  assertError(await operator.post('/api/v1/projects', PROJECT), 403);
  assertError(await region.post('/api/v1/projects', PROJECT), 403);
  assertError(await lodi.get(`/api/v1/projects/${ids.project}`), 404);
  assertError(await lodi.patch(`/api/v1/projects/${ids.project}`, { title: 'x' }), 404);
  assertError(await region.patch(`/api/v1/projects/${ids.project}`, { title: 'x' }), 403);
  assertError(await coord.post('/api/v1/projects', PROJECT, { csrf: false }), 403, { code: 'csrf' });
  assertError(await coord.get('/api/v1/projects/999999'), 404);
});

test('actions with targets; the network of partners', async () => {
  let r = await coord.post(`/api/v1/projects/${ids.project}/actions`, {
    code: '01', title: 'Scuola', macro_action: 1, targets: { participants: 100, hours: 300, materials: 2 },
  });
  assert.equal(r.status, 201, r.text);
  ids.action1 = r.json.id;
  r = await coord.post(`/api/v1/projects/${ids.project}/actions`, { code: '02', title: 'Servizi', macro_action: 2 });
  assert.equal(r.status, 201, r.text);
  ids.action2 = r.json.id;
  const bad = [
    [{ macro_action: 5 }, 'macro_action'], [{ macro_action: 0 }, 'macro_action'], [{ code: '' }, 'code'],
    [{ code: 'x'.repeat(17) }, 'code'], [{ title: undefined }, 'title'], [{ targets: { participants: -1 } }, 'targets.participants'],
    [{ targets: { hours: 1.5 } }, 'targets.hours'], [{ targets: { people: 3 } }, 'targets.people'], [{ targets: 4 }, 'targets'],
  ];
  for (const [change, field] of bad) {
    assertError(await coord.post(`/api/v1/projects/${ids.project}/actions`, { code: '03', title: 'x', macro_action: 3, ...change }), 422, { field });
  }
  assertError(await coord.post(`/api/v1/projects/${ids.project}/actions`, { code: '01', title: 'again', macro_action: 3 }), 409, { field: 'code' });
  assertError(await lodi.post(`/api/v1/projects/${ids.project}/actions`, { code: '09', title: 'x', macro_action: 3 }), 404);
  assertError(await operator.post(`/api/v1/projects/${ids.project}/actions`, { code: '09', title: 'x', macro_action: 3 }), 403);
  r = await coord.get(`/api/v1/projects/${ids.project}`);
  const a1 = r.json.actions.find((a) => a.code === '01');
  assert.deepEqual(a1.targets, { participants: 100, hours: 300, materials: 2 });
  assert.equal(a1.macro_action, 1);
  assert.deepEqual(r.json.actions.find((a) => a.code === '02').targets, { participants: null, hours: null, materials: null });

  const orgs = await coord.get('/api/v1/orgs?limit=200');
  const partner = orgs.json.items.find((o) => o.kind === 'partner' && o.parent === 'cremona').code;
  r = await coord.post(`/api/v1/projects/${ids.project}/partners`, { org: partner });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.network.partners.map((p) => p.code), [partner]);
  assertError(await coord.post(`/api/v1/projects/${ids.project}/partners`, { org: partner }), 409);
  assertError(await coord.post(`/api/v1/projects/${ids.project}/partners`, { org: 'ascsi-lodi' }), 422, { field: 'org' });
  assertError(await coord.post(`/api/v1/projects/${ids.project}/partners`, { org: 'cremona' }), 422, { field: 'org' });
  assertError(await lodi.post(`/api/v1/projects/${ids.project}/partners`, { org: partner }), 404);
  assertError(await lodi.del(`/api/v1/projects/${ids.project}/partners/${partner}`), 404);
  assert.equal((await coord.del(`/api/v1/projects/${ids.project}/partners/${partner}`)).status, 204);
  assertError(await coord.del(`/api/v1/projects/${ids.project}/partners/${partner}`), 404);
  r = await coord.post(`/api/v1/projects/${ids.project}/partners`, { org: partner });
  assert.equal(r.status, 201);
});

test('budget lines and expenses with their document; the budget; denials', async () => {
  let r = await coord.post(`/api/v1/projects/${ids.project}/budget-lines`, { action_id: ids.action1, category: 'staff', planned_cents: 4000000 });
  assert.equal(r.status, 201, r.text);
  ids.line1 = r.json.id;
  r = await coord.post(`/api/v1/projects/${ids.project}/budget-lines`, { action_id: ids.action2, category: 'mediation', planned_cents: 3000000 });
  ids.line2 = r.json.id;
  r = await coord.post(`/api/v1/projects/${ids.project}/budget-lines`, { category: 'overheads', planned_cents: 1000000, label: 'Costi indiretti' });
  assert.equal(r.status, 201, r.text);
  ids.line3 = r.json.id;
  const lodiProject = (await lodi.get('/api/v1/projects')).json.items[0];
  const lodiAction = (await lodi.get(`/api/v1/projects/${lodiProject.id}`)).json.actions[0].id;
  const bad = [
    [{ category: 'parties' }, 'category'], [{ planned_cents: -5 }, 'planned_cents'], [{ planned_cents: 1.2 }, 'planned_cents'],
    [{ planned_cents: 2000001 }, 'planned_cents'], [{ action_id: lodiAction }, 'action_id'], [{ action_id: 0 }, 'action_id'],
    [{ planned_cents: undefined }, 'planned_cents'],
  ];
  for (const [change, field] of bad) {
    assertError(await coord.post(`/api/v1/projects/${ids.project}/budget-lines`, { category: 'travel', planned_cents: 100, ...change }), 422, { field });
  }
  assertError(await lodi.post(`/api/v1/projects/${ids.project}/budget-lines`, { category: 'travel', planned_cents: 100 }), 404);
  assertError(await region.post(`/api/v1/projects/${ids.project}/budget-lines`, { category: 'travel', planned_cents: 100 }), 403);
  assertError(await coord.patch(`/api/v1/projects/${ids.project}`, { budget_cents: 7999999, grant_cents: 0 }), 422, { field: 'budget_cents' });

  const EXP = { budget_line_id: ids.line1, date: '2026-02-10', amount_cents: 125050, description: 'Docenza febbraio', supplier: 'Cooperativa Alfa' };
  r = await coord.post('/api/v1/expenses', EXP);
  assert.equal(r.status, 201, r.text);
  ids.exp1 = r.json.id;
  r = await coord.post('/api/v1/expenses', { ...EXP, budget_line_id: ids.line2, date: '2026-08-03', amount_cents: 50000, description: 'Mediazioni agosto' });
  ids.exp2 = r.json.id;
  // The contract's fields only (no supplier): accepted.
  r = await coord.post('/api/v1/expenses', { budget_line_id: ids.line3, date: '2026-09-01', amount_cents: 10000, description: 'Cancelleria' });
  assert.equal(r.status, 201, r.text);
  const badExp = [
    [{ date: '2025-12-31' }, 'date'], [{ date: '2026-13-01' }, 'date'], [{ amount_cents: 0 }, 'amount_cents'],
    [{ amount_cents: -3 }, 'amount_cents'], [{ supplier: '' }, 'supplier'], [{ supplier: 'x'.repeat(201) }, 'supplier'],
    [{ description: '' }, 'description'], [{ budget_line_id: 999999 }, 'budget_line_id'], [{ note: 'x' }, 'note'],
  ];
  for (const [change, field] of badExp) assertError(await coord.post('/api/v1/expenses', { ...EXP, ...change }), 422, { field });
  assertError(await lodi.post('/api/v1/expenses', EXP), 422, { field: 'budget_line_id' });
  assertError(await region.post('/api/v1/expenses', EXP), 403);
  assertError(await operator.post('/api/v1/expenses', EXP), 403);
  assertError(await srv.client().post('/api/v1/expenses', EXP), 401);
  assertError(await coord.post('/api/v1/expenses', EXP, { csrf: false }), 403, { code: 'csrf' });

  // The document: the raw body, its title and name in headers.
  const up = (c, id, body, o = {}) => c.request('POST', `/api/v1/expenses/${id}/document`, {
    body, headers: { 'Content-Type': 'application/octet-stream', 'X-Title': 'Fattura%20n.%2012', 'Content-Disposition': 'attachment; filename="fattura 12"' }, ...o,
  });
  r = await up(coord, ids.exp1, PDF);
  assert.equal(r.status, 201, r.text);
  assertError(await up(coord, ids.exp1, Buffer.from('not a pdf')), 415);
  assertError(await up(coord, ids.exp1, Buffer.alloc(0)), 422, { field: 'file' });
  assertError(await up(lodi, ids.exp1, PDF), 404);
  assertError(await up(region, ids.exp1, PDF), 403);
  let f = await bytes(coord, `/api/v1/expenses/${ids.exp1}/document`);
  assert.equal(f.status, 200);
  assert.equal(f.type, 'application/pdf');
  assert.deepEqual(f.buf, PDF);
  assert.equal((await bytes(region, `/api/v1/expenses/${ids.exp1}/document`)).status, 200, 'the region reads the documents');
  assert.equal((await bytes(lodi, `/api/v1/expenses/${ids.exp1}/document`)).status, 404);
  assert.equal((await bytes(coord, `/api/v1/expenses/${ids.exp2}/document`)).status, 404, 'no document yet');

  r = await coord.get(`/api/v1/projects/${ids.project}/budget`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.total, { planned_cents: 8000000, spent_cents: 185050 });
  const l1 = r.json.lines.find((l) => l.id === ids.line1);
  assert.equal(l1.planned_cents, 4000000);
  assert.equal(l1.spent_cents, 125050);
  assert.equal(l1.action_code, '01');
  const byAction = Object.fromEntries(r.json.actions.map((a) => [a.code, [a.planned_cents, a.spent_cents]]));
  assert.deepEqual(byAction, { '01': [4000000, 125050], '02': [3000000, 50000], null: [1000000, 10000] });
  assert.equal((await region.get(`/api/v1/projects/${ids.project}/budget`)).status, 200);
  assertError(await lodi.get(`/api/v1/projects/${ids.project}/budget`), 404);
  assertError(await operator.get(`/api/v1/projects/${ids.project}/budget`), 403);
  assertError(await srv.client().get(`/api/v1/projects/${ids.project}/budget`), 401);
});

test('the expenses export for the fund, per period, as CSV and XLSX', async () => {
  let f = await bytes(coord, `/api/v1/projects/${ids.project}/expenses?format=csv&from=2026-01-01&to=2026-06-30`);
  assert.equal(f.status, 200);
  assert.match(f.type, /^text\/csv/);
  let lines = f.buf.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'date,budget_line_id,category,action,supplier,description,amount_eur,document,late_correction');
  assert.equal(lines.length, 2, 'only the first semester');
  assert.equal(lines[1], `2026-02-10,${ids.line1},staff,01,Cooperativa Alfa,Docenza febbraio,1250.50,fattura_12.pdf,no`);
  f = await bytes(coord, `/api/v1/projects/${ids.project}/expenses?format=csv&period=2026-S2`);
  lines = f.buf.toString('utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 3);
  f = await bytes(region, `/api/v1/projects/${ids.project}/expenses?format=xlsx&period=2026-S2`);
  assert.equal(f.status, 200);
  assert.match(f.type, /spreadsheetml/);
  // Read back with openpyxl: the titles (Italian first), a row per expense of the JSON answer of
  // the same period in its order, dates as dates, amounts in euro as numbers.
  const book = await readXlsx(f.buf);
  assert.equal(book.sheets.length, 1);
  assert.equal(book.sheets[0].name, 'Spese');
  const xr = book.sheets[0].rows;
  assert.deepEqual(xr[0], ['Data', 'Voce di budget', 'Categoria', 'Azione', 'Fornitore', 'Descrizione', 'Importo (EUR)',
    'Documento', 'Correzione tardiva']);
  const s2 = await region.get(`/api/v1/projects/${ids.project}/expenses?period=2026-S2`);
  assert.equal(s2.status, 200, s2.text);
  assert.equal(s2.json.items.length, 2);
  assert.equal(xr.length, 1 + s2.json.items.length, 'as many rows as the JSON');
  s2.json.items.forEach((e, i) => {
    const row = xr[1 + i];
    assert.equal(row[0], e.date);
    assert.equal(row[1], e.budget_line_id);
    assert.equal(row[2], e.category);
    assert.equal(row[3] ?? null, e.action_code ?? null);
    assert.equal(row[4], e.supplier);
    assert.equal(row[5], e.description);
    assert.equal(row[6], e.amount_cents / 100);
    assert.equal(row.at(-1), e.late ? 'sì' : 'no');
  });
  const descr = xr.slice(1).map((row) => row[5]);
  assert.ok(descr.includes('Mediazioni agosto') && descr.includes('Cancelleria'), descr.join());
  assert.ok(!descr.includes('Docenza febbraio'));
  assert.ok(xr.some((row) => row[6] === 500), 'amounts in euro as numbers');
  assert.equal(xr.slice(1).reduce((t, row) => t + Math.round(row[6] * 100), 0), s2.json.items.reduce((t, e) => t + e.amount_cents, 0));
  const r = await coord.get(`/api/v1/projects/${ids.project}/expenses`);
  assert.equal(r.json.items.length, 3);
  assertError(await coord.get(`/api/v1/projects/${ids.project}/expenses?format=doc`), 422, { field: 'format' });
  assertError(await coord.get(`/api/v1/projects/${ids.project}/expenses?from=01/01/2026`), 422, { field: 'from' });
  assertError(await coord.get(`/api/v1/projects/${ids.project}/expenses?period=2026-S3`), 422, { field: 'period' });
  assertError(await lodi.get(`/api/v1/projects/${ids.project}/expenses?format=csv`), 404);
  assertError(await operator.get(`/api/v1/projects/${ids.project}/expenses?format=csv`), 403);
});

test('approval: submit, return with a comment, submit again, approve; denials', async () => {
  let r = await coord.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'submitted');
  ids.sub = r.json.id;
  assertError(await coord.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' }), 409);
  for (const [period, code] of [['2026-S3', 'invalid'], ['26-S1', 'invalid'], ['2025-S2', 'outside_project'], ['2027-S2', 'not_begun']]) {
    assertError(await coord.post('/api/v1/submissions', { project_id: ids.project, period }), 422, { code, field: 'period' });
  }
  assertError(await coord.post('/api/v1/submissions', { project_id: ids.project }), 422, { field: 'period' });
  assertError(await lodi.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' }), 422, { field: 'project_id' });
  assertError(await region.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' }), 403);
  assertError(await operator.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' }), 403);
  assertError(await srv.client().post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' }), 401);

  assertError(await coord.post(`/api/v1/submissions/${ids.sub}/approve`, {}), 403);
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/return`, {}), 422, { field: 'comment' });
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/approve`, {}, { csrf: false }), 403, { code: 'csrf' });
  r = await region.post(`/api/v1/submissions/${ids.sub}/return`, { comment: 'Manca la fattura di marzo.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'returned');
  assert.equal(r.json.comment, 'Manca la fattura di marzo.');
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/approve`, {}), 409);
  r = await coord.get(`/api/v1/submissions/${ids.sub}`);
  assert.equal(r.json.status, 'returned', 'the coordinator sees the status and the comment');
  assert.equal(r.json.comment, 'Manca la fattura di marzo.');
  r = await coord.post('/api/v1/submissions', { project_id: ids.project, period: '2026-S1' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.id, ids.sub, 'submitted again, the same submission');
  assert.equal(r.json.status, 'submitted');
  r = await region.get('/api/v1/submissions?status=submitted');
  assert.ok(r.json.items.some((s) => s.id === ids.sub), 'the region\'s queue');
  r = await region.post(`/api/v1/submissions/${ids.sub}/approve`, { comment: 'Approvato.' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.deepEqual(r.json.history.map((h) => h.action), ['submitted', 'returned', 'submitted', 'approved']);
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/approve`, {}), 409);
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/return`, { comment: 'x' }), 409);
  assertError(await coord.patch(`/api/v1/projects/${ids.project}`, { start: '2026-02-01' }), 409, { code: 'period_locked', field: 'start' });
  r = await coord.patch(`/api/v1/projects/${ids.project}`, { end: '2027-12-30' });
  assert.equal(r.status, 200, 'the end moves: no approved semester is touched');
  r = await coord.patch(`/api/v1/projects/${ids.project}`, { end: '2027-12-31' });
  assert.equal(r.status, 200);
  assertError(await lodi.get(`/api/v1/submissions/${ids.sub}`), 404);
  assertError(await operator.get(`/api/v1/submissions/${ids.sub}`), 403);
  r = await lodi.get('/api/v1/submissions');
  assert.ok(!r.json.items.some((s) => s.id === ids.sub));
  assertError(await region.get('/api/v1/submissions?status=lost'), 422, { field: 'status' });
});

test('an approved semester is locked for every activity of the project; outside it all still works', async () => {
  const pid = ids.person;
  // Consultations: attributed by district and date (the latest-started project holding the date).
  assertError(await operator.post('/api/v1/consultations', { person_id: pid, date: '2026-03-10', topics: ['work'] }), 409, { code: 'period_locked', field: 'date' });
  assertError(await operator.post('/api/v1/consultations', { citizenship: 'MA', sex: 'm', age_band: '18-60', date: '2026-03-10', topics: ['work'] }), 409, { code: 'period_locked' });
  let r = await operator.post('/api/v1/consultations', { person_id: pid, date: '2026-08-10', topics: ['work'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.project_id, ids.project);
  const demoProject = (await coord.get('/api/v1/projects?limit=200')).json.items.find((p) => p.code === 'lab-impact-2-cremona').id;
  r = await operator.post('/api/v1/consultations', { person_id: pid, date: '2026-03-10', topics: ['work'], project_id: demoProject });
  assert.equal(r.status, 201, 'another project of the district is not locked');
  assert.equal(r.json.project_id, demoProject);
  assertError(await operator.post('/api/v1/consultations', { person_id: pid, date: '2026-08-10', topics: ['work'], project_id: 999999 }), 422, { field: 'project_id' });

  // Procedures.
  assertError(await operator.post('/api/v1/procedures', { person_id: pid, type: 'family_reunification', opened_on: '2026-03-02', facts: { request_date: '2026-03-02' } }), 409, { code: 'period_locked', field: 'opened_on' });
  r = await operator.post('/api/v1/procedures', { person_id: pid, type: 'family_reunification', opened_on: '2026-08-03', facts: { request_date: '2026-08-03' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.project_id, ids.project);
  ids.proc = r.json.id;
  r = await operator.patch(`/api/v1/procedures/${ids.proc}`, { status: 'submitted' });
  assert.equal(r.status, 200, r.text);
  assertError(await operator.patch(`/api/v1/procedures/${ids.proc}`, { project_id: 999999 }), 422, { field: 'project_id' });

  // Mediation requests.
  const MR = { language: 'ar', domain: 'school', minutes: 60, place: 'IC Cremona' };
  assertError(await coord.post('/api/v1/mediation/requests', { ...MR, start: '2026-03-10T10:00' }), 409, { code: 'period_locked', field: 'start' });
  r = await coord.post('/api/v1/mediation/requests', { ...MR, start: '2026-08-04T10:00' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.project_id, ids.project);

  // Course enrolments (the course's start date).
  const COURSE = { title: 'Italiano A2', kind: 'italian_l2', org: 'cremona', audience: 'adults', hours: 60, capacity: 10, place: 'CPIA' };
  r = await teacher.post('/api/v1/courses', { ...COURSE, start_date: '2026-02-02', end_date: '2026-05-29' });
  assert.equal(r.status, 201, r.text);
  assertError(await teacher.post(`/api/v1/courses/${r.json.id}/enrolments`, { person_id: pid }), 409, { code: 'period_locked' });
  r = await teacher.post('/api/v1/courses', { ...COURSE, start_date: '2026-09-07', end_date: '2026-12-18' });
  const en = await teacher.post(`/api/v1/courses/${r.json.id}/enrolments`, { person_id: pid });
  assert.equal(en.status, 201, en.text);
  assert.equal(en.json.project_id, ids.project);

  // Expenses and their documents.
  assertError(await coord.post('/api/v1/expenses', { budget_line_id: ids.line1, date: '2026-04-01', amount_cents: 100, description: 'x', supplier: 'y' }), 409, { code: 'period_locked' });
  assertError(await coord.request('POST', `/api/v1/expenses/${ids.exp1}/document`, { body: PDF, headers: { 'Content-Type': 'application/pdf' } }), 409, { code: 'period_locked' });
  r = await coord.post('/api/v1/expenses', { budget_line_id: ids.line1, date: '2026-07-01', amount_cents: 100, description: 'x', supplier: 'y' });
  assert.equal(r.status, 201, r.text);
});

test('late corrections: the region reopens an approved semester with a reason, changes are recorded, approval locks again', async () => {
  assertError(await coord.post(`/api/v1/submissions/${ids.sub}/reopen`, { comment: 'x' }), 403);
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/reopen`, {}), 422, { field: 'comment' });
  let r = await region.post(`/api/v1/submissions/${ids.sub}/reopen`, { comment: 'Correzione richiesta dall\'Autorità di gestione' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'reopened');
  assert.equal(r.json.reopen_reason, 'Correzione richiesta dall\'Autorità di gestione');
  assertError(await region.post(`/api/v1/submissions/${ids.sub}/reopen`, { comment: 'again' }), 409);

  r = await operator.post('/api/v1/consultations', { person_id: ids.person, date: '2026-03-11', topics: ['work'] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.project_id, ids.project);
  r = await coord.post('/api/v1/expenses', { budget_line_id: ids.line1, date: '2026-03-31', amount_cents: 2000, description: 'Fattura di marzo', supplier: 'Cooperativa Alfa' });
  assert.equal(r.status, 201, r.text);
  const late = await coord.get(`/api/v1/projects/${ids.project}/expenses?period=2026-S1`);
  assert.deepEqual(late.json.items.map((x) => x.late), [false, true], 'the expense made after the reopening is late');
  r = await operator.post('/api/v1/procedures', { person_id: ids.person, type: 'family_reunification', opened_on: '2026-05-04', facts: { request_date: '2026-05-04' } });
  assert.equal(r.status, 201, r.text);
  const proc = r.json.id;
  r = await coord.post('/api/v1/mediation/requests', { language: 'ar', domain: 'school', minutes: 60, place: 'IC Cremona', start: '2026-05-05T10:00' });
  assert.equal(r.status, 201, r.text);
  const mediation = r.json.id;

  r = await coord.get(`/api/v1/submissions/${ids.sub}`);
  assert.equal(r.json.status, 'reopened');
  assert.deepEqual(r.json.late_corrections.map((c) => [c.date, c.field]),
    [['2026-03-11', 'date'], ['2026-03-31', 'date'], ['2026-05-04', 'opened_on'], ['2026-05-05', 'start']]);
  assert.equal(r.json.late_corrections_count, 4);

  r = await region.post(`/api/v1/submissions/${ids.sub}/approve`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.deepEqual(r.json.history.map((h) => h.action).slice(-2), ['reopened', 'approved']);
  assertError(await operator.post('/api/v1/consultations', { person_id: ids.person, date: '2026-03-12', topics: ['work'] }), 409, { code: 'period_locked' });
  assertError(await operator.patch(`/api/v1/procedures/${proc}`, { status: 'submitted' }), 409, { code: 'period_locked' });
  // A mediation of the locked semester is neither booked, closed nor cancelled any more.
  assertError(await coord.post(`/api/v1/mediation/requests/${mediation}/close`, { cancel: 'void', reason: 'x' }), 409, { code: 'period_locked' });
  r = await coord.get(`/api/v1/mediation/requests/${mediation}`);
  assert.equal(r.json.status, 'open', 'nothing changed');
  r = await operator.patch(`/api/v1/procedures/${ids.proc}`, { status: 'completed' });
  assert.equal(r.status, 200, 'a procedure of the second semester still changes');
});
