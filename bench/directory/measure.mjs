// measure.mjs — times GET /hsds/services?search=... (the public HSDS read API,
// 25 fully nested services a page, with the total) against a running server:
// sequential requests after a warm-up, cycling over a few searches (one word,
// two words, a rare word, with a page further on); prints p50/p95/p99/max in
// milliseconds as one JSON line. Usage: node measure.mjs BASE [N=500]
const [base, n = '500'] = process.argv.slice(2);
const searches = ['mediazione', 'italiano cremona', 'sportello&page=3', 'consultorio lodi', 'doposcuola&per_page=50', 'zzzz'];
const urls = searches.map((x) => `${base}/hsds/services?search=${x.replace(/ /g, '%20')}`);
let total = 0;
for (let i = 0; i < 30; i++) total = (await (await fetch(urls[i % urls.length])).json()).total_items;
const times = [];
for (let i = 0; i < Number(n); i++) {
  const t0 = performance.now();
  const res = await fetch(urls[i % urls.length]);
  await res.arrayBuffer();
  times.push(performance.now() - t0);
  if (res.status !== 200) throw new Error(`status ${res.status}`);
}
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(2);
const all = (await (await fetch(`${base}/hsds/services?per_page=1`)).json()).total_items;
console.log(JSON.stringify({ requests: times.length, services: all, last_total: total, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), max_ms: times.at(-1).toFixed(2) }));
