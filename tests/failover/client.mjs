// client.mjs — the writer of the failover test: logs in to a running
// `labimpact serve` and creates organisations one after the other through
// POST /api/v1/orgs, logging every answer, until a stop file appears or the
// time limit passes. run.sh reads the log to decide what was acknowledged.
//
// Log line: <epoch ms> <seq> <code> <HTTP status or ERR> <error code or -> <Retry-After or ->
// It must never retry a write under the same code (a retry would hide a lost
// acknowledgement) and never run past its time limit.
//
// usage: node client.mjs BASE_URL USERNAME LOG_FILE STOP_FILE MAX_SECONDS
//        (the password is read from the environment, FAILOVER_PASSWORD)
import { appendFileSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [base, username, logFile, stopFile, maxSecondsArg] = process.argv.slice(2);
const password = process.env.FAILOVER_PASSWORD;
const deadline = Date.now() + Number(maxSecondsArg || 45) * 1000;
const REQUEST_TIMEOUT_MS = 10000;

/** Logs in and returns { cookie, csrf }, retrying while the service answers 503. */
async function login() {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${base}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (res.status === 200) {
        const body = await res.json();
        const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        return { cookie, csrf: body.csrf_token };
      }
      console.error(`client: login answered ${res.status}`);
    } catch (e) {
      console.error(`client: login failed: ${e.name}`);
    }
    await sleep(200);
  }
  throw new Error('login did not succeed before the deadline');
}

/** One write; returns the log line. */
async function writeOne(session, seq) {
  const code = `fo-${seq}`;
  try {
    const res = await fetch(`${base}/api/v1/orgs`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: session.cookie,
        'x-csrf-token': session.csrf,
      },
      body: JSON.stringify({ code, name: `Failover probe ${seq}`, kind: 'partner', parent: 'cremona' }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await res.json().catch(() => null);
    const err = body && body.error ? body.error.code : '-';
    return { status: res.status, line: `${Date.now()} ${seq} ${code} ${res.status} ${err} ${res.headers.get('retry-after') ?? '-'}` };
  } catch (e) {
    return { status: 0, line: `${Date.now()} ${seq} ${code} ERR ${e.name} -` };
  }
}

const session = await login();
let seq = 0;
while (Date.now() < deadline && !existsSync(stopFile)) {
  seq += 1;
  const { status, line } = await writeOne(session, seq);
  appendFileSync(logFile, line + '\n');
  if (status !== 201 && status !== 200) await sleep(50);
}
process.exit(0);
