// CSRF from a real browser: a page on another origin (a second HTTP server on 127.0.0.1,
// another site than localhost) auto-submits a form to POST /auth/logout and fires
// credentialed fetches at writ's unsafe endpoints, while the victim is logged in in the
// same browser. Every attempt is refused and the victim's session keeps working.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import {
  auditEvents, createUser, launchBrowser, loginThroughPage, recordingContext, startWrit,
  tokenCookies, writFetchInPage,
} from './browser.mjs';

let server;
let browser;
let evil;
let evilOrigin;

// The attacker's site: one page that attacks as soon as it loads, with its own (inline)
// script — no policy stops the attacker on their own origin.
function evilPage(target) {
  return `<!doctype html><html><body>
<form id="f" method="post" action="${target}/auth/logout" target="sink">
  <input type="hidden" name="x" value="1">
</form>
<iframe name="sink"></iframe>
<script>
globalThis.attack = (async () => {
  const outcomes = {};
  const tries = {
    'logout': { path: '/auth/logout' },
    'logout-all': { path: '/auth/logout-all' },
    'refresh': { path: '/auth/refresh' },
    'revoke': { path: '/auth/sessions/revoke', body: '{"session_id":"x"}', type: 'text/plain' },
    'logout-json': { path: '/auth/logout', body: '{}', type: 'application/json' },
  };
  for (const [name, { path, body, type }] of Object.entries(tries)) {
    try {
      const response = await fetch('${target}' + path, {
        method: 'POST', credentials: 'include', body, headers: type ? { 'Content-Type': type } : {},
      });
      outcomes[name] = 'status ' + response.status;
    } catch (error) {
      outcomes[name] = error.name;
    }
  }
  try {
    const response = await fetch('${target}/auth/session', { credentials: 'include' });
    outcomes['read-session'] = 'status ' + response.status + ' ' + (await response.text());
  } catch (error) {
    outcomes['read-session'] = error.name;
  }
  document.getElementById('f').submit();
  return outcomes;
})();
</script></body></html>`;
}

before(async () => {
  server = await startWrit();
  browser = await launchBrowser();
  evil = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(evilPage(server.origin));
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilOrigin = `http://127.0.0.1:${evil.address().port}`;
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => (evil ? evil.close(resolve) : resolve()));
  await server?.dispose();
});

test('a foreign page cannot log the user out or act for them', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const victim = await context.newPage();
  await loginThroughPage(victim, server, username, password);
  const before = (await tokenCookies(context)).map((cookie) => `${cookie.name}=${cookie.value}`).sort();
  const rejectedBefore = auditEvents(server, 'csrf_rejected').length;

  const attacker = await context.newPage();
  const formPost = attacker.waitForResponse((response) => response.url() === `${server.origin}/auth/logout`
    && response.request().method() === 'POST' && response.request().resourceType() === 'document');
  await attacker.goto(`${evilOrigin}/`);
  const outcomes = await attacker.evaluate(() => globalThis.attack);
  const form = await formPost;

  // The form post reached writ and was refused (Sec-Fetch-Site: cross-site); fetches are
  // refused too, and CORS never lets the foreign page read an answer.
  assert.equal(form.status(), 403, 'the auto-submitted form is refused');
  for (const name of ['logout', 'logout-all', 'refresh', 'revoke', 'logout-json']) {
    assert.equal(outcomes[name], 'TypeError', `${name}: ${JSON.stringify(outcomes)}`);
  }
  assert.equal(outcomes['read-session'], 'TypeError', 'the session cannot be read cross-origin');

  // writ saw them and said why (the JSON preflight never got past OPTIONS).
  const lines = await server.waitForAudit((all) => all.filter((line) => line.event === 'csrf_rejected').length >= rejectedBefore + 4);
  const rejected = lines.filter((line) => line.event === 'csrf_rejected').slice(rejectedBefore);
  assert.ok(rejected.length >= 4, `csrf_rejected events: ${JSON.stringify(rejected)}`);
  assert.ok(rejected.every((line) => line.reason === 'cross_site'), JSON.stringify(rejected));
  assert.equal(auditEvents(server, 'logout').length, 0, 'nobody was logged out');
  assert.equal(auditEvents(server, 'logout_all').length, 0);
  assert.equal(auditEvents(server, 'refresh').length, 0, 'no refresh happened');

  // Nothing changed: same cookies, and the session still works in the victim's tab.
  const afterAttack = (await tokenCookies(context)).map((cookie) => `${cookie.name}=${cookie.value}`).sort();
  assert.deepEqual(afterAttack, before, 'the cookies are untouched');
  const still = await writFetchInPage(victim, '/auth/session');
  assert.equal(still.status, 200, JSON.stringify(still));
  assert.match(still.body, new RegExp(username));
  const sessions = await writFetchInPage(victim, '/auth/sessions');
  assert.equal(sessions.status, 200);
  assert.equal(JSON.parse(sessions.body).sessions.length, 1);
  await context.close();
});

test('the same requests from writ\'s own page work (the refusals were about the origin)', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const page = await context.newPage();
  await loginThroughPage(page, server, username, password);
  // Without the CSRF token even the same origin is refused...
  const bare = await page.evaluate(async () => (await fetch('/auth/logout', { method: 'POST' })).status);
  assert.equal(bare, 403);
  assert.equal((await writFetchInPage(page, '/auth/session')).status, 200);
  // ...and with it (writ-client.js) the logout goes through.
  const logout = await writFetchInPage(page, '/auth/logout', { method: 'POST' });
  assert.equal(logout.status, 204, JSON.stringify(logout));
  assert.equal((await writFetchInPage(page, '/auth/session')).status, 401);
  assert.deepEqual(context.problems, []);
  await context.close();
});
