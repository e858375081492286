// desk-privacy.test.mjs — the help desk's security review items, against a
// real server whose documents folder is LABIMPACT_DOCUMENTS (a temporary
// folder): (a) every page that shows a person's data audits it, the forms
// and the lists of possible duplicates included; (b) uploads land in that
// folder (nothing under var/documents) and an erasure removes them from it;
// (c) personal data stays out of addresses: searches go by POST (API and
// page) and a document's title and name travel in headers.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, assertError, useServer } from './helpers.mjs';

const DOCS = mkdtempSync(path.join(os.tmpdir(), 'labimpact-docs-'));
const VAR_DOCS = path.join(ROOT, 'var', 'documents');
const varDocs = () => new Set(existsSync(VAR_DOCS) ? readdirSync(VAR_DOCS) : []);
after(() => rmSync(DOCS, { recursive: true, force: true }));

const person = (over = {}) => ({
  given_name: 'Youssef', family_name: 'Benkirane', sex: 'm', birth_date: '1988-02-03', citizenship: 'MA', ...over,
});
const form = (o) => ({
  body: new URLSearchParams(o).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

let op; let coord; let first; let second;

const srv = useServer({ env: { LABIMPACT_DOCUMENTS: DOCS } }, async (s) => {
  op = await s.login('demo-operator');
  coord = await s.login('demo-coordinator');
  const a = await op.post('/api/v1/persons', person());
  assert.equal(a.status, 201, a.text);
  first = a.json.id;
  const b = await op.post('/api/v1/persons', person({ given_name: 'Yousef' })); // same phonetic names and birth date
  assert.equal(b.status, 201, b.text);
  assert.ok(b.json.possible_duplicates.some((d) => d.id === first), 'a possible duplicate of the first');
  second = b.json.id;
});

/** The audit entries about person `id` (newest first). */
async function auditOf(id) {
  const r = await coord.get(`/api/v1/audit?person_id=${id}&limit=500`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

/** Asserts a "person.read" entry about `id` with `detail`, of the person's organisation. */
async function assertRead(id, detail) {
  const reads = (await auditOf(id)).filter((e) => e.action === 'person.read' && e.detail === detail);
  assert.equal(reads.length >= 1, true, `a person.read "${detail}" entry about ${id}`);
  assert.equal(reads[0].org, 'cremona');
  assert.equal(reads[0].person_id, id);
}

describe('(a) pages that show a person audit the read', () => {
  test('the new-consultation form for a person', async () => {
    const r = await op.get(`/desk/consultations/new?person_id=${first}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /Benkirane/);
    await assertRead(first, 'consultation form');
  });

  test('the new-procedure form for a person', async () => {
    const r = await op.get(`/desk/procedures/new?person_id=${first}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /Benkirane/);
    await assertRead(first, 'procedure form');
  });

  test('the possible duplicates on the person page', async () => {
    const r = await coord.get(`/desk/persons/${first}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /Yousef/);
    await assertRead(second, `possible duplicate of ${first}`);
  });

  test('the possible duplicates on the new-person form (409), which creates nothing', async () => {
    const before = (await op.get('/api/v1/persons?q=Benkirane')).json.items.length;
    const r = await op.request('POST', '/desk/persons', form({
      given_name: 'Youssef', family_name: 'Benkirane', sex: 'm', birth_date: '1988-02-03', citizenship: 'MA',
    }));
    assert.equal(r.status, 409, r.text.slice(0, 300));
    assert.match(r.text, /Yousef/);
    await assertRead(first, 'possible duplicate');
    await assertRead(second, 'possible duplicate');
    assert.equal((await op.get('/api/v1/persons?q=Benkirane')).json.items.length, before, 'nothing created');
  });
});

describe('(b) documents live in LABIMPACT_DOCUMENTS, and go with the erasure', () => {
  test('upload, read back, erase: the file is in the folder, then gone; nothing under var/documents', async () => {
    const p = await op.post('/api/v1/persons', person({ given_name: 'Amal', family_name: 'Zerhouni', birth_date: '1979-11-30' }));
    assert.equal(p.status, 201, p.text);
    const varBefore = varDocs();
    const pdf = Buffer.from('%PDF-1.4\n% erasure test\n%%EOF\n');
    const up = await op.request('POST', `/api/v1/persons/${p.json.id}/documents`, {
      body: pdf, headers: { 'Content-Type': 'application/pdf', 'X-Title': 'Passaporto', 'Content-Disposition': 'attachment; filename="passaporto.pdf"' },
    });
    assert.equal(up.status, 201, up.text);
    const stored = readdirSync(DOCS).filter((f) => readFileSync(path.join(DOCS, f)).equals(pdf));
    assert.equal(stored.length, 1, `the file is in ${DOCS}`);
    assert.deepEqual([...varDocs()].filter((f) => !varBefore.has(f)), [], 'nothing new under var/documents');
    const dl = await op.get(`/api/v1/documents/${up.json.id}`);
    assert.equal(dl.status, 200);
    assert.ok(dl.text.startsWith('%PDF-1.4\n% erasure test'));
    const er = await coord.del(`/api/v1/persons/${p.json.id}`);
    assert.equal(er.status, 204, er.text);
    assert.equal(existsSync(path.join(DOCS, stored[0])), false, 'the erasure removed the file');
    assertError(await op.get(`/api/v1/documents/${up.json.id}`), 404);
  });
});

describe('(c) personal data stays out of addresses', () => {
  test('POST /api/v1/persons/search answers exactly like GET /api/v1/persons?q=, page by page', async () => {
    const get1 = await op.get('/api/v1/persons?q=Benkirane&limit=1');
    const post1 = await op.post('/api/v1/persons/search', { q: 'Benkirane', limit: 1 });
    assert.equal(post1.status, 200, post1.text);
    assert.deepEqual(post1.json, get1.json);
    assert.equal(post1.json.items.length, 1);
    assert.equal(typeof post1.json.next_cursor, 'string');
    const get2 = await op.get(`/api/v1/persons?q=Benkirane&limit=1&cursor=${get1.json.next_cursor}`);
    const post2 = await op.post('/api/v1/persons/search', { q: 'Benkirane', limit: 1, cursor: post1.json.next_cursor });
    assert.deepEqual(post2.json, get2.json);
    assert.notEqual(post2.json.items[0].id, post1.json.items[0].id);
    const all = await op.post('/api/v1/persons/search', { q: 'Benkirane' });
    assert.deepEqual(all.json, (await op.get('/api/v1/persons?q=Benkirane')).json);
    assert.deepEqual((await op.post('/api/v1/persons/search', {})).json, (await op.get('/api/v1/persons')).json);
  });

  test('the search body is checked like the query: limit, cursor, q, unknown fields', async () => {
    const bad = [
      [{ q: 'x', limit: 0 }, 'limit', '?q=x&limit=0'],
      [{ q: 'x', limit: 101 }, 'limit', '?q=x&limit=101'],
      [{ q: 'x', cursor: 'abc' }, 'cursor', '?q=x&cursor=abc'],
      [{ q: 'x'.repeat(201) }, 'q', `?q=${'x'.repeat(201)}`],
    ];
    for (const [body, field, query] of bad) {
      const viaPost = await op.post('/api/v1/persons/search', body);
      const viaGet = await op.get(`/api/v1/persons${query}`);
      assertError(viaPost, 422, { field });
      assert.deepEqual({ code: viaPost.json.error.code, field: viaPost.json.error.field }, { code: viaGet.json.error.code, field: viaGet.json.error.field });
    }
    assertError(await op.post('/api/v1/persons/search', { q: 'x', page: 2 }), 422, { field: 'page' });
    assertError(await srv.client().post('/api/v1/persons/search', { q: 'x' }), 401);
    assertError(await op.post('/api/v1/persons/search', { q: 'x' }, { csrf: false }), 403);
  });

  test('the search is audited as a search', async () => {
    await op.post('/api/v1/persons/search', { q: 'Benkirane' });
    const r = await coord.get('/api/v1/audit?limit=20');
    const s = r.json.items.find((e) => e.action === 'person.search');
    assert.ok(s, 'a person.search entry');
    assert.match(s.detail, /query/);
  });

  test('the search page posts its query and shows the results', async () => {
    for (const page of ['/desk', '/desk/persons']) {
      const r = await op.get(page);
      assert.match(r.text, /<form method="post" action="\/desk\/persons\/search"/, `${page}: the search form posts`);
    }
    const r = await op.request('POST', '/desk/persons/search', form({ q: 'Benkirane' }));
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /id="search-results"/);
    assert.match(r.text, new RegExp(`href="/desk/persons/${first}"`));
    assert.equal((await op.request('POST', '/desk/persons/search', { ...form({ q: 'Benkirane' }), csrf: false })).status, 403);
  });

  test('a document\'s title and name come from headers (percent-encoded), not from the address', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% header test\n%%EOF\n');
    const up = await op.request('POST', `/api/v1/persons/${first}/documents`, {
      body: pdf,
      headers: { 'Content-Type': 'application/pdf', 'X-Title': encodeURIComponent('Permesso – rinnovo è'), 'Content-Disposition': 'attachment; filename="permesso rinnovo.pdf"' },
    });
    assert.equal(up.status, 201, up.text);
    assert.equal(up.json.title, 'Permesso – rinnovo è');
    assert.equal(up.json.filename, 'permesso_rinnovo_pdf.pdf');
    const named = await op.request('POST', `/api/v1/persons/${first}/documents`, { body: pdf, headers: { 'Content-Type': 'application/pdf', 'X-Filename': 'carta' } });
    assert.equal(named.status, 201, named.text);
    assert.deepEqual([named.json.title, named.json.filename], ['carta', 'carta.pdf']);
    const query = await op.request('POST', `/api/v1/persons/${first}/documents?title=Secret&filename=secret`, { body: pdf, headers: { 'Content-Type': 'application/pdf' } });
    assert.equal(query.status, 201, query.text);
    assert.deepEqual([query.json.title, query.json.filename], ['document', 'document.pdf'], 'the address is not read');
  });
});
