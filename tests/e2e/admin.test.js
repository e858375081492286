// admin.test.js — the platform admin through the browser: logs in with the
// form, lands on the workspace, creates an account (after a validation error
// for a short password), creates a partner under the Cremona district (which
// then shows on the public district page), reads the audit log, logs out.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login, screenshot } from './helpers.js';

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
const submit = (page, form) => Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
const nav = (page, href) => Promise.all([page.waitForNavigation(), page.click(`.li-nav-list a[href="${href}"]`)]);

describe('admin', () => {
  it('logs in, manages users and organisations, reads the audit log, logs out', async () => {
    const page = await newPage(browser, { locale: 'en-GB' });
    await page.goto(server.base + '/');
    await Promise.all([page.waitForNavigation(), page.click('#login-link')]);
    assert.equal(path(page), '/login');

    // a wrong password first: a clear error, the username kept
    await page.fill('#username', 'demo-admin');
    await page.fill('#password', 'certainly not the password');
    await submit(page, '#login-form');
    assert.equal(path(page), '/login');
    assert.ok(await page.isVisible('#login-error'));
    assert.equal(await page.inputValue('#username'), 'demo-admin');
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');

    await page.fill('#password', server.creds['demo-admin'].password);
    await submit(page, '#login-form');
    assert.equal(path(page), '/app');
    assert.match(await page.textContent('h1'), /Workspace/);
    assert.match(await page.textContent('#workspace-intro'), /admin/i);
    assert.ok(await page.isVisible('#logout'), 'the log-out button is shown');
    assert.equal(await page.getAttribute('.li-nav-list a[href="/app"]', 'aria-current'), 'page');

    // users: a short password is refused with a message naming the field
    await nav(page, '/admin/users');
    assert.equal(path(page), '/admin/users');
    assert.match(await page.textContent('#users-table'), /demo-coordinator/);
    await page.fill('#f-username', 'e2e.operator');
    await page.fill('#f-display_name', 'E2E Operatore');
    await page.fill('#f-password', 'short');
    await page.fill('#f-email', 'e2e.operator@example.org');
    await page.selectOption('#f-role', 'operator');
    await page.fill('#f-org', 'cremona');
    const bad = await Promise.all([page.waitForNavigation(), page.click('#user-form button[type=submit]')]);
    assert.equal(bad[0].status(), 422);
    assert.ok(await page.isVisible('#form-error'));
    assert.match(await page.textContent('#form-error'), /12/);
    assert.equal(await page.getAttribute('#form-error a', 'href'), '#f-password');
    assert.equal(await page.getAttribute('#f-password', 'aria-invalid'), 'true', 'the field is marked invalid');
    assert.match(await page.getAttribute('#f-password', 'aria-describedby'), /form-error/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'form-error', 'the error takes the focus');
    assert.equal(await page.inputValue('#f-username'), 'e2e.operator', 'the form keeps what was typed');
    assert.equal(await page.inputValue('#f-role'), 'operator');
    assert.doesNotMatch(await page.textContent('#users-table'), /e2e\.operator/);

    await page.fill('#f-password', 'Lunga-e-sicura-2025!');
    await submit(page, '#user-form');
    assert.equal(path(page), '/admin/users');
    assert.ok(await page.isVisible('#form-ok'));
    const row = page.locator('#users-table tbody tr', { hasText: 'e2e.operator' });
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /E2E Operatore/);
    assert.match(await row.textContent(), /Cremonese/);
    await screenshot(page, 'admin-users-created');

    // organisations: a partner under cremona
    await nav(page, '/admin/orgs');
    assert.equal(path(page), '/admin/orgs');
    await page.fill('#o-code', 'e2e-biblioteca');
    await page.fill('#o-name', 'Biblioteca interculturale E2E');
    await page.selectOption('#o-kind', 'partner');
    await page.fill('#o-parent', 'cremona');
    await page.fill('#o-category', 'association');
    await submit(page, '#org-form');
    assert.equal(path(page), '/admin/orgs');
    assert.ok(await page.isVisible('#form-ok'));
    const org = page.locator('#orgs-table tbody tr', { hasText: 'e2e-biblioteca' });
    assert.equal(await org.count(), 1);
    assert.match(await org.textContent(), /Biblioteca interculturale E2E/);
    assert.match(await org.textContent(), /cremona/);
    await screenshot(page, 'admin-orgs-created');

    // the same code again is refused, the form keeps its values
    await page.fill('#o-code', 'e2e-biblioteca');
    await page.fill('#o-name', 'Doppione');
    await page.fill('#o-parent', 'cremona');
    await submit(page, '#org-form');
    assert.ok(await page.isVisible('#form-error'));
    assert.equal(await page.inputValue('#o-name'), 'Doppione');

    // the public district page shows the new partner at once
    const pub = await newPage(browser, { locale: 'it-IT' });
    await pub.goto(server.base + '/ambiti/cremona');
    assert.match(await pub.textContent('#partner-list'), /Biblioteca interculturale E2E/);
    await pub.context().close();

    // the audit log has the login, the failure and both creations
    await nav(page, '/audit');
    assert.equal(path(page), '/audit');
    const audit = await page.textContent('#audit-table');
    for (const action of ['login.success', 'user.create', 'org.create']) assert.match(audit, new RegExp(action.replace('.', '\\.')));
    assert.match(audit, /login\.failure/);
    await screenshot(page, 'admin-audit');
    // filter by action
    await page.fill('#a-action', 'org.create');
    await submit(page, '#audit-filters');
    const rows = page.locator('#audit-table tbody tr');
    assert.ok(await rows.count() >= 1);
    for (const text of await rows.allTextContents()) assert.match(text, /org\.create/);

    // log out: back on the public page, no session
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    assert.equal(path(page), '/');
    assert.ok(await page.isVisible('#login-link'));
    assert.equal(await page.locator('.li-nav-list').count(), 0);
    const after = await page.goto(server.base + '/admin/users');
    assert.equal(path(page), '/login', 'a logged-out visitor is sent to the login page');
    assert.equal(after.status(), 200);
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });
});
