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
const pages = {}; // viewport name -> { visitor, admin } playwright pages

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const { password } = server.creds['demo-admin'];
  for (const [vp, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const mk = async () => (await browser.newContext({ viewport, bypassCSP: true })).newPage();
    const visitor = await mk();
    const admin = await mk();
    await login(admin, server.base, 'demo-admin', password);
    pages[vp] = { visitor, admin };
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* Each check: name, who, how to get there (a path, or a function of page).
 * Every page is checked on a desktop; the phone run (where tables turn into
 * cards and the header folds) covers each template once, to keep the suite quick. */
const PHONE_TOO = new Set(['home-it', 'home-ar', 'district-it', 'district-ar', 'login-error', 'error-404',
  'workspace', 'users-error', 'orgs', 'audit']);
const checks = [
  ['home-it', 'visitor', '/?lang=it'],
  ['home-en', 'visitor', '/?lang=en'],
  ['home-ar', 'visitor', '/?lang=ar'],
  ['home-fr', 'visitor', '/?lang=fr'],
  ['district-it', 'visitor', '/ambiti/cremona?lang=it'],
  ['district-ar', 'visitor', '/ambiti/luino?lang=ar'],
  ['district-lodi-en', 'visitor', '/ambiti/lodi?lang=en'],
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
    await page.goto(`${base}/admin/users?lang=it`);
    await page.fill('#f-username', 'axe.short');
    await page.fill('#f-password', 'short');
    await page.selectOption('#f-role', 'operator');
    await page.fill('#f-org', 'cremona');
    await page.$eval('#user-form', (f) => { f.noValidate = true; });
    await Promise.all([page.waitForNavigation(), page.click('#user-form button[type=submit]')]);
    assert.ok(await page.isVisible('#form-error'), 'the form error is shown');
  }],
  ['orgs', 'admin', '/admin/orgs?lang=it'],
  ['audit', 'admin', '/audit?lang=it'],
  ['workspace-en', 'admin', '/app?lang=en'],
];

for (const vp of ['desktop', 'phone']) {
  describe(`axe-core WCAG 2.1 AA (${vp})`, () => {
    for (const [name, who, how] of checks) {
      if (vp === 'phone' && !PHONE_TOO.has(name)) continue;
      it(`${name} has no violations`, async () => {
        const page = pages[vp][who];
        if (typeof how === 'function') await how(page, server.base);
        else await page.goto(server.base + how);
        await screenshot(page, `axe-${name}-${vp}`);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(`${name} (${vp}, ${page.url()})`, violations));
      });
    }
  });
}

