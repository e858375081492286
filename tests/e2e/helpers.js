// helpers.js — what the end-to-end tests share: a real labimpact server on a
// free loopback port with a fresh SQLite database (init + demo), Debian's
// chromium driven by playwright-core, axe-core checks and screenshots.
// It never downloads a browser and never touches the developer's var/ files.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'build', 'labimpact');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const SHOTS = join(ROOT, 'build', 'screenshots');
export const PHONE = { width: 375, height: 812 };
export const DESKTOP = { width: 1280, height: 900 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(base, child, log) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`labimpact serve exited (${child.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`labimpact serve did not become healthy:\n${log()}`);
}

/* Starts a server with a fresh database in a temp dir; `env` is added to
 * the environment of `serve` (an SMTP sink's URL, say). Returns
 * { base, creds: {username: {role, org, password}}, stop() }. */
export async function startServer({ env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run make build/labimpact first`);
  const dir = mkdtempSync(join(tmpdir(), 'li-e2e-'));
  const db = join(dir, 'labimpact.db');
  const credFile = join(dir, 'credentials.txt');
  const opts = { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] };
  execFileSync(BIN, ['init', '--db', db], opts);
  execFileSync(BIN, ['demo', '--db', db, '--persons', '0', '--credentials', credFile], opts);
  const creds = {};
  for (const line of readFileSync(credFile, 'utf8').split('\n')) {
    const [username, role, org, password] = line.trim().split(/\s+/);
    if (username && password) creds[username] = { role, org, password };
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { ...opts, env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  await waitHealthy(base, child, () => out);
  return {
    base,
    creds,
    log: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
}

/* Bootstrap Italia's stylesheet embeds the video.js icon font as a data: URL,
 * which the CSP (font-src 'self') refuses; pages use no video player, so this
 * one message is expected and harmless. */
const KNOWN_CONSOLE = [/Loading the font 'data:application\/font-woff.*font-src/s];

/* A page that records what went wrong in the browser: uncaught exceptions,
 * console errors (a CSP refusal shows up there) and sub-resources (CSS, fonts,
 * icons) that failed to load. `page.problems()` lists them. */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'it-IT', ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`exception: ${e}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (KNOWN_CONSOLE.some((re) => re.test(text))) return;
    if (/^Failed to load resource/.test(text)) return; // reported by the response listener, with its URL
    problems.push(`console: ${text.slice(0, 300)}`);
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.problems = () => problems.slice();
  return page;
}

/* Logs in through the form; the page ends on wherever the server sent it. */
export async function login(page, base, username, password) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
}

/* A full-page screenshot in build/screenshots/ for a person to look at
 * (E2E_SCREENSHOTS=0 turns them off). */
export async function screenshot(page, name) {
  if (process.env.E2E_SCREENSHOTS === '0') return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/* The page scrolls sideways (content wider than the viewport). */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const d = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > d.clientWidth + 1 || r.left < -1); })
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${[...e.classList].join('.')}`);
    return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, wide };
  });
}

/* Runs axe-core (WCAG 2.0/2.1 A and AA) on the page; returns the violations. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
  });
  return result.violations;
}

/* A readable report of axe violations: rule, impact, help, nodes. */
export function formatViolations(name, violations) {
  const lines = [`${name}: ${violations.length} axe violation(s)`];
  for (const v of violations) {
    lines.push(`- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes.slice(0, 8)) {
      lines.push(`    at ${n.target.join(' ')}`);
      lines.push(`       ${n.html.slice(0, 200)}`);
      if (n.failureSummary) lines.push(`       ${n.failureSummary.replace(/\n/g, '\n       ')}`);
    }
    if (v.nodes.length > 8) lines.push(`    ... and ${v.nodes.length - 8} more`);
  }
  return lines.join('\n');
}
