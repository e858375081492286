// mediation.test.mjs — a coordinator runs on-call mediation in the browser:
// adds mediators to the register, records a request, sees the candidates and
// why others are excluded, assigns, closes out, and reads the month's
// statement (which agrees with the API); the mediator sees the job, the hours
// and the calendar link on their own page. Every screen passes axe-core
// (WCAG 2.1 A/AA) and the pages run under the enforced CSP without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations,
} from './helpers.js';

let server;
let browser;
let coord;
let mediator;

/** Rome local date parts of now. */
function romeToday() {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return { y: p.year, m: p.month, d: p.day };
}

/** axe on a copy of the page without CSP (the script is injected). */
async function axeClean(url, who, name) {
  const ctx = await browser.newContext({ bypassCSP: true, storageState: await who.context().storageState() });
  const page = await ctx.newPage();
  await page.goto(url);
  const v = await axeViolations(page);
  await screenshot(page, `mediation-${name}`);
  await ctx.close();
  assert.equal(v.length, 0, formatViolations(name, v));
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coord = await newPage(browser);
  await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
  mediator = await newPage(browser);
  await login(mediator, server.base, 'demo-mediator', server.creds['demo-mediator'].password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('request -> assign -> close out -> statement, in the browser', async () => {
  const base = server.base;
  // The register: two Arabic-speaking mediators, one of them the demo mediator's own record.
  await coord.goto(`${base}/mediation/mediators?lang=it`);
  for (const [given, family, langs, user] of [['Amina', 'Diallo', 'ar, fr', 'demo-mediator'], ['Karim', 'Haddad', 'ar', '']]) {
    await coord.fill('#m-given', given);
    await coord.fill('#m-family', family);
    await coord.fill('#m-langs', langs);
    await coord.fill('#m-email', `${given.toLowerCase()}@example.org`);
    await coord.fill('#m-qual', 'Mediatore interculturale - qualifica regionale');
    if (user) await coord.fill('#m-user', user);
    await Promise.all([coord.waitForNavigation(), coord.click('#mediator-submit')]);
    assert.ok(await coord.isVisible('#notice'), await coord.content());
  }
  assert.equal(await coord.locator('#register-table tbody tr').count(), 2);
  await axeClean(`${base}/mediation/mediators?lang=it`, coord, 'register');

  // A request from a school, this month.
  const t = romeToday();
  const day = Number(t.d) > 1 ? '01' : t.d;
  const start = `${t.y}-${t.m}-${day}T10:00`;
  await coord.goto(`${base}/mediation/requests/new?lang=it`);
  await axeClean(`${base}/mediation/requests/new?lang=it`, coord, 'request-form');
  await coord.selectOption('#r-language', 'ar');
  await coord.selectOption('#r-domain', 'school');
  await coord.fill('#r-start', start);
  await coord.fill('#r-minutes', '90');
  await coord.fill('#r-place', 'IC Marconi, Casalmaggiore');
  await coord.fill('#r-body-name', 'IC Marconi Casalmaggiore');
  await coord.fill('#r-req-name', 'Prof.ssa Bianchi');
  await coord.fill('#r-req-email', 'bianchi@example.org');
  await Promise.all([coord.waitForNavigation(), coord.click('#request-submit')]);
  assert.match(coord.url(), /\/mediation\/requests\/\d+\?created=1/);
  const id = Number(coord.url().match(/requests\/(\d+)/)[1]);
  assert.equal(await coord.locator('#candidates-table tbody tr').count(), 2);
  await axeClean(`${base}/mediation/requests/${id}?lang=it`, coord, 'request-candidates');

  // Assign Amina.
  const amina = coord.locator('#candidates-table tbody tr', { hasText: 'Amina' });
  await Promise.all([coord.waitForNavigation(), amina.locator('button[name=assign]').click()]);
  assert.match(await coord.textContent('#request-mediator'), /Amina Diallo/);
  // The other request at the same time would find Amina busy: shown with its reason.
  // Close out: 70 minutes, 12.5 km.
  await coord.fill('#c-minutes', '70');
  await coord.fill('#c-travel', '12,5');
  await Promise.all([coord.waitForNavigation(), coord.click('#close-submit')]);
  const pay = await coord.textContent('#request-pay');
  assert.match(pay, /€/);
  await axeClean(`${base}/mediation/requests/${id}?lang=it`, coord, 'request-done');

  // The statement of the month agrees with the API.
  const month = start.slice(0, 7);
  await coord.goto(`${base}/mediation/statements?month=${month}&lang=it`);
  const row = coord.locator('#summary-table tbody tr', { hasText: 'Amina' });
  assert.equal(await row.count(), 1);
  await axeClean(`${base}/mediation/statements?month=${month}&lang=it`, coord, 'statements');
  await Promise.all([coord.waitForNavigation(), row.locator('a').first().click()]);
  const shown = (await coord.textContent('#statement-total')).trim();
  const api = await coord.context().request.get(`${base}/api/v1/mediation/requests/${id}`);
  const req = await api.json();
  const cents = req.pay.total_cents;
  const euro = `€ ${Math.floor(cents / 100).toLocaleString('it-IT')},${String(cents % 100).padStart(2, '0')}`;
  assert.equal(shown, euro);
  const pdf = await coord.context().request.get(await coord.getAttribute('#download-pdf', 'href').then((h) => base + h.replace(/&amp;/g, '&')));
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const csv = await coord.context().request.get(base + (await coord.getAttribute('#download-csv', 'href')));
  assert.match(await csv.text(), /IC Marconi Casalmaggiore/);

  // The mediator's own page: this month's total, and the calendar feed.
  await mediator.goto(`${base}/mediation/me?lang=it`);
  assert.equal((await mediator.textContent('#month-total')).trim(), euro);
  const cal = await mediator.getAttribute('#calendar-link', 'href');
  assert.match(cal, /calendar\.ics\?token=/);
  await axeClean(`${base}/mediation/me?lang=it`, mediator, 'me');
  await axeClean(`${base}/mediation?month=${month}&lang=en`, coord, 'requests-en');
  assert.deepEqual(coord.problems(), []);
  assert.deepEqual(mediator.problems(), []);
});
