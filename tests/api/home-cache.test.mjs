// home-cache.test.mjs — the public home page is cached, but a committed change
// of the network shows at once, and a rolled-back one never does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from './helpers.mjs';

const srv = useServer();

test('a new district appears on the cached home page right after it is created', async () => {
  const visitor = srv.client();
  const before = await visitor.get('/');
  assert.equal(before.status, 200);
  assert.doesNotMatch(before.text, /Ambito di Prova Valtellina/);
  const admin = await srv.login('demo-admin');
  const r = await admin.post('/api/v1/orgs', { code: 'prova-valtellina', name: 'Ambito di Prova Valtellina', kind: 'ambito', parent: 'lombardia' });
  assert.equal(r.status, 201, r.text);
  const after = await visitor.get('/');
  assert.match(after.text, /Ambito di Prova Valtellina/);
});

test('a refused change leaves the cached home page as it was', async () => {
  const visitor = srv.client();
  const admin = await srv.login('demo-admin');
  const r = await admin.post('/api/v1/orgs', { code: 'x', name: 'Ambito Rifiutato', kind: 'ambito', parent: 'lombardia' });
  assert.equal(r.status, 422);
  const page = await visitor.get('/');
  assert.doesNotMatch(page.text, /Ambito Rifiutato/);
});
