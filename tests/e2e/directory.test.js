// directory.test.js — participation and the directory in Chromium: a visitor
// finds a service in Arabic (right to left) by need, language and comune; an
// association registers through the public form, confirms its e-mail from
// the link the outbox delivers (a real SMTP sink), the district's
// coordinator approves it in the review queue; the visitor then finds it,
// and its event, in Arabic. Every page axe-clean, at phone width too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, axeViolations, formatViolations, screenshot, horizontalOverflow, PHONE, DESKTOP } from './helpers.js';
import { startSmtpSink } from '../api/smtp-sink.mjs';

let server, browser, sink;
const PHONE_390 = { width: 390, height: 844 };

before(async () => {
  sink = await startSmtpSink();
  // Tiles from the site itself (the CSP allows images from 'self' only): any PNG will do for the test.
  server = await startServer({ env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1',
    LABIMPACT_MAP_TILES: '/static/vendor/leaflet/images/layers.png?{z}/{x}/{y}' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

/* The page does not scroll sideways (a map's tiles may overflow their own clipped box). */
async function noSideScroll(page) {
  const o = await horizontalOverflow(page);
  assert.ok(o.scrollWidth <= o.clientWidth, `scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.wide.join(', ')}`);
}

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

  it('the association posts a weekly initiative; the calendar repeats it, in Arabic too', async () => {
    const assoc = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await login(assoc, server.base, 'demo-association', server.creds['demo-association'].password);
    await assoc.goto(`${server.base}/associazione`);
    await assoc.fill('#e-title', 'Doposcuola del sabato (e2e)');
    await assoc.fill('#e-start', '2027-01-09T15:00');
    await assoc.fill('#e-end', '2027-01-09T17:00');
    await assoc.fill('#e-place', 'Cremona');
    await assoc.selectOption('#e-repeat', 'weekly');
    await assoc.fill('#e-until', '2027-03-27');
    await assoc.click('label[for=\"e-day-SA\"]');
    await Promise.all([assoc.waitForNavigation(), assoc.click('#event-submit')]);
    assert.ok(await assoc.isVisible('#notice'), await assoc.textContent('#page-content'));
    await screenshot(assoc, 'directory-mine-390');
    const visitor = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await visitor.goto(`${server.base}/eventi/cremona?lang=ar`);
    const cards = visitor.locator('#event-list li', { hasText: 'Doposcuola del sabato (e2e)' });
    assert.equal(await cards.count(), 12, 'one card per Saturday, 9 January to 27 March');
    assert.match(await cards.first().textContent(), /كل أسبوع/);
    assert.match(await cards.nth(11).textContent(), /27\/03\/2027 15:00/);
    await assertAxe(visitor, 'events with a weekly initiative (ar)');
    await noSideScroll(visitor);
    for (const p of [assoc, visitor]) assert.deepEqual(p.problems(), []);
  });

  it('channels: the district calls for co-design, the association answers; support is recorded on its page', async () => {
    const coord = await newPage(browser, { viewport: DESKTOP, bypassCSP: true });
    await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
    await coord.goto(`${server.base}/canali`);
    await assertAxe(coord, 'channels (coordinator)');
    await coord.selectOption('#t-kind', 'codesign');
    await coord.fill('#t-title', 'Coprogettazione centri estivi (e2e)');
    await coord.fill('#t-body', 'Cerchiamo associazioni per i centri estivi.\nProposte entro il 31 marzo.');
    await Promise.all([coord.waitForNavigation(), coord.click('#thread-submit')]);
    assert.ok(await coord.isVisible('#notice'));
    await sink.waitFor((m) => /Coprogettazione centri estivi/.test(m.subject));

    const assoc = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await login(assoc, server.base, 'demo-association', server.creds['demo-association'].password);
    await assoc.goto(`${server.base}/canali`);
    await assoc.click('text=Coprogettazione centri estivi (e2e)');
    await assoc.fill('#r-body', 'Ci siamo: laboratori di cucina e sport.');
    await Promise.all([assoc.waitForNavigation(), assoc.click('#reply-submit')]);
    assert.match(await assoc.textContent('#message-list'), /laboratori di cucina/);
    await assertAxe(assoc, 'thread (association, phone)');
    await noSideScroll(assoc);
    await screenshot(assoc, 'directory-thread-390');
    await sink.waitFor((m) => /Coprogettazione centri estivi/.test(m.subject) && /laboratori di cucina/.test(m.text));

    await coord.goto(`${server.base}/sostegno`);
    await assertAxe(coord, 'support index');
    await coord.click('#support-associations a >> nth=0');
    await coord.selectOption('#s-kind', 'space');
    await coord.fill('#s-date', '2027-02-01');
    await coord.fill('#s-description', 'Sala civica il sabato pomeriggio');
    await Promise.all([coord.waitForNavigation(), coord.click('#support-submit')]);
    assert.match(await coord.textContent('#support-table'), /Sala civica il sabato pomeriggio/);
    await assertAxe(coord, 'support of an association');
    await screenshot(coord, 'directory-support-1280');
    await coord.goto(`${server.base}/canali`);
    await screenshot(coord, 'directory-channels-1280');
    for (const p of [coord, assoc]) assert.deepEqual(p.problems(), []);
  });

  it('an editor creates a service with its hours, languages and needs; a visitor finds it', async () => {
    const ed = await newPage(browser, { viewport: DESKTOP, bypassCSP: true });
    await login(ed, server.base, 'demo-editor', server.creds['demo-editor'].password);
    await ed.goto(`${server.base}/servizi/gestione`);
    await assertAxe(ed, 'services of the directory');
    await Promise.all([ed.waitForNavigation(), ed.click('#service-new')]);
    await ed.fill('#s-name', 'Sportello casa (e2e)');
    await ed.fill('#s-description', 'Ricerca di un alloggio, contratti, contributi.');
    await ed.fill('#s-email', 'casa-e2e@example.org');
    await ed.fill('#s-address', 'Via Dante 1');
    await ed.fill('#s-city', 'Casalmaggiore');
    await ed.fill('#s-cap', '26041');
    await ed.click('label[for=\"h0-TU\"]');
    await ed.click('label[for=\"h0-TH\"]');
    await ed.fill('#h0-opens', '09:30');
    await ed.fill('#h0-closes', '12:30');
    await ed.selectOption('#s-languages', ['it', 'ar', 'ur']);
    await ed.click('label[for=\"n-housing\"]');
    await assertAxe(ed, 'service form');
    await screenshot(ed, 'directory-service-form-1280');
    await Promise.all([ed.waitForNavigation(), ed.click('#service-submit')]);
    assert.ok(await ed.isVisible('#notice'), await ed.textContent('#page-content'));
    const phone = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await login(phone, server.base, 'demo-editor', server.creds['demo-editor'].password);
    await phone.goto(ed.url());
    await noSideScroll(phone);
    await screenshot(phone, 'directory-service-form-390');

    const visitor = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await visitor.goto(`${server.base}/servizi?need=housing&language=ur&lang=ar`);
    const card = visitor.locator('#service-list li', { hasText: 'Sportello casa (e2e)' });
    assert.equal(await card.count(), 1);
    assert.match(await card.textContent(), /09:30–12:30/);
    for (const p of [ed, phone, visitor]) assert.deepEqual(p.problems(), []);
  });

  it('a help desk refers a person to a service of the directory; the service answers; the desk reads the answer', async () => {
    const op = await newPage(browser, { viewport: DESKTOP, bypassCSP: true });
    await login(op, server.base, 'demo-operator', server.creds['demo-operator'].password);
    const csrf = await op.getAttribute('input[name="_csrf"]', 'value');
    const made = await op.context().request.post(`${server.base}/api/v1/persons`, {
      data: { given_name: 'Fatou', family_name: 'Ndiaye (e2e)', sex: 'f', birth_date: '1993-02-01', citizenship: 'SN', phone: '+39 333 1112223' },
      headers: { 'X-CSRF-Token': csrf },
    });
    assert.equal(made.status(), 201, await made.text());
    const pid = (await made.json()).id;
    await op.goto(`${server.base}/desk/persons/${pid}?tab=casework`);
    await Promise.all([op.waitForNavigation(), op.click('#referral-directory')]);
    await op.selectOption('#f-need', 'adult-education');
    await op.selectOption('#f-comune', 'Cremona');
    await Promise.all([op.waitForNavigation(), op.click('#referral-filter-submit')]);
    await assertAxe(op, 'referral to a service of the directory');
    await screenshot(op, 'directory-referral-form-1280');
    await op.locator('#referral-form label', { hasText: 'CPIA' }).first().click();
    await op.fill('#rf-reason', 'Corso di italiano A1 serale');
    await Promise.all([op.waitForNavigation(), op.click('#referral-submit')]);

    const recv = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await login(recv, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
    await recv.goto(`${server.base}/invii-ricevuti`);
    const card = recv.locator('article', { hasText: 'Ndiaye (e2e)' });
    assert.match(await card.textContent(), /Corso di italiano A1 serale/);
    assert.doesNotMatch(await card.textContent(), /1993|SN\b/, 'only what the service needs');
    await assertAxe(recv, 'referrals received (phone)');
    await noSideScroll(recv);
    await screenshot(recv, 'directory-incoming-390');
    await Promise.all([recv.waitForNavigation(), card.locator('button[id^="accept-submit"]').click()]);
    const again = recv.locator('article', { hasText: 'Ndiaye (e2e)' });
    await again.locator('input[id^="done-note"]').fill('Iscritta, inizia lunedì');
    await Promise.all([recv.waitForNavigation(), again.locator('button[id^="complete-submit"]').click()]);

    await op.goto(`${server.base}/desk/persons/${pid}?tab=casework`);
    assert.match(await op.textContent('#ref-title + *, section[aria-labelledby="ref-title"]'), /Iscritta, inizia lunedì/);
    for (const p of [op, recv]) assert.deepEqual(p.problems(), []);
  });

  it('the map: a list by distance without JavaScript; Leaflet draws the same points under the CSP', async () => {
    const nojs = await newPage(browser, { viewport: PHONE_390, javaScriptEnabled: false });
    await nojs.goto(`${server.base}/mappa?comune=Luino&lang=ar`);
    const first = await nojs.$$eval('#place-list .card-title', (h) => h.map((e) => e.textContent.trim()));
    assert.ok(first.length > 5);
    assert.match(first[0], /Luino/, 'the nearest first');
    const km = await nojs.$$eval('#place-list [dir="ltr"]', (x) => x.map((e) => parseFloat(e.textContent)));
    assert.deepEqual(km, [...km].sort((a, b) => a - b), 'ordered by distance');
    await screenshot(nojs, 'directory-map-nojs-ar-390');

    const strict = await newPage(browser, { viewport: DESKTOP }); // the CSP applies: Leaflet and the tiles still load
    await strict.goto(`${server.base}/mappa?comune=Cremona`);
    await strict.waitForSelector('#map.li-map-ready');
    assert.ok(await strict.locator('#map img.leaflet-tile-loaded').count() > 0, 'tiles shown');
    assert.ok(await strict.locator('#map path.leaflet-interactive').count() > 0);
    assert.deepEqual(strict.problems(), []);
    const page = await newPage(browser, { viewport: DESKTOP, bypassCSP: true });
    await page.goto(`${server.base}/mappa?comune=Cremona`);
    await page.waitForSelector('#map.li-map-ready');
    const markers = await page.locator('#map path.leaflet-interactive').count();
    const listed = await page.locator('#place-list li').count();
    assert.ok(markers >= 10 && markers <= listed, `${markers} markers for ${listed} places`);
    await page.locator('#map path.leaflet-interactive').first().click({ force: true });
    await page.waitForSelector('.leaflet-popup-content a');
    await assertAxe(page, 'map');
    await screenshot(page, 'directory-map-1280');
    const phone = await newPage(browser, { viewport: PHONE_390, bypassCSP: true });
    await phone.goto(`${server.base}/mappa?comune=Cremona&lang=ar`);
    await phone.waitForSelector('#map.li-map-ready');
    await noSideScroll(phone);
    await screenshot(phone, 'directory-map-ar-390');
    for (const p of [nojs, page, phone]) assert.deepEqual(p.problems(), []);
  });
});
