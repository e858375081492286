// measure.mjs — times GET /hsds/services?search=... (the public HSDS read API,
// 25 fully nested services a page, with the total) against a running server:
// sequential requests after a warm-up, cycling over a few searches (one word,
// two words, a rare word, with a page further on); prints p50/p95/p99/max in
// milliseconds as one JSON line, with the same figures for GET /healthz
// timed between them (every fifth request: the reference, the cost of the
// round trip on this machine at this moment). Usage: node measure.mjs BASE [N=500]
const [base, n = '500'] = process.argv.slice(2);
const searches = ['mediazione', 'italiano cremona', 'sportello&page=3', 'consultorio lodi', 'doposcuola&per_page=50', 'zzzz'];
const urls = searches.map((x) => `${base}/hsds/services?search=${x.replace(/ /g, '%20')}`);
let total = 0;
for (let i = 0; i < 30; i++) total = (await (await fetch(urls[i % urls.length])).json()).total_items;
const times = [], ref = [];
/** Times one GET into `into`. */
async function timed(url, into) {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  into.push(performance.now() - t0);
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}
for (let i = 0; i < Number(n); i++) {
  await timed(urls[i % urls.length], times);
  if (i % 5 === 4) await timed(`${base}/healthz`, ref);
}
times.sort((a, b) => a - b);
ref.sort((a, b) => a - b);
const pick = (v, p) => v[Math.min(v.length - 1, Math.floor(p * v.length))].toFixed(2);
const q = (p) => pick(times, p);
const all = (await (await fetch(`${base}/hsds/services?per_page=1`)).json()).total_items;
console.log(JSON.stringify({ requests: times.length, services: all, last_total: total, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), max_ms: times.at(-1).toFixed(2),
  healthz_p50_ms: pick(ref, 0.5), healthz_p99_ms: pick(ref, 0.99) }));
