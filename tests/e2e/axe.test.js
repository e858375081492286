// axe.test.js — every page passes axe-core's WCAG 2.0/2.1 A and AA rules, on a
// desktop and on a phone viewport. The axe script is injected, so these
// contexts bypass the CSP (the other tests run with the CSP enforced).
// A full-page screenshot of each page goes to build/screenshots/axe-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, login, screenshot, axeViolations, formatViolations, DESKTOP, PHONE,
} from './helpers.js';

let server, browser;
const pages = {}; // who -> playwright page

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const mk = async () => (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
  pages.visitor = await mk();
  pages.admin = await mk();
  await login(pages.admin, server.base, 'demo-admin', server.creds['demo-admin'].password);
  pages.coordinator = await mk();
  await login(pages.coordinator, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
  pages.region = await mk();
  await login(pages.region, server.base, 'demo-region', server.creds['demo-region'].password);
});

/* Goes to the page `suffix` of the demo coordinator's current project (governance). */
const projectPage = (suffix = '') => async (page, base) => {
  const r = await page.request.get(`${base}/api/v1/projects?limit=200`);
  const id = (await r.json()).items.find((p) => p.code === 'lab-impact-2-cremona').id;
  await page.goto(`${base}/governance/projects/${id}${suffix}?lang=it`);
};
/* Goes to the first submission in the scope (governance). */
const submissionPage = async (page, base) => {
  const r = await page.request.get(`${base}/api/v1/submissions`);
  await page.goto(`${base}/governance/submissions/${(await r.json()).items[0].id}?lang=it`);
};

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* Each check: name, who, how to get there (a path, or a function of page). */
const checks = [
  ['home-it', 'visitor', '/?lang=it'],
  ['home-en', 'visitor', '/?lang=en'],
  ['home-ar', 'visitor', '/?lang=ar'],
  ['district-it', 'visitor', '/ambiti/cremona?lang=it'],
  ['district-ar', 'visitor', '/ambiti/lodi?lang=ar'],
  ['login', 'visitor', '/login?lang=it'],
  ['login-error', 'visitor', async (page, base) => {
    await page.goto(`${base}/login?lang=it`);
    await page.fill('#username', 'nobody-here');
    await page.fill('#password', 'not the right password');
    await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
    assert.ok(await page.isVisible('#login-error'), 'the login error is shown');
  }],
  ['error-404', 'visitor', '/ambiti/no-such-district?lang=it'],
  ['error-404-ar', 'visitor', '/no/such/page?lang=ar'],
  ['workspace', 'admin', '/app?lang=it'],
  ['users', 'admin', '/admin/users?lang=it'],
  ['users-error', 'admin', async (page, base) => {
    await page.goto(`${base}/admin/users?lang=en`);
    await page.fill('#f-username', 'axe.short');
    await page.fill('#f-password', 'short');
    await page.selectOption('#f-role', 'operator');
    await page.fill('#f-org', 'cremona');
    await Promise.all([page.waitForNavigation(), page.click('#user-form button[type=submit]')]);
    assert.ok(await page.isVisible('#form-error'), 'the form error is shown');
  }],
  ['orgs', 'admin', '/admin/orgs?lang=it'],
  ['audit', 'admin', '/audit?lang=it'],
  ['courses-support', 'admin', '/courses/support?lang=it'],
  ['courses-watch', 'admin', '/courses/watch?lang=it'],
  ['courses-internships', 'admin', '/courses/internships?lang=it'],
  ['courses-region', 'admin', '/courses/region?lang=it'],
  ['meetings-workspace', 'admin', '/meetings?lang=it'],
  ['meetings-new', 'admin', '/meetings/new?lang=it'],
  ['meetings-tavolo', 'admin', '/meetings/7?lang=it'],
  ['meetings-attendance', 'admin', '/meetings/7/attendance?lang=it'],
  ['meetings-laboratory', 'admin', '/meetings/14?lang=it'],
  ['meetings-library', 'admin', '/meetings/library?lang=it'],
  ['meetings-documents', 'visitor', '/documenti?lang=it'],
  ['meetings-documents-en', 'visitor', '/documenti?lang=en'],
  ['meetings-documents-ar', 'visitor', '/documenti?lang=ar'],
  ['governance-projects', 'coordinator', '/governance?lang=it'],
  ['governance-project-new', 'coordinator', '/governance/projects/new?lang=it'],
  ['governance-project', 'coordinator', projectPage()],
  ['governance-budget', 'coordinator', projectPage('/budget')],
  ['governance-budget-region', 'region', projectPage('/budget')],
  ['governance-submissions', 'region', '/governance/submissions?lang=it'],
  ['governance-submission', 'region', submissionPage],
  ['info-issues', 'admin', '/info/editor/issues?lang=it'],
  ['info-contacts', 'admin', '/info/editor/contacts?lang=it'],
  ['info-contact', 'admin', '/info/editor/contacts/cremona?lang=it'],
  ['info-portal-contacts-ur', 'visitor', '/info?lang=ur'],
  ['monitoring-region', 'admin', '/monitoraggio?lang=it'],
  ['monitoring-district', 'admin', '/monitoraggio?org=lodi&lang=it'],
  ['directory-map', 'visitor', '/mappa?lang=it'],
  ['directory-map-ar', 'visitor', '/mappa?comune=Luino&lang=ar'],
  ['directory-events-ar', 'visitor', '/eventi/cremona?lang=ar'],
];

/* Each page is loaded once and checked on a desktop, then again after the
 * viewport shrinks to a phone's (tables turn into cards, the menu folds). */
describe('axe-core WCAG 2.1 AA, desktop and phone', () => {
  for (const [name, who, how] of checks) {
    it(`${name} has no violations`, async () => {
      const page = pages[who];
      await page.setViewportSize(DESKTOP);
      if (typeof how === 'function') await how(page, server.base);
      else await page.goto(server.base + how);
      const report = [];
      for (const [vp, size] of [['desktop', DESKTOP], ['phone', PHONE]]) {
        await page.setViewportSize(size);
        await screenshot(page, `axe-${name}-${vp}`);
        const violations = await axeViolations(page);
        if (violations.length) report.push(formatViolations(`${name} (${vp}, ${page.url()})`, violations));
      }
      assert.equal(report.length, 0, report.join('\n'));
    });
  }
});
