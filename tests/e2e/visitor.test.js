// visitor.test.js — a visitor without an account: the public home page in
// Italian, the switch to English and to Arabic (right to left), a district page
// reached from the home page; and the public pages on a phone (375x812) with no
// sideways scrolling. The CSP is enforced here: a blocked script or style fails.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, screenshot, horizontalOverflow, PHONE } from './helpers.js';

let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const htmlAttrs = (page) => page.evaluate(() => ({
  lang: document.documentElement.lang,
  dir: document.documentElement.dir,
}));

describe('visitor', () => {
  it('reads the home page in Italian, then English, then Arabic, then opens a district', async () => {
    const page = await newPage(browser); // Accept-Language: it-IT
    const res = await page.goto(server.base + '/');
    assert.equal(res.status(), 200);
    assert.deepEqual(await htmlAttrs(page), { lang: 'it', dir: 'ltr' });
    assert.match(await page.textContent('h1'), /integrazione dei migranti in Lombardia/);
    assert.match(await page.title(), /Lab'Impact/);
    // the plan: four macro-actions, the districts and their networks from the database
    assert.equal(await page.locator('#macro-list > li').count(), 4);
    assert.match(await page.textContent('#macro-list'), /Qualificazione del sistema scolastico/);
    const districts = page.locator('#district-list > li');
    assert.ok(await districts.count() >= 3, 'the demo districts are listed');
    const cremona = page.locator('#district-list > li', { has: page.locator('a[href="/ambiti/cremona"]') });
    assert.match(await cremona.textContent(), /Azienda Sociale Cremonese/);
    assert.match(await cremona.textContent(), /15\s+partner/);
    assert.ok(await page.isVisible('#login-link'), 'a visitor is offered to log in');

    await page.click('.li-langs summary'); /* the picker opens, then a language is chosen */
    await Promise.all([page.waitForNavigation(), page.click('.li-langs a[hreflang="en"]')]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'en', dir: 'ltr' });
    assert.match(await page.textContent('h1'), /the integration of migrants in Lombardy/);
    assert.equal(await page.getAttribute('.li-langs a[aria-current="true"]', 'hreflang'), 'en');

    await page.click('.li-langs summary');
    await Promise.all([page.waitForNavigation(), page.click('.li-langs a[hreflang="ar"]')]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'ar', dir: 'rtl' });
    assert.match(await page.textContent('h1'), /اندماج المهاجرين/);
    // right to left really lays out right to left: the brand sits on the right
    const brand = await page.locator('.it-header-center-wrapper .it-brand-wrapper a').boundingBox();
    const width = page.viewportSize().width;
    assert.ok(brand.x + brand.width > width / 2, 'the brand is on the right in Arabic');
    await screenshot(page, 'visitor-home-ar');

    // the language is remembered; the district page is reached from the home page
    await Promise.all([page.waitForNavigation(), page.click('#district-list a[href="/ambiti/cremona"]')]);
    assert.equal(new URL(page.url()).pathname, '/ambiti/cremona');
    assert.deepEqual(await htmlAttrs(page), { lang: 'ar', dir: 'rtl' });
    assert.match(await page.textContent('h1'), /Ambito Territoriale Cremonese/);
    assert.equal(await page.locator('#partner-list > li').count(), 15);
    assert.match(await page.textContent('#partner-list'), /Azienda Sociale Cremonese/);
    await screenshot(page, 'visitor-district-ar');

    await page.click('.li-langs summary');
    await Promise.all([page.waitForNavigation(), page.click('.li-langs a[hreflang="it"]')]);
    assert.deepEqual(await htmlAttrs(page), { lang: 'it', dir: 'ltr' });
    assert.equal(new URL(page.url()).pathname, '/ambiti/cremona', 'switching language stays on the page');
    assert.match(await page.textContent('#projects-title'), /Progetti/);

    // the breadcrumb leads back home
    await Promise.all([page.waitForNavigation(), page.click('.breadcrumb a[href="/"]')]);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  it('sees a district with its municipalities and a project with budget and actions', async () => {
    const page = await newPage(browser);
    await page.goto(server.base + '/ambiti/luino?lang=it');
    assert.ok(await page.locator('#comune-list > li').count() >= 20, 'Luino lists its comuni');
    await page.goto(server.base + '/ambiti/lodi');
    const project = page.locator('.li-project').first();
    assert.match(await project.textContent(), /237/);
    assert.ok(await project.locator('.li-action').count() >= 3, 'the Lodi project lists actions 01-03');
    await screenshot(page, 'visitor-district-lodi-it');
    assert.deepEqual(page.problems(), []);
    await page.context().close();
  });

  it('can skip to the content with the keyboard', async () => {
    const page = await newPage(browser);
    await page.goto(server.base + '/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ href: document.activeElement.getAttribute('href'), text: document.activeElement.textContent }));
    assert.equal(focused.href, '#main');
    assert.match(focused.text, /contenuto/i);
    assert.ok(await page.isVisible('.skiplinks a[href="#main"]'), 'the skip link shows when focused');
    await page.context().close();
  });

  it('gets a 404 page in their language for an unknown district', async () => {
    const page = await newPage(browser);
    const res = await page.goto(server.base + '/ambiti/atlantide?lang=en');
    assert.equal(res.status(), 404);
    assert.equal(await page.textContent('.li-error-code'), '404');
    assert.ok(await page.isVisible('a.btn[href="/"]'), 'a way back home');
    await screenshot(page, 'visitor-404-en');
    await page.context().close();
  });
});

describe('phone (375x812)', () => {
  let page;
  before(async () => { page = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true }); });
  after(async () => { await page?.context().close(); });

  for (const [name, path] of [
    ['home-it', '/?lang=it'], ['home-ar', '/?lang=ar'], ['home-en', '/?lang=en'],
    ['district-it', '/ambiti/cremona?lang=it'], ['district-ar', '/ambiti/lodi?lang=ar'],
    ['login-it', '/login?lang=it'], ['login-ar', '/login?lang=ar'],
  ]) {
    it(`${name} has no horizontal scroll`, async () => {
      await page.goto(server.base + path);
      const o = await horizontalOverflow(page);
      assert.ok(o.scrollWidth <= o.clientWidth, `scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.wide.join(', ')}`);
      // the header fits: languages and the login button are on screen
      const login = await page.locator('#login-link').boundingBox();
      assert.ok(login && login.x >= 0 && login.x + login.width <= PHONE.width, 'the login button is on screen');
      await page.click('.li-langs summary'); /* the picker, open, lists every language on screen */
      for (const a of await page.locator('.li-langs a').all()) {
        const box = await a.boundingBox();
        assert.ok(box.x >= 0 && box.x + box.width <= PHONE.width, 'every language link is on screen');
        assert.ok(box.height >= 24, 'language links are big enough to tap');
      }
      assert.deepEqual(page.problems(), []);
    });
  }
});
