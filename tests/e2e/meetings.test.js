// meetings.test.js — a district coordinator creates a tavolo territoriale
// through the form, invites organisations (each gets an e-mail with the
// calendar file, received by a real SMTP server), takes the attendance on a
// phone-sized window (everyone present by default, tapping the exceptions),
// writes the minutes and records a decision that then shows on the
// workspace; a visitor downloads the laboratories' public e-book from
// /documenti. Every screen passes axe-core (WCAG 2.1 A/AA) and runs under the
// enforced CSP without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations, horizontalOverflow,
} from './helpers.js';
import { startSmtpSink } from '../api/smtp-sink.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
let server;
let browser;
let sink;
let coord;
let phone;
const ids = {};

/* A JSON API call in the page's session (the CSRF token comes from the logout form). */
async function api(page, method, path, data) {
  const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
  const r = await page.context().request.fetch(server.base + path, { method, data, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** axe on a copy of the page without CSP (the script is injected), with a screenshot. */
async function axeClean(url, who, name, viewport) {
  const ctx = await browser.newContext({ bypassCSP: true, viewport, locale: 'it-IT', storageState: who ? await who.context().storageState() : undefined });
  const page = await ctx.newPage();
  const res = await page.goto(url);
  assert.equal(res.status(), 200, `${url}: ${res.status()}`);
  const v = await axeViolations(page);
  await screenshot(page, `meetings-${name}`);
  if (viewport.width < 500) {
    const o = await horizontalOverflow(page);
    assert.ok(o.scrollWidth <= o.clientWidth, `${name} scrolls sideways: ${JSON.stringify(o)}`);
  }
  await ctx.close();
  assert.equal(v.length, 0, formatViolations(name, v));
}

/** "YYYY-MM-DD" of today + offset days. */
function day(offset = 0) {
  const d = new Date(Date.now() + offset * 86400000);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1' } });
  browser = await launchBrowser();
  coord = await newPage(browser, { viewport: DESKTOP });
  await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
  phone = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
  await login(phone, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

test('a coordinator creates a tavolo and invites the organisations', async () => {
  await coord.goto(`${server.base}/meetings`);
  await screenshot(coord, 'meetings-workspace-desktop');
  assert.ok(await coord.$('#upcoming a'), 'the demo tavoli are upcoming');
  await Promise.all([coord.waitForNavigation(), coord.click('#new-meeting')]);
  await coord.selectOption('#m-kind', 'tavolo');
  await coord.fill('#m-title', 'Tavolo territoriale — verifica del semestre');
  await coord.fill('#m-start', `${day(7)}T10:00`);
  await coord.fill('#m-minutes', '90');
  await coord.fill('#m-place', 'Azienda Sociale Cremonese, sala riunioni');
  await coord.fill('#m-agenda', '1. Dati del semestre\n2. Corsi L2\n3. <script>alert(1)</script>');
  await screenshot(coord, 'meetings-form-desktop');
  await Promise.all([coord.waitForNavigation(), coord.click('#meeting-form button[type="submit"]')]);
  const m = /\/meetings\/(\d+)$/.exec(coord.url());
  assert.ok(m, coord.url());
  ids.meeting = Number(m[1]);
  // the agenda is text: the script tag is shown, not run
  assert.match(await coord.textContent('#agenda'), /<script>alert\(1\)<\/script>/);

  const orgs = [['asst-cremona', 'asst.e2e@example.org'], ['cpia-cremona', 'cpia.e2e@example.org'], ['solco-cremona', 'solco.e2e@example.org'], ['coop-nazareth', 'nazareth.e2e@example.org']];
  for (const [org, email] of orgs) {
    await coord.selectOption('#i-org', org);
    await coord.fill('#i-email', email);
    await Promise.all([coord.waitForNavigation(), coord.click('#invite-org-form button[type="submit"]')]);
  }
  assert.equal(await coord.$$eval('#invitees-table tbody tr', (r) => r.length), 4);
  const mail = await sink.waitFor((x) => x.to.includes('cpia.e2e@example.org'));
  assert.ok(mail, 'the invitation was sent');
  assert.match(mail.raw, /Content-Type: text\/calendar; charset=UTF-8; method=REQUEST; name="invito.ics"/);
  await screenshot(coord, 'meetings-meeting-desktop');
  assert.deepEqual(coord.problems(), []);
});

test('attendance on a phone: everyone present unless tapped otherwise', async () => {
  await phone.goto(`${server.base}/meetings/${ids.meeting}`);
  await Promise.all([phone.waitForNavigation(), phone.tap('#attendance-link')]);
  const rows = await phone.$$('#invitees > li');
  assert.equal(rows.length, 4);
  assert.equal(await phone.$$eval('#invitees input[value="present"]:checked', (x) => x.length), 4);
  const boxes = await phone.$$eval('#invitees label.li-mark', (ls) => ls.map((l) => l.getBoundingClientRect()).map((r) => [r.height, r.right]));
  assert.ok(boxes.every(([h, right]) => h >= 44 && right <= 390), JSON.stringify(boxes.slice(0, 3)));
  await screenshot(phone, 'meetings-attendance-phone');
  const invitees = (await api(phone, 'GET', `/api/v1/meetings/${ids.meeting}`)).invitees;
  const solco = invitees.find((i) => i.org === 'solco-cremona');
  const nazareth = invitees.find((i) => i.org === 'coop-nazareth');
  await phone.tap(`label[for="a${solco.id}-absent"]`);
  await phone.tap(`label[for="a${nazareth.id}-excused"]`);
  await Promise.all([phone.waitForNavigation(), phone.tap('#save-attendance')]);
  assert.match(await phone.textContent('#notice'), /Salvato/);
  const after = await api(phone, 'GET', `/api/v1/meetings/${ids.meeting}`);
  assert.deepEqual(after.attendance, { present: 2, absent: 1, excused: 1, unmarked: 0, organisations_present: 2 });
  assert.equal(await phone.isChecked(`#a${solco.id}-absent`), true);
  assert.deepEqual(phone.problems(), []);
  await axeClean(`${server.base}/meetings/${ids.meeting}/attendance`, phone, 'attendance-phone', PHONE);
});

test('minutes and a decision, then the workspace shows it', async () => {
  await coord.goto(`${server.base}/meetings/${ids.meeting}`);
  await coord.fill('#mn-text', 'Il tavolo approva il calendario dei corsi.\nProssimo incontro tra un mese.');
  await Promise.all([coord.waitForNavigation(), coord.click('#minutes-form button[type="submit"]')]);
  assert.match(await coord.textContent('#minutes-text'), /approva il calendario/);
  // a file attached to the minutes (the page's plain multipart form), then listed
  await coord.fill('#f-title', 'Verbale firmato');
  await coord.setInputFiles('#f-file', { name: 'verbale firmato.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await Promise.all([coord.waitForNavigation(), coord.click('#file-form button[type="submit"]')]);
  assert.match(await coord.textContent('#files'), /Verbale firmato \(verbale_firmato\.pdf\)/);
  // a PNG is refused by its bytes, the message shown in the form
  await coord.setInputFiles('#f-file', { name: 'foto.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]) });
  await Promise.all([coord.waitForNavigation(), coord.click('#file-form button[type="submit"]')]);
  assert.match(await coord.textContent('#form-error'), /PDF, EPUB, ODT/);
  await coord.fill('#d-text', 'Inviare alle scuole il calendario dei corsi');
  await coord.selectOption('#d-owner', { label: 'Coordinamento Ambito Cremonese' });
  await coord.fill('#d-due', day(14));
  await Promise.all([coord.waitForNavigation(), coord.click('#decision-form button[type="submit"]')]);
  assert.match(await coord.textContent('#decisions-list'), /Inviare alle scuole il calendario dei corsi/);
  // a decision already past its due date is overdue on the workspace
  await coord.fill('#d-text', 'Raccogliere le adesioni degli enti');
  await coord.fill('#d-owner-name', 'Consorzio Sol.Co.');
  await coord.fill('#d-due', day(-3));
  await Promise.all([coord.waitForNavigation(), coord.click('#decision-form button[type="submit"]')]);
  await screenshot(coord, 'meetings-meeting-decisions-desktop');
  await coord.goto(`${server.base}/meetings`);
  assert.match(await coord.textContent('#my-decisions'), /Inviare alle scuole il calendario dei corsi/);
  assert.match(await coord.textContent('#overdue-table'), /Raccogliere le adesioni degli enti/);
  // my own decision is marked done from the workspace itself
  const mine = coord.locator('#my-decisions li', { hasText: 'Inviare alle scuole il calendario dei corsi' });
  await Promise.all([coord.waitForNavigation(), mine.locator('button').click()]);
  assert.match(coord.url(), /\/meetings$/);
  assert.equal(await coord.locator('#my-decisions li', { hasText: 'Inviare alle scuole il calendario dei corsi' }).count(), 0);
  // marked done from the meeting page, it leaves the overdue list
  await coord.goto(`${server.base}/meetings/${ids.meeting}`);
  const li = coord.locator('#decisions-list li', { hasText: 'Raccogliere le adesioni' });
  await Promise.all([coord.waitForNavigation(), li.locator('button').click()]);
  await coord.goto(`${server.base}/meetings`);
  assert.doesNotMatch((await coord.textContent('main')) || '', /Raccogliere le adesioni degli enti/);
  // the one error expected: the refused PNG
  assert.deepEqual(coord.problems().filter((p) => !/^415 .*\/files$/.test(p)), []);
  for (const [path, name] of [['/meetings', 'workspace'], ['/meetings/new', 'form'], [`/meetings/${ids.meeting}`, 'meeting'], ['/meetings/library', 'library']]) {
    await axeClean(server.base + path, coord, `${name}-desktop`, DESKTOP);
    await axeClean(server.base + path, phone, `${name}-phone`, PHONE);
  }
});

test('a coordinator adds a public document to the library; a visitor downloads it and the e-book from /documenti', async () => {
  await coord.goto(`${server.base}/meetings/library`);
  await coord.fill('#l-title', 'Guida ai servizi per i nuovi arrivati');
  await coord.selectOption('#l-visibility', 'public');
  await coord.setInputFiles('#l-file', { name: 'guida.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await Promise.all([coord.waitForNavigation(), coord.click('#library-form button[type="submit"]')]);
  assert.match(await coord.textContent('#docs-table'), /Guida ai servizi per i nuovi arrivati/);
  await screenshot(coord, 'meetings-library-upload-desktop');
  assert.deepEqual(coord.problems().filter((p) => !/^415 .*\/files$/.test(p)), []);
  const visitor = await newPage(browser, { viewport: PHONE });
  const res = await visitor.goto(`${server.base}/documenti`);
  assert.equal(res.status(), 200);
  assert.match(await visitor.textContent('#public-docs'), /Guida ai servizi per i nuovi arrivati/);
  const href = await visitor.locator('#public-docs a', { hasText: 'E-book dei laboratori' }).getAttribute('href');
  assert.match(href, /^\/api\/v1\/library\/\d+$/);
  const pdf = await visitor.context().request.get(server.base + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await screenshot(visitor, 'meetings-public-phone');
  assert.deepEqual(visitor.problems(), []);
  await axeClean(`${server.base}/documenti`, null, 'public-phone', PHONE);
  await axeClean(`${server.base}/documenti`, null, 'public-desktop', DESKTOP);
});
