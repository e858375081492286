// outbox.test.mjs — e-mail goes through the outbox to a real SMTP server:
// delivered after the commit, retried when the server is away, never lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sleep } from './helpers.mjs';
import { startSmtpSink } from './smtp-sink.mjs';

let sink;
let srv;

before(async () => {
  sink = await startSmtpSink();
  srv = await startServer({
    env: { LABIMPACT_SMTP_URL: sink.url, LABIMPACT_OUTBOX_INTERVAL: '1', LABIMPACT_MAIL_FROM: 'noreply@labimpact.test' },
    users: [{ username: 'coord-luino', role: 'coordinator', org: 'luino' }],
  });
});

after(async () => {
  if (srv) await srv.stop();
  if (sink) await sink.stop();
});

/** The outbox entry with `id`, as the admin sees it. */
async function entry(admin, id) {
  const r = await admin.get('/api/v1/outbox?limit=200');
  assert.equal(r.status, 200);
  return r.json.items.find((m) => m.id === id);
}

test('a test message is delivered by SMTP with an encoded subject and body', async () => {
  const admin = await srv.login('demo-admin');
  const r = await admin.post('/api/v1/outbox/test', { to: 'operatrice@example.org' });
  assert.equal(r.status, 202);
  const m = await sink.waitFor((x) => x.to.includes('operatrice@example.org'));
  assert.ok(m, 'the message reached the SMTP server');
  assert.equal(m.from, 'noreply@labimpact.test');
  assert.equal(m.subject, 'labimpact: messaggio di prova');
  assert.match(m.text, /labimpact può inviare e-mail/);
  let e;
  for (let i = 0; i < 50 && (!e || e.status !== 'sent'); i++) {
    e = await entry(admin, r.json.id);
    if (e.status !== 'sent') await sleep(100);
  }
  assert.equal(e.status, 'sent');
  assert.equal(e.attempts, 1);
  const audit = await admin.get('/api/v1/audit?action=mail.test');
  assert.equal(audit.json.items.length, 1);
});

test('a message queued while the SMTP server is away is kept for a retry', async () => {
  const admin = await srv.login('demo-admin');
  await sink.stop();
  const r = await admin.post('/api/v1/outbox/test', { to: 'later@example.org' });
  assert.equal(r.status, 202);
  let e;
  for (let i = 0; i < 100 && (!e || e.attempts < 1); i++) {
    await sleep(100);
    e = await entry(admin, r.json.id);
  }
  assert.equal(e.status, 'pending', 'still pending after a failed attempt');
  assert.equal(e.attempts, 1);
  assert.ok(e.last_error, 'the failure is recorded');
  sink = await startSmtpSink(); // a new server on another port: the message waits for its retry
});

test('bad input and denials', async () => {
  const admin = await srv.login('demo-admin');
  let r = await admin.post('/api/v1/outbox/test', { to: 'not an address' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'to');
  r = await admin.post('/api/v1/outbox/test', { to: 'a@b.it\r\nBcc: x@y.z' });
  assert.equal(r.status, 422);
  r = await admin.post('/api/v1/outbox/test', { to: 'a@b.it', cc: 'x@y.z' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'cc');
  const coord = await srv.login('coord-luino');
  r = await coord.post('/api/v1/outbox/test', { to: 'a@b.it' });
  assert.equal(r.status, 403);
  r = await coord.get('/api/v1/outbox');
  assert.equal(r.status, 403);
  const anon = srv.client();
  r = await anon.get('/api/v1/outbox');
  assert.equal(r.status, 401);
  r = await admin.post('/api/v1/outbox/test', { to: 'a@b.it' }, { csrf: false });
  assert.equal(r.status, 403);
});
