// CSRF: X-CSRF-Token on logout/logout-all (missing, wrong, another session's, duplicated),
// Fetch Metadata and Origin checks on unsafe requests, login CSRF, and CORS never opening
// the session to a foreign origin.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import {
  ORIGIN, assertNoTokenInAnyBody, expectStatus, newPassword, signupAndLogin, startServer,
  uniqueName,
} from './harness.mjs';

const CROSS_SITE = { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' };

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

async function stillLoggedIn(client) {
  expectStatus(await client.get('/auth/session'), 200);
}

test('logout without X-CSRF-Token is 403 csrf_rejected and the session survives', async () => {
  const { client } = await signupAndLogin(server);
  const response = await client.post('/auth/logout');
  expectStatus(response, 403, 'csrf_rejected');
  assert.deepEqual(response.setCookies, [], `${response}`);
  await stillLoggedIn(client);
});

test('logout with a wrong, empty or another session\'s CSRF token is 403', async () => {
  const { client } = await signupAndLogin(server);
  const other = await signupAndLogin(server);
  const sameUserOtherSession = server.client();
  expectStatus(await sameUserOtherSession.login(other.username, other.password), 200);
  const wrongTokens = [
    crypto.randomBytes(32).toString('base64url'),
    '',
    client.csrf.slice(0, -1),
    `${client.csrf}A`,
    client.csrf.toUpperCase() === client.csrf ? client.csrf.toLowerCase() : client.csrf.toUpperCase(),
    other.client.csrf,
  ];
  for (const token of wrongTokens) {
    expectStatus(await client.post('/auth/logout', { csrf: token }), 403, 'csrf_rejected');
  }
  // Another session of the same user has another token.
  assert.notEqual(sameUserOtherSession.csrf, other.client.csrf);
  expectStatus(await other.client.post('/auth/logout', { csrf: sameUserOtherSession.csrf }), 403, 'csrf_rejected');
  await stillLoggedIn(client);
  await stillLoggedIn(other.client);
});

test('two X-CSRF-Token headers are refused even when one is right', async () => {
  const { client } = await signupAndLogin(server);
  const response = await client.post('/auth/logout', {
    headers: { 'x-csrf-token': [crypto.randomBytes(32).toString('base64url'), client.csrf] },
  });
  expectStatus(response, 403, 'csrf_rejected');
  await stillLoggedIn(client);
});

test('logout with the right token but from a cross-site context is 403', async () => {
  const { client } = await signupAndLogin(server);
  const contexts = [
    CROSS_SITE,
    { 'sec-fetch-site': 'cross-site', origin: undefined },
    { 'sec-fetch-site': 'same-site', origin: 'http://sub.app.test' },
    { origin: 'https://evil.test', 'sec-fetch-site': undefined },
    { origin: 'null', 'sec-fetch-site': undefined },
    { origin: 'http://app.test.evil.test', 'sec-fetch-site': undefined },
  ];
  for (const headers of contexts) {
    expectStatus(await client.post('/auth/logout', { csrf: true, headers }), 403, 'csrf_rejected');
  }
  await stillLoggedIn(client);
  // The same request from the app itself works.
  expectStatus(await client.post('/auth/logout', { csrf: true }), 204);
});

test('logout-all needs the CSRF token of the session', async () => {
  const { client } = await signupAndLogin(server);
  const other = await signupAndLogin(server);
  expectStatus(await client.post('/auth/logout-all'), 403, 'csrf_rejected');
  expectStatus(await client.post('/auth/logout-all', { csrf: other.client.csrf }), 403, 'csrf_rejected');
  expectStatus(await client.post('/auth/logout-all', { csrf: true, headers: CROSS_SITE }), 403, 'csrf_rejected');
  await stillLoggedIn(client);
  await stillLoggedIn(other.client);
});

test('login CSRF: a login posted from a foreign site is refused and sets no cookie', async () => {
  const username = uniqueName('victim');
  const password = newPassword();
  expectStatus(await server.client().signup(username, password), 201);
  const contexts = [
    CROSS_SITE,
    { origin: 'https://evil.test', 'sec-fetch-site': undefined },
    { 'sec-fetch-site': 'cross-site', origin: undefined },
    { origin: 'null', 'sec-fetch-site': undefined },
  ];
  for (const headers of contexts) {
    const client = server.client({ headers });
    const response = await client.login(username, password);
    expectStatus(response, 403, 'csrf_rejected');
    assert.deepEqual(response.setCookies, [], `${response}`);
  }
});

test('login is allowed same-origin, from the allowed frontend origin, by navigation and without a browser', async () => {
  const username = uniqueName();
  const password = newPassword();
  expectStatus(await server.client().signup(username, password), 201);
  const contexts = [
    { origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
    { origin: ORIGIN, 'sec-fetch-site': 'same-site' },
    { origin: ORIGIN, 'sec-fetch-site': 'cross-site' },
    { origin: undefined, 'sec-fetch-site': 'none' },
    { origin: ORIGIN, 'sec-fetch-site': undefined },
    {},  // curl, a mobile app: neither header
  ];
  for (const headers of contexts) {
    const client = server.client({ headers });
    expectStatus(await client.login(username, password), 200);
    expectStatus(await client.get('/auth/session'), 200);
  }
});

test('CORS never grants a foreign origin access to /auth/session', async () => {
  const { client } = await signupAndLogin(server);
  const response = await client.get('/auth/session', { headers: CROSS_SITE });
  const allowOrigin = response.headers['access-control-allow-origin'];
  assert.ok(allowOrigin === undefined || allowOrigin === ORIGIN, `Access-Control-Allow-Origin: ${allowOrigin}`);
  const preflight = await client.request('OPTIONS', '/auth/logout', {
    headers: { ...CROSS_SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token' },
  });
  const preflightOrigin = preflight.headers['access-control-allow-origin'];
  assert.ok(preflightOrigin === undefined || preflightOrigin === ORIGIN, `preflight: ${preflight} ${JSON.stringify(preflight.headers)}`);
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
