// Remember-me across a browser restart: the cookies a browser keeps when it restarts (the
// persistent ones, from context.storageState()) are carried into a new Chromium process
// once the access token has expired. With remember-me the refresh cookie is persistent and
// the account page comes back; without it the refresh cookie is a session cookie, gone with
// the browser, and the user has to log in again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, createUser, launchBrowser, loginThroughPage, recordingContext,
  startWrit,
} from './browser.mjs';

const ACCESS_TTL_SECONDS = 2;

let server;
before(async () => {
  server = await startWrit({ tokens: { access_ttl: `${ACCESS_TTL_SECONDS}s` } });
});
after(async () => {
  await server?.dispose();
});

// Logs in in a fresh browser, closes it, and returns what survives a restart: the
// persistent cookies (session cookies have expires -1) and when the access token expires.
async function loginAndQuit(remember) {
  const { username, password } = await createUser(server);
  const browser = await launchBrowser();
  try {
    const context = await recordingContext(browser);
    const page = await context.newPage();
    await loginThroughPage(page, server, username, password, { remember });
    const state = await context.storageState();
    const refresh = state.cookies.find((cookie) => cookie.name === REFRESH_COOKIE);
    const access = state.cookies.find((cookie) => cookie.name === ACCESS_COOKIE);
    assert.ok(refresh && access, JSON.stringify(state.cookies.map((cookie) => cookie.name)));
    if (remember) {
      assert.ok(refresh.expires > Date.now() / 1000 + 24 * 3600, `persistent refresh cookie: ${refresh.expires}`);
    } else {
      assert.equal(refresh.expires, -1, 'a session cookie without remember-me');
    }
    assert.deepEqual(state.origins, [], 'nothing in localStorage');
    const kept = { ...state, cookies: state.cookies.filter((cookie) => cookie.expires !== -1) };
    return { username, kept, accessExpires: access.expires };
  } finally {
    await browser.close();
  }
}

async function restartAfterExpiry({ kept, accessExpires }) {
  const wait = accessExpires * 1000 - Date.now() + 300;
  if (wait > 0) {
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const browser = await launchBrowser();
  const context = await recordingContext(browser, { storageState: kept });
  const page = await context.newPage();
  await page.goto(`${server.origin}/account`);
  return { browser, page };
}

test('remember-me survives a browser restart', async () => {
  const state = await loginAndQuit(true);
  const { browser, page } = await restartAfterExpiry(state);
  try {
    await page.waitForSelector('#account:not([hidden])');
    assert.equal(await page.textContent('#username'), state.username);
    assert.equal(page.url(), `${server.origin}/account`);
  } finally {
    await browser.close();
  }
});

test('a login without remember-me does not survive a browser restart', async () => {
  const state = await loginAndQuit(false);
  assert.ok(!state.kept.cookies.some((cookie) => cookie.name === REFRESH_COOKIE));
  const { browser, page } = await restartAfterExpiry(state);
  try {
    await page.waitForURL(`${server.origin}/login?next=%2Faccount`);
    assert.equal(await page.isVisible('#login-form'), true);
  } finally {
    await browser.close();
  }
});
