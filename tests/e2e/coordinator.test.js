// coordinator.test.js — a district coordinator: logs in, reads the audit log
// of their district, and is refused the admin pages with a 403 page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, screenshot, horizontalOverflow, PHONE } from './helpers.js';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const path = (page) => new URL(page.url()).pathname;

describe('coordinator', () => {
  it('reads the audit log and cannot open the admin pages', async () => {
    const page = await newPage(browser, { locale: 'it-IT' });
    await login(page, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
    assert.equal(path(page), '/app');
    assert.match(await page.textContent('#workspace-intro'), /Cremonese/);
    const menu = await page.locator('.li-nav-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(menu.includes('/audit'), 'the menu offers the audit log');
    assert.ok(!menu.includes('/admin/users') && !menu.includes('/admin/orgs'), 'and no admin pages');
    assert.match(await page.textContent('#network-list'), /Azienda Sociale Cremonese/);

    await Promise.all([page.waitForNavigation(), page.click('.li-nav-list a[href="/audit"]')]);
    assert.equal(path(page), '/audit');
    assert.match(await page.textContent('#audit-table'), /demo-coordinator/);
    assert.match(await page.textContent('#audit-table'), /login\.success/);
    await screenshot(page, 'coordinator-audit');

    for (const denied of ['/admin/users', '/admin/orgs']) {
      const res = await page.goto(server.base + denied);
      assert.equal(res.status(), 403, `${denied} is forbidden`);
      assert.equal(await page.textContent('.li-error-code'), '403');
      assert.ok(await page.isVisible('#logout'), 'still logged in on the error page');
    }
    await screenshot(page, 'coordinator-403');

    // the refusal is in the audit log
    await page.goto(server.base + '/audit?action=access.denied');
    assert.match(await page.textContent('#audit-table'), /access\.denied/);
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  it('on a phone, opens the folded menu and reads the audit log without sideways scrolling', async () => {
    const page = await newPage(browser, { locale: 'it-IT', viewport: PHONE, isMobile: true, hasTouch: true });
    await login(page, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
    assert.equal(path(page), '/app');
    const toggle = page.locator('.li-nav-toggle');
    assert.ok(await toggle.isVisible(), 'the menu button is shown');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok(!(await page.isVisible('.li-nav-list a[href="/audit"]')), 'the menu starts folded');
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(await page.isVisible('.li-nav-list a[href="/audit"]'));
    await screenshot(page, 'coordinator-phone-menu');
    await page.keyboard.press('Escape');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    await toggle.click();
    await Promise.all([page.waitForNavigation(), page.click('.li-nav-list a[href="/audit"]')]);
    assert.equal(path(page), '/audit');
    for (const p of ['/audit', '/app']) {
      if (path(page) !== p) await page.goto(server.base + p);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.clientWidth, `${p}: scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.wide.join(', ')}`);
    }
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });
});
