// measure.mjs — the monitoring bench (issue 13 item 12): against a database
// that bench/monitoring/generate.py filled (35 districts, 200,000 persons,
// 2,000,000 consultations, ...), starts `labimpact serve` on it, logs in as
// a region account (created here), then times
//   1. the first read: the summaries built from the records (a rebuild;
//      what follows a project's or the tree's change);
//   2. N sequential regional reads GET /api/v1/indicators (every district's
//      projects, the whole period): the live answer a dashboard asks for;
//   3. N of the same after one consultation is written before each (the
//      refresh recomputes that person and that district's semester);
//   4. M reads of the districts side by side (/api/v1/indicators/districts);
//   5. M reads each right after a change of Lodi's project's end date (a
//      coordinator's PATCH; migration 0017: that district recomputed).
// Prints one JSON line: p50 / p95 / p99 / max in milliseconds.
// Usage: node bench/monitoring/measure.mjs DB [N=200] [M=20]
import { spawn, execFileSync } from 'node:child_process';
import { BIN, ROOT, freePort, strongPassword } from '../../tests/api/helpers.mjs';

const [db, n = '200', m = '20'] = process.argv.slice(2);
if (!db) throw new Error('usage: measure.mjs DB [N] [M]');
const env = { ...process.env, LABIMPACT_HOME: ROOT, LABIMPACT_LOG: 'warn' };
const user = `bench-region-${process.pid}`;
const password = strongPassword();
for (const [u, role, org] of [[user, 'region', 'lombardia'], [`${user}-op`, 'operator', 'lodi'], [`${user}-co`, 'coordinator', 'lodi']])
  execFileSync(BIN, ['user', 'add', '--db', db, '--username', u, '--role', role, '--org', org, '--password-stdin'], { input: `${password}\n`, env });
const port = await freePort();
const srv = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
try {
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const login = async (u) => {
    const r = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password }) });
    if (r.status !== 200) throw new Error(`login ${r.status} ${await r.text()}`);
    const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return { cookie, csrf: (await r.json()).csrf_token };
  };
  const region = await login(user);
  const op = await login(`${user}-op`);
  const co = await login(`${user}-co`);
  const get = async (p) => {
    const t0 = performance.now();
    const r = await fetch(base + p, { headers: { Cookie: region.cookie } });
    const body = await r.text();
    const t = performance.now() - t0;
    if (r.status !== 200) throw new Error(`${p}: ${r.status} ${body.slice(0, 200)}`);
    return { t, body };
  };
  const q = (t, p) => Number(t[Math.min(t.length - 1, Math.floor(p * t.length))].toFixed(2));
  const sum = (t) => { t.sort((a, b) => a - b); return { requests: t.length, p50_ms: q(t, 0.5), p95_ms: q(t, 0.95), p99_ms: q(t, 0.99), max_ms: Number(t.at(-1).toFixed(2)) }; };
  const first = await get('/api/v1/indicators');
  const o23 = JSON.parse(first.body).items.find((x) => x.code === 'O.2.3').value;
  const reads = [];
  for (let i = 0; i < Number(n); i++) reads.push((await get('/api/v1/indicators')).t);
  const afterWrite = [];
  for (let i = 0; i < Number(n); i++) {
    const w = await fetch(`${base}/api/v1/consultations`, { method: 'POST', headers: { Cookie: op.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': op.csrf },
      body: JSON.stringify({ person_id: null, citizenship: 'MA', sex: 'f', age_band: '18-60', topics: ['work'], org: 'lodi', date: '2026-03-02' }) });
    if (w.status !== 201) throw new Error(`write ${w.status} ${await w.text()}`);
    afterWrite.push((await get('/api/v1/indicators')).t);
  }
  const districts = [];
  for (let i = 0; i < Number(m); i++) districts.push((await get('/api/v1/indicators/districts')).t);
  const projects = await (await fetch(`${base}/api/v1/projects?limit=100`, { headers: { Cookie: co.cookie } })).json();
  const proj = projects.items.find((p) => p.org === 'lodi');
  const afterProject = [];
  for (let i = 0; i < Number(m); i++) {
    const w = await fetch(`${base}/api/v1/projects/${proj.id}`, { method: 'PATCH', headers: { Cookie: co.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': co.csrf },
      body: JSON.stringify({ end: i % 2 ? proj.end : '2028-12-31' }) });
    if (w.status !== 200) throw new Error(`project ${w.status} ${await w.text()}`);
    afterProject.push((await get('/api/v1/indicators')).t);
  }
  const semester = [];
  for (let i = 0; i < Number(m); i++) semester.push((await get('/api/v1/indicators?period=2026-S1')).t);
  console.log(JSON.stringify({ db: db.startsWith('postgres') ? 'postgresql' : 'sqlite', o23, first_read_rebuild_ms: Number(first.t.toFixed(0)),
    regional: sum(reads), regional_after_a_write: sum(afterWrite), regional_semester: sum(semester), districts_side_by_side: sum(districts),
    regional_after_a_project_change: sum(afterProject), project: proj.code }));
} finally {
  srv.kill('SIGTERM');
}
