// Browser tests for `bulwark serve` in real headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core): sign-in through the web UI,
// the session cookie's attributes, CSP blocking an injected inline script,
// a cross-site POST without a CSRF token refused, and MFA enrolment with the
// QR code. Usage: node service.test.mjs /path/to/bulwark
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const bin = process.argv[2];
if (!bin) {
  console.error('usage: node service.test.mjs /path/to/bulwark');
  process.exit(2);
}
const scratch = mkdtempSync(path.join(tmpdir(), 'bulwark-browser-'));
let server;
let attacker;
let context;
let failures = 0;

function startService() {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ['serve', '--listen', '127.0.0.1:0', '--data-dir', path.join(scratch, 'data')], {
      env: { ...process.env, BULWARK_RATE_LIMIT_PER_MINUTE: '100000', BULWARK_RATE_LIMIT_BURST: '10000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/serving on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    server.stderr.on('data', () => {});
    server.on('exit', (code) => reject(new Error(`bulwark serve exited with ${code}`)));
    setTimeout(() => reject(new Error('bulwark serve did not start')), 30000);
  });
}

function totp(base32, unixTime) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixTime / 30)));
  const mac = createHmac('sha1', Buffer.from(bytes)).update(counter).digest();
  const off = mac[19] & 0xf;
  const code = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(code % 1000000).padStart(6, '0');
}

async function test(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (e) {
    failures++;
    console.log(`not ok - ${name}\n  ${e.stack || e}`);
  }
}

try {
  const port = await startService();
  // localhost is a secure context for Chromium, so __Host- cookies work over plain HTTP there.
  const base = `http://localhost:${port}`;
  const email = 'browser@example.com';
  const password = 'juniper cobalt harbor 31';
  const reg = await fetch(`${base}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, display_name: 'Browser <b>User</b>' }),
  });
  assert.equal(reg.status, 201);

  // A cross-site page on another origin (127.0.0.1 vs localhost are different sites).
  attacker = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><form id="f" method="post" action="${base}/logout">
      <input name="x" value="1"></form><script>document.getElementById('f').submit()</script>`);
  });
  await new Promise((r) => attacker.listen(0, '127.0.0.1', r));
  const attackerUrl = `http://127.0.0.1:${attacker.address().port}/`;

  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || (await context.newPage());

  await test('sign in through the web UI', async () => {
    await page.goto(`${base}/login`);
    // The nonce'd inline script ran (it focuses the email field).
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'email');
    await page.fill('#email', email);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL(`${base}/account`), page.click('#submit')]);
    assert.equal(await page.textContent('#email'), email);
    // The display name is text, not markup.
    assert.equal(await page.textContent('#display-name'), 'Browser <b>User</b>');
  });

  await test('session cookie attributes', async () => {
    const cookies = await context.cookies(base);
    const c = cookies.find((x) => x.name === '__Host-session');
    assert.ok(c, 'no __Host-session cookie');
    assert.equal(c.httpOnly, true);
    assert.equal(c.secure, true);
    assert.equal(c.sameSite, 'Lax');
    assert.equal(c.path, '/');
    assert.equal(c.domain, 'localhost');
    assert.equal(await page.evaluate(() => document.cookie.includes('__Host-session')), false);
  });

  await test('CSP blocks an injected inline script', async () => {
    // Simulate markup injection that got past escaping: the server's real
    // response (with its CSP header) gets an inline script and an inline
    // event handler spliced into the body on the way to the browser.
    const violations = [];
    const listener = (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); };
    page.on('console', listener);
    await page.route(`${base}/account`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('</body>',
        '<script>window.__pwned = 1</script><img src="/x.png" onerror="window.__pwned2 = 1"></body>');
      await route.fulfill({ response, body });
    });
    await page.goto(`${base}/account`);
    await page.waitForTimeout(500);
    await page.unroute(`${base}/account`);
    page.off('console', listener);
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'injected inline script ran');
    assert.equal(await page.evaluate(() => window.__pwned2), undefined, 'injected event handler ran');
    assert.ok(violations.length >= 1, 'no CSP violation was reported');
    // The page's own nonce'd script still runs (see the sign-in test).
  });

  await test('a cross-site POST without a CSRF token is refused', async () => {
    const attackPage = await context.newPage();
    const refused = attackPage.waitForResponse((r) => r.url() === `${base}/logout`);
    await attackPage.goto(attackerUrl);
    const res = await refused;
    assert.equal(res.status(), 403);
    await attackPage.close();
    await page.goto(`${base}/account`);
    assert.equal(page.url(), `${base}/account`, 'the session must survive the forged request');
  });

  await test('MFA enrolment with the QR code, then sign-in with a code', async () => {
    await page.goto(`${base}/account`);
    assert.equal(await page.textContent('#mfa-status'), 'off');
    await page.fill('#password', password);
    await page.click('#enrol');
    await page.waitForSelector('#qr');
    const qrWidth = await page.evaluate(async () => {
      const img = document.getElementById('qr');
      if (!img.complete) await new Promise((r) => img.addEventListener('load', r));
      return img.naturalWidth;
    });
    assert.ok(qrWidth > 0, 'QR image did not load');
    const secret = (await page.textContent('#secret')).trim();
    const now = Math.floor(Date.now() / 1000);
    await page.fill('#code', totp(secret, now));
    await page.click('#confirm');
    await page.waitForSelector('#codes li');
    assert.equal(await page.locator('#codes li').count(), 10);
    await page.goto(`${base}/account`);
    assert.equal(await page.textContent('#mfa-status'), 'on');
    await Promise.all([page.waitForURL(`${base}/login`), page.click('#logout')]);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.click('#submit');
    await page.waitForSelector('#error');
    await page.fill('#password', password);
    await page.fill('#totp_code', totp(secret, now + 30));
    await Promise.all([page.waitForURL(`${base}/account`), page.click('#submit')]);
  });
} catch (e) {
  failures++;
  console.log(`not ok - setup\n  ${e.stack || e}`);
} finally {
  if (context) await context.close().catch(() => {});
  if (attacker) attacker.close();
  if (server) {
    server.removeAllListeners('exit');
    server.kill('SIGTERM');
  }
  rmSync(scratch, { recursive: true, force: true });
}
console.log(failures === 0 ? 'all browser tests passed' : `${failures} browser test(s) failed`);
process.exit(failures === 0 ? 0 : 1);
