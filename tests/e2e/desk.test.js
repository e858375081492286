// desk.test.js — a day at the help desk in chromium: an operator searches as
// they type, registers a person (with the duplicate warning on a second try),
// records a consultation from the keyboard, opens a permit renewal and finds
// its deadline on the agenda; the record's "who has seen it" tab lists them.
// axe-core (WCAG 2.1 AA) must find nothing on any help-desk page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations } from './helpers.js';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* YYYY-MM-DD of today + n days, local time (as the server computes it). */
function day(n) {
  const d = new Date();
  d.setDate(d.getDate() + n);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function axeClean(page, name) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, formatViolations(name, v));
}

describe('help desk', () => {
  it('an operator runs a case from search to the agenda', async () => {
    const page = await newPage(browser, { bypassCSP: true }); // axe-core is injected inline
    await login(page, server.base, 'demo-operator', server.creds['demo-operator'].password);
    await page.goto(`${server.base}/desk`);
    assert.match(await page.textContent('h1'), /Sportello immigrati/);
    await axeClean(page, 'desk home');

    // Nobody yet: search as you type says so.
    await page.fill('#desk-search', 'Mohammed');
    await page.waitForSelector('#result-count');
    assert.match(await page.textContent('#result-count'), /Nessuna persona/);

    // Register the person.
    await Promise.all([page.waitForNavigation(), page.click('#new-person')]);
    await axeClean(page, 'new person form');
    await page.fill('#f-given', 'Mohamed');
    await page.fill('#f-family', 'El Amrani');
    await page.fill('#f-birth', '1990-05-01');
    await page.selectOption('#f-sex', 'm');
    await page.selectOption('#f-citizenship', 'MA');
    await page.fill('#f-languages', 'ar, fr');
    await Promise.all([page.waitForNavigation(), page.click('#person-save')]);
    assert.match(await page.textContent('#person-name'), /El Amrani Mohamed/);
    const personUrl = new URL(page.url());
    await axeClean(page, 'person page');

    // A scanned permit of 3 MB through the records tab's plain upload form
    // (multipart, with the form token; no script involved).
    const recordsUrl = `${personUrl.origin}${personUrl.pathname}?tab=records`;
    await page.goto(recordsUrl);
    await page.fill('#d-title', 'Permesso scansionato');
    const scan = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3 * 1000 * 1000, 0x20), Buffer.from('\n%%EOF\n')]);
    await page.setInputFiles('#d-file', { name: 'permesso.pdf', mimeType: 'application/pdf', buffer: scan });
    await Promise.all([page.waitForNavigation(), page.click('#doc-submit')]);
    assert.match(await page.textContent('#documents-list'), /Permesso scansionato · permesso\.pdf/);
    // Not a PDF, PNG or JPEG: the error on the same tab, the title kept, nothing stored.
    await page.fill('#d-title', 'Nota');
    await page.setInputFiles('#d-file', { name: 'nota.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html>nota</html>') });
    await Promise.all([page.waitForNavigation(), page.click('#doc-submit')]);
    assert.match(await page.textContent('#doc-error'), /PDF/);
    assert.equal(await page.inputValue('#d-title'), 'Nota');
    assert.equal(await page.locator('#documents-list li').count(), 1);
    await axeClean(page, 'person records tab with an upload error');
    await screenshot(page, 'desk-person-upload-error-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'desk-person-upload-error-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(personUrl.href);

    // Record a consultation from the keyboard, timed.
    const t0 = Date.now();
    await Promise.all([page.waitForNavigation(), page.click('#record-consultation')]);
    await axeClean(page, 'consultation form');
    await page.focus('#topic-permit_renewal');
    await page.keyboard.press('1'); // digit 1 toggles the first topic (it had focus: now ticked)
    assert.ok(await page.isChecked('#topic-permit_renewal'));
    await page.keyboard.press('7'); // "work"
    assert.ok(await page.isChecked('#topic-work'));
    await page.fill('#c-notes', 'Scadenza del permesso tra poco: rinnovo.');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
    assert.ok(Date.now() - t0 < 30000, 'recorded in under 30 seconds');
    assert.ok(await page.isVisible('#recorded'));
    assert.match(await page.textContent('#consultations-table'), /Rinnovo del permesso/);

    // Open a permit renewal: the permit expires in 100 days, apply by day 40.
    await Promise.all([page.waitForNavigation(), page.click('#open-procedure')]);
    await page.selectOption('#p-type', 'permit_renewal');
    await Promise.all([page.waitForNavigation(), page.click('#procedure-choose')]);
    await axeClean(page, 'procedure form');
    await page.fill('#fact-permit_expiry', day(100));
    await Promise.all([page.waitForNavigation(), page.click('#procedure-save')]);
    assert.match(await page.textContent('#procedure-title'), /Rinnovo del permesso di soggiorno/);
    assert.match(await page.textContent('#deadlines-table'), new RegExp(day(40)));
    await axeClean(page, 'procedure page');
    await screenshot(page, 'desk-procedure');

    // Tick a step: saved, deadlines still there.
    await page.click('label[for="step-kit"]');
    await Promise.all([page.waitForNavigation(), page.click('#procedure-update-save')]);
    assert.ok(await page.isChecked('#step-kit'));

    // The printable checklist is in the person's language (French: the rule has no Arabic text).
    await Promise.all([page.waitForNavigation(), page.click('#print-checklist')]);
    assert.equal(await page.getAttribute('#checklist-print', 'lang'), 'fr');
    assert.equal(await page.getAttribute('h1', 'lang'), 'fr');
    assert.match(await page.textContent('h1'), /Renouvellement/);
    await axeClean(page, 'printable checklist');
    // It links the published material on permits in the person's first language (Arabic, right to left).
    assert.equal(await page.getAttribute('#checklist-material', 'dir'), 'rtl');
    assert.match(await page.getAttribute('#checklist-material a.li-material-link', 'href'), /^\/info\/\d+\?lang=ar$/);
    assert.match(await page.getAttribute('#checklist-material a.li-material-leaflet', 'href'), /^\/info\/\d+\.pdf\?lang=ar$/);
    await screenshot(page, 'desk-checklist-print');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'desk-checklist-print-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The agenda shows the deadline.
    await page.goto(`${server.base}/desk`);
    const agenda = await page.textContent('#agenda-deadlines');
    assert.match(agenda, /El Amrani/);
    assert.match(agenda, new RegExp(day(40)));
    await axeClean(page, 'agenda with deadlines');
    await screenshot(page, 'desk-agenda');

    // Search as you type finds a transliteration.
    await page.fill('#desk-search', 'Muhammad');
    await page.waitForSelector('#search-results a');
    assert.match(await page.textContent('#search-results'), /El Amrani Mohamed/);

    // A second registration of the same person is flagged.
    await page.goto(`${server.base}/desk/persons/new`);
    await page.fill('#f-given', 'Mohammed');
    await page.fill('#f-family', 'Elamrani');
    await page.fill('#f-birth', '1990-05-01');
    await page.selectOption('#f-sex', 'm');
    await page.selectOption('#f-citizenship', 'MA');
    await Promise.all([page.waitForNavigation(), page.click('#person-save')]);
    assert.ok(await page.isVisible('#duplicate-warning'));
    await axeClean(page, 'duplicate warning');

    // Who has seen this record.
    await page.goto(`${personUrl.origin}${personUrl.pathname}?tab=access`);
    const log = await page.textContent('#access-log');
    assert.match(log, /demo-operator/);
    assert.match(log, /consultation\.create/);
    assert.match(log, /procedure\.create/);
    await axeClean(page, 'who has seen this record');

    // Anonymous consultation.
    await page.goto(`${server.base}/desk/consultations/new`);
    await axeClean(page, 'anonymous consultation');
    await page.click('label[for="topic-health"]');
    await page.selectOption('#c-citizenship', 'NG');
    await page.selectOption('#c-sex', 'f');
    await page.selectOption('#c-band', '18-60');
    await Promise.all([page.waitForNavigation(), page.click('#consultation-save')]);
    assert.match(new URL(page.url()).pathname, /^\/desk/);
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  it('an admin reads the rules and may add a version; the region is refused persons', async () => {
    const page = await newPage(browser, { bypassCSP: true }); // axe-core is injected inline
    await login(page, server.base, 'demo-admin', server.creds['demo-admin'].password);
    await page.goto(`${server.base}/desk/rules`);
    await axeClean(page, 'rules');
    await page.goto(`${server.base}/desk/rules/family_reunification`);
    assert.ok(await page.isVisible('#rule-form'));
    await axeClean(page, 'rule page');
    await page.context().close();

    const region = await newPage(browser);
    await login(region, server.base, 'demo-region', server.creds['demo-region'].password);
    const res = await region.goto(`${server.base}/desk`);
    assert.equal(res.status(), 403);
    await region.context().close();
  });
});
