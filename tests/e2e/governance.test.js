// governance.test.js — a district coordinator creates a project from the
// page, adds an action, a budget line and an expense with its supporting
// document (sent by the page's script to the API under the enforced CSP),
// sees spending against plan as a chart with its data table, and submits a
// semester; the region finds it in its queue and approves it, and the
// coordinator sees it approved. Every screen passes axe-core (WCAG 2.1 A/AA)
// on a desktop and a phone viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations, DESKTOP, PHONE,
} from './helpers.js';

let server;
let browser;
let coord;
let region;
const ids = {};
const errors = [];

/** axe on a copy of the page without CSP (the script is injected), desktop and phone. */
async function axeClean(url, who, name) {
  for (const [vp, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const ctx = await browser.newContext({ bypassCSP: true, viewport, storageState: await who.context().storageState() });
    const page = await ctx.newPage();
    await page.goto(url);
    const v = await axeViolations(page);
    await screenshot(page, `governance-${name}-${vp}`);
    await ctx.close();
    assert.equal(v.length, 0, formatViolations(`${name} (${vp})`, v));
  }
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coord = await newPage(browser);
  coord.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  coord.on('pageerror', (e) => errors.push(e.message));
  await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
  region = await newPage(browser);
  await login(region, server.base, 'demo-region', server.creds['demo-region'].password);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a coordinator creates a project with an action, a budget line and an expense with its document', async () => {
  await coord.goto(`${server.base}/governance?lang=it`);
  await axeClean(`${server.base}/governance?lang=it`, coord, 'projects');
  await coord.click('#new-project');
  await axeClean(coord.url(), coord, 'project-form');
  await coord.fill('#p-title', 'Lab\'Impact — Cremona, prova e2e');
  await coord.fill('#p-start', '2026-01-01');
  await coord.fill('#p-end', '2027-12-31');
  await coord.fill('#p-budget', '120.000,00');
  await coord.fill('#p-grant', '90000');
  await Promise.all([coord.waitForNavigation(), coord.click('#project-create')]);
  const m = coord.url().match(/\/governance\/projects\/(\d+)/);
  assert.ok(m, coord.url());
  ids.project = m[1];
  assert.match(await coord.textContent('#project-facts'), /120\.000,00/);
  assert.match(await coord.textContent('#project-facts'), /FAMI 2021-2027/);

  await coord.click('#edit-link');
  await axeClean(coord.url(), coord, 'project-edit');
  assert.equal(await coord.inputValue('#p-budget'), '120000,00');
  await coord.fill('#p-title', 'Lab\'Impact — Cremona, prova e2e (2)');
  await Promise.all([coord.waitForNavigation(), coord.click('#project-create')]);
  assert.match(await coord.textContent('#page-title'), /prova e2e \(2\)/);
  await coord.fill('#a-code', '01');
  await coord.fill('#a-title', 'Sportello e mediazione');
  await coord.selectOption('#a-macro', '2');
  await coord.fill('#a-participants', '200');
  await Promise.all([coord.waitForNavigation(), coord.click('#action-add')]);
  assert.match(await coord.textContent('#actions-table'), /Sportello e mediazione/);
  await coord.click('#partner-add');
  await coord.waitForSelector('#partners');
  await axeClean(`${server.base}/governance/projects/${ids.project}?lang=it`, coord, 'project');

  await coord.click('#budget-link');
  await coord.waitForSelector('#line-form');
  await coord.selectOption('#l-category', 'mediation');
  await coord.fill('#l-planned', '50.000');
  await coord.selectOption('#l-action', { index: 1 });
  await Promise.all([coord.waitForNavigation(), coord.click('#line-add')]);
  assert.match(await coord.textContent('#lines-table'), /50\.000,00/);

  await coord.fill('#e-date', '2026-03-16');
  await coord.fill('#e-amount', '1.250,50');
  await coord.fill('#e-supplier', 'Cooperativa Alfa');
  await coord.fill('#e-description', 'Mediazioni di marzo');
  await coord.setInputFiles('#e-file', { name: 'fattura-12.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  await Promise.all([coord.waitForNavigation(), coord.click('#expense-add')]);
  const row = await coord.textContent('#expenses-table');
  assert.match(row, /Cooperativa Alfa/);
  assert.match(row, /1\.250,50/);
  assert.ok(await coord.$('#expenses-table a[href$="/document"]'), 'the document was attached');
  assert.match(await coord.textContent('#plan-table'), /1\.250,50/);
  assert.ok(await coord.$('#budget-chart svg[role="img"] title'), 'the chart is an image with a title');
  await axeClean(`${server.base}/governance/projects/${ids.project}/budget?lang=it`, coord, 'budget');
  assert.deepEqual(errors, [], 'no script or CSP error');
});

test('the coordinator submits a semester, the region approves it, the coordinator sees it approved', async () => {
  await coord.goto(`${server.base}/governance/projects/${ids.project}?lang=it`);
  await coord.selectOption('#s-period', '2026-S1');
  await Promise.all([coord.waitForNavigation(), coord.click('#submit-period')]);
  assert.match(await coord.textContent('#submission-list'), /2026-S1/);
  assert.match(await coord.textContent('#submission-list'), /Inviato/);

  await region.goto(`${server.base}/governance/submissions?lang=it`);
  await axeClean(`${server.base}/governance/submissions?lang=it`, region, 'submissions');
  const link = region.locator('#queue a', { hasText: 'prova e2e' });
  await Promise.all([region.waitForNavigation(), link.click()]);
  await axeClean(region.url(), region, 'submission');
  await region.fill('#d-comment', 'Tutto in ordine.');
  await Promise.all([region.waitForNavigation(), region.click('#approve')]);
  assert.match(await region.textContent('#submission-status'), /Approvato/);
  assert.ok(await region.$('#reopen-form'), 'the region may reopen it for late corrections');

  await coord.goto(`${server.base}/governance/projects/${ids.project}?lang=it`);
  assert.match(await coord.textContent('#submission-list'), /Approvato/);
  assert.match(await coord.textContent('#submission-list'), /Tutto in ordine/);
  // The semester is locked: an expense dated inside it is refused, with the message on the page.
  await coord.goto(`${server.base}/governance/projects/${ids.project}/budget?lang=it`);
  await coord.fill('#e-date', '2026-04-01');
  await coord.fill('#e-amount', '10');
  await coord.fill('#e-supplier', 'Cartoleria');
  await coord.fill('#e-description', 'Cancelleria');
  await Promise.all([coord.waitForNavigation(), coord.click('#expense-add')]);
  assert.match(await coord.textContent('#form-error'), /approvato/i);
  await screenshot(coord, 'governance-locked');
});
