// The admin dashboard in Chromium: a failed-login burst (with the throttling it triggers)
// and a replayed refresh token are provoked against a real writ, and the dashboard an
// administrator opens shows them — on the chart, in the tiles and in the tables — drawn
// without any policy violation. A user without the admin role gets no data. Screenshot:
// dashboard.png (WRIT_SCREENSHOT_DIR).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { REFRESH_COOKIE, expectStatus, writBinary } from '../integration/harness.mjs';
import {
  createUser, launchBrowser, newPassword, recordingContext, screenshotPath, startWrit, uniqueName,
} from './browser.mjs';

let server;
let browser;
let admin;
before(async () => {
  // Strict refresh (no grace window) and a low lockout, so the attacks are quick to stage.
  server = await startWrit({
    sessions: { refresh_grace: '0s' },
    throttle: { max_account_failures: 5, account_backoff_base: '60s' },
  });
  browser = await launchBrowser();
  admin = await createUser(server);
  // Roles are an operator's decision, made on the store with the command line.
  execFileSync(writBinary(), ['users', '--store', `sqlite:${server.dbPath}`, 'set-roles', admin.username, 'user,admin']);
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

async function loginToDashboard(page, { username, password }) {
  await page.goto(`${server.origin}/login?next=%2Fadmin`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(`${server.origin}/admin`), page.click('#login-submit')]);
}

test('the dashboard shows a failed-login burst and a replayed refresh token', async () => {
  // The burst: wrong passwords for one account until the throttle locks it.
  const target = await createUser(server);
  const guesser = server.client();
  for (let i = 0; i < 8; i += 1) {
    const response = await guesser.login(target.username, newPassword());
    assert.ok([401, 429].includes(response.status), `${response}`);
  }
  // The theft: the victim rotates its refresh token; the stolen copy is replayed later.
  const victim = await createUser(server);
  const victimClient = server.client();
  expectStatus(await victimClient.login(victim.username, victim.password), 200);
  const stolen = victimClient.refresh;
  expectStatus(await victimClient.post('/auth/refresh'), 200);
  const thief = server.client({ userAgent: 'thief-agent/1.0' });
  expectStatus(await thief.post('/auth/refresh', { jar: { [REFRESH_COOKIE]: stolen } }), 401, 'invalid_token');

  const context = await recordingContext(browser);
  const page = await context.newPage();
  await loginToDashboard(page, admin);
  await page.waitForSelector('#dashboard:not([hidden])');
  await page.selectOption('#window', '1h');
  await page.waitForFunction(() => document.querySelectorAll('#chart g.bar').length === 60);

  const failed = Number(await page.textContent('#tile-failed'));
  assert.ok(failed >= 5, `failed logins tile: ${failed}`);
  const bars = await page.$$eval('#chart g.bar', (groups) => groups.map((g) => Number(g.dataset.failure)));
  // The burst takes a few seconds: one minute bar holds it, or two when it crosses a minute.
  const filled = bars.filter((failures) => failures > 0);
  assert.ok(filled.length >= 1 && filled.length <= 2, `the burst is in one or two bars: ${bars}`);
  assert.ok(filled.reduce((total, failures) => total + failures, 0) >= 5, `the bars hold the burst: ${bars}`);
  assert.equal(await page.textContent('#tile-reuse'), '1');
  assert.ok(await page.$('.alert-tile.alerting'), 'the reuse tile is raised');
  const reuseRow = await page.textContent('#reuse-rows');
  assert.match(reuseRow, new RegExp(victim.username));
  assert.match(reuseRow, /thief-agent\/1\.0/);
  assert.match(await page.textContent('#throttled-account-rows'), new RegExp(target.username));
  assert.match(await page.textContent('#throttled-ip-rows'), /127\.0\.0\.1/);

  // The audit table filters: only the reuse event.
  await page.selectOption('#f-event', 'refresh_reuse');
  await page.click('#filters button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('#event-rows tr').length === 1
    && document.querySelector('#event-rows').textContent.includes('refresh_reuse'));

  await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
  assert.deepEqual(context.problems, [], 'no CSP violation or script error');
  // The dashboard's answers never carry a token or a raw refresh value.
  for (const { where, body } of context.bodies) {
    assert.ok(!body.includes(stolen), `the stolen refresh token appears in ${where}`);
  }
  await context.close();
});

test('a user without the admin role gets no dashboard data', async () => {
  const user = await createUser(server);
  const context = await recordingContext(browser);
  const page = await context.newPage();
  const answer = page.waitForResponse((response) => response.url().includes('/auth/admin/overview'));
  await loginToDashboard(page, user);
  assert.equal((await answer).status(), 403);
  await page.waitForSelector('#status.error');
  assert.match(await page.textContent('#status'), /administrators/);
  assert.ok(await page.$('#dashboard[hidden]'));
  // Asked directly from the page, the data is refused just the same.
  const direct = await page.evaluate(async () => {
    const response = await fetch('/auth/admin/audit', { credentials: 'same-origin' });
    return { status: response.status, body: await response.json() };
  });
  assert.deepEqual(direct, { status: 403, body: { error: 'forbidden' } });
  await context.close();
});

test('the dashboard sends a logged-out visitor to the login page', async () => {
  const context = await recordingContext(browser);
  const page = await context.newPage();
  await page.goto(`${server.origin}/admin`);
  await page.waitForURL(`${server.origin}/login?next=%2Fadmin`);
  await context.close();
});
