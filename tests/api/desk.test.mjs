// desk.test.mjs — the help desk API (CONTRACT.md: persons, consultations,
// procedures, audit) and above all its isolation: no read, change, delete,
// search hit, export or audit entry crosses districts; the region sees no
// person unless an admin grants time-limited access with a reason.
// The server runs with LABIMPACT_TODAY=2025-03-10 so deadlines are fixed.
import assert from 'node:assert/strict';
import { describe, test, before } from 'node:test';
import { useServer, assertError, readXlsx, csvRows } from './helpers.mjs';

const TODAY = '2025-03-10';
const person = (over = {}) => ({
  given_name: 'Mohamed', family_name: 'El Amrani', sex: 'm', birth_date: '1990-05-01', citizenship: 'MA', ...over,
});
let op; let coord; let admin; let region; let luino; let luinoCoord;
let pid; // a cremona person

const srv = useServer({
  env: { LABIMPACT_TODAY: TODAY },
  users: [
    { username: 'luino-op', role: 'operator', org: 'luino' },
    { username: 'luino-coord', role: 'coordinator', org: 'luino' },
  ],
}, async (s) => {
  op = await s.login('demo-operator');
  coord = await s.login('demo-coordinator');
  admin = await s.login('demo-admin');
  region = await s.login('demo-region');
  luino = await s.login('luino-op');
  luinoCoord = await s.login('luino-coord');
  const r = await op.post('/api/v1/persons', person({ languages: ['ar', 'fr'], codice_fiscale: 'LMRMMD90E01Z330T' }));
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
});



describe('persons', () => {
  test('create returns 201 with the record in the caller\'s district', async () => {
    const r = await op.get(`/api/v1/persons/${pid}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.org, 'cremona');
    assert.deepEqual(r.json.languages, ['ar', 'fr']);
    assert.equal(r.json.codice_fiscale, 'LMRMMD90E01Z330T');
    assert.equal(r.json.age_band_first, '18-60');
  });

  test('validation names the field', async () => {
    const cases = [
      [{ sex: 'z' }, 'sex'],
      [{ birth_date: '1990-02-30' }, 'birth_date'],
      [{ birth_date: '2030-01-01' }, 'birth_date'],
      [{ citizenship: 'QQ' }, 'citizenship'],
      [{ codice_fiscale: 'LMRMMD90E01Z330A' }, 'codice_fiscale'], // wrong check character
      [{ codice_fiscale: 'ABC' }, 'codice_fiscale'],
      [{ languages: ['zz'] }, 'languages'],
      [{ phone: 'call me' }, 'phone'],
      [{ email: 'nope' }, 'email'],
      [{ given_name: '   ' }, 'given_name'],
      [{ nickname: 'x' }, 'nickname'],
    ];
    for (const [over, field] of cases) {
      const r = await op.post('/api/v1/persons', person(over));
      assertError(r, 422, { field });
    }
    const missing = await op.post('/api/v1/persons', { given_name: 'A' });
    assertError(missing, 422);
  });

  test('codice fiscale: valid 16-character and 11-digit codes are accepted', async () => {
    const r = await op.post('/api/v1/persons', person({ given_name: 'Mario', family_name: 'Rossi', codice_fiscale: 'rssmra80a01h501u', citizenship: 'it' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.codice_fiscale, 'RSSMRA80A01H501U');
    assert.equal(r.json.citizenship, 'IT');
    const t = await op.post('/api/v1/persons', person({ given_name: 'Temp', family_name: 'Code', codice_fiscale: '12345678903' }));
    assert.equal(t.status, 201, t.text);
  });

  test('a likely duplicate is reported on create', async () => {
    const r = await op.post('/api/v1/persons', person({ given_name: 'Muhammad', family_name: 'Elamrani' }));
    assert.equal(r.status, 201, r.text);
    assert.ok(r.json.possible_duplicates.some((d) => d.id === pid), r.text);
    const d = await coord.get(`/api/v1/persons/${r.json.id}/duplicates`);
    assert.equal(d.status, 200);
    assert.ok(d.json.items.some((x) => x.id === pid));
  });

  test('search tolerates transliterations', async () => {
    for (const q of ['Mohamed', 'Mohammed', 'muhammad', 'mouhamed el amrani', 'AMRANI', 'elamrani', 'Moh', 'lmrmmd90e01z330t']) {
      const r = await op.get(`/api/v1/persons?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.some((x) => x.id === pid), `q=${q}: ${r.text}`);
    }
    const none = await op.get('/api/v1/persons?q=Giuseppe');
    assert.equal(none.json.items.length, 0);
  });

  test('PATCH changes fields and keeps the search index current', async () => {
    const r = await op.post('/api/v1/persons', person({ given_name: 'Olena', family_name: 'Kovalenko', sex: 'f', citizenship: 'UA' }));
    const id = r.json.id;
    const p = await op.patch(`/api/v1/persons/${id}`, { family_name: 'Shevchenko', phone: '+39 333 1234567' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.json.family_name, 'Shevchenko');
    assert.equal(p.json.phone, '+39 333 1234567');
    const s = await op.get('/api/v1/persons?q=shevchenko');
    assert.ok(s.json.items.some((x) => x.id === id));
    const old = await op.get('/api/v1/persons?q=kovalenko');
    assert.ok(!old.json.items.some((x) => x.id === id));
    assertError(await op.patch(`/api/v1/persons/${id}`, { sex: 'q' }), 422, { field: 'sex' });
    assertError(await op.patch(`/api/v1/persons/${id}`, { org: 'luino' }), 422, { field: 'org' });
  });

  test('DELETE anonymises (coordinator only) and keeps statistics', async () => {
    const r = await op.post('/api/v1/persons', person({ given_name: 'Amina', family_name: 'Diallo', sex: 'f', citizenship: 'SN' }));
    const id = r.json.id;
    const c = await op.post('/api/v1/consultations', { person_id: id, topics: ['work'], notes: 'private note' });
    assert.equal(c.status, 201, c.text);
    assertError(await op.del(`/api/v1/persons/${id}`), 403);
    const d = await coord.del(`/api/v1/persons/${id}`);
    assert.equal(d.status, 204, d.text);
    const g = await coord.get(`/api/v1/persons/${id}`);
    assert.equal(g.json.status, 'anonymised');
    assert.equal(g.json.given_name, '');
    assert.equal(g.json.birth_date, null);
    assert.equal(g.json.citizenship, 'SN');
    const cons = await coord.get(`/api/v1/consultations/${c.json.id}`);
    assert.equal(cons.json.notes, null);
    assert.equal(cons.json.citizenship, 'SN');
    assert.deepEqual(cons.json.topics, ['work']);
    const s = await coord.get('/api/v1/persons?q=diallo');
    assert.equal(s.json.items.length, 0);
    assertError(await coord.del(`/api/v1/persons/${id}`), 409);
    assertError(await coord.patch(`/api/v1/persons/${id}`, { phone: '0372 123456' }), 409);
  });
});

describe('consultations', () => {
  test('named consultation snapshots country, sex and age band', async () => {
    const r = await op.post('/api/v1/consultations', {
      person_id: pid, date: '2025-03-01', channel: 'phone', topics: ['permit_renewal', 'work'], outcome: 'informed', notes: 'asked about renewal',
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.citizenship, 'MA');
    assert.equal(r.json.age_band, '18-60');
    assert.deepEqual(r.json.topics, ['permit_renewal', 'work']);
    const l = await op.get(`/api/v1/consultations?person_id=${pid}`);
    assert.ok(l.json.items.some((x) => x.id === r.json.id));
  });

  test('anonymous consultation keeps only country, sex, age band and topics', async () => {
    const r = await op.post('/api/v1/consultations', { person_id: null, citizenship: 'NG', sex: 'f', age_band: '18-60', topics: ['health'], channel: 'in_person' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.person_id, null);
    assert.equal(r.json.org, 'cremona');
    assertError(await op.post('/api/v1/consultations', { citizenship: 'NG', sex: 'f', age_band: '18-60', topics: ['health'], notes: 'x' }), 422, { field: 'notes' });
    assertError(await op.post('/api/v1/consultations', { citizenship: 'NG', sex: 'f', topics: ['health'] }), 422, { field: 'age_band' });
    assertError(await op.post('/api/v1/consultations', { person_id: pid, citizenship: 'NG', topics: ['health'] }), 422, { field: 'citizenship' });
  });

  test('validation', async () => {
    assertError(await op.post('/api/v1/consultations', { person_id: pid, topics: [] }), 422, { field: 'topics' });
    assertError(await op.post('/api/v1/consultations', { person_id: pid, topics: ['astrology'] }), 422, { field: 'topics' });
    assertError(await op.post('/api/v1/consultations', { person_id: pid, topics: ['work'], channel: 'fax' }), 422, { field: 'channel' });
    assertError(await op.post('/api/v1/consultations', { person_id: pid, topics: ['work'], date: '2025-03-11' }), 422, { field: 'date' });
    assertError(await op.post('/api/v1/consultations', { person_id: 999999, topics: ['work'] }), 422, { field: 'person_id' });
  });

  test('referral and follow-up in the same request, all or nothing', async () => {
    const r = await op.post('/api/v1/consultations', {
      person_id: pid, topics: ['housing'], outcome: 'referred', referral: { to_org: 'cremona', reason: 'housing support' }, follow_up: { due_date: '2025-03-08', note: 'call back' },
    });
    assert.equal(r.status, 201, r.text);
    const refs = await op.get(`/api/v1/referrals?person_id=${pid}`);
    assert.ok(refs.json.items.some((x) => x.consultation_id === r.json.id && x.reason === 'housing support'));
    const before = (await op.get(`/api/v1/consultations?person_id=${pid}`)).json.items.length;
    const bad = await op.post('/api/v1/consultations', { person_id: pid, topics: ['housing'], follow_up: { due_date: 'tomorrow' } });
    assertError(bad, 422, { field: 'due_date' });
    const after = (await op.get(`/api/v1/consultations?person_id=${pid}`)).json.items.length;
    assert.equal(after, before, 'a failed request leaves no consultation behind');
  });
});

describe('procedures and rules', () => {
  const open = async (type, facts) => {
    const r = await op.post('/api/v1/procedures', { person_id: pid, type, facts });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const dl = (p, code) => p.deadlines.find((d) => d.code === code)?.date;

  test('permit_renewal: apply 60 days before expiry, configurable by permit type', async () => {
    const p = await open('permit_renewal', { permit_expiry: '2025-06-30' });
    assert.equal(dl(p, 'apply_by'), '2025-05-01');
    assert.equal(dl(p, 'permit_expiry'), '2025-06-30');
    assert.equal(dl(p, 'irregular_after'), '2025-08-29');
    assert.ok(p.deadlines.every((d) => typeof d.label === 'string' && d.label.length > 0));
    assert.ok(p.steps.length > 0 && p.documents.length > 0);
    assert.equal(p.fees_total_cents, 1600 + 3046 + 3000);
    assert.ok(p.sources.length > 0);
    const q = await open('permit_renewal', { permit_expiry: '2025-06-30', permit_kind: 'seasonal' });
    assert.equal(dl(q, 'apply_by'), '2025-05-31');
    const w = await open('permit_renewal', { permit_expiry: '2025-06-30', permit_kind: 'family' });
    assert.equal(dl(w, 'apply_by'), '2025-04-01');
  });

  test('family_reunification: entry_date + 8 days; nulla osta 150 days since L. 187/2024', async () => {
    const p = await open('family_reunification', { entry_date: '2025-03-05', request_date: '2025-01-10' });
    assert.equal(dl(p, 'sui_permit_request'), '2025-03-13');
    assert.equal(dl(p, 'nulla_osta_term'), '2025-06-09');
    assert.equal(p.rule.effective_from, '2024-12-11');
    // A procedure opened before the change keeps the 90-day term.
    const old = await op.post('/api/v1/procedures', { person_id: pid, type: 'family_reunification', opened_on: '2024-06-01', facts: { request_date: '2024-06-01' } });
    assert.equal(old.status, 201, old.text);
    assert.equal(dl(old.json, 'nulla_osta_term'), '2024-08-30');
  });

  test('the other procedure types', async () => {
    const a2 = await open('a2_test', { booking_date: '2025-02-01', failed_on: '2025-01-15' });
    assert.equal(dl(a2, 'convocation_by'), '2025-04-02');
    assert.equal(dl(a2, 'retry_from'), '2025-04-15');
    const lt = await open('eu_long_term', { legal_stay_since: '2020-04-30' });
    assert.equal(dl(lt, 'eligible_from'), '2025-04-30');
    const cr = await open('citizenship_residence', { residence_since: '2015-02-28', category: 'non_eu', application_date: '2025-03-01' });
    assert.equal(dl(cr, 'eligible_from'), '2025-02-28');
    assert.equal(dl(cr, 'decision_by'), '2027-03-01');
    const cr2 = await open('citizenship_residence', { residence_since: '2020-02-29', category: 'refugee_stateless' });
    assert.equal(dl(cr2, 'eligible_from'), '2025-02-28');
    const cm = await open('citizenship_marriage', { marriage_date: '2023-01-31', residence: 'abroad_children' });
    assert.equal(dl(cm, 'eligible_from'), '2024-07-31');
    const qr = await open('qualification_recognition', { application_date: '2024-10-31' });
    assert.equal(dl(qr, 'decision_by'), '2025-02-28');
  });

  test('facts are validated against the rule', async () => {
    assertError(await op.post('/api/v1/procedures', { person_id: pid, type: 'permit_renewal', facts: {} }), 422, { field: 'facts.permit_expiry' });
    assertError(await op.post('/api/v1/procedures', { person_id: pid, type: 'permit_renewal', facts: { permit_expiry: '2025-13-01' } }), 422, { field: 'facts.permit_expiry' });
    assertError(await op.post('/api/v1/procedures', { person_id: pid, type: 'permit_renewal', facts: { permit_expiry: '2025-06-30', colour: 'red' } }), 422, { field: 'facts.colour' });
    assertError(await op.post('/api/v1/procedures', { person_id: pid, type: 'permit_renewal', facts: { permit_expiry: '2025-06-30', permit_kind: 'tourist' } }), 422, { field: 'facts.permit_kind' });
    assertError(await op.post('/api/v1/procedures', { person_id: pid, type: 'alchemy', facts: {} }), 422, { field: 'type' });
  });

  test('deadlines are recomputed when facts change; met deadlines leave the agenda', async () => {
    const p = await open('permit_renewal', { permit_expiry: '2025-04-20' });
    assert.equal(dl(p, 'apply_by'), '2025-02-19');
    const ag = await op.get('/api/v1/agenda');
    assert.ok(ag.json.overdue_deadlines.some((d) => d.procedure_id === p.id && d.code === 'apply_by'));
    assert.ok(ag.json.deadlines.some((d) => d.procedure_id === p.id && d.code === 'permit_expiry'));
    const u = await op.patch(`/api/v1/procedures/${p.id}`, { facts: { permit_expiry: '2025-07-20' }, checklist: { steps: { kit: true } } });
    assert.equal(u.status, 200, u.text);
    assert.equal(dl(u.json, 'apply_by'), '2025-05-21');
    assert.ok(u.json.steps.find((s) => s.code === 'kit').done);
    const m = await op.patch(`/api/v1/procedures/${p.id}`, { facts: { application_date: '2025-03-09' }, status: 'submitted' });
    assert.equal(m.status, 200, m.text);
    assert.ok(m.json.deadlines.find((d) => d.code === 'apply_by').met);
    const ag2 = await op.get('/api/v1/agenda');
    assert.ok(!ag2.json.deadlines.some((d) => d.procedure_id === p.id && d.code === 'apply_by'));
    assertError(await op.patch(`/api/v1/procedures/${p.id}`, { status: 'lost' }), 422, { field: 'status' });
    assertError(await op.patch(`/api/v1/procedures/${p.id}`, { checklist: { steps: { fly: true } } }), 422, { field: 'checklist' });
  });

  test('an admin changes a rule without a release; open procedures are recomputed', async () => {
    const p = await open('permit_renewal', { permit_expiry: '2025-09-30' });
    assert.equal(dl(p, 'apply_by'), '2025-08-01');
    const rule = (await admin.get('/api/v1/rules/permit_renewal')).json;
    assert.equal(rule.origin, 'file');
    rule.effective_from = '2025-01-01';
    rule.deadlines.find((d) => d.code === 'apply_by').offset = { days: -90 };
    delete rule.deadlines.find((d) => d.code === 'apply_by').offset_by;
    assertError(await op.request('PUT', '/api/v1/rules/permit_renewal', { json: { rule, reason: 'circular 2025' } }), 403);
    assertError(await admin.request('PUT', '/api/v1/rules/permit_renewal', { json: { rule } }), 422, { field: 'reason' });
    const bad = structuredClone(rule);
    bad.deadlines[0].from = 'nowhere';
    assertError(await admin.request('PUT', '/api/v1/rules/permit_renewal', { json: { rule: bad, reason: 'circular 2025' } }), 422);
    const put = await admin.request('PUT', '/api/v1/rules/permit_renewal', { json: { rule, reason: 'Questura circular 2025: 90 days' } });
    assert.equal(put.status, 200, put.text);
    assert.ok(put.json.recomputed_procedures >= 1);
    const again = await op.get(`/api/v1/procedures/${p.id}`);
    assert.equal(dl(again.json, 'apply_by'), '2025-07-02');
    assert.match(again.json.rule.origin, /^db:/);
    const versions = await op.get('/api/v1/rules/permit_renewal/versions');
    assert.ok(versions.json.items.length >= 2);
    const types = await op.get('/api/v1/rules');
    assert.equal(new Set(types.json.items.map((t) => t.type)).size, 7);
  });
});

describe('GDPR export and audit', () => {
  test('export holds everything about the person, and every access is audited', async () => {
    const x = await op.get(`/api/v1/persons/${pid}/export`);
    assert.equal(x.status, 200, x.text);
    for (const k of ['person', 'consultations', 'procedures', 'referrals', 'appointments', 'follow_ups', 'consents', 'household', 'permits', 'documents', 'access_log']) {
      assert.ok(k in x.json, k);
    }
    assert.ok(x.json.consultations.length >= 2);
    assert.ok(x.json.procedures.length >= 5);
    const a = await coord.get(`/api/v1/audit?person_id=${pid}`);
    assert.equal(a.status, 200, a.text);
    const actions = new Set(a.json.items.map((e) => e.action));
    for (const act of ['person.create', 'person.read', 'person.export', 'consultation.create', 'procedure.create', 'procedure.update']) {
      assert.ok(actions.has(act), `${act} in ${[...actions]}`);
    }
    assert.ok(a.json.items.every((e) => e.person_id === pid && e.org === 'cremona'));
    const log = await op.get(`/api/v1/persons/${pid}/access-log`);
    assert.equal(log.status, 200);
    assert.ok(log.json.items.some((e) => e.username === 'demo-operator' && e.action === 'person.export'));
  });
});

describe('import', () => {
  const csv = (rows) => ['nome;cognome;sesso;data_nascita;cittadinanza;data;temi;note', ...rows].join('\r\n');
  const post = (c, body, q = '') => c.request('POST', `/api/v1/desk/import${q}`, { body, headers: { 'Content-Type': 'text/csv' } });

  test('preview, per-row errors, all or nothing', async () => {
    const good = ['Awa;Ndiaye;F;12/03/1985;SN;01/03/2025;work|health;prima visita', 'Mohamed;El Amrani;m;1990-05-01;MA;2025-03-02;housing;'];
    const bad = [...good, 'Bad;Row;q;1990-02-30;ZZ;;astrology;', 'Li;Wang;f;1992-01-01;CN;2025-03-03;astrology;'];
    const b = await post(coord, csv(bad), '?dry_run=1');
    assertError(b, 422, { code: 'invalid_rows' });
    assert.deepEqual(b.json.errors.map((e) => [e.line, e.field]), [[4, 'sex'], [5, 'topics']]);
    const none = await coord.get('/api/v1/persons?q=ndiaye');
    assert.equal(none.json.items.length, 0, 'a refused import leaves nothing');
    const really = await post(coord, csv(bad));
    assertError(really, 422);
    assert.equal((await coord.get('/api/v1/persons?q=ndiaye')).json.items.length, 0);
    const pv = await post(coord, csv(good), '?dry_run=1');
    assert.equal(pv.status, 200, pv.text);
    assert.deepEqual([pv.json.rows, pv.json.persons_created, pv.json.persons_matched, pv.json.consultations], [2, 1, 1, 2]);
    assert.equal((await coord.get('/api/v1/persons?q=ndiaye')).json.items.length, 0, 'a preview saves nothing');
    const ok = await post(coord, csv(good));
    assert.equal(ok.status, 201, ok.text);
    const found = await coord.get('/api/v1/persons?q=ndiaye');
    assert.equal(found.json.items.length, 1);
    assert.equal(found.json.items[0].birth_date, '1985-03-12');
    const cons = await coord.get(`/api/v1/consultations?person_id=${pid}`);
    assert.ok(cons.json.items.some((c) => c.date === '2025-03-02' && c.topics.includes('housing')), 'matched, not duplicated');
  });

  test('denials and malformed files', async () => {
    assertError(await post(op, csv([])), 403);
    assertError(await coord.post('/api/v1/desk/import', { rows: [] }), 415);
    const e = await post(coord, 'nome;cognome;colore\nA;B;rosso\n', '?dry_run=1');
    assertError(e, 422);
    assert.equal(e.json.errors[0].field, 'colore');
    const q = await post(coord, 'nome;cognome\n"open;B\n', '?dry_run=1');
    assertError(q, 422);
    assert.match(q.json.errors[0].message, /quoted/);
  });
});

describe('records: consents, household, permits, documents, PDFs, retention, digest', () => {
  test('consents are recorded and withdrawn; household links; permits reach the agenda', async () => {
    const c = await op.post(`/api/v1/persons/${pid}/consents`, { kind: 'data_processing', given_on: '2025-03-01' });
    assert.equal(c.status, 201, c.text);
    const w = await op.post(`/api/v1/consents/${c.json.id}/withdraw`, {});
    assert.equal(w.status, 200, w.text);
    assert.equal(w.json.withdrawn_on, TODAY);
    const other = (await op.post('/api/v1/persons', person({ given_name: 'Fatima', family_name: 'El Amrani', sex: 'f', birth_date: '1992-02-02' }))).json.id;
    const h = await op.post(`/api/v1/persons/${pid}/household`, { other_id: other, relation: 'spouse' });
    assert.equal(h.status, 201, h.text);
    assertError(await op.post(`/api/v1/persons/${pid}/household`, { other_id: other, relation: 'cousin' }), 422, { field: 'relation' });
    const pm = await op.post(`/api/v1/persons/${pid}/permits`, { kind: 'lavoro subordinato', number: 'I12345678', expiry: '2025-04-15' });
    assert.equal(pm.status, 201, pm.text);
    const ag = await op.get('/api/v1/agenda');
    assert.ok(ag.json.permits_expiring.some((x) => x.permit_id === pm.json.id && x.days_left === 36));
    assertError(await luino.post(`/api/v1/persons/${pid}/permits`, { kind: 'x', expiry: '2025-04-15' }), 404);
    assertError(await luino.del(`/api/v1/permits/${pm.json.id}`), 404);
  });

  test('documents: type sniffed from the content, stored outside the web root, served as attachment', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const up = await op.request('POST', `/api/v1/persons/${pid}/documents`, { body: pdf, headers: { 'Content-Type': 'application/octet-stream', 'X-Title': 'Passaporto', 'Content-Disposition': 'attachment; filename="passaporto"' } });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.content_type, 'application/pdf');
    assert.equal(up.json.filename, 'passaporto.pdf');
    assert.equal(up.json.title, 'Passaporto');
    assert.ok(!('storage' in up.json));
    const html = await op.request('POST', `/api/v1/persons/${pid}/documents`, { body: '<script>alert(1)</script>', headers: { 'Content-Type': 'application/pdf', 'X-Filename': 'x.pdf' } });
    assertError(html, 415);
    const big = await op.request('POST', `/api/v1/persons/${pid}/documents`, { body: Buffer.concat([pdf, Buffer.alloc(21 * 1024 * 1024)]), headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(big.status, 413);
    const dl = await op.get(`/api/v1/documents/${up.json.id}`);
    assert.equal(dl.status, 200);
    assert.match(dl.headers.get('content-disposition'), /^attachment; filename="passaporto\.pdf"/);
    assert.equal(dl.headers.get('content-type'), 'application/pdf');
    assert.ok(dl.text.startsWith('%PDF-'));
    assertError(await luino.get(`/api/v1/documents/${up.json.id}`), 404);
    const st = await srv.client().get(`/static/../var/documents/${up.json.sha256}`);
    assert.notEqual(st.status, 200);
  });

  test('PDFs: checklist in the person\'s language and the readable export', async () => {
    const proc = (await op.get(`/api/v1/procedures?person_id=${pid}`)).json.items[0].id;
    const r = await op.get(`/api/v1/procedures/${proc}/checklist.pdf`);
    assert.equal(r.status, 200, r.text.slice(0, 200));
    assert.equal(r.headers.get('content-type'), 'application/pdf');
    assert.match(r.headers.get('content-disposition'), /checklist-\d+-ar\.pdf|checklist-\d+-fr\.pdf/);
    const x = await op.get(`/api/v1/persons/${pid}/export.pdf`);
    assert.equal(x.status, 200);
    assert.ok(x.text.startsWith('%PDF-'));
    assertError(await luino.get(`/api/v1/procedures/${proc}/checklist.pdf`), 404);
    assertError(await luino.get(`/api/v1/persons/${pid}/export.pdf`), 404);
  });

  test('retention: dry run lists, coordinator only', async () => {
    assertError(await op.post('/api/v1/desk/retention', { years: 1, dry_run: true }), 403);
    const r = await coord.post('/api/v1/desk/retention', { years: 1, dry_run: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.dry_run, true);
    assert.equal(r.json.count, 0, 'everyone was seen today');
  });

  test('digest: queued once a day through the outbox, admin or the machine itself', async () => {
    assertError(await op.post('/api/v1/desk/digest', {}), 403);
    const u = await admin.post('/api/v1/users', { username: 'cremona-desk2', password: 'Tp-longpassword-zq7', role: 'operator', org: 'cremona', email: 'desk2@example.org' });
    assert.equal(u.status, 201, u.text);
    const d1 = await admin.post('/api/v1/desk/digest', {});
    assert.equal(d1.status, 200, d1.text);
    assert.ok(d1.json.queued >= 1);
    const d2 = await admin.post('/api/v1/desk/digest', {});
    assert.equal(d2.json.queued, 0, 'once a day');
  });
});

describe('isolation between districts', () => {
  let luinoPid;
  before(async () => {
    const r = await luino.post('/api/v1/persons', person({ given_name: 'Mohammed', family_name: 'Benali' }));
    assert.equal(r.status, 201, r.text);
    luinoPid = r.json.id;
  });

  test('a luino operator can neither read, change, delete nor export a cremona person', async () => {
    assertError(await luino.get(`/api/v1/persons/${pid}`), 404);
    assertError(await luino.patch(`/api/v1/persons/${pid}`, { phone: '0332 123456' }), 404);
    assertError(await luinoCoord.del(`/api/v1/persons/${pid}`), 404);
    assertError(await luino.get(`/api/v1/persons/${pid}/export`), 404);
    assertError(await luino.get(`/api/v1/persons/${pid}/access-log`), 404);
    assertError(await luino.get(`/api/v1/persons/${pid}/duplicates`), 404);
    assertError(await luinoCoord.post(`/api/v1/persons/${pid}/merge`, { other_id: luinoPid }), 404);
    assertError(await luinoCoord.post(`/api/v1/persons/${luinoPid}/merge`, { other_id: pid }), 422, { field: 'other_id' });
    assertError(await luino.post('/api/v1/consultations', { person_id: pid, topics: ['work'] }), 422, { field: 'person_id' });
    assertError(await luino.post('/api/v1/procedures', { person_id: pid, type: 'a2_test', facts: {} }), 422, { field: 'person_id' });
    assertError(await luino.post('/api/v1/followups', { person_id: pid, due_date: '2025-04-01' }), 422, { field: 'person_id' });
    assertError(await luino.post('/api/v1/persons', person({ org: 'cremona' })), 422, { field: 'org' });
    const g = await op.get(`/api/v1/persons/${pid}`);
    assert.equal(g.json.phone, null, 'nothing changed');
  });

  test('search hits, lists and the agenda stay in the district', async () => {
    const s = await luino.get('/api/v1/persons?q=mohamed');
    assert.deepEqual(s.json.items.map((x) => x.id), [luinoPid]);
    const all = await luino.get('/api/v1/persons?limit=100');
    assert.ok(all.json.items.every((x) => x.org === 'luino'));
    const c = await op.get('/api/v1/persons?q=benali');
    assert.equal(c.json.items.length, 0);
    const cons = await luino.get(`/api/v1/consultations?person_id=${pid}`);
    assert.deepEqual(cons.json.items, []);
    const every = await luino.get('/api/v1/consultations?limit=500');
    assert.ok(every.json.items.every((x) => x.org === 'luino'));
    const procs = await luino.get(`/api/v1/procedures?person_id=${pid}`);
    assert.deepEqual(procs.json.items, []);
    const ag = await luino.get('/api/v1/agenda');
    for (const k of ['deadlines', 'overdue_deadlines', 'overdue_followups', 'appointments', 'permits_expiring']) {
      assert.ok(ag.json[k].every((x) => x.person_id !== pid), k);
    }
    const cid = (await op.get(`/api/v1/consultations?person_id=${pid}`)).json.items[0].id;
    assertError(await luino.get(`/api/v1/consultations/${cid}`), 404);
    const procId = (await op.get(`/api/v1/procedures?person_id=${pid}`)).json.items[0].id;
    assertError(await luino.get(`/api/v1/procedures/${procId}`), 404);
    assertError(await luino.patch(`/api/v1/procedures/${procId}`, { status: 'cancelled' }), 404);
  });

  test('no audit entry crosses districts', async () => {
    const a = await luinoCoord.get(`/api/v1/audit?person_id=${pid}`);
    assert.equal(a.status, 200);
    assert.deepEqual(a.json.items, []);
    const mine = await luinoCoord.get('/api/v1/audit?limit=500');
    assert.ok(mine.json.items.every((e) => e.person_id === null || e.person_id === luinoPid || e.org === 'luino'), mine.text.slice(0, 500));
    assert.ok(!mine.json.items.some((e) => e.person_id === pid));
    const c = await coord.get(`/api/v1/audit?person_id=${luinoPid}`);
    assert.deepEqual(c.json.items, []);
    // The refused attempts above left no entry naming the cremona person.
    const crem = await coord.get(`/api/v1/audit?person_id=${pid}&limit=500`);
    assert.ok(crem.json.items.every((e) => !['luino-op', 'luino-coord'].includes(e.username)));
  });

  test('register export: coordinator of the district only', async () => {
    assertError(await op.get('/api/v1/desk/register?format=csv'), 403);
    const csv = await coord.get('/api/v1/desk/register?format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type'), /text\/csv/);
    assert.match(csv.text, /El Amrani/);
    const lcsv = await luinoCoord.get('/api/v1/desk/register?format=csv');
    assert.doesNotMatch(lcsv.text, /El Amrani/);
    const x = await fetch(`${srv.base}/api/v1/desk/register?format=xlsx`, { headers: { Cookie: coord.cookieHeader() } });
    assert.equal(x.status, 200);
    assert.match(x.headers.get('content-type'), /spreadsheetml/);
    // Read back with openpyxl: the same header and rows as the CSV, ids and minutes as numbers, dates as dates.
    const book = await readXlsx(Buffer.from(await x.arrayBuffer()));
    assert.equal(book.sheets.length, 1);
    assert.equal(book.sheets[0].name, 'Register');
    const xrows = book.sheets[0].rows;
    const crows = csvRows(csv.text, ';');
    assert.deepEqual(xrows[0], crows[0]);
    assert.deepEqual(xrows[0].slice(0, 5), ['id', 'date', 'desk', 'person_id', 'family_name']);
    assert.ok(crows.length > 2, 'the register has consultations');
    assert.equal(xrows.length, crows.length, 'as many data rows as the CSV');
    const col = (name) => crows[0].indexOf(name);
    for (let i = 1; i < crows.length; i++) {
      const xr = xrows[i];
      assert.equal(typeof xr[col('id')], 'number');
      const dm = xr[col('duration_minutes')];
      assert.ok(dm === null || dm === undefined || typeof dm === 'number', `minutes ${dm}`);
      assert.match(xr[col('date')], /^\d{4}-\d{2}-\d{2}$/);
      const asText = crows[0].map((_, k) => (xr[k] === null || xr[k] === undefined ? '' : String(xr[k])));
      assert.deepEqual(asText, crows[i], `row ${i}`);
    }
    const amrani = xrows.find((r) => r[col('person_id')] === pid);
    assert.ok(amrani, 'El Amrani\'s consultation');
    assert.equal(amrani[col('family_name')], 'El Amrani');
    assert.equal(amrani[col('given_name')], 'Mohamed');
    const lx = await fetch(`${srv.base}/api/v1/desk/register?format=xlsx`, { headers: { Cookie: luinoCoord.cookieHeader() } });
    const lrows = (await readXlsx(Buffer.from(await lx.arrayBuffer()))).sheets[0].rows;
    assert.equal(lrows.length, csvRows(lcsv.text, ';').length);
    assert.ok(!lrows.some((r) => r.includes('El Amrani')));
    assertError(await coord.get('/api/v1/desk/register?format=doc'), 422, { field: 'format' });
  });
});

describe('the region and break-the-glass', () => {
  test('the region sees no person', async () => {
    assertError(await region.get('/api/v1/persons'), 403);
    assertError(await region.get(`/api/v1/persons/${pid}`), 403);
    assertError(await region.get(`/api/v1/persons/${pid}/export`), 403);
    assertError(await region.get('/api/v1/agenda'), 403);
    assertError(await region.post('/api/v1/persons', person()), 403);
    assertError(await admin.get(`/api/v1/persons/${pid}`), 403);
  });

  test('an admin grants time-limited read access with a reason, audited', async () => {
    assertError(await coord.post('/api/v1/access-grants', { user: 'demo-region', org: 'cremona', reason: 'audit of the fund', hours: 2 }), 403);
    assertError(await admin.post('/api/v1/access-grants', { user: 'demo-region', org: 'cremona', reason: 'short' }), 422, { field: 'reason' });
    assertError(await admin.post('/api/v1/access-grants', { user: 'demo-operator', org: 'cremona', reason: 'audit of the fund checks' }), 422, { field: 'user' });
    const g = await admin.post('/api/v1/access-grants', { user: 'demo-region', org: 'cremona', reason: 'AMIF audit sample check', hours: 2 });
    assert.equal(g.status, 201, g.text);
    const r = await region.get(`/api/v1/persons/${pid}`);
    assert.equal(r.status, 200, r.text);
    assertError(await region.patch(`/api/v1/persons/${pid}`, { phone: '0372 1' }), 403);
    assertError(await region.get(`/api/v1/persons/${(await luino.get('/api/v1/persons?q=benali')).json.items[0].id}`), 404);
    const a = await coord.get(`/api/v1/audit?person_id=${pid}&user=demo-region`);
    assert.ok(a.json.items.some((e) => e.action === 'person.read' && e.reason === 'AMIF audit sample check'), a.text);
    const list = await admin.get('/api/v1/access-grants');
    assert.ok(list.json.items.some((x) => x.id === g.json.id && x.active));
    const del = await admin.del(`/api/v1/access-grants/${g.json.id}`);
    assert.equal(del.status, 204);
    assertError(await region.get(`/api/v1/persons/${pid}`), 403);
  });
});

describe('denials', () => {
  test('no session: 401; no CSRF token: 403', async () => {
    const anon = srv.client();
    assertError(await anon.get('/api/v1/persons'), 401);
    assertError(await anon.get(`/api/v1/persons/${pid}`), 401);
    assertError(await op.post('/api/v1/persons', person(), { csrf: false }), 403);
    assertError(await op.del(`/api/v1/persons/${pid}`, { csrf: false }), 403);
  });

  test('roles without person access are refused', async () => {
    const mediator = await srv.login('demo-mediator');
    assertError(await mediator.get('/api/v1/persons'), 403);
    assertError(await mediator.post('/api/v1/consultations', { citizenship: 'MA', sex: 'm', age_band: '18-60', topics: ['work'] }), 403);
  });
});
