// measure.mjs — times GET /api/v1/mediation/requests/{id}/candidates against a
// running server (sequential requests, after a warm-up): prints p50/p95/p99/max
// in milliseconds as one JSON line. Usage: node measure.mjs BASE USER PASSWORD [N=500]
const [base, user, password, n = '500'] = process.argv.slice(2);
const login = await fetch(`${base}/api/v1/session`, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }),
});
const { csrf_token: csrf } = await login.json();
const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
const headers = { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf };
// A future Arabic school request, next Tuesday 10:00 Rome time.
const d = new Date(Date.now() + 7 * 86400000);
while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
const start = `${d.toISOString().slice(0, 10)}T10:00`;
const r = await fetch(`${base}/api/v1/mediation/requests`, {
  method: 'POST', headers, body: JSON.stringify({ language: 'ar', domain: 'school', start, minutes: 90, place: 'Bench school' }),
});
const { id } = await r.json();
const url = `${base}/api/v1/mediation/requests/${id}/candidates`;
let candidates = 0, excluded = 0;
for (let i = 0; i < 50; i++) { const j = await (await fetch(url, { headers })).json(); candidates = j.items.length; excluded = j.excluded.length; }
/* Times `n` sequential GETs of u; returns sorted milliseconds. */
async function timeIt(u) {
  const times = [];
  for (let i = 0; i < Number(n); i++) {
    const t0 = performance.now();
    const res = await fetch(u, { headers });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`status ${res.status}`);
  }
  return times.sort((a, b) => a - b);
}
const q = (t, p) => t[Math.min(t.length - 1, Math.floor(p * t.length))].toFixed(2);
// The same pipeline with a trivial handler (session + /me), interleaved, as the floor of this machine.
const base_ = await timeIt(`${base}/api/v1/me`);
const times = await timeIt(url);
console.log(JSON.stringify({
  requests: times.length, candidates, excluded,
  p50_ms: q(times, 0.5), p95_ms: q(times, 0.95), p99_ms: q(times, 0.99), max_ms: times.at(-1).toFixed(2),
  me_p50_ms: q(base_, 0.5), me_p95_ms: q(base_, 0.95),
}));
