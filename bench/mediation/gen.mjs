// gen.mjs — SQL for the candidate-search bench: MEDIATORS mediators in one
// district (languages of Lombardy's main communities, domains, weekday
// availability) and BOOKINGS past bookings, each done and holding its
// quarter-hour slots. Portable SQL (SQLite and PostgreSQL), written to stdout.
// Usage: node gen.mjs ORG_ID [MEDIATORS=1000] [BOOKINGS=100000] [SEED=1]
const [orgId, nMed = 1000, nBook = 100000, seed = 1] = process.argv.slice(2).map(Number);
let s = BigInt(seed) * 2654435761n + 1n;
const rnd = (n) => { s ^= (s << 13n) & 0xffffffffffffffffn; s ^= s >> 7n; s ^= (s << 17n) & 0xffffffffffffffffn; return Number(s % BigInt(n)); };
const langs = ['ar', 'ro', 'sq', 'zh', 'ur', 'pa', 'bn', 'es', 'uk', 'fr', 'en', 'wo', 'ti'];
const weights = [22, 14, 10, 8, 8, 6, 5, 7, 7, 5, 4, 2, 2];
const pickLang = () => { let x = rnd(100); for (let i = 0; i < langs.length; i++) { if (x < weights[i]) return langs[i]; x -= weights[i]; } return 'ar'; };
const domains = ['school', 'health', 'social', 'legal'];
const now = Math.floor(Date.now() / 1000);
const out = [];
const w = (l) => out.push(l);
w('BEGIN;');
const batch = (table, cols, rows) => {
  for (let i = 0; i < rows.length; i += 500) w(`INSERT INTO ${table} (${cols}) VALUES ${rows.slice(i, i + 500).join(',')};`);
};
const med = [], ml = [], md = [], ma = [];
for (let i = 1; i <= nMed; i++) {
  med.push(`(${i}, ${orgId}, 'Bench', 'Mediator ${i}', 'bench-token-${i}', ${now - rnd(200 * 86400)}, ${now}, ${now})`);
  const l = new Set([pickLang()]); if (rnd(2)) l.add(pickLang()); if (rnd(4) === 0) l.add('en');
  for (const x of l) ml.push(`(${i}, '${x}')`);
  for (const d of domains) if (d === 'school' || rnd(3)) md.push(`(${i}, '${d}')`);
  if (rnd(3)) { const a = rnd(2) ? 480 : 780, b = a === 480 && rnd(2) ? 780 : 1140; for (let d = 1; d <= 5; d++) ma.push(`(${i}, ${d}, ${a}, ${b})`); }
}
batch('mediator', 'id, org_id, given_name, family_name, calendar_token, last_assigned_at, created_at, updated_at', med);
batch('mediator_language', 'mediator_id, lang', ml);
batch('mediator_domain', 'mediator_id, domain', md);
batch('mediator_availability', 'mediator_id, weekday, start_min, end_min', ma);
const req = [], slot = [];
const taken = new Set();
for (let i = 1; i <= nBook; i++) {
  const m = 1 + rnd(nMed);
  const mins = 30 + 15 * rnd(7);
  let start;
  for (;;) { // past working hours, no overlap for this mediator
    start = now - 86400 * (1 + rnd(730)) - (now % 900);
    const first = Math.floor(start / 900), last = Math.floor((start + mins * 60 - 1) / 900);
    let ok = true;
    for (let k = first; k <= last; k++) if (taken.has(`${m}:${k}`)) ok = false;
    if (!ok) continue;
    for (let k = first; k <= last; k++) { taken.add(`${m}:${k}`); slot.push(`(${m}, ${k}, ${i})`); }
    break;
  }
  req.push(`(${i}, ${orgId}, '${pickLang()}', '${domains[rnd(4)]}', ${start}, ${mins}, ${start + mins * 60}, 'x', 'done', ${m}, ${mins}, ${start}, ${start})`);
}
batch('mediation_request', 'id, org_id, language, domain, start_at, minutes, end_at, place, status, mediator_id, minutes_worked, created_at, updated_at', req);
batch('mediation_slot', 'mediator_id, slot, request_id', slot);
w('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
