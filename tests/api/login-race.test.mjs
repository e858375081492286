// Login throttling under concurrency (security review, item 8): 50 parallel
// wrong passwords for one account. Every attempt first locks the account's
// row, so the throttling check sees the failures before it, on SQLite and on
// PostgreSQL (READ COMMITTED): no more than the 10 free failures reach the
// password check. Each attempt that reached it left a login.failure entry
// (only a verified wrong password writes one); the others login.throttled.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { useServer } from './helpers.mjs';

const FREE_FAILURES = 10; // AUTH_USER_FREE_FAILURES in src/app/auth.h
let admin;
const S = useServer({ users: [{ username: 'race-target', role: 'operator', org: 'cremona' }] }, async (srv) => {
  admin = await srv.login('demo-admin');
});

it('50 parallel wrong passwords: at most 10 reach the password check, the rest are throttled', async () => {
  const id = (await admin.get('/api/v1/users?limit=200')).json.items.find((u) => u.username === 'race-target').id;
  const rs = await Promise.all(
    Array.from({ length: 50 }, (_, i) => S.client().login('race-target', `wrong-password-${i}-zz`)),
  );
  const statuses = rs.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(' '));
  const entries = async (action) =>
    (await admin.get(`/api/v1/audit?action=${action}&limit=500`)).json.items.filter((e) => e.object_id === String(id));
  const verified = (await entries('login.failure')).length;
  const throttled = (await entries('login.throttled')).length;
  assert.equal(verified + throttled, 50, `${verified} verified + ${throttled} throttled`);
  assert.ok(verified <= FREE_FAILURES, `${verified} attempts reached the password check (limit ${FREE_FAILURES})`);
  assert.equal(statuses.filter((s) => s === 401).length, verified);
  // The right password is throttled too while the account is hot.
  const right = await S.client().login('race-target', S.accounts.get('race-target').password);
  assert.equal(right.status, 429);
});
