// info.test.mjs — qualified information in the browser: a visitor reads a
// material in Arabic (right to left) and downloads its leaflet, reads one in
// Chinese and one that falls back to Italian, searches in Chinese, and opens
// a district's notice board; an editor writes a material and a translator
// translates it side by side and sends it to review (publishing their own
// work is refused: a second translator publishes, see the API test); an
// editor sets a desk's contacts and hours (shown on the district page in
// Arabic), composes and sends a newsletter issue and watches its job, and
// attaches a PDF in Arabic; a reader on a phone opens a material, goes
// offline and reloads it from the service worker. Every
// screen passes axe-core (WCAG 2.1 A/AA), at desktop and phone sizes, and the
// pages run under the enforced CSP without errors and without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations, PHONE,
} from './helpers.js';

let server;
let browser;
let visitor;
let editor;
let translator;

/** axe on a copy of the page without CSP (the script is injected), desktop and phone. */
async function axeClean(url, who, name) {
  const ctx = await browser.newContext({ bypassCSP: true, storageState: await who.context().storageState() });
  const page = await ctx.newPage();
  await page.goto(url);
  let v = await axeViolations(page);
  await screenshot(page, `info-${name}`);
  assert.equal(v.length, 0, formatViolations(name, v));
  await page.setViewportSize(PHONE);
  v = await axeViolations(page);
  await screenshot(page, `info-${name}-phone`);
  await ctx.close();
  assert.equal(v.length, 0, formatViolations(`${name} (phone)`, v));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  visitor = await newPage(browser, { javaScriptEnabled: false });
  editor = await newPage(browser);
  await login(editor, server.base, 'demo-editor', server.creds['demo-editor'].password);
  translator = await newPage(browser);
  await login(translator, server.base, 'demo-translator', server.creds['demo-translator'].password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a visitor reads a material in Arabic, right to left, and downloads the leaflet (no JavaScript)', async () => {
  const b = server.base;
  await visitor.goto(`${b}/info?lang=ar`);
  assert.equal(await visitor.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await visitor.getAttribute('html', 'lang'), 'ar');
  await Promise.all([visitor.waitForNavigation(), visitor.click('#info-list a:has-text("تجديد تصريح الإقامة")')]);
  assert.match(await visitor.textContent('h1'), /تجديد تصريح الإقامة/);
  assert.equal(await visitor.getAttribute('#info-body', 'dir'), 'rtl');
  assert.equal(await visitor.isVisible('#info-fallback'), false);
  const href = await visitor.getAttribute('#info-leaflet', 'href');
  assert.match(href, /\.pdf\?lang=ar$/);
  const pdf = await visitor.context().request.get(b + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-');
  assert.deepEqual(visitor.problems(), []);
  await axeClean(`${b}/info?lang=ar`, visitor, 'portal-ar');
  await axeClean(visitor.url(), visitor, 'material-ar');
});

test('Chinese: a translated material, a search, and the Italian fallback marked in Chinese', async () => {
  const b = server.base;
  await visitor.goto(`${b}/info?lang=zh&q=${encodeURIComponent('医疗')}`);
  assert.equal(await visitor.locator('#info-list li').count(), 1);
  await visitor.goto(`${b}/info?category=school&lang=zh`);
  await Promise.all([visitor.waitForNavigation(), visitor.click('#info-list a')]);
  assert.ok(await visitor.isVisible('#info-fallback'));
  assert.match(await visitor.textContent('#info-fallback'), /意大利语/);
  assert.equal(await visitor.getAttribute('#info-body', 'lang'), 'it');
  await axeClean(visitor.url(), visitor, 'material-zh-fallback');
  await visitor.goto(`${b}/bacheca/cremona?lang=it`);
  assert.ok(await visitor.locator('article[id^=notice-]').count() >= 1);
  await axeClean(`${b}/bacheca/cremona?lang=it`, visitor, 'board');
  await axeClean(`${b}/bacheca/cremona/kiosk?lang=it`, visitor, 'kiosk');
  assert.deepEqual(visitor.problems(), []);
});

test('an editor writes a material; the translator translates it side by side and sends it to review', async () => {
  const b = server.base;
  await editor.goto(`${b}/info/editor?lang=it`);
  await editor.fill('#m-title', 'Corsi di italiano per adulti');
  await editor.selectOption('#m-category', 'language_courses');
  await editor.fill('#m-body', 'I corsi del **CPIA** sono gratuiti.\n\nIscriviti in segreteria.');
  await Promise.all([editor.waitForNavigation(), editor.click('#material-form button[type=submit]')]);
  const id = editor.url().match(/\/info\/editor\/(\d+)/)[1];
  await axeClean(`${b}/info/editor?lang=it`, editor, 'editor');
  await axeClean(editor.url(), editor, 'editor-material');

  await translator.goto(`${b}/info/translate?lang=it`);
  assert.ok(await translator.isVisible('#progress-table'));
  await Promise.all([translator.waitForNavigation(), translator.click(`a[href="/info/translate/${id}/ar"]`)]);
  assert.match(await translator.textContent('#source-text'), /CPIA/);
  assert.equal(await translator.getAttribute('#t-body', 'dir'), 'rtl');
  await translator.fill('#t-title', 'دورات اللغة الإيطالية للبالغين');
  await translator.fill('#t-body', 'دورات **CPIA** مجانية.\n\nسجّل في الأمانة.');
  await Promise.all([translator.waitForNavigation(), translator.click('button[value=review]')]);
  assert.ok(await translator.isVisible('#saved'));
  assert.match(await translator.textContent('#translation-state'), /review/);
  await Promise.all([translator.waitForNavigation(), translator.click('#publish')]);
  assert.ok(await translator.isVisible('#form-error'), 'the author cannot publish their own translation');
  await axeClean(`${b}/info/translate/${id}/ar?lang=it`, translator, 'translation');
  await axeClean(`${b}/info/translate?lang=it`, translator, 'translate');
  assert.deepEqual(editor.problems(), []);
  assert.deepEqual(translator.problems().filter((p) => !/^403 /.test(p)), []);
});

test('contacts and office hours: the editor sets them, the district page and /info show them, in Arabic too', async () => {
  const b = server.base;
  await editor.goto(`${b}/info/editor/contacts?lang=it`);
  await Promise.all([editor.waitForNavigation(), editor.click('#contacts-table a[href="/info/editor/contacts/cremona"]')]);
  await editor.fill('#c-phone', '+39 0372 000999');
  await editor.fill('#o2a-from', '09:30');
  await editor.fill('#o2a-to', '12:00');
  await editor.selectOption('#f-day', '4');
  await editor.fill('#f-from', '15:00');
  await editor.fill('#f-to', '18:00');
  await Promise.all([editor.waitForNavigation(), editor.click('#contact-form button[type=submit]')]);
  assert.ok(await editor.isVisible('#contact-saved'));
  await axeClean(`${b}/info/editor/contacts?lang=it`, editor, 'contacts');
  await axeClean(editor.url(), editor, 'contact');
  await visitor.goto(`${b}/ambiti/cremona?lang=ar`);
  assert.match(await visitor.textContent('#contacts'), /0372 000999/);
  assert.match(await visitor.textContent('#contacts .li-facilitation'), /الخميس/);
  await axeClean(`${b}/ambiti/cremona?lang=ar`, visitor, 'district-contacts-ar');
  await visitor.goto(`${b}/info?lang=it`);
  assert.match(await visitor.textContent('#contacts'), /Giovedì/);
  assert.deepEqual(editor.problems(), []);
});

test('newsletter: the editor composes an issue from a material and a notice, sends it, and watches the job', async () => {
  const b = server.base;
  await editor.goto(`${b}/info/editor/issues?lang=it`);
  await editor.fill('#i-subject', 'Novità di giugno');
  await editor.fill('#i-intro', 'Le informazioni del mese.');
  await editor.click('#i-material_ids label >> nth=0');
  assert.ok(await editor.isChecked('#i-material_ids input[type=checkbox] >> nth=0'));
  await Promise.all([editor.waitForNavigation(), editor.click('#issue-form button[type=submit]')]);
  assert.match(editor.url(), /\/info\/editor\/issues\/\d+$/);
  assert.ok(await editor.isVisible('#issue-status'));
  await axeClean(`${b}/info/editor/issues?lang=it`, editor, 'issues');
  await Promise.all([editor.waitForNavigation(), editor.click('#issue-send button')]);
  assert.ok(await editor.isVisible('#job-counts'));
  assert.match(await editor.textContent('#job-counts'), /Inviat.: 0 \/ 0/);
  await axeClean(editor.url(), editor, 'issue');
  assert.deepEqual(editor.problems(), []);
});

test('attachments: the editor attaches a PDF in Arabic; the Arabic page offers it, the French one falls back to Italian', async () => {
  const b = server.base;
  await editor.goto(`${b}/info/editor/1?lang=it`);
  await editor.selectOption('#a-lang', 'ar');
  await editor.fill('#a-title', 'استمارة');
  await editor.setInputFiles('#a-file', { name: 'modulo.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await Promise.all([editor.waitForNavigation(), editor.click('#attachment-submit')]);
  assert.match(await editor.textContent('#attachment-list'), /استمارة/);
  await visitor.goto(`${b}/info/1?lang=ar`);
  assert.match(await visitor.textContent('#info-files'), /استمارة/);
  await visitor.goto(`${b}/info/1?lang=fr`);
  assert.equal(await visitor.locator('#info-files').count(), 0, 'no file in French nor in Italian');
  assert.deepEqual(editor.problems(), []);
});

test('offline: a material opened once stays readable without a connection (service worker)', async () => {
  const b = server.base;
  const reader = await newPage(browser, { viewport: PHONE });
  await reader.goto(`${b}/info/1?lang=ar`);
  await reader.evaluate(() => navigator.serviceWorker.ready);
  await reader.reload(); // now under the worker's control: this visit is stored
  assert.ok(await reader.evaluate(() => !!navigator.serviceWorker.controller));
  const text = await reader.textContent('#info-body');
  await reader.context().setOffline(true);
  await reader.reload();
  assert.equal(await reader.textContent('#info-body'), text);
  assert.equal(await reader.getAttribute('html', 'dir'), 'rtl');
  await screenshot(reader, 'info-offline-ar-phone');
  await reader.goto(`${b}/info?lang=ar`).catch(() => {}); // not opened before: the stored portal or the offline answer
  await reader.context().setOffline(false);
  await reader.context().close();
});
