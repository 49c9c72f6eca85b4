// Accounts: signup (rules, conflicts, disabled), login success and failure, the session
// endpoint, health endpoints. One server for the file, one with signup off.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, assertNoTokenInAnyBody, expectStatus, newPassword,
  signupAndLogin, startServer, uniqueName, writBinary,
} from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.dispose();
});

test('healthz and readyz answer 200', async () => {
  const client = server.client({ headers: {} });
  expectStatus(await client.get('/healthz'), 200);
  expectStatus(await client.get('/readyz'), 200);
});

test('signup creates an account: 201 with the user and nothing secret', async () => {
  const client = server.client();
  const username = uniqueName('alice');
  const response = expectStatus(await client.signup(username, newPassword()), 201);
  assert.equal(typeof response.json, 'object', `${response}`);
  const { user } = response.json;
  assert.ok(Number.isInteger(user.id) && user.id > 0, `user.id: ${response}`);
  assert.equal(user.username, username);
  assert.ok(Array.isArray(user.roles), `user.roles: ${response}`);
  assert.deepEqual(Object.keys(response.json), ['user']);
  assert.match(response.headers['content-type'] ?? '', /^application\/json/);
});

test('signup of a taken username is 409 username_taken', async () => {
  const client = server.client();
  const username = uniqueName('bob');
  expectStatus(await client.signup(username, newPassword()), 201);
  expectStatus(await client.signup(username, newPassword()), 409, 'username_taken');
});

test('signup refuses weak, common and oversized passwords', async () => {
  const client = server.client();
  expectStatus(await client.signup(uniqueName(), 'short1'), 400, 'password_too_short');
  expectStatus(await client.signup(uniqueName(), 'password'), 400, 'password_too_common');
  expectStatus(await client.signup(uniqueName(), 'x'.repeat(1025)), 400, 'password_too_long');
  // The limit itself is allowed.
  expectStatus(await client.signup(uniqueName(), `${newPassword()}${'y'.repeat(1024)}`.slice(0, 1024)), 201);
});

test('signup refuses invalid usernames', async () => {
  const client = server.client();
  for (const username of ['', 'bad\nname', 'nul\u0000byte', 'x'.repeat(1000)]) {
    expectStatus(await client.signup(username, newPassword()), 400, 'invalid_username');
  }
});

test('signup from a foreign origin is refused as CSRF', async () => {
  const client = server.client({ headers: { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' } });
  const username = uniqueName();
  const password = newPassword();
  expectStatus(await client.signup(username, password), 403, 'csrf_rejected');
  // Nothing was created: a same-origin signup of that name now works.
  expectStatus(await server.client().signup(username, password), 201);
});

test('login answers 200 with the user, a CSRF token and exactly two cookies', async () => {
  const client = server.client();
  const username = uniqueName('carol');
  const password = newPassword();
  const signup = expectStatus(await client.signup(username, password), 201);
  const login = expectStatus(await client.login(username, password, false), 200);
  assert.deepEqual(Object.keys(login.json).sort(), ['csrf_token', 'user']);
  assert.deepEqual(login.json.user, signup.json.user);
  assert.match(login.json.csrf_token, /^[A-Za-z0-9_-]{43}$/);
  const names = login.setCookies.map((line) => line.split('=')[0]).sort();
  assert.deepEqual(names, [ACCESS_COOKIE, REFRESH_COOKIE], `${login}`);
  assert.ok(client.access && client.refresh);
});

test('responses that set cookies or carry a CSRF token are not cacheable (no-store)', async () => {
  const { client, login } = await signupAndLogin(server);
  const session = expectStatus(await client.get('/auth/session'), 200);
  for (const response of [login, session]) {
    assert.match(response.headers['cache-control'] ?? '', /no-store/, `${response} headers=${JSON.stringify(response.headers)}`);
  }
});

test('every login failure is the same 401 invalid_credentials without cookies', async () => {
  const { username, password } = await signupAndLogin(server);
  const client = server.client();
  const wrong = expectStatus(await client.login(username, `${password}x`), 401, 'invalid_credentials');
  const unknown = expectStatus(await client.login(uniqueName('ghost'), password), 401, 'invalid_credentials');
  const empty = expectStatus(await client.login(username, ''), 401, 'invalid_credentials');
  for (const response of [wrong, unknown, empty]) {
    assert.deepEqual(response.setCookies, [], `${response}`);
  }
  assert.equal(wrong.body, unknown.body);
  assert.deepEqual(client.jar, {});
});

test('a disabled account gets the same 401 as a wrong password, and its refresh token stops working', async () => {
  const { client, username, password } = await signupAndLogin(server);
  const wrong = expectStatus(await server.client().login(username, `${password}x`), 401, 'invalid_credentials');
  const disable = spawnSync(writBinary(), ['users', '--store', `sqlite:${server.dbPath}`, 'disable', username],
    { encoding: 'utf8', timeout: 60_000 });
  assert.equal(disable.status, 0, `writ users disable: ${disable.stderr}`);
  const disabled = expectStatus(await server.client().login(username, password), 401, 'invalid_credentials');
  assert.equal(disabled.body, wrong.body);
  assert.deepEqual(disabled.setCookies, []);
  expectStatus(await client.post('/auth/refresh'), 401, 'invalid_token');
});

test('GET /auth/session returns the user, expiry and the same CSRF token', async () => {
  const { client, user, login } = await signupAndLogin(server);
  const session = expectStatus(await client.get('/auth/session'), 200);
  assert.deepEqual(session.json.user, user);
  assert.equal(session.json.csrf_token, login.json.csrf_token);
  const expires = session.json.expires_at;
  const expiresMs = typeof expires === 'number' ? expires * 1000 : Date.parse(expires);
  assert.ok(Number.isFinite(expiresMs) && expiresMs > Date.now(), `expires_at in the future: ${session}`);
});

test('GET /auth/session without or with a garbage cookie is 401 invalid_token', async () => {
  const client = server.client();
  expectStatus(await client.get('/auth/session'), 401, 'invalid_token');
  for (const junk of ['garbage', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', '']) {
    const response = await client.get('/auth/session', { jar: { [ACCESS_COOKIE]: junk } });
    expectStatus(response, 401, 'invalid_token');
  }
});

test('a refresh cookie alone does not open /auth/session', async () => {
  const { client } = await signupAndLogin(server);
  const response = await client.get('/auth/session', { jar: { [REFRESH_COOKIE]: client.refresh } });
  expectStatus(response, 401, 'invalid_token');
});

test('two access cookies (a planted sibling) are refused, not guessed between', async () => {
  const { client } = await signupAndLogin(server);
  const other = await signupAndLogin(server);
  const response = await client.get('/auth/session', {
    noCookies: true,
    headers: { cookie: `${ACCESS_COOKIE}=${other.client.access}; ${ACCESS_COOKIE}=${client.access}` },
  });
  expectStatus(response, 401, 'invalid_token');
});

test('signup disabled: 404 signup_disabled', async () => {
  const closed = await startServer({ accounts: { signup: false } });
  try {
    const response = await closed.client().signup(uniqueName(), newPassword());
    expectStatus(response, 404, 'signup_disabled');
  } finally {
    await closed.dispose();
  }
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
