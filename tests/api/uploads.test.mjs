// Uploads: the per-route body cap (20 MiB where a file is taken, 1 MiB
// elsewhere, 64 KiB without a session), multipart/form-data page forms
// (fields, one file, a bad boundary, the form token) and one page upload per
// module (desk person documents, info attachments, meetings files and
// library, governance expense documents), with errors shown in place and
// nothing kept. Runs on SQLite and PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertError, startServer } from './helpers.mjs';

const MiB = 1024 * 1024;
const PDF_HEAD = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
/** A PDF of `n` bytes (its header, then padding). */
const pdf = (n) => Buffer.concat([PDF_HEAD, Buffer.alloc(Math.max(0, n - PDF_HEAD.length), 0x20)]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

let srv; let op; let luino; let editor; let coord; let teacher;
let pid; let material; let meeting; let project; let line;

before(async () => {
  srv = await startServer({ users: [{ username: 'luino-op', role: 'operator', org: 'luino' }] });
  op = await srv.login('demo-operator');
  luino = await srv.login('luino-op');
  editor = await srv.login('demo-editor');
  coord = await srv.login('demo-coordinator');
  teacher = await srv.login('demo-teacher');
  let r = await op.post('/api/v1/persons', { given_name: 'Amina', family_name: 'Diallo', sex: 'f', birth_date: '1992-03-04', citizenship: 'SN' });
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
  r = await editor.post('/api/v1/materials', { title: 'Opuscolo casa', body: 'Testo.', category: 'family', org: 'cremona', review_by: '2027-06-30' });
  assert.equal(r.status, 201, r.text);
  material = r.json.id;
  r = await coord.post('/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo di prova', org: 'cremona', start: '2027-02-10T10:00', minutes: 60 });
  assert.equal(r.status, 201, r.text);
  meeting = r.json.id;
  r = await coord.post('/api/v1/projects', { title: 'Prova caricamenti', code: 'uploads-cremona', org: 'cremona', fund: 'FAMI 2021-2027', start: '2026-01-01', end: '2027-12-31', budget_cents: 1000000, grant_cents: 500000 });
  assert.equal(r.status, 201, r.text);
  project = r.json.id;
  r = await coord.post(`/api/v1/projects/${project}/budget-lines`, { category: 'materials', planned_cents: 100000 });
  assert.equal(r.status, 201, r.text);
  line = r.json.id;
});
after(async () => {
  if (srv) await srv.stop();
});

/** The raw-body API upload of a person's document. */
const apiDoc = (c, body, o = {}) => c.request('POST', `/api/v1/persons/${pid}/documents`, {
  body, headers: { 'Content-Type': 'application/octet-stream', 'X-Title': 'Permesso', 'X-Filename': 'permesso.pdf' }, ...o,
});

/** A multipart page form: fields (with the session's _csrf unless token === false) and one file. */
function form(c, fields, file, { token } = {}) {
  const fd = new FormData();
  if (token !== false) fd.append('_csrf', token ?? c.csrf);
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (file) fd.append('file', new Blob([file.bytes], { type: file.type || 'application/octet-stream' }), file.name);
  return fd;
}
/** Posts a page form (no X-CSRF-Token header: the page's token travels in the form). */
const postForm = (c, p, fd) => c.request('POST', p, { body: fd, csrf: false });


describe('per-route body cap', () => {
  it('a 3 MB PDF is accepted on an upload route (API, raw body)', async () => {
    const r = await apiDoc(op, pdf(3 * 1000 * 1000));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.size, 3 * 1000 * 1000);
    assert.equal(r.json.content_type, 'application/pdf');
  });

  it('21 MiB is refused 413 on an upload route, and nothing is kept', async () => {
    const before = (await op.get(`/api/v1/persons/${pid}/export`)).json;
    const r = await apiDoc(op, pdf(21 * MiB));
    assertError(r, 413, { code: 'too_large' });
    const afterRead = (await op.get(`/api/v1/persons/${pid}/export`)).json;
    assert.deepEqual(afterRead.documents?.length, before.documents?.length);
  });

  it('2 MB to a JSON route is refused 413 (the 1 MiB default)', async () => {
    const r = await op.request('POST', '/api/v1/persons', {
      body: JSON.stringify({ given_name: 'x'.repeat(2 * 1000 * 1000) }), headers: { 'Content-Type': 'application/json' },
    });
    assertError(r, 413, { code: 'too_large' });
  });

  it('2 MB to a page form that takes no file is a 413 page', async () => {
    const r = await op.request('POST', '/desk/persons', {
      body: `_csrf=${op.csrf}&given_name=${'x'.repeat(2 * 1000 * 1000)}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, csrf: false,
    });
    assert.equal(r.status, 413);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /<main/);
  });

  it('without a session the cap stays 64 KiB, upload routes included', async () => {
    const anon = srv.client();
    assertError(await anon.request('POST', '/api/v1/session', {
      body: JSON.stringify({ username: 'u'.repeat(70 * 1024), password: 'x' }), headers: { 'Content-Type': 'application/json' },
    }), 413, { code: 'too_large' });
    assertError(await anon.request('POST', `/api/v1/persons/${pid}/documents`, {
      body: pdf(100 * 1024), headers: { 'Content-Type': 'application/octet-stream' },
    }), 413, { code: 'too_large' });
    const small = await anon.request('POST', `/api/v1/persons/${pid}/documents`, { body: PDF_HEAD, headers: { 'Content-Type': 'application/octet-stream' } });
    assertError(small, 401);
  });

  it('another district\'s person answers 404 to a large upload too', async () => {
    assertError(await apiDoc(luino, pdf(2 * MiB)), 404);
  });
});

describe('multipart/form-data', () => {
  it('fields and a file reach the handler (desk person page)', async () => {
    const r = await postForm(op, `/desk/persons/${pid}/documents?tab=records`,
      form(op, { title: 'Permesso scansionato — 2026' }, { bytes: pdf(3 * 1000 * 1000), name: 'permesso scansionato.pdf', type: 'application/pdf' }));
    assert.equal(r.status, 303, r.text);
    assert.equal(r.headers.get('location'), `/desk/persons/${pid}?tab=records&saved=1`);
    const p = (await op.get(`/api/v1/persons/${pid}/export`)).json;
    const d = p.documents.find((x) => x.title === 'Permesso scansionato — 2026');
    assert.ok(d, JSON.stringify(p.documents));
    assert.equal(d.size, 3 * 1000 * 1000);
    assert.equal(d.content_type, 'application/pdf');
    const dl = await op.get(`/api/v1/documents/${d.id}`);
    assert.equal(dl.status, 200);
    assert.ok(dl.text.startsWith('%PDF-1.4'));
    const page = await op.get(`/desk/persons/${pid}?tab=records`);
    assert.match(page.text, /id="doc-form"[^>]*enctype="multipart\/form-data"|enctype="multipart\/form-data"[^>]*id="doc-form"/);
    assert.match(page.text, /Permesso scansionato — 2026/);
  });

  it('a boundary that is not the body\'s, or none, is 400', async () => {
    const body = '--other\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nx\r\n--other--\r\n';
    let r = await op.request('POST', `/desk/persons/${pid}/documents`, { body, headers: { 'Content-Type': 'multipart/form-data; boundary=mine' }, csrf: false });
    assertError(r, 400, { code: 'bad_form' });
    r = await op.request('POST', `/desk/persons/${pid}/documents`, { body, headers: { 'Content-Type': 'multipart/form-data' }, csrf: false });
    assertError(r, 400, { code: 'bad_form' });
    const cut = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 cut short';
    r = await op.request('POST', `/desk/persons/${pid}/documents`, { body: cut, headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, csrf: false });
    assertError(r, 400, { code: 'bad_form' });
  });

  it('a body arriving in small chunks parses the same (fields split across chunks)', async () => {
    const b = 'XyZ0boundary';
    const parts = [
      ['_csrf', null, op.csrf], ['title', null, 'A piccoli pezzi'], ['note', null, ''],
      ['file', 'pezzi.pdf', PDF_HEAD.toString('latin1')],
    ];
    let body = '';
    for (const [name, filename, value] of parts) {
      body += `--${b}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"\r\nContent-Type: application/pdf` : ''}\r\n\r\n${value}\r\n`;
    }
    body += `--${b}--\r\n`;
    const bytes = Buffer.from(body, 'latin1');
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < bytes.length; i += 7) c.enqueue(bytes.subarray(i, i + 7));
        c.close();
      },
    });
    const res = await fetch(`${srv.base}/desk/persons/${pid}/documents?tab=records`, {
      method: 'POST', body: stream, duplex: 'half', redirect: 'manual',
      headers: { 'Content-Type': `multipart/form-data; boundary=${b}`, Cookie: op.cookieHeader() },
    });
    assert.equal(res.status, 303, await res.text());
    const d = (await op.get(`/api/v1/persons/${pid}/export`)).json.documents.find((x) => x.title === 'A piccoli pezzi');
    assert.ok(d);
    assert.equal(d.filename, 'pezzi.pdf');
    assert.equal(d.size, PDF_HEAD.length);
  });

  it('300 mutated multipart bodies (seeded) get an answer of the contract, and the server stays up', async () => {
    const b = 'mut4b0undary';
    const good = Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${op.csrf}\r\n`
      + `--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nMutato\r\n`
      + `--${b}\r\nContent-Disposition: form-data; name="file"; filename="m.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n`
      + `--${b}--\r\n`, 'latin1');
    let seed = 12345;
    const rnd = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const tokens = ['\r\n', '--', `--${b}`, '"', ';', '=', 'filename=', 'name=', '\0', ':', 'Content-Type: ', '\r\n\r\n'];
    const seen = new Set();
    for (let i = 0; i < 300; i++) {
      let body = Buffer.from(good);
      for (let k = 1 + rnd(4); k > 0; k--) {
        const at = rnd(body.length + 1);
        const op2 = rnd(3);
        if (op2 === 0) body = Buffer.concat([body.subarray(0, at), body.subarray(Math.min(body.length, at + 1 + rnd(20)))]);
        else if (op2 === 1) body = Buffer.concat([body.subarray(0, at), Buffer.from(tokens[rnd(tokens.length)], 'latin1'), body.subarray(at)]);
        else if (at < body.length) body[at] = rnd(256);
      }
      const r = await op.request('POST', `/desk/persons/${pid}/documents?tab=records`, {
        body, headers: { 'Content-Type': `multipart/form-data; boundary=${b}` }, csrf: false,
      });
      assert.ok([303, 400, 403, 413, 415, 422].includes(r.status), `mutation ${i}: ${r.status} ${r.text.slice(0, 200)}`);
      seen.add(r.status);
    }
    assert.ok(seen.has(303) && seen.has(400), [...seen].join(','));
    assert.equal((await srv.client().get('/healthz')).status, 200);
  });

  it('two file parts are 400', async () => {
    const fd = form(op, {}, { bytes: PDF_HEAD, name: 'a.pdf' });
    fd.append('other', new Blob([PDF_HEAD]), 'b.pdf');
    assertError(await postForm(op, `/desk/persons/${pid}/documents`, fd), 400, { code: 'bad_form' });
  });

  it('a missing or wrong form token is 403 and keeps nothing', async () => {
    const n = (await op.get(`/api/v1/persons/${pid}/export`)).json.documents.length;
    let r = await postForm(op, `/desk/persons/${pid}/documents`, form(op, { title: 'senza token' }, { bytes: PDF_HEAD, name: 'x.pdf' }, { token: false }));
    assert.equal(r.status, 403);
    r = await postForm(op, `/desk/persons/${pid}/documents`, form(op, { title: 'token sbagliato' }, { bytes: PDF_HEAD, name: 'x.pdf' }, { token: 'x'.repeat(43) }));
    assert.equal(r.status, 403);
    assert.equal((await op.get(`/api/v1/persons/${pid}/export`)).json.documents.length, n);
  });

  it('the desk page shows 415, 422 and 413 in place and keeps nothing', async () => {
    const n = (await op.get(`/api/v1/persons/${pid}/export`)).json.documents.length;
    const url = `/desk/persons/${pid}/documents?tab=records`;
    let r = await postForm(op, url, form(op, { title: 'Pagina web' }, { bytes: Buffer.from('<html>x</html>'), name: 'x.pdf', type: 'application/pdf' }));
    assert.equal(r.status, 415);
    assert.match(r.text, /id="doc-error"/);
    assert.match(r.text, /id="doc-form"/);
    assert.match(r.text, /value="Pagina web"/, 'the title typed is kept');
    r = await postForm(op, url, form(op, { title: 'Senza file' }, null));
    assert.equal(r.status, 422);
    assert.match(r.text, /id="doc-error"/);
    r = await postForm(op, url, form(op, { title: 'Troppo grande' }, { bytes: pdf(21 * MiB), name: 'grande.pdf' }));
    assert.equal(r.status, 413);
    assert.match(r.text, /id="doc-error"[^<]*20 MB/);
    assert.match(r.text, /id="doc-form"/);
    assert.equal((await op.get(`/api/v1/persons/${pid}/export`)).json.documents.length, n);
  });

  it('another district\'s person answers 404 to the page form', async () => {
    const r = await postForm(luino, `/desk/persons/${pid}/documents`, form(luino, { title: 'x' }, { bytes: PDF_HEAD, name: 'x.pdf' }));
    assert.equal(r.status, 404);
  });
});

describe('page uploads of each module', () => {
  it('info: an attachment from the editor\'s plain form; errors in place', async () => {
    const url = `/info/editor/${material}/attachments`;
    let r = await postForm(editor, url, form(editor, { lang: 'ar', title: 'Opuscolo in arabo' }, { bytes: pdf(2 * MiB), name: 'opuscolo.ar.pdf' }));
    assert.equal(r.status, 303, r.text);
    assert.match(r.headers.get('location'), new RegExp(`^/info/editor/${material}\\?attached=1`));
    const list = (await editor.get(`/api/v1/materials/${material}/attachments`)).json.items;
    assert.deepEqual(list.map((a) => [a.title, a.lang, a.filename, a.size]), [['Opuscolo in arabo', 'ar', 'opuscolo_ar.pdf', 2 * MiB]]);
    r = await postForm(editor, url, form(editor, { lang: 'ar' }, { bytes: Buffer.from('GIF89a'), name: 'x.gif' }));
    assert.equal(r.status, 415);
    assert.match(r.text, /id="form-error"/);
    r = await postForm(editor, url, form(editor, { lang: 'xx' }, { bytes: PDF_HEAD, name: 'x.pdf' }));
    assert.equal(r.status, 422);
    r = await postForm(editor, url, form(editor, { lang: 'ar' }, { bytes: pdf(21 * MiB), name: 'x.pdf' }));
    assert.equal(r.status, 413);
    assert.match(r.text, /id="form-error"/);
    assert.equal((await editor.get(`/api/v1/materials/${material}/attachments`)).json.items.length, 1);
    assert.equal((await postForm(op, url, form(op, { lang: 'ar' }, { bytes: PDF_HEAD, name: 'x.pdf' }))).status, 403);
    const page = await editor.get(`/info/editor/${material}`);
    assert.doesNotMatch(page.text, /info\.js/);
  });

  it('meetings: a library e-book and a minutes file from the pages; errors in place', async () => {
    let r = await postForm(coord, '/meetings/library', form(coord, { title: 'E-book dei laboratori', series: 'Laboratori 2027', visibility: 'network' }, { bytes: pdf(3 * MiB), name: 'ebook.pdf' }));
    assert.equal(r.status, 303, r.text);
    assert.equal(r.headers.get('location'), '/meetings/library?done=1');
    const lib = (await coord.get('/api/v1/library?limit=100')).json.items;
    const ebook = lib.find((d) => d.title === 'E-book dei laboratori');
    assert.ok(ebook);
    assert.equal(ebook.size, 3 * MiB);
    r = await postForm(coord, '/meetings/library', form(coord, { title: 'Foto' }, { bytes: PNG, name: 'foto.png' }));
    assert.equal(r.status, 415);
    assert.match(r.text, /id="form-error"/);
    assert.match(r.text, /value="Foto"/);
    r = await postForm(coord, '/meetings/library', form(coord, { title: 'Enorme' }, { bytes: pdf(21 * MiB), name: 'x.pdf' }));
    assert.equal(r.status, 413);
    assert.match(r.text, /id="form-error"/);
    assert.equal((await coord.get('/api/v1/library?limit=100')).json.items.length, lib.length);
    assert.equal((await postForm(teacher, '/meetings/library', form(teacher, { title: 'x' }, { bytes: PDF_HEAD, name: 'x.pdf' }))).status, 403);

    r = await postForm(coord, `/meetings/${meeting}/files`, form(coord, { title: 'Verbale firmato' }, { bytes: PDF_HEAD, name: 'verbale.pdf' }));
    assert.equal(r.status, 303, r.text);
    const m = (await coord.get(`/api/v1/meetings/${meeting}`)).json;
    assert.deepEqual(m.files.map((f) => [f.title, f.filename]), [['Verbale firmato', 'verbale.pdf']]);
    r = await postForm(coord, `/meetings/${meeting}/files`, form(coord, { title: 'vuoto' }, null));
    assert.equal(r.status, 422);
    assert.match(r.text, /id="form-error"/);
  });

  it('governance: an expense with its document, and a document added after; errors in place', async () => {
    const url = `/governance/projects/${project}/budget/expenses`;
    const exp = { budget_line_id: String(line), date: '2026-03-02', amount: '120,50', description: 'Cancelleria', supplier: 'Cartoleria Po' };
    let r = await postForm(coord, url, form(coord, exp, { bytes: pdf(3 * MiB), name: 'fattura.pdf' }));
    assert.equal(r.status, 303, r.text);
    let list = (await coord.get(`/api/v1/projects/${project}/expenses`)).json.items;
    assert.equal(list.length, 1);
    assert.ok(list[0].document, JSON.stringify(list[0]));
    r = await postForm(coord, url, form(coord, { ...exp, description: 'Senza documento' }, null));
    assert.equal(r.status, 303, r.text);
    list = (await coord.get(`/api/v1/projects/${project}/expenses`)).json.items;
    const bare = list.find((x) => x.description === 'Senza documento');
    assert.ok(!bare.document);
    const docUrl = `/governance/projects/${project}/budget/expenses/${bare.id}/document`;
    r = await postForm(coord, docUrl, form(coord, {}, { bytes: Buffer.from('not a pdf'), name: 'x.pdf' }));
    assert.equal(r.status, 415);
    assert.match(r.text, /id="form-error"/);
    r = await postForm(coord, docUrl, form(coord, {}, { bytes: pdf(21 * MiB), name: 'x.pdf' }));
    assert.equal(r.status, 413);
    assert.match(r.text, /id="form-error"/);
    r = await postForm(coord, url, form(coord, { ...exp, description: 'Con file sbagliato' }, { bytes: Buffer.from('GIF89a'), name: 'x.gif' }));
    assert.equal(r.status, 415);
    assert.equal((await coord.get(`/api/v1/projects/${project}/expenses`)).json.items.length, 2, 'an expense refused with its file is not kept');
    r = await postForm(coord, docUrl, form(coord, {}, { bytes: PNG, name: 'ricevuta.png' }));
    assert.equal(r.status, 303, r.text);
    list = (await coord.get(`/api/v1/projects/${project}/expenses`)).json.items;
    assert.ok(list.find((x) => x.id === bare.id).document);
    assert.equal((await postForm(op, docUrl, form(op, {}, { bytes: PDF_HEAD, name: 'x.pdf' }))).status, 403);
    const page = await coord.get(`/governance/projects/${project}/budget`);
    assert.doesNotMatch(page.text, /governance\.js/);
  });
});
