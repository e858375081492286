// directory.test.js — participation and the directory in Chromium: a visitor
// finds a service in Arabic (right to left) by need, language and comune; an
// association registers through the public form, confirms its e-mail from
// the link the outbox delivers (a real SMTP sink), the district's
// coordinator approves it in the review queue; the visitor then finds it,
// and its event, in Arabic. Every page axe-clean, at phone width too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, axeViolations, formatViolations, screenshot, PHONE } from './helpers.js';
import { startSmtpSink } from '../api/smtp-sink.mjs';

let server, browser, sink;

before(async () => {
  sink = await startSmtpSink();
  server = await startServer({ env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

async function assertAxe(page, name) {
  const v = await axeViolations(page);
  assert.deepEqual(v.map((x) => x.id), [], formatViolations(name, v));
}

describe('the directory', () => {
  it('a visitor finds a service in Arabic, by need, language and comune', async () => {
    const page = await newPage(browser, { viewport: PHONE, bypassCSP: true });
    await page.goto(`${server.base}/servizi?lang=ar`);
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.selectOption('#f-need', 'mediation');
    await page.selectOption('#f-language', 'ar');
    await page.selectOption('#f-comune', 'Luino');
    await Promise.all([page.waitForNavigation(), page.click('#find-submit')]);
    const names = await page.$$eval('#service-list .card-title', (h) => h.map((e) => e.textContent.trim()));
    assert.ok(names.length >= 1, 'services found');
    assert.match(names[0], /Mediazione linguistico-culturale — Luino/, 'the nearest first');
    assert.ok(await page.isVisible('#service-list [lang="ar"]'), 'Arabic among the languages');
    assert.match(await page.textContent('h1'), /ابحث عن خدمة/);
    await assertAxe(page, 'find (ar, phone)');
    await screenshot(page, 'directory-find-ar-phone');
    assert.deepEqual(page.problems(), []);
  });

  it('an association registers and confirms; the coordinator approves; a visitor finds it and its event in Arabic', async () => {
    const visitor = await newPage(browser, { viewport: PHONE, bypassCSP: true });
    await visitor.goto(`${server.base}/associazioni/registrati?lang=it`);
    await assertAxe(visitor, 'register');
    await visitor.fill('#r-name', 'Amici del Senegal (e2e)');
    await visitor.fill('#r-email', 'senegal-e2e@example.org');
    await visitor.selectOption('#r-org', 'cremona');
    await visitor.selectOption('#r-legal', 'odv');
    await visitor.fill('#r-communities', 'sn, ml');
    await visitor.selectOption('#r-languages', ['fr', 'wo']);
    await visitor.fill('#r-description', 'Incontri e sostegno scolastico.');
    await Promise.all([visitor.waitForNavigation(), visitor.click('#register-submit')]);
    assert.ok(await visitor.isVisible('#notice'));

    const mail = await sink.waitFor((m) => m.to.includes('senegal-e2e@example.org'));
    const link = mail.text.match(/https?:\/\/[^/\s]+(\/associazioni\/conferma\/\S+)/)[1];
    await visitor.goto(server.base + link);
    await assertAxe(visitor, 'confirm');
    await Promise.all([visitor.waitForNavigation(), visitor.click('#confirm-submit')]);
    assert.ok(await visitor.isVisible('#notice'));

    const coord = await newPage(browser, { bypassCSP: true });
    await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
    await coord.goto(`${server.base}/associazioni/revisione`);
    await assertAxe(coord, 'review queue');
    const card = coord.locator('article', { hasText: 'Amici del Senegal (e2e)' });
    await Promise.all([coord.waitForNavigation(), card.locator('button[id^="approve-submit"]').click()]);
    assert.ok(await coord.isVisible('#notice'));
    await screenshot(coord, 'directory-review');

    // The demo association posts an event from its own page.
    const assoc = await newPage(browser, { bypassCSP: true });
    await login(assoc, server.base, 'demo-association', server.creds['demo-association'].password);
    await assoc.goto(`${server.base}/associazione`);
    await assertAxe(assoc, 'my association');
    await assoc.fill('#e-title', 'Cena dei popoli (e2e)');
    await assoc.fill('#e-start', '2027-06-12T19:00');
    await assoc.fill('#e-end', '2027-06-12T22:00');
    await assoc.fill('#e-place', 'Cremona, Piazza del Comune');
    await Promise.all([assoc.waitForNavigation(), assoc.click('#event-submit')]);
    assert.ok(await assoc.isVisible('#notice'), await assoc.textContent('#page-content'));

    await visitor.goto(`${server.base}/associazioni?org=cremona&lang=ar`);
    assert.equal(await visitor.getAttribute('html', 'dir'), 'rtl');
    await visitor.click('text=Amici del Senegal (e2e)');
    assert.match(await visitor.textContent('h1'), /Amici del Senegal/);
    assert.match(await visitor.textContent('#association-facts'), /SN/);
    await assertAxe(visitor, 'profile (ar)');
    await visitor.goto(`${server.base}/eventi/cremona?lang=ar`);
    assert.match(await visitor.textContent('#event-list'), /Cena dei popoli \(e2e\)/);
    await assertAxe(visitor, 'events (ar)');
    await screenshot(visitor, 'directory-events-ar-phone');
    for (const p of [visitor, coord, assoc]) assert.deepEqual(p.problems(), []);
  });
});
