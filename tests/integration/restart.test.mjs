// Restart and shutdown: SIGTERM exits 0; a server started again on the same database,
// keys and secrets keeps its sessions (and its revocations); a login in flight when
// SIGTERM arrives still completes; nothing secret is printed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, allCookieValuesSeen, assertNoTokenInAnyBody, expectStatus,
  httpRequest, startServer, signupAndLogin,
} from './harness.mjs';

const servers = [];
after(async () => {
  await Promise.all(servers.map((server) => server.dispose()));
});

async function started(overrides) {
  const server = await startServer(overrides);
  servers.push(server);
  return server;
}

const passwords = [];

test('SIGTERM exits 0 and a restart on the same database and keys keeps sessions and revocations', async () => {
  const server = await started();
  const kept = await signupAndLogin(server, { remember: true });
  const browserSession = await signupAndLogin(server, { remember: false });
  const loggedOut = await signupAndLogin(server);
  passwords.push(kept.password, browserSession.password, loggedOut.password);
  const loggedOutJar = { ...loggedOut.client.jar };
  expectStatus(await loggedOut.client.post('/auth/logout', { csrf: true }), 204);
  const auditBefore = server.auditLines().length;
  assert.ok(auditBefore > 0, 'audit lines before the restart');
  const oldPort = server.port;

  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM:\n${server.logs()}`);
  await assert.rejects(httpRequest(oldPort, { path: '/healthz' }), /ECONNREFUSED/, 'nothing listens after exit');

  await server.start();
  expectStatus(await kept.client.get('/auth/session'), 200);
  expectStatus(await browserSession.client.get('/auth/session'), 200);
  const session = expectStatus(await kept.client.get('/auth/session'), 200);
  assert.equal(session.json.csrf_token, kept.login.json.csrf_token, 'the CSRF token survives the restart');
  expectStatus(await kept.client.post('/auth/refresh'), 200);
  expectStatus(await kept.client.get('/auth/session'), 200);
  expectStatus(await browserSession.client.post('/auth/refresh'), 200);
  // A logged-out session stays logged out: the revocation survives the restart.
  const dead = await server.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: loggedOutJar[ACCESS_COOKIE] } });
  expectStatus(dead, 401, 'invalid_token');
  const deadRefresh = await server.client().post('/auth/refresh', { jar: { [REFRESH_COOKIE]: loggedOutJar[REFRESH_COOKIE] } });
  expectStatus(deadRefresh, 401, 'invalid_token');
  // Accounts persisted.
  const again = server.client();
  expectStatus(await again.login(loggedOut.username, loggedOut.password), 200);
  // The audit file was appended to, not truncated.
  assert.ok(server.auditLines().length > auditBefore, 'the audit file grows across restarts');
});

test('a login in flight when SIGTERM arrives still completes, then the server exits 0', async () => {
  // A slower hash so that the login is surely still running when the signal comes.
  const server = await started({ accounts: { argon2_opslimit: 12 } });
  const { username, password } = await signupAndLogin(server);
  passwords.push(password);
  const client = server.client();
  const started_ = process.hrtime.bigint();
  const login = client.login(username, password);
  await new Promise((resolve) => setTimeout(resolve, 40));
  const signalAt = Number(process.hrtime.bigint() - started_) / 1e6;
  const exitPromise = server.stop();
  const response = await login;
  expectStatus(response, 200);
  assert.ok(response.took > signalAt, `the login (${response.took.toFixed(0)} ms) was still running at SIGTERM (${signalAt.toFixed(0)} ms)`);
  assert.equal(response.setCookies.length, 2, `${response}`);
  const exit = await exitPromise;
  assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM:\n${server.logs()}`);
});

test('the server never printed a secret, a password or a cookie value', () => {
  const secrets = [];
  for (const server of servers) {
    const jwk = server.privateJwk();
    secrets.push(['signing key d', jwk.d], ['refresh key', server.secrets.TEST_REFRESH_KEY], ['csrf key', server.secrets.TEST_CSRF_KEY]);
  }
  passwords.forEach((password, index) => secrets.push([`password ${index}`, password]));
  allCookieValuesSeen().forEach((value, index) => secrets.push([`cookie value ${index}`, value]));
  for (const server of servers) {
    const output = server.output;
    assert.ok(output.length > 0);
    for (const [name, value] of secrets) {
      assert.ok(!output.includes(value), `${name} appears in the server's output`);
      assert.ok(!server.auditText().includes(value), `${name} appears in the audit log`);
    }
  }
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
