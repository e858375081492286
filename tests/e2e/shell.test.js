// shell.test.js — every page a person uses is built by the one page shell
// (templates/layout.html): the heading and the content sit inside the same
// container, main > .container#page, on a desktop (1280x800) and on a phone
// (390x844); each page has exactly one h1, and a breadcrumb unless it is the
// home page. Visitor, operator, coordinator, mediator and admin pages, the
// help desk and mediation screens with records in them, and the error pages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, newPage, login } from './helpers.js';

const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

let server, browser;
const who = {}; // role -> logged-in page (visitor: no session)
const ids = {}; // records made for the pages that show one

/* A JSON API call in the page's session (the CSRF token comes from the logout form). */
async function api(page, method, path, data) {
  const csrf = await page.getAttribute('input[name="_csrf"]', 'value');
  const r = await page.context().request.fetch(server.base + path, { method, data, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(r.ok(), `${method} ${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/* YYYY-MM-DDTHH:MM, `days` from now at 10:00. */
function soon(days) {
  const d = new Date(Date.now() + days * 86400000);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:00`;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  who.visitor = await newPage(browser);
  for (const [role, user] of [['operator', 'demo-operator'], ['coordinator', 'demo-coordinator'],
    ['mediator', 'demo-mediator'], ['admin', 'demo-admin'], ['teacher', 'demo-teacher'],
    ['editor', 'demo-editor'], ['translator', 'demo-translator'], ['association', 'demo-association'],
    ['region', 'demo-region']]) {
    who[role] = await newPage(browser);
    await login(who[role], server.base, user, server.creds[user].password);
  }
  const op = who.operator;
  ids.person = (await api(op, 'POST', '/api/v1/persons', {
    given_name: 'Mohamed', family_name: 'El Amrani', sex: 'm', birth_date: '1990-05-01', citizenship: 'MA',
  })).id;
  ids.procedure = (await api(op, 'POST', '/api/v1/procedures', {
    person_id: ids.person, type: 'permit_renewal', facts: { permit_expiry: soon(100).slice(0, 10) },
  })).id;
  const coord = who.coordinator;
  ids.request = (await api(coord, 'POST', '/api/v1/mediation/requests', {
    language: 'ar', domain: 'school', start: soon(10), minutes: 90, place: 'IC Marconi',
    requester: { name: 'Prof.ssa Bianchi', email: 'bianchi@example.org' }, body: 'IC Marconi Casalmaggiore',
  })).id;
  const bodies = await api(coord, 'GET', '/api/v1/mediation/bodies');
  ids.ask = bodies.items[0].ask_url;
  const teacher = who.teacher;
  ids.course = (await api(teacher, 'POST', '/api/v1/courses', {
    title: 'Italiano A1', kind: 'italian_l2', audience: 'adults', hours: 100, capacity: 20,
    start_date: soon(-10).slice(0, 10), end_date: soon(60).slice(0, 10),
  })).id;
  ids.session = (await api(teacher, 'POST', `/api/v1/courses/${ids.course}/sessions`, { date: soon(0).slice(0, 10), start: '09:00', minutes: 120 })).id;
  const enrolment = (await api(teacher, 'POST', `/api/v1/courses/${ids.course}/enrolments`, { person_id: ids.person })).id;
  await api(teacher, 'PUT', `/api/v1/sessions/${ids.session}/attendance`, { marks: [{ enrolment_id: enrolment, status: 'present' }] });
  await teacher.context().request.get(`${server.base}/api/v1/enrolments/${enrolment}/certificate.pdf`);
  ids.certificate = (await api(teacher, 'GET', `/api/v1/enrolments/${enrolment}`)).certificate_code;
  ids.meeting = (await api(coord, 'POST', '/api/v1/meetings', { kind: 'tavolo', title: 'Tavolo territoriale', start: soon(5), minutes: 120, place: 'Cremona', agenda: '1. Dati\n2. Corsi' })).id;
  await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/invitations`, { invitees: [{ org: 'asst-cremona', email: 'asst@example.org' }] });
  await api(coord, 'POST', `/api/v1/meetings/${ids.meeting}/decisions`, { text: 'Calendario dei corsi', owner_name: 'CPIA', due: soon(20).slice(0, 10) });
  ids.caseMeeting = (await api(op, 'POST', '/api/v1/meetings', { kind: 'case', title: 'Riunione di caso', start: soon(3), minutes: 60, person_id: ids.person })).id;
  ids.project = (await api(coord, 'GET', '/api/v1/projects')).items.find((p) => p.code === 'lab-impact-2-cremona').id;
  ids.submission = (await api(coord, 'GET', `/api/v1/submissions?project_id=${ids.project}`)).items[0].id;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/* role, path, expected status: every page a person opens. */
const PAGES = () => [
  ['visitor', '/', 200],
  ['visitor', '/ambiti/cremona', 200],
  ['visitor', '/login', 200],
  ['visitor', '/login?expired=1', 200],
  ['visitor', ids.ask, 200],
  ['visitor', '/ambiti/atlantide', 404],
  ['visitor', '/no/such/page', 404],
  ['operator', '/app', 200],
  ['operator', '/desk', 200],
  ['operator', '/desk/persons', 200],
  ['operator', '/desk/persons?q=Mohamed', 200],
  ['operator', '/desk/persons/new', 200],
  ['operator', `/desk/persons/${ids.person}`, 200],
  ['operator', `/desk/persons/${ids.person}?tab=access`, 200],
  ['operator', `/desk/persons/${ids.person}/edit`, 200],
  ['operator', `/desk/consultations/new?person_id=${ids.person}`, 200],
  ['operator', '/desk/consultations/new', 200],
  ['operator', `/desk/procedures/new?person_id=${ids.person}&type=permit_renewal`, 200],
  ['operator', `/desk/procedures/${ids.procedure}`, 200],
  ['operator', `/desk/procedures/${ids.procedure}/print`, 200],
  ['operator', '/desk/rules', 200],
  ['operator', '/desk/rules/permit_renewal', 200],
  ['operator', '/admin/users', 403],
  ['operator', '/desk/persons/999999', 404],
  ['coordinator', '/app', 200],
  ['coordinator', '/desk/import', 200],
  ['coordinator', '/audit', 200],
  ['coordinator', '/mediation', 200],
  ['coordinator', '/mediation/requests/new', 200],
  ['coordinator', `/mediation/requests/${ids.request}`, 200],
  ['coordinator', '/mediation/mediators', 200],
  ['coordinator', '/mediation/statements', 200],
  ['mediator', '/app', 200],
  ['mediator', '/mediation/me', 200],
  ['mediator', '/account/password', 200],
  ['admin', '/app', 200],
  ['admin', '/admin/users', 200],
  ['admin', '/admin/orgs', 200],
  ['admin', '/audit', 200],
  ['admin', '/desk/rules/family_reunification', 200],
  ['teacher', '/courses', 200],
  ['teacher', '/courses/new', 200],
  ['teacher', `/courses/${ids.course}`, 200],
  ['teacher', `/courses/${ids.course}?q=Amrani`, 200],
  ['teacher', `/courses/sessions/${ids.session}`, 200],
  ['coordinator', '/courses', 200],
  ['operator', '/courses', 403],
  ['teacher', '/courses/support', 200],
  ['teacher', '/courses/watch', 200],
  ['teacher', '/courses/internships', 200],
  ['coordinator', '/courses/internships', 200],
  ['operator', '/courses/support', 403],
  ['operator', '/courses/watch', 403],
  ['admin', '/courses/region', 200],
  ['coordinator', '/courses/region', 403],
  ['teacher', '/courses/region', 403],
  ['visitor', `/verify/${ids.certificate}`, 200],
  ['visitor', '/verify/AAAA-BBBB-CCCC', 404],
  ['visitor', '/info', 200],
  ['visitor', '/info?lang=ar', 200],
  ['visitor', '/info?category=health&q=medico', 200],
  ['visitor', '/info/1?lang=ar', 200],
  ['visitor', '/info/3?lang=zh', 200],
  ['visitor', '/info/999999', 404],
  ['visitor', '/bacheca/cremona', 200],
  ['visitor', '/bacheca/cremona/kiosk', 200],
  ['editor', '/app', 200],
  ['editor', '/info/editor', 200],
  ['editor', '/info/editor/1', 200],
  ['editor', '/info/editor/1?from=1&to=1', 200],
  ['editor', '/info/editor/issues', 200],
  ['editor', '/info/editor/contacts', 200],
  ['editor', '/info/editor/contacts/cremona', 200],
  ['editor', '/info/editor/contacts/lodi', 404],
  ['operator', '/info/editor/contacts', 403],
  ['translator', '/app', 200],
  ['translator', '/info/translate', 200],
  ['translator', '/info/translate/1/ar', 200],
  ['translator', '/info/translate/3/zh', 200],
  ['visitor', '/servizi', 200],
  ['visitor', '/servizi?need=mediation&language=ar&comune=Luino', 200],
  ['visitor', '/associazioni', 200],
  ['visitor', '/associazioni/1', 200],
  ['visitor', '/associazioni/registrati', 200],
  ['visitor', '/eventi/cremona', 200],
  ['visitor', '/associazioni/999999', 404],
  ['coordinator', '/associazioni/revisione', 200],
  ['association', '/associazione', 200],
  ['coordinator', '/meetings', 200],
  ['coordinator', '/meetings/new', 200],
  ['coordinator', `/meetings/${ids.meeting}`, 200],
  ['coordinator', `/meetings/${ids.meeting}/attendance`, 200],
  ['coordinator', '/meetings/library', 200],
  ['operator', `/meetings/${ids.caseMeeting}`, 200],
  ['teacher', '/meetings', 200],
  ['teacher', `/meetings/${ids.meeting}`, 200],
  ['teacher', `/meetings/${ids.caseMeeting}`, 404],
  ['teacher', '/meetings/new', 403],
  ['visitor', '/documenti', 200],
  ['coordinator', '/governance', 200],
  ['coordinator', '/governance/projects/new', 200],
  ['coordinator', `/governance/projects/${ids.project}/edit`, 200],
  ['region', `/governance/projects/${ids.project}/edit`, 403],
  ['coordinator', `/governance/projects/${ids.project}`, 200],
  ['coordinator', `/governance/projects/${ids.project}/budget`, 200],
  ['coordinator', '/governance/submissions', 200],
  ['coordinator', `/governance/submissions/${ids.submission}`, 200],
  ['region', '/governance', 200],
  ['region', `/governance/projects/${ids.project}/budget`, 200],
  ['region', '/governance/submissions', 200],
  ['region', `/governance/submissions/${ids.submission}`, 200],
  ['region', '/governance/projects/new', 403],
  ['operator', '/governance', 403],
  ['coordinator', '/governance/projects/999999', 404],
  ['region', '/monitoraggio', 200],
  ['region', '/monitoraggio?org=lodi&period=2026-S1', 200],
  ['coordinator', '/monitoraggio', 200],
  ['coordinator', '/monitoraggio?org=lodi', 404],
  ['operator', '/monitoraggio', 403],
  ['visitor', '/mappa', 200],
  ['visitor', '/mappa?comune=Luino&what=events', 200],
  ['coordinator', '/canali', 200],
  ['association', '/canali', 200],
  ['coordinator', '/sostegno', 200],
  ['coordinator', '/associazioni/1/sostegno', 200],
  ['operator', '/canali', 403],
  ['editor', '/servizi/gestione', 200],
  ['editor', '/servizi/gestione/nuovo', 200],
  ['editor', '/servizi/gestione/1', 200],
  ['operator', '/servizi/gestione', 403],
  ['coordinator', '/invii-ricevuti', 200],
  ['editor', '/invii-ricevuti', 403],
  ['operator', `/desk/persons/${ids.person}/referrals/new`, 200],
];

/* What the shell test looks at, measured in the page. */
function shellShape() {
  const main = document.querySelector('main#main');
  const shell = document.getElementById('page');
  const content = document.getElementById('page-content');
  const h1s = [...document.querySelectorAll('h1')];
  const box = (e) => e.getBoundingClientRect();
  const pad = shell ? parseFloat(getComputedStyle(shell).paddingLeft) : 0;
  const crumbs = shell ? shell.querySelectorAll('nav.breadcrumb-container > ol.breadcrumb > li.breadcrumb-item') : [];
  return {
    mainChildren: main ? [...main.children].map((e) => e.id || e.tagName.toLowerCase()) : [],
    shellIsContainer: !!shell && shell.classList.contains('container') && shell.parentElement === main,
    nestedContainers: shell ? shell.querySelectorAll('.container').length : -1,
    h1Count: h1s.length,
    h1InShell: h1s.length > 0 && !!shell && shell.contains(h1s[0]),
    h1Text: h1s[0]?.textContent.trim() ?? '',
    contentInShell: !!content && !!shell && shell.contains(content) && content.parentElement === shell,
    contentEmpty: !content || content.children.length === 0,
    crumbs: crumbs.length,
    lastCrumbCurrent: crumbs.length > 0 && crumbs[crumbs.length - 1].getAttribute('aria-current') === 'page',
    shellLeft: shell ? box(shell).left + pad : 0,
    shellRight: shell ? box(shell).right - pad : 0,
    h1Left: h1s[0] ? box(h1s[0]).left : -1,
    h1Right: h1s[0] ? box(h1s[0]).right : -1,
    contentLeft: content ? box(content).left : -1,
    contentRight: content ? box(content).right : -1,
    // visible parts of the content past the container's outer edges (rows may use its padding;
    // what scrolls or is clipped inside the content, like a wide table, does not count)
    outside: content ? [...content.querySelectorAll('*')].filter((e) => {
      for (let a = e.parentElement; a && a !== content; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible') return false;
      }
      const r = box(e);
      return r.width > 0 && r.height > 0 && (r.left < box(shell).left - 1 || r.right > box(shell).right + 1);
    }).slice(0, 3).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}`) : [],
  };
}

describe('one page shell', () => {
  it('every page puts its h1 and its content in main > .container#page, with a breadcrumb but on the home page', async () => {
    const problems = [];
    for (const [role, path, status] of PAGES()) {
      const page = who[role];
      for (const [size, viewport] of Object.entries(SIZES)) {
        await page.setViewportSize(viewport);
        const res = await page.goto(server.base + path);
        const at = `${role} ${path} (${size})`;
        if (res.status() !== status) { problems.push(`${at}: status ${res.status()}, expected ${status}`); continue; }
        const s = await page.evaluate(shellShape);
        const bad = (what) => problems.push(`${at}: ${what}`);
        if (s.mainChildren.join() !== 'page') bad(`main holds ${s.mainChildren.join(', ')}, not the shell alone`);
        if (!s.shellIsContainer) bad('#page is not a .container directly in main');
        if (s.nestedContainers !== 0) bad(`${s.nestedContainers} .container inside #page (a page building its own shell)`);
        if (s.h1Count !== 1) bad(`${s.h1Count} h1`);
        if (!s.h1InShell) bad('the h1 is outside #page');
        if (!s.h1Text) bad('the h1 is empty');
        if (!s.contentInShell) bad('#page-content is not in #page');
        if (s.contentEmpty && status === 200) bad('no content');
        if (s.h1Left < s.shellLeft - 1 || s.h1Right > s.shellRight + 1) bad(`the h1 (${s.h1Left}-${s.h1Right}) leaves the container (${s.shellLeft}-${s.shellRight})`);
        if (Math.abs(s.contentLeft - s.shellLeft) > 1 || Math.abs(s.contentRight - s.shellRight) > 1) bad(`the content (${s.contentLeft}-${s.contentRight}) is not the container's width (${s.shellLeft}-${s.shellRight})`);
        if (s.outside.length) bad(`content past the container's edges: ${s.outside.join(', ')}`);
        if (size === 'desktop' && s.shellLeft < 32) bad(`the container starts at ${s.shellLeft}px: flush with the window`);
        const home = path === '/';
        if (home && s.crumbs !== 0) bad('the home page has a breadcrumb');
        if (!home && s.crumbs < 2) bad(`breadcrumb with ${s.crumbs} item(s)`);
        if (!home && !s.lastCrumbCurrent) bad('the last breadcrumb item is not aria-current="page"');
      }
    }
    assert.deepEqual(problems, []);
  });

  it('the breadcrumb leads from the page up to the workspace or the home page', async () => {
    const page = who.operator;
    await page.setViewportSize(SIZES.desktop);
    await page.goto(`${server.base}/desk/procedures/${ids.procedure}`);
    const trail = await page.$$eval('#breadcrumb li', (li) => li.map((e) => [e.querySelector('a')?.getAttribute('href') ?? null, e.textContent.trim()]));
    assert.deepEqual(trail.map(([href]) => href), ['/app', '/desk', `/desk/persons/${ids.person}`, null]);
    assert.match(trail[2][1], /El Amrani Mohamed/);
    await who.visitor.goto(`${server.base}/login`);
    assert.deepEqual(await who.visitor.$$eval('#breadcrumb a', (a) => a.map((e) => e.getAttribute('href'))), ['/']);
    assert.deepEqual(page.problems(), []);
  });
});
