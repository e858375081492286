// gen.mjs — SQL for the HSDS search bench: SERVICES services spread over the
// organisations given (names and descriptions from a small vocabulary of
// integration services and Lombard towns, languages, categories, weekly
// hours). Portable SQL (SQLite and PostgreSQL), written to stdout.
// Usage: node gen.mjs ORG_IDS(comma-separated) [SERVICES=10000] [SEED=1]
const [orgArg, nArg = '10000', seedArg = '1'] = process.argv.slice(2);
const orgs = orgArg.split(',').map(Number);
const n = Number(nArg);
let s = BigInt(seedArg) * 2654435761n + 1n;
const rnd = (k) => { s ^= (s << 13n) & 0xffffffffffffffffn; s ^= s >> 7n; s ^= (s << 17n) & 0xffffffffffffffffn; return Number(s % BigInt(k)); };
const kinds = [['Sportello immigrati', 'help-desk'], ['Corso di italiano', 'language-course'], ['CPIA', 'adult-education'],
  ['Mediazione linguistico-culturale', 'mediation'], ['Consulenza legale', 'legal'], ['Consultorio familiare', 'family'],
  ['Orientamento al lavoro', 'work'], ['Sportello casa', 'housing'], ['Doposcuola', 'school'], ['Centro di comunità', 'community']];
const towns = ['Cremona', 'Lodi', 'Luino', 'Sondrio', 'Dalmine', 'Rozzano', 'Cittiglio', 'Montichiari', 'Casalmaggiore', 'Germignaga'];
const langs = ['it', 'en', 'fr', 'ar', 'ro', 'sq', 'zh', 'ur', 'uk', 'es', 'pa', 'bn', 'wo'];
const now = Math.floor(Date.now() / 1000);
const q = (t) => `'${t.replace(/'/g, "''")}'`;
// search_text as service.c writes it: each word after one space, lower-case, ASCII punctuation dropped.
const words = (t) => ' ' + t.toLowerCase().split(/[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+/).filter(Boolean).join(' ');
const rows = [];
for (let i = 1; i <= n; i++) {
  const [kind, cat] = kinds[rnd(kinds.length)];
  const town = towns[rnd(towns.length)];
  const name = `${kind} ${town} ${i}`;
  const desc = `Servizio ${kind.toLowerCase()} per cittadini di paesi terzi a ${town}: informazioni, accompagnamento, orari su appuntamento.`;
  const l = [...new Set(['it', langs[rnd(langs.length)], langs[rnd(langs.length)]])];
  const hours = JSON.stringify([{ byday: 'MO,WE', opens_at: '09:00', closes_at: '12:30' }]);
  rows.push(`(${100000 + i}, ${orgs[rnd(orgs.length)]}, ${q(name)}, ${q(desc)}, 'Via del Bench ${i}', ${q(town)}, '26100', ${q(JSON.stringify(l))}, ${q(JSON.stringify([cat]))}, ${q(hours)}, ${q(words(`${name} ${desc}`))}, ${now - rnd(400 * 86400)}, ${now - rnd(400 * 86400)})`);
}
const out = ['BEGIN;'];
for (let i = 0; i < rows.length; i += 500) {
  out.push(`INSERT INTO dir_service (id, org_id, name, description, address_1, city, postal_code, languages, categories, schedules, search_text, created_at, updated_at) VALUES ${rows.slice(i, i + 500).join(',')};`);
}
out.push('COMMIT;');
console.log(out.join('\n'));
