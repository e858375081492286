// node shots.mjs user|- width url out [scrollY]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const [user, width, url, out, scroll = '0'] = process.argv.slice(2);
const cred = Object.fromEntries(readFileSync('/tmp/dirsrv/cred.txt','utf8').split('\n').map(l=>l.trim().split(/\s+/)).filter(f=>f.length===4).map(f=>[f[0],f[3]]));
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const w = Number(width);
const p = await (await b.newContext({ viewport: { width: w, height: w < 800 ? 844 : 900 } })).newPage();
const base='http://127.0.0.1:18731';
if (user !== '-') { await p.goto(base+'/login'); await p.fill('#username',user); await p.fill('#password',cred[user]);
await Promise.all([p.waitForNavigation(), p.click('#login-submit')]); }
await p.goto(base+url); await p.waitForTimeout(800);
await p.evaluate((y) => window.scrollTo(0, y), Number(scroll));
await p.waitForTimeout(200);
await p.screenshot({path: out});
await b.close();
