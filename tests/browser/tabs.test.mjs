// Two tabs of one browser whose access token expires at the same moment: both keep working
// through writ-client.js, because refreshes are serialised across tabs (Web Locks) and the
// second tab re-reads the session instead of presenting the refresh token again. The
// refresh grace window is 0 here, so any second presentation would be refresh_reuse and end
// the session: the audit trail must show exactly one refresh per expiry and no reuse.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, auditEvents, createUser, launchBrowser, loginThroughPage, recordingContext,
  startWrit, writFetchInPage,
} from './browser.mjs';

const ACCESS_TTL_SECONDS = 3;

let server;
let browser;
before(async () => {
  server = await startWrit({
    tokens: { access_ttl: `${ACCESS_TTL_SECONDS}s` },
    sessions: { refresh_grace: '0s' },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.dispose();
});

// Waits until the browser's access cookie has expired (its Max-Age is the token's lifetime).
async function untilAccessExpires(context) {
  const access = (await context.cookies()).find((cookie) => cookie.name === ACCESS_COOKIE);
  assert.ok(access, 'no access cookie');
  const wait = access.expires * 1000 - Date.now() + 300;
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

test('two tabs whose access tokens expire together both keep working, with one refresh each time', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const first = await context.newPage();
  await loginThroughPage(first, server, username, password);
  const second = await context.newPage();
  await second.goto(`${server.origin}/account`);
  await second.waitForSelector('#account:not([hidden])');

  const rounds = 3;
  for (let round = 1; round <= rounds; round += 1) {
    await untilAccessExpires(context);
    // Both tabs hit writ at once with an expired access token.
    const [a, b] = await Promise.all([
      writFetchInPage(first, '/auth/sessions'),
      writFetchInPage(second, '/auth/sessions'),
    ]);
    assert.equal(a.status, 200, `round ${round}, first tab: ${JSON.stringify(a)}\n${server.logs()}`);
    assert.equal(b.status, 200, `round ${round}, second tab: ${JSON.stringify(b)}`);
    // And an unsafe request right after, which needs the CSRF token of the same session.
    const write = await writFetchInPage(second, '/auth/sessions/revoke', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"session_id":"not-a-session"}',
    });
    assert.equal(write.status, 404, `round ${round}: ${JSON.stringify(write)}`);
  }

  const refreshes = auditEvents(server, 'refresh');
  assert.equal(refreshes.length, rounds, `one refresh per expiry:\n${server.auditText()}`);
  assert.ok(refreshes.every((line) => line.outcome === 'success' && line.reason !== 'grace'), server.auditText());
  assert.deepEqual(auditEvents(server, 'refresh_reuse'), [], 'no refresh token was presented twice');
  assert.equal((await writFetchInPage(first, '/auth/session')).status, 200);
  assert.deepEqual(context.problems, []);
  await context.close();
});

test('control: without the lock, the second tab\'s refresh is caught as token reuse', async () => {
  // What the lock prevents: tab 2 sends its refresh before tab 1's answer (with the rotated
  // cookie) has reached the cookie jar, so tab 2 presents the refresh token tab 1 just spent.
  // The interleaving is made deterministic by putting the spent cookie back into the jar.
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const first = await context.newPage();
  await loginThroughPage(first, server, username, password);
  const second = await context.newPage();
  // A page of writ's origin that does nothing by itself (the login page would move on).
  await second.goto(`${server.origin}/assets/writ.css`);
  const spent = (await context.cookies()).find((cookie) => cookie.name === REFRESH_COOKIE);
  const reuseBefore = auditEvents(server, 'refresh_reuse').length;
  const refresh = (page) => page.evaluate(async () => (await fetch('/auth/refresh', { method: 'POST' })).status);
  assert.equal(await refresh(first), 200);
  await context.addCookies([spent]);
  assert.equal(await refresh(second), 401);
  const lines = await server.waitForAudit((all) => all.filter((line) => line.event === 'refresh_reuse').length > reuseBefore);
  assert.equal(lines.filter((line) => line.event === 'refresh_reuse').length, reuseBefore + 1);
  // The whole session is gone, as it should be after a reuse.
  assert.equal((await writFetchInPage(first, '/auth/session')).status, 401);
  await context.close();
});
