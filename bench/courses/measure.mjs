// measure.mjs — the courses bench (issue 10, item 12): on a fresh server
// (tests/api/helpers.mjs: SQLite, or PostgreSQL when LABIMPACT_TEST_PG_URI is
// set), a course of 25 learners and 40 sessions; times N sequential
// `PUT /api/v1/sessions/{id}/attendance` marking the whole session in one
// request (each a durable write transaction, rotating over the 40 sessions
// and the marks), then M sequential `GET /api/v1/courses/{id}/register?format=xlsx`
// of the full register (40 x 25 marks). Prints one JSON line with p50 / p95 /
// p99 / max in milliseconds, with GET /healthz timed the same way as the
// reference of the run and the load average. Usage: node bench/courses/measure.mjs [N=500] [M=100]
import os from 'node:os';
import { startServer } from '../../tests/api/helpers.mjs';

const [n = '500', m = '100'] = process.argv.slice(2);
const srv = await startServer();
try {
  const coord = await srv.login('demo-coordinator');
  const teacher = await srv.login('demo-teacher');
  const course = await teacher.post('/api/v1/courses', {
    title: 'Bench', kind: 'italian_l2', audience: 'adults', hours: 80, capacity: 30, start_date: '2026-01-05', end_date: '2026-12-18',
  });
  const sessions = await teacher.post(`/api/v1/courses/${course.json.id}/sessions`, {
    days: [1, 3], start: '18:00', minutes: 120, from: '2026-01-05', to: '2026-06-30',
  });
  const sids = sessions.json.ids.slice(0, 40);
  const enrolments = [];
  for (let i = 0; i < 25; i++) {
    const p = await coord.post('/api/v1/persons', { given_name: `Nome${i}`, family_name: `Cognome${i}`, sex: 'f', birth_date: '1990-01-01', citizenship: 'MA' });
    enrolments.push((await teacher.post(`/api/v1/courses/${course.json.id}/enrolments`, { person_id: p.json.id })).json.id);
  }
  const statuses = ['present', 'present', 'present', 'late', 'excused', 'absent'];
  const marks = (k) => ({ marks: enrolments.map((id, i) => ({ enrolment_id: id, status: statuses[(i + k) % statuses.length] })) });
  const time = async (count, fn) => {
    const t = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const r = await fn(i);
      t.push(performance.now() - t0);
      if (r.status !== 200) throw new Error(`status ${r.status}: ${r.text?.slice(0, 200)}`);
    }
    return t.sort((a, b) => a - b);
  };
  for (let k = 0; k < 40; k++) await teacher.request('PUT', `/api/v1/sessions/${sids[k]}/attendance`, { json: marks(k) });
  const put = await time(Number(n), (i) => teacher.request('PUT', `/api/v1/sessions/${sids[i % 40]}/attendance`, { json: marks(i + 1) }));
  // the profile: the same durable request with one mark, and the session read alone (no write)
  const one = await time(Number(n), (i) => teacher.request('PUT', `/api/v1/sessions/${sids[i % 40]}/attendance`, { json: { marks: marks(i).marks.slice(0, 1) } }));
  const read = await time(Number(n), (i) => teacher.get(`/api/v1/sessions/${sids[i % 40]}`));
  const cookie = teacher.cookieHeader();
  const xlsx = await time(Number(m), async () => {
    const r = await fetch(`${srv.base}/api/v1/courses/${course.json.id}/register?format=xlsx`, { headers: { Cookie: cookie } });
    await r.arrayBuffer();
    return { status: r.status };
  });
  // the reference in the same run: the HTTP round trip of GET /healthz (one SELECT 1), as many times as the marking
  const health = await time(Number(n), async () => {
    const r = await fetch(`${srv.base}/healthz`);
    await r.arrayBuffer();
    return { status: r.status };
  });
  const q = (t, p) => Number(t[Math.min(t.length - 1, Math.floor(p * t.length))].toFixed(2));
  const sum = (t) => ({ p50_ms: q(t, 0.5), p95_ms: q(t, 0.95), p99_ms: q(t, 0.99), max_ms: Number(t.at(-1).toFixed(2)) });
  console.log(JSON.stringify({ engine: process.env.LABIMPACT_TEST_PG_URI ? 'postgresql' : 'sqlite', sessions: sids.length, learners: enrolments.length,
    attendance_put: { requests: put.length, ...sum(put) }, register_xlsx: { requests: xlsx.length, ...sum(xlsx) },
    attendance_put_1_mark: { requests: one.length, ...sum(one) }, session_get: { requests: read.length, ...sum(read) },
    reference_healthz: { requests: health.length, ...sum(health) }, loadavg: os.loadavg().map((x) => Number(x.toFixed(2))) }));
} finally {
  await srv.stop();
}
