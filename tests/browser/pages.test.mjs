// The pages as a browser gets them: the headers of every page and asset (strict CSP,
// nosniff, no-store for HTML, the right Content-Type), no policy violation while they run,
// the login page's ?next= refusing other origins, and screenshots of the login, signup and
// account pages (WRIT_SCREENSHOT_DIR; ctest puts them in the build folder).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  createUser, launchBrowser, loginThroughPage, newPassword, recordingContext, screenshotPath,
  signupThroughPage, startWrit, uniqueName,
} from './browser.mjs';

const POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
  + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
  + "require-trusted-types-for 'script'; trusted-types 'none'";

let server;
let browser;
before(async () => {
  server = await startWrit();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

test('every page and asset comes with the strict policy and the right headers', async () => {
  const context = await recordingContext(browser);
  const page = await context.newPage();
  const seen = new Map();
  page.on('response', (response) => {
    const url = new URL(response.url());
    // The first full answer of each (a later load may be a 304 revalidation).
    if (url.origin === server.origin && !url.pathname.startsWith('/auth/') && response.status() === 200
        && !seen.has(url.pathname)) {
      seen.set(url.pathname, response.headers());
    }
  });
  await page.goto(`${server.origin}/login`);
  await page.screenshot({ path: screenshotPath('login.png'), fullPage: true });
  await page.goto(`${server.origin}/signup`);
  await page.screenshot({ path: screenshotPath('signup.png'), fullPage: true });
  await signupThroughPage(page, server, uniqueName('pages'), newPassword());
  for (const path of ['/login', '/signup', '/account', '/assets/writ-client.js', '/assets/login.js',
    '/assets/signup.js', '/assets/account.js', '/assets/page.js', '/assets/writ.css']) {
    const headers = seen.get(path);
    assert.ok(headers, `${path} was not loaded: ${[...seen.keys()]}`);
    assert.equal(headers['content-security-policy'], POLICY, path);
    assert.equal(headers['x-content-type-options'], 'nosniff', path);
    assert.equal(headers['x-frame-options'], 'DENY', path);
    assert.equal(headers['referrer-policy'], 'no-referrer', path);
    const html = !path.startsWith('/assets/');
    assert.equal(headers['cache-control'], html ? 'no-store' : 'no-cache', path);
    const type = html ? 'text/html' : path.endsWith('.css') ? 'text/css' : 'text/javascript';
    assert.equal(headers['content-type'], `${type}; charset=utf-8`, path);
  }
  assert.deepEqual(context.problems, [], 'no CSP violation or script error');
  await context.close();
});

test('the account page shows the user\'s sessions (screenshot)', async () => {
  const { username, password } = await createUser(server);
  const other = await recordingContext(browser, { userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) WritTest' });
  await loginThroughPage(await other.newPage(), server, username, password);
  const context = await recordingContext(browser, { viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  await loginThroughPage(page, server, username, password);
  await page.waitForFunction(() => document.querySelectorAll('#session-rows tr').length === 2);
  const devices = await page.$$eval('#session-rows td.device', (cells) => cells.map((cell) => cell.textContent));
  assert.ok(devices.some((device) => device.includes('iPhone')), devices.join(' | '));
  assert.ok(devices.some((device) => device.includes('this browser')), devices.join(' | '));
  await page.screenshot({ path: screenshotPath('account.png'), fullPage: true });
  assert.deepEqual(context.problems, []);
  await context.close();
  await other.close();
});

test('a wrong password is reported on the page; ?next= never leaves the origin', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.origin}/login`);
  await page.fill('#username', username);
  await page.fill('#password', 'not the password');
  await page.click('#login-submit');
  await page.waitForSelector('#message.error');
  assert.match(await page.textContent('#message'), /Wrong username or password/);
  assert.equal(new URL(page.url()).search, '', 'the password is not in the URL');

  // The last three are same-origin URLs whose path starts with "//": returned as a path,
  // "//evil.test" would leave the origin.
  for (const next of ['https://evil.test/', '//evil.test/x', '/\\evil.test', 'javascript:alert(1)',
    '/.//evil.test', '/x/..//evil.test', `${server.origin}//evil.test`]) {
    await page.goto(`${server.origin}/login?next=${encodeURIComponent(next)}`);
    await page.fill('#username', username);
    await page.fill('#password', password);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.click('#login-submit')]);
    assert.equal(new URL(page.url()).origin, server.origin, `next=${next} led to ${page.url()}`);
    assert.equal(new URL(page.url()).pathname, '/account', `next=${next}`);
    // Let the account page finish loading first: a logout under its feet sends it to
    // /login itself, racing the next goto (net::ERR_ABORTED on a loaded machine).
    await page.waitForSelector('#session-rows tr');
    await page.evaluate(async () => (await import('/assets/writ-client.js')).logout());
  }
  await page.goto(`${server.origin}/login?next=${encodeURIComponent('/account?tab=1')}`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.origin}/account?tab=1`), page.click('#login-submit')]);
  assert.deepEqual(context.problems, []);
  await context.close();
});
