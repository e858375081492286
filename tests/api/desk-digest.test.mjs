// desk-digest.test.mjs — the help desk's daily digest goes through the outbox
// and is delivered by SMTP to a real local server; a machine timer (loopback,
// no session) may trigger it, a logged-in non-admin may not, and it is sent
// once a day per person.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let sink;
let srv;

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test' },
  });
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
});

test('the digest reaches the operator by SMTP, once a day', async () => {
  const admin = await srv.login('demo-admin');
  const u = await admin.post('/api/v1/users', { username: 'desk-digest', password: 'Tp-longpassword-zq7', role: 'operator', org: 'cremona', email: 'sportello@example.org' });
  assert.equal(u.status, 201, u.text);
  const op = srv.client();
  assert.equal((await op.login('desk-digest', 'Tp-longpassword-zq7')).status, 200);
  // The password an admin set is one-time: the operator replaces it first.
  const own = await op.post('/api/v1/me/password', { current_password: 'Tp-longpassword-zq7', new_password: 'Tp-own-longpassword-zq8' });
  assert.equal(own.status, 204, own.text);
  const p = await op.post('/api/v1/persons', { given_name: 'Amina', family_name: 'Diallo', sex: 'f', birth_date: '1990-01-01', citizenship: 'SN' });
  const d = new Date(Date.now() + 40 * 86400e3 + 60 * 86400e3).toISOString().slice(0, 10);
  const pr = await op.post('/api/v1/procedures', { person_id: p.json.id, type: 'permit_renewal', facts: { permit_expiry: d } });
  assert.equal(pr.status, 201, pr.text);
  assertError(await op.post('/api/v1/desk/digest', {}), 403);
  const timer = srv.client(); // the machine's own timer: loopback, no session
  const r = await timer.post('/api/v1/desk/digest', {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.queued >= 1);
  const m = await sink.waitFor((x) => x.to.includes('sportello@example.org') && /agenda/.test(x.subject), 15000);
  assert.ok(m, 'the digest reached the SMTP server');
  assert.match(m.subject, /^Sportello immigrati: agenda del /);
  assert.match(m.text, /Scadenze nei prossimi 14 giorni: 0/);
  const again = await timer.post('/api/v1/desk/digest', {});
  assert.equal(again.json.queued, 0);
});
