// desk-pdf.test.mjs — the help desk's PDFs on core/pdfdoc (pango + cairo),
// read back with poppler's pdftotext: the checklist in the person's language
// (Arabic right to left, Chinese, Italian), with the published information
// material on its procedure printed after it (Italian marked as such when
// the language has no translation), the checklist page linking that
// material, the readable GDPR export with notes in Arabic script; the
// print is audited; denials (401, 403, 404).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { useServer, assertError } from './helpers.mjs';

let op; let luino; let editor; let coord; let admin;
let pid; let proc; let permits;

const srv = useServer({
  env: { LABIMPACT_TODAY: '2025-03-10' },
  users: [{ username: 'luino-op', role: 'operator', org: 'luino' }],
}, async (s) => {
  op = await s.login('demo-operator');
  luino = await s.login('luino-op');
  editor = await s.login('demo-editor');
  coord = await s.login('demo-coordinator');
  admin = await s.login('demo-admin');
  const r = await op.post('/api/v1/persons', {
    given_name: 'Mohamed', family_name: 'El Amrani', sex: 'm', birth_date: '1990-05-01', citizenship: 'MA', languages: ['ar', 'fr'],
  });
  assert.equal(r.status, 201, r.text);
  pid = r.json.id;
  const p = await op.post('/api/v1/procedures', { person_id: pid, type: 'permit_renewal', facts: { permit_expiry: '2025-06-30' } });
  assert.equal(p.status, 201, p.text);
  proc = p.json.id;
  const c = await op.post('/api/v1/consultations', { person_id: pid, topics: ['housing'], notes: 'موعد في المحافظة يوم الخميس' });
  assert.equal(c.status, 201, c.text);
  const list = await s.client().get('/info?category=permits&lang=it');
  permits = list.text.match(/href="\/info\/(\d+)"/)[1];
});

/** pdftotext's output for `buf` (extra args before the files), without bidi marks. */
function pdftotext(buf, args = []) {
  const r = spawnSync('pdftotext', [...args, '-', '-'], { input: buf });
  assert.equal(r.status, 0, String(r.stderr));
  return r.stdout.toString('utf8').replace(/[\u200e\u200f\u202a-\u202e]/g, '');
}

/** The words of the first page with their boxes (pdftotext -bbox). */
function words(buf) {
  const html = pdftotext(buf, ['-bbox', '-f', '1', '-l', '1']);
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)]
    .map((m) => ({ xMin: +m[1], yMin: +m[2], xMax: +m[3], text: m[5] }));
}

async function pdf(client, p) {
  const res = await fetch(srv.base + p, { headers: { Cookie: client.cookieHeader() } });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), buf };
}

test('checklist in Arabic: right to left, headings and the published material in Arabic', async () => {
  const r = await pdf(op, `/api/v1/procedures/${proc}/checklist.pdf`); // the person's first language
  assert.equal(r.status, 200, r.buf.toString().slice(0, 300));
  assert.equal(r.type, 'application/pdf');
  assert.match(r.disposition, new RegExp(`attachment; filename="checklist-${proc}-ar\\.pdf"`));
  const text = pdftotext(r.buf);
  for (const s of ['الخطوات', 'المستندات المطلوبة', 'المواعيد النهائية', 'الرسوم', 'معلومات مفيدة', // headings
    'تجديد تصريح', 'جواز سفر ساري المفعول', // the material's Arabic translation
    'Mohamed El Amrani']) {
    assert.ok(text.includes(s), `${s} in ${text.slice(0, 800)}`);
  }
  assert.match(text, /1 \/ \d/); // the footer
  assert.doesNotMatch(text, /Rinnovare il permesso di soggiorno/); // not the Italian text: it is translated
  // The rule has no Arabic text: its items in the person's next language, French (not English).
  assert.ok(text.includes('Retirer le kit postal'), text.slice(0, 800));
  assert.ok(!text.includes('Collect the postal kit'));
  // Right to left: the Arabic headings end at the right margin (A4 is 595 pt wide, 50 pt margins).
  // (pdftotext -bbox gives Arabic glyph by glyph.)
  const arabic = words(r.buf).filter((x) => /[\u0600-\u06ff]/.test(x.text));
  assert.ok(arabic.length > 20, 'Arabic on page 1');
  const lines = new Map();
  for (const g of arabic) {
    const key = Math.round(g.yMin);
    const l = lines.get(key) || { xMin: 1e9, xMax: 0 };
    lines.set(key, { xMin: Math.min(l.xMin, g.xMin), xMax: Math.max(l.xMax, g.xMax) });
  }
  const short = [...lines.values()].filter((l) => l.xMax - l.xMin < 250); // headings
  assert.ok(short.length >= 3, JSON.stringify([...lines.values()]));
  for (const l of short) assert.ok(l.xMax > 540 && l.xMin > 250, `a short Arabic line ends at the right margin: ${JSON.stringify(l)}`);
  // ?lang= chooses explicitly; the same for Arabic.
  const again = await pdf(op, `/api/v1/procedures/${proc}/checklist.pdf?lang=ar`);
  assert.ok(pdftotext(again.buf).includes('معلومات مفيدة'));
});

test('checklist in Chinese and in Italian; Italian material marked as such in Ukrainian', async () => {
  const zh = pdftotext((await pdf(op, `/api/v1/procedures/${proc}/checklist.pdf?lang=zh`)).buf);
  for (const s of ['步骤', '需要携带的文件', '实用信息', '居留许可的续签']) assert.ok(zh.includes(s), `${s} in ${zh.slice(0, 600)}`);
  const it = await pdf(op, `/api/v1/procedures/${proc}/checklist.pdf?lang=it`);
  const itText = pdftotext(it.buf);
  for (const s of ['Passi da fare', 'Documenti da portare', 'Informazioni utili', 'Rinnovare il permesso di soggiorno',
    'Rinnovo del permesso di soggiorno']) { // the rule's Italian title
    assert.ok(itText.includes(s), `${s} in ${itText.slice(0, 600)}`);
  }
  assert.ok(!itText.includes('Testo in italiano'), 'Italian for an Italian reader is no fallback');
  const title = words(it.buf).find((x) => x.text === 'Passi');
  assert.ok(title && title.xMin < 80, 'left to right: from the left margin');
  // Ukrainian: no translation of the material is published, so its Italian text, marked in Ukrainian.
  const uk = pdftotext((await pdf(op, `/api/v1/procedures/${proc}/checklist.pdf?lang=uk`)).buf);
  for (const s of ['Кроки', 'Корисна інформація', 'Італійською: ще не перекладено вашою мовою', 'Rinnovare il permesso di soggiorno']) {
    assert.ok(uk.includes(s), `${s} in ${uk.slice(0, 800)}`);
  }
});

test('the checklist page links the material in the person\'s language, the Italian fallback marked', async () => {
  const page = await op.get(`/desk/procedures/${proc}/print`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /id="checklist-material" lang="ar" dir="rtl"/);
  assert.ok(page.text.includes(`href="/info/${permits}?lang=ar"`), 'the portal page in Arabic');
  assert.ok(page.text.includes(`href="/info/${permits}.pdf?lang=ar"`), 'its leaflet');
  assert.match(page.text, /معلومات مفيدة/);
  assert.doesNotMatch(page.text.match(/<section[^>]*id="checklist-material"[\s\S]*?<\/section>/)[0], /badge/);
  const uk = await op.get(`/desk/procedures/${proc}/print?lang_doc=uk`);
  assert.ok(uk.text.includes(`href="/info/${permits}?lang=uk"`));
  assert.match(uk.text, /class="badge[^"]*" lang="uk">Італійською/);
  // The link leads to the public page of that material in Arabic.
  const pub = await srv.client().get(`/info/${permits}?lang=ar`);
  assert.equal(pub.status, 200);
  assert.match(pub.text, /تجديد تصريح/);
});

test('a rule written in Arabic too (an admin\'s version) prints its own labels in Arabic', async () => {
  const rule = (await admin.get('/api/v1/rules/family_reunification')).json;
  delete rule.origin;
  rule.effective_from = '2025-01-01';
  rule.title.ar = 'جمع شمل العائلة'; // (no lam-alef: pdftotext reads that ligature back reversed)
  rule.steps[0].label.ar = 'اطلب تصريح الدخول من مكتب الهجرة';
  const put = await admin.request('PUT', '/api/v1/rules/family_reunification', { json: { rule, reason: 'Arabic labels' } });
  assert.equal(put.status, 200, put.text);
  const p = await op.post('/api/v1/procedures', { person_id: pid, type: 'family_reunification', facts: { request_date: '2025-03-01' } });
  assert.equal(p.status, 201, p.text);
  const text = pdftotext((await pdf(op, `/api/v1/procedures/${p.json.id}/checklist.pdf?lang=ar`)).buf);
  for (const s of ['جمع شمل العائلة', 'اطلب تصريح الدخول من مكتب الهجرة', 'الخطوات']) assert.ok(text.includes(s), `${s} in ${text.slice(0, 600)}`);
  // Items without Arabic fall back to English, as the rule's labels do (desk_label).
  assert.ok(/[A-Za-z]{4,}/.test(text));
});

test('the GDPR export PDF gives Arabic notes back; prints are audited', async () => {
  const x = await pdf(op, `/api/v1/persons/${pid}/export.pdf`);
  assert.equal(x.status, 200);
  assert.equal(x.type, 'application/pdf');
  const text = pdftotext(x.buf);
  assert.ok(text.includes('موعد في المحافظة يوم الخميس'), text.slice(0, 800));
  assert.ok(text.includes('El Amrani'));
  assert.match(text, /permit_renewal|permesso/i);
  assert.match(text, /1 \/ \d/);
  const a = await coord.get(`/api/v1/audit?person_id=${pid}`);
  assert.equal(a.status, 200, a.text);
  const prints = a.json.items.filter((e) => e.action === 'procedure.print');
  assert.ok(prints.some((e) => e.detail === 'ar') && prints.some((e) => e.detail === 'zh'), JSON.stringify(prints));
  assert.ok(a.json.items.some((e) => e.action === 'person.export' && e.detail === 'pdf'));
});

test('denials: no session 401, a role without the desk 403, another district 404', async () => {
  for (const p of [`/api/v1/procedures/${proc}/checklist.pdf`, `/api/v1/persons/${pid}/export.pdf`]) {
    assertError(await srv.client().get(p), 401);
    assertError(await editor.get(p), 403);
    assertError(await luino.get(p), 404);
  }
  assertError(await op.get('/api/v1/procedures/999999/checklist.pdf'), 404);
  const page = await luino.get(`/desk/procedures/${proc}/print`);
  assert.equal(page.status, 404);
});
