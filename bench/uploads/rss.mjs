// rss.mjs — the server's peak resident memory while 4 uploads of 20 MiB run
// at once: raw API bodies, then multipart page forms. Starts its own server
// (SQLite) and reads VmHWM / VmRSS from /proc. Usage: node bench/uploads/rss.mjs
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { startServer } from '../../tests/api/helpers.mjs';

const MiB = 1024 * 1024;
const srv = await startServer();
const pid = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).find((d) => {
  try {
    return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(srv.db);
  } catch {
    return false;
  }
});
const mem = () => {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
};
/* Resets VmHWM to the current RSS (Linux clear_refs "5"), so that each phase's peak is its own. */
const resetPeak = () => writeFileSync(`/proc/${pid}/clear_refs`, '5');
const op = await srv.login('demo-operator');
const p = await op.post('/api/v1/persons', { given_name: 'Bench', family_name: 'Upload', sex: 'f', birth_date: '1990-01-01', citizenship: 'SN' });
const id = p.json.id;
const file = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(20 * MiB - 4096, 0x20)]); // fits the 20 MiB cap with the multipart envelope
resetPeak();
const m0 = mem();
const t0 = Date.now();
const raw = await Promise.all([0, 1, 2, 3].map(() => op.request('POST', `/api/v1/persons/${id}/documents`, {
  body: file, headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': 'big.pdf' },
})));
const m1 = mem();
resetPeak();
const m1b = mem();
const t1 = Date.now();
const page = await Promise.all([0, 1, 2, 3].map(() => {
  const fd = new FormData();
  fd.append('_csrf', op.csrf);
  fd.append('title', 'Grande');
  fd.append('file', new Blob([file]), 'big.pdf');
  return op.request('POST', `/desk/persons/${id}/documents`, { body: fd, csrf: false });
}));
const m2 = mem();
const t2 = Date.now();
console.log(JSON.stringify({
  file_mib: +(file.length / MiB).toFixed(2),
  before: m0,
  raw: { statuses: raw.map((r) => r.status), ms: t1 - t0, after: m1 },
  multipart: { statuses: page.map((r) => r.status), ms: t2 - t1, before: m1b, after: m2 },
}, null, 1));
await srv.stop();
