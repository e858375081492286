// templates.test.js — static checks of templates/ and locales/ (no browser):
// every {{_ text}} has a translation in it.po and en.po (with the modules'
// locales/<module>/<lang>.po), the public pages' texts also in fr.po and ar.po;
// no catalogue repeats a msgid; and nothing the
// CSP would block (inline scripts, style attributes, inline event handlers).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './helpers.js';

const TEMPLATES = join(ROOT, 'templates');
const PUBLIC = ['layout.html', 'error.html', 'network/home.html', 'network/district.html', 'app/login.html', 'meetings/public.html'];

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.html') ? [p] : [];
  });
}

/* The msgids of a template, normalised as the engine does (runs of white space -> one space). */
function msgids(file) {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/\{\{_ ([\s\S]*?)\}\}/g)].map((m) => m[1].trim().replace(/\s+/g, ' '));
}

/* msgid -> msgstr of one .po file (single-line entries, as these catalogues are written). */
function parsePo(path) {
  const src = readFileSync(path, 'utf8');
  const unq = (s) => s.replace(/\\(["\\n])/g, (_, c) => (c === 'n' ? '\n' : c));
  const entries = new Map();
  const dupes = [];
  for (const m of src.matchAll(/^msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"/gm)) {
    const id = unq(m[1]);
    if (id === '') continue;
    if (entries.has(id)) dupes.push(id);
    entries.set(id, unq(m[2]));
  }
  return { entries, dupes };
}

/* A language as the server loads it: locales/<lang>.po first (it wins on
 * conflicts), then each module's locales/<module>/<lang>.po. */
function catalogue(lang) {
  const dir = join(ROOT, 'locales');
  const files = [join(dir, `${lang}.po`)];
  for (const n of readdirSync(dir).sort()) {
    const f = join(dir, n, `${lang}.po`);
    if (statSync(join(dir, n)).isDirectory() && existsSync(f)) files.push(f);
  }
  const entries = new Map();
  const dupes = [];
  for (const f of files) {
    const one = parsePo(f);
    dupes.push(...one.dupes.map((d) => `${relative(ROOT, f)}: "${d}"`));
    for (const [k, v] of one.entries) if (!entries.has(k)) entries.set(k, v);
  }
  return { entries, dupes };
}

const all = walk(TEMPLATES);

describe('translations', () => {
  for (const [lang, files] of [['it', all], ['en', all], ['fr', PUBLIC.map((f) => join(TEMPLATES, f))], ['ar', PUBLIC.map((f) => join(TEMPLATES, f))]]) {
    it(`${lang}.po translates every text of ${lang === 'it' || lang === 'en' ? 'every page' : 'the public pages'}`, () => {
      const { entries, dupes } = catalogue(lang);
      assert.deepEqual(dupes, [], `${lang}.po repeats msgids`);
      const missing = [];
      for (const f of files) {
        for (const id of msgids(f)) {
          if (!entries.get(id)) missing.push(`${relative(ROOT, f)}: "${id}"`);
        }
      }
      assert.deepEqual([...new Set(missing)], [], `missing from locales/${lang}.po`);
    });
  }
});

describe('templates and the CSP', () => {
  it('have no inline script, style attribute or event handler', () => {
    const bad = [];
    for (const f of all) {
      const src = readFileSync(f, 'utf8');
      const rel = relative(ROOT, f);
      if (/<script(?![^>]*\ssrc=)[^>]*>/i.test(src)) bad.push(`${rel}: inline <script>`);
      if (/<style[\s>]/i.test(src)) bad.push(`${rel}: <style> element`);
      if (/\sstyle\s*=/i.test(src)) bad.push(`${rel}: style="" attribute`);
      if (/\son[a-z]+\s*=/i.test(src)) bad.push(`${rel}: inline event handler`);
      if (/javascript:/i.test(src)) bad.push(`${rel}: javascript: URL`);
    }
    assert.deepEqual(bad, []);
  });

  it('label every form control', () => {
    const bad = [];
    for (const f of all) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/<(input|select|textarea)\b([^>]*)>/g)) {
        const attrs = m[2];
        if (/type="(hidden|submit)"/.test(attrs)) continue;
        const id = /\sid="([^"]+)"/.exec(attrs)?.[1];
        if (!id || !src.includes(`for="${id}"`)) bad.push(`${relative(ROOT, f)}: <${m[1]}${attrs.slice(0, 60)}…> has no <label for>`);
      }
    }
    assert.deepEqual(bad, []);
  });
});
