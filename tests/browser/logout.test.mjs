// Logging out in the browser: in one tab ends the session for every tab of the browser (on
// its next request); "log out this session" on the account page ends another device's
// session; "log out everywhere" ends them all; and a user cannot end another user's session.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  auditEvents, createUser, launchBrowser, loginThroughPage, recordingContext, startWrit,
  writFetchInPage,
} from './browser.mjs';

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

async function openAccount(page) {
  await page.goto(`${server.origin}/account`);
  await page.waitForSelector('#account:not([hidden])');
  await page.waitForSelector('#session-rows tr');
}

test('logout in one tab logs out the other tab on its next request', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const first = await context.newPage();
  await loginThroughPage(first, server, username, password);
  const second = await context.newPage();
  await openAccount(second);

  await Promise.all([first.waitForURL(/\/login/), first.click('#logout')]);
  // The second tab still shows the account page, but its next request finds no session
  // (and writ-client.js's one refresh attempt cannot bring it back).
  const next = await writFetchInPage(second, '/auth/sessions');
  assert.equal(next.status, 401, JSON.stringify(next));
  await Promise.all([second.waitForURL(/\/login\?next=%2Faccount$/), second.reload()]);
  assert.equal(auditEvents(server, 'logout').filter((line) => line.username === username).length, 1);
  assert.deepEqual(context.problems, []);
  await context.close();
});

test('the account page lists each device and logs one of them out', async () => {
  const { username, password } = await createUser(server);
  const laptop = await recordingContext(browser, { userAgent: 'WritTest Laptop/1.0' });
  const phone = await recordingContext(browser, { userAgent: 'WritTest Phone/2.0' });
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await loginThroughPage(phonePage, server, username, password);
  await loginThroughPage(laptopPage, server, username, password);
  await openAccount(laptopPage);
  await laptopPage.waitForFunction(() => document.querySelectorAll('#session-rows tr').length === 2);

  const rows = await laptopPage.$$eval('#session-rows tr', (trs) => trs.map((tr) => ({
    current: tr.classList.contains('current'),
    device: tr.querySelector('td.device').textContent,
    lastUsed: tr.children[1].textContent,
  })));
  assert.equal(rows.length, 2, JSON.stringify(rows));
  const current = rows.find((row) => row.current);
  const other = rows.find((row) => !row.current);
  assert.match(current.device, /WritTest Laptop\/1\.0/);
  assert.match(other.device, /WritTest Phone\/2\.0/);
  assert.ok(other.lastUsed.length > 0);

  // "Log out this session" on the phone's row.
  await laptopPage.click('#session-rows tr:not(.current) button.revoke');
  await laptopPage.waitForFunction(() => document.querySelectorAll('#session-rows tr').length === 1);
  assert.equal((await writFetchInPage(phonePage, '/auth/session')).status, 401, 'the phone is logged out');
  assert.equal((await writFetchInPage(laptopPage, '/auth/session')).status, 200, 'the laptop is not');
  await laptop.close();
  await phone.close();
});

test('"log out everywhere" ends every session of the user', async () => {
  const { username, password } = await createUser(server);
  const laptop = await recordingContext(browser);
  const phone = await recordingContext(browser);
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();
  await loginThroughPage(phonePage, server, username, password);
  await loginThroughPage(laptopPage, server, username, password);
  await Promise.all([laptopPage.waitForURL(/\/login/), laptopPage.click('#logout-all')]);
  assert.equal((await writFetchInPage(phonePage, '/auth/sessions')).status, 401);
  await Promise.all([phonePage.waitForURL(/\/login/), phonePage.reload()]);
  const logoutAll = auditEvents(server, 'logout_all').filter((line) => line.username === username);
  assert.equal(logoutAll.length, 1, server.auditText());
  await laptop.close();
  await phone.close();
});

test('attack: a logged-in user cannot end another user\'s session by its id', async () => {
  const alice = await createUser(server);
  const mallory = await createUser(server);
  const aliceContext = await recordingContext(browser);
  const malloryContext = await recordingContext(browser);
  const alicePage = await aliceContext.newPage();
  const malloryPage = await malloryContext.newPage();
  await loginThroughPage(alicePage, server, alice.username, alice.password);
  await loginThroughPage(malloryPage, server, mallory.username, mallory.password);
  const aliceSessions = JSON.parse((await writFetchInPage(alicePage, '/auth/sessions')).body).sessions;
  const attack = await writFetchInPage(malloryPage, '/auth/sessions/revoke', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ session_id: aliceSessions[0].id }),
  });
  assert.equal(attack.status, 404, JSON.stringify(attack));
  assert.deepEqual(JSON.parse(attack.body), { error: 'session_not_found' });
  assert.equal((await writFetchInPage(alicePage, '/auth/session')).status, 200);
  const refused = auditEvents(server, 'logout').filter((line) => line.reason === 'not_own_session');
  assert.equal(refused.length, 1, server.auditText());
  // Session ids are hashed in the audit trail: the raw id Mallory sent appears nowhere.
  assert.ok(!server.auditText().includes(aliceSessions[0].id), 'a raw session id in the audit trail');
  await aliceContext.close();
  await malloryContext.close();
});

test('a tab whose CSRF token is from an earlier session recovers once the user logs in again', async () => {
  const { username, password } = await createUser(server);
  const context = await recordingContext(browser);
  const first = await context.newPage();
  await loginThroughPage(first, server, username, password);
  const second = await context.newPage();
  await openAccount(second);  // holds the first session's CSRF token in memory
  await Promise.all([first.waitForURL(/\/login/), first.click('#logout')]);
  await loginThroughPage(first, server, username, password);
  // The second tab's next unsafe request carries the old token: refused once, then retried
  // with the new session's token (a wrong id: 404, i.e. it got past the CSRF check).
  const write = await writFetchInPage(second, '/auth/sessions/revoke', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"session_id":"no-such-session"}',
  });
  assert.equal(write.status, 404, JSON.stringify(write));
  await context.close();
});
