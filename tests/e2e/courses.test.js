// courses.test.js — a teacher takes the attendance of a 20-learner session
// on a phone-sized window (everyone present by default, tapping only the
// exceptions, one POST for the whole session), issues a certificate, and a
// visitor verifies it on the public page, which shows the initials only.
// A coordinator assigns the course's teachers by name; a teacher records a
// pupil's school support on a phone and sees the early-leaving watch list; a
// coordinator opens and completes a mediator's internship; the region reads
// the aggregates; the help desk's person page shows the person's courses, the
// CPIA exemption and the courses open near them.
// Every screen passes axe-core (WCAG 2.1 A/AA) and runs under the enforced
// CSP without errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, newPage, login, screenshot, axeViolations, formatViolations,
} from './helpers.js';

const PHONE = { width: 390, height: 844 };
let server;
let browser;
let teacher;
let coord;
const ids = { enrolments: [] };

/* A JSON API call in the page's session (the CSRF token comes from the logout form). */
async function api(page, method, path, data) {
  const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
  const r = await page.context().request.fetch(server.base + path, { method, data, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** axe on a copy of the page without CSP (the script is injected). */
async function axeClean(url, who, name, viewport) {
  const ctx = await browser.newContext({ bypassCSP: true, viewport, storageState: who ? await who.context().storageState() : undefined });
  const page = await ctx.newPage();
  await page.goto(url);
  const v = await axeViolations(page);
  await screenshot(page, `courses-${name}`);
  await ctx.close();
  assert.equal(v.length, 0, formatViolations(name, v));
}

function today(offset = 0) {
  const d = new Date(Date.now() + offset * 86400000);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

const GIVEN = ['Amina', 'Karim', 'Olena', 'Ravi', 'Fatou', 'Mohamed', 'Li', 'Sara', 'Ion', 'Nadia',
  'Omar', 'Elena', 'Samir', 'Joy', 'Hassan', 'Mariam', 'Pedro', 'Aisha', 'Vasyl', 'Grace'];
const FAMILY = ['Diallo', 'Benali', 'Kovalenko', 'Sharma', 'Ndiaye', 'El Amrani', 'Wang', 'Haile', 'Popescu', 'Khan',
  'Saleh', 'Rusu', 'Haddad', 'Okafor', 'Rahman', 'Traore', 'Quispe', 'Bello', 'Shevchenko', 'Mensah'];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  coord = await newPage(browser);
  await login(coord, server.base, 'demo-coordinator', server.creds['demo-coordinator'].password);
  teacher = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
  await login(teacher, server.base, 'demo-teacher', server.creds['demo-teacher'].password);
  const course = await api(teacher, 'POST', '/api/v1/courses', {
    title: 'Italiano A2 per adulti', kind: 'italian_l2', audience: 'adults', target_level: 'A2', hours: 80,
    capacity: 25, min_attendance_pct: 80, start_date: today(-30), end_date: today(60), place: 'CPIA Cremona',
  });
  ids.course = course.id;
  ids.session = (await api(teacher, 'POST', `/api/v1/courses/${ids.course}/sessions`, { date: today(), start: '09:00', minutes: 120 })).id;
  for (let i = 0; i < 20; i++) {
    const person = await api(coord, 'POST', '/api/v1/persons', {
      given_name: GIVEN[i], family_name: FAMILY[i], sex: i % 2 ? 'm' : 'f', birth_date: `19${70 + i}-0${1 + (i % 9)}-1${i % 9}`, citizenship: 'MA',
    });
    ids.enrolments.push((await api(teacher, 'POST', `/api/v1/courses/${ids.course}/enrolments`, { person_id: person.id, entry_level: 'A1' })).id);
  }
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a teacher takes the attendance of a 20-learner session on a phone', async () => {
  await teacher.goto(`${server.base}/courses`);
  await screenshot(teacher, 'courses-workspace-phone');
  await Promise.all([teacher.waitForNavigation(), teacher.click('#today-sessions a')]);
  assert.match(teacher.url(), new RegExp(`/courses/sessions/${ids.session}$`));
  const rows = await teacher.$$('#learners > li');
  assert.equal(rows.length, 20);
  // names in course order (family name), everyone present by default
  const names = await teacher.$$eval('#learners legend', (l) => l.map((e) => e.textContent.trim().replace(/^\d+\.\s*/, '')));
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'it')));
  assert.equal(await teacher.$$eval('#learners input[value="present"]:checked', (x) => x.length), 20);
  // large targets: every mark's label is at least 44 px high and fits the window
  const boxes = await teacher.$$eval('#learners label.li-mark', (ls) => ls.map((l) => l.getBoundingClientRect()).map((r) => [r.height, r.right]));
  assert.ok(boxes.every(([h, right]) => h >= 44 && right <= 390), JSON.stringify(boxes.slice(0, 4)));
  await screenshot(teacher, 'courses-attendance-phone');
  // tap the exceptions: the third is absent, the seventh late, the twelfth excused
  await teacher.tap(`label[for="m${ids.enrolments[2]}-absent"]`);
  await teacher.tap(`label[for="m${ids.enrolments[6]}-late"]`);
  await teacher.tap(`label[for="m${ids.enrolments[11]}-excused"]`);
  await Promise.all([teacher.waitForNavigation(), teacher.tap('#save-attendance')]);
  assert.match(await teacher.textContent('#notice'), /salvate/i);
  const session = await api(teacher, 'GET', `/api/v1/sessions/${ids.session}`);
  const byId = Object.fromEntries(session.learners.map((l) => [l.enrolment_id, l.status]));
  assert.equal(byId[ids.enrolments[2]], 'absent');
  assert.equal(byId[ids.enrolments[6]], 'late');
  assert.equal(byId[ids.enrolments[11]], 'excused');
  assert.equal(Object.values(byId).filter((s) => s === 'present').length, 17);
  // the page shows the saved marks again
  assert.equal(await teacher.isChecked(`#m${ids.enrolments[2]}-absent`), true);
  assert.deepEqual(teacher.problems(), []);
  await axeClean(`${server.base}/courses/sessions/${ids.session}`, teacher, 'attendance-phone', PHONE);
  await axeClean(`${server.base}/courses`, teacher, 'workspace-phone', PHONE);
});

test('the teacher issues a certificate and a visitor verifies it', async () => {
  await teacher.goto(`${server.base}/courses/${ids.course}`);
  await screenshot(teacher, 'courses-course-phone');
  // the absent learner is below the minimum: no certificate link; the late one has one
  assert.equal(await teacher.$(`tr[data-enrolment="${ids.enrolments[2]}"] a.li-certificate`), null);
  const href = await teacher.getAttribute(`tr[data-enrolment="${ids.enrolments[6]}"] a.li-certificate`, 'href');
  const pdf = await teacher.context().request.get(server.base + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  const enrolment = await api(teacher, 'GET', `/api/v1/enrolments/${ids.enrolments[6]}`);
  assert.match(enrolment.certificate_code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await axeClean(`${server.base}/courses/${ids.course}`, teacher, 'course-desktop', { width: 1280, height: 900 });

  const visitor = await newPage(browser, { viewport: PHONE });
  const res = await visitor.goto(`${server.base}/verify/${enrolment.certificate_code}`);
  assert.equal(res.status(), 200);
  assert.match(await visitor.textContent('#verify-result'), /autentico/);
  assert.equal((await visitor.textContent('#cert-initials')).trim(), 'L. W.'); // Li Wang, the seventh learner
  assert.match(await visitor.textContent('#cert-course'), /Italiano A2 per adulti/);
  assert.doesNotMatch(await visitor.textContent('main'), new RegExp(FAMILY[6]));
  await screenshot(visitor, 'courses-verify-phone');
  assert.deepEqual(visitor.problems(), []);
  await axeClean(`${server.base}/verify/${enrolment.certificate_code}`, null, 'verify-phone', PHONE);
});

const DESK = { width: 1280, height: 900 };

/** Screenshots of `url` at 1280 and 390 px, each axe-clean. */
async function bothSizes(url, who, name) {
  await axeClean(url, who, `${name}-desktop`, DESK);
  await axeClean(url, who, `${name}-phone`, PHONE);
}

test('a coordinator assigns the teachers of a course by name', async () => {
  await coord.goto(`${server.base}/courses/${ids.course}`);
  assert.match(await coord.textContent('#teachers'), /Docente CPIA Cremona/);
  await coord.click('#teachers-details summary');
  const boxes = await coord.$$('#teachers-form input[type=checkbox]');
  assert.ok(boxes.length >= 1);
  assert.equal(await boxes[0].isChecked(), true); // the teacher who created it
  await Promise.all([coord.waitForNavigation(), coord.click('#teachers-form button[type=submit]')]);
  assert.match(await coord.textContent('#notice'), /Salvato/i);
  assert.deepEqual(coord.problems(), []);
  await bothSizes(`${server.base}/courses/${ids.course}`, coord, 'course-coordinator');
});

test('a teacher records school support on a phone; the watch list', async () => {
  const pupil = await api(coord, 'POST', '/api/v1/persons', { given_name: 'Yusuf', family_name: 'Karimi', sex: 'm', birth_date: '2013-02-03', citizenship: 'AF' });
  for (const [date, attended] of [[today(-21), true], [today(-14), false]]) {
    await api(teacher, 'POST', '/api/v1/school-support', { person_id: pupil.id, kind: 'l2_lab', date, minutes: 60, attended });
  }
  await teacher.goto(`${server.base}/courses/support`);
  await teacher.fill('#q', 'Karimi');
  await Promise.all([teacher.waitForNavigation(), teacher.click('#pupil-search button[type=submit]')]);
  await teacher.tap(`label[for="p-${pupil.id}"]`);
  assert.equal(await teacher.isChecked(`#p-${pupil.id}`), true);
  await teacher.selectOption('#s-kind', 'summer_support');
  await teacher.tap('label[for="s-attended"]');
  assert.equal(await teacher.isChecked('#s-attended'), false);
  await screenshot(teacher, 'courses-support-form-phone');
  await Promise.all([teacher.waitForNavigation(), teacher.tap('#support-form button[type=submit]')]);
  assert.match(await teacher.textContent('#notice'), /Salvato/i);
  assert.match(await teacher.textContent('#support-table'), /Karimi/);
  assert.doesNotMatch(teacher.url(), /Karimi/);
  await teacher.click('#watch-link');
  await teacher.waitForSelector('#watch-table');
  assert.match(await teacher.textContent(`#watch-table tr[data-person="${pupil.id}"]`), /assenze ripetute/i);
  assert.deepEqual(teacher.problems(), []);
  await bothSizes(`${server.base}/courses/support`, teacher, 'support');
  await bothSizes(`${server.base}/courses/watch`, teacher, 'watch');
});

test("a coordinator opens and completes a mediator's internship", async () => {
  const m = await api(coord, 'POST', '/api/v1/mediators', { given_name: 'Selam', family_name: 'Gebre', languages: ['ti'] });
  await coord.goto(`${server.base}/courses/internships`);
  await coord.selectOption('#i-mediator', String(m.id));
  await coord.selectOption('#i-host', 'asst-cremona');
  await coord.fill('#i-tutor', 'Dott.ssa Ferri');
  await coord.fill('#i-hours', '30');
  await Promise.all([coord.waitForNavigation(), coord.click('#internship-form button[type=submit]')]);
  assert.match(coord.url(), /\/courses\/internships\/\d+\?done=1$/);
  await coord.fill('#i-done', '31');
  await coord.fill('#i-eval', 'Ottima relazione con le famiglie.');
  await Promise.all([coord.waitForNavigation(), coord.click('#complete')]);
  assert.match(await coord.textContent('#status'), /Concluso il/);
  const mediator = await api(coord, 'GET', `/api/v1/mediators/${m.id}`);
  assert.ok(mediator.training.some((t) => /31 h/.test(t)), JSON.stringify(mediator.training));
  assert.deepEqual(coord.problems(), []);
  await bothSizes(coord.url(), coord, 'internship');
  await bothSizes(`${server.base}/courses/internships`, coord, 'internships');
});

test('the region reads the aggregates; the help desk sees the person\'s courses', async () => {
  const region = await newPage(browser);
  await login(region, server.base, 'demo-region', server.creds['demo-region'].password);
  await region.goto(`${server.base}/courses/region`);
  assert.match(await region.textContent('#kinds-table'), /Italiano L2/);
  assert.doesNotMatch(await region.textContent('main'), new RegExp(FAMILY.join('|')));
  assert.deepEqual(region.problems(), []);
  await bothSizes(`${server.base}/courses/region`, region, 'region');

  const op = await newPage(browser);
  await login(op, server.base, 'demo-operator', server.creds['demo-operator'].password);
  const enrolment = await api(teacher, 'GET', `/api/v1/enrolments/${ids.enrolments[6]}`);
  await op.goto(`${server.base}/desk/persons/${enrolment.person_id}`);
  assert.match(await op.textContent('#person-courses-table'), /Italiano A2 per adulti/);
  assert.ok(await op.isVisible('#near-title'));
  assert.deepEqual(op.problems(), []);
  await bothSizes(`${server.base}/desk/persons/${enrolment.person_id}`, op, 'desk-person');
});
