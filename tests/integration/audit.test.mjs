// The audit log: one JSON line per event with the documented members, every event kind
// present after the flows that cause it, session ids only as hashes, and none of the
// passwords, cookie values, CSRF tokens or secrets used. Client text cannot forge lines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, allCookieValuesSeen, assertNoTokenInAnyBody, decodeJwt,
  expectStatus, newPassword, signupAndLogin, startServer, uniqueName,
} from './harness.mjs';

const MEMBERS = ['time', 'event', 'outcome', 'reason', 'user_id', 'username', 'ip', 'user_agent', 'request_id', 'session'];
const EVENTS = ['signup', 'login', 'throttled', 'refresh', 'refresh_reuse', 'logout', 'logout_all', 'csrf_rejected', 'token_rejected'];
const USER_AGENT = 'audit-test-agent/2.0';
const FORGED_NAME = 'x"\n{"time":"2020-01-01T00:00:00Z","event":"login","outcome":"success","username":"admin"}';

let server;
const used = { passwords: [], csrf: [], sids: [] };
const expect = {};
before(async () => {
  server = await startServer({ sessions: { refresh_grace: '0s' }, throttle: { max_account_failures: 3, account_backoff_base: '60s' } });
});
after(async () => {
  await server?.dispose();
});

async function account(options = {}) {
  const result = await signupAndLogin(server, { clientOptions: { userAgent: USER_AGENT }, ...options });
  used.passwords.push(result.password);
  used.csrf.push(result.client.csrf);
  used.sids.push(decodeJwt(result.client.access).payload.sid);
  return result;
}

test('the flows that produce every event kind', async () => {
  // signup + login success, refresh, logout.
  const alice = await account();
  expect.alice = alice;
  expect.aliceSid = decodeJwt(alice.client.access).payload.sid;
  expectStatus(await alice.client.post('/auth/refresh'), 200);
  used.sids.push(decodeJwt(alice.client.access).payload.sid);
  // login failures: a wrong password and an unknown user.
  const wrong = newPassword();
  const ghostPassword = newPassword();
  used.passwords.push(wrong, ghostPassword);
  expectStatus(await server.client().login(alice.username, wrong), 401, 'invalid_credentials');
  expectStatus(await server.client().login(uniqueName('ghost'), ghostPassword), 401, 'invalid_credentials');
  // A username built to forge an audit line.
  expectStatus(await server.client().login(FORGED_NAME, newPassword()), 401, 'invalid_credentials');
  // throttled: three failures lock the account, the fourth attempt is throttled.
  const locked = uniqueName('locked');
  for (let i = 0; i < 3; i += 1) {
    const password = newPassword();
    used.passwords.push(password);
    expectStatus(await server.client().login(locked, password), 401, 'invalid_credentials');
  }
  expectStatus(await server.client().login(locked, newPassword()), 429, 'throttled');
  expect.locked = locked;
  // refresh_reuse: replay a spent refresh token (grace 0 s).
  const bob = await account();
  const spent = bob.client.refresh;
  expectStatus(await bob.client.post('/auth/refresh'), 200);
  expectStatus(await server.client().post('/auth/refresh', { jar: { [REFRESH_COOKIE]: spent } }), 401, 'invalid_token');
  expect.bob = bob;
  // csrf_rejected: a logout without the token and a login from a foreign origin.
  expectStatus(await alice.client.post('/auth/logout'), 403, 'csrf_rejected');
  const evil = server.client({ headers: { origin: 'https://evil.test', 'sec-fetch-site': 'cross-site' } });
  expectStatus(await evil.login(alice.username, alice.password), 403, 'csrf_rejected');
  // token_rejected: a tampered access token.
  const [h, p, s] = alice.client.access.split('.');
  const tampered = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
  expectStatus(await server.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: tampered } }), 401, 'invalid_token');
  // logout and logout_all.
  expectStatus(await alice.client.post('/auth/logout', { csrf: true }), 204);
  const carol = await account();
  expectStatus(await carol.client.post('/auth/logout-all', { csrf: true }), 204);
  expect.carol = carol;
});

test('every line is one JSON object with the documented members', async () => {
  const lines = await server.waitForAudit((all) => all.some((line) => line.event === 'logout_all'));
  assert.ok(lines.length >= EVENTS.length, `${lines.length} lines:\n${server.auditText()}`);
  for (const line of lines) {
    for (const member of MEMBERS) {
      assert.ok(member in line, `member ${member} missing: ${line.raw}`);
    }
    assert.ok(EVENTS.includes(line.event), `unknown event: ${line.raw}`);
    assert.ok(['success', 'failure'].includes(line.outcome), `outcome: ${line.raw}`);
    const time = Date.parse(line.time);
    assert.ok(Number.isFinite(time) && Math.abs(time - Date.now()) < 10 * 60_000, `time: ${line.raw}`);
    assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'RFC 3339 time');
    assert.equal(line.ip, '127.0.0.1', `ip: ${line.raw}`);
    assert.ok(typeof line.request_id === 'string' && line.request_id.length > 0, `request_id: ${line.raw}`);
  }
});

test('each event kind is present, with the right outcome and subject', () => {
  const lines = server.auditLines();
  for (const event of EVENTS) {
    assert.ok(lines.some((line) => line.event === event), `no ${event} line:\n${server.auditText()}`);
  }
  const { alice } = expect;
  const of = (event, predicate = () => true) => lines.filter((line) => line.event === event && predicate(line));
  assert.equal(of('signup', (l) => l.username === alice.username && l.outcome === 'success').length, 1);
  const success = of('login', (l) => l.username === alice.username && l.outcome === 'success');
  assert.equal(success.length, 1, 'one successful login of alice');
  assert.equal(success[0].user_id, alice.user.id);
  assert.equal(success[0].user_agent, USER_AGENT);
  const failures = of('login', (l) => l.outcome === 'failure');
  assert.ok(failures.length >= 6, `login failures: ${failures.length}`);
  for (const failure of failures) {
    assert.ok(typeof failure.reason === 'string' && failure.reason.length > 0, `failure reason: ${failure.raw}`);
  }
  const wrongPassword = failures.find((l) => l.username === alice.username);
  assert.ok(wrongPassword, 'the wrong-password failure names the account');
  assert.equal(of('throttled', (l) => l.username === expect.locked).length >= 1, true, 'throttled names the account');
  const reuse = of('refresh_reuse');
  assert.equal(reuse.length, 1);
  assert.equal(reuse[0].user_id, expect.bob.user.id);
  assert.equal(reuse[0].outcome, 'failure');
  assert.ok(of('refresh', (l) => l.user_id === alice.user.id && l.outcome === 'success').length >= 1);
  assert.ok(of('logout', (l) => l.user_id === alice.user.id).length === 1);
  assert.ok(of('logout_all', (l) => l.user_id === expect.carol.user.id).length === 1);
  assert.ok(of('csrf_rejected').length >= 2, 'both CSRF rejections are audited');
  assert.ok(of('token_rejected').length >= 1);
});

test('sessions appear only as a stable hash', () => {
  const lines = server.auditLines();
  const text = server.auditText();
  for (const sid of used.sids) {
    assert.ok(!text.includes(sid), `raw session id ${sid} in the audit log`);
  }
  const { alice } = expect;
  const login = lines.find((l) => l.event === 'login' && l.outcome === 'success' && l.username === alice.username);
  const logout = lines.find((l) => l.event === 'logout' && l.user_id === alice.user.id);
  assert.ok(login.session && login.session.length >= 16, `session hash on login: ${login.raw}`);
  assert.equal(logout.session, login.session, 'the same session hashes the same way');
  const refresh = lines.find((l) => l.event === 'refresh' && l.user_id === alice.user.id);
  assert.equal(refresh.session, login.session);
});

test('client text cannot forge audit lines', () => {
  // auditLines() already proved that every line parses as one JSON object.
  const lines = server.auditLines();
  assert.ok(!lines.some((l) => l.username === 'admin'), 'an injected line appeared');
  const successes = lines.filter((l) => l.event === 'login' && l.outcome === 'success');
  assert.equal(successes.length, 3, 'exactly the three real logins succeeded (alice, bob, carol)');
  assert.ok(!server.auditText().includes('"event":"login","outcome":"success","username":"admin"'), 'the forged JSON was written unescaped');
});

test('no password, cookie value, CSRF token or secret appears in the audit log', () => {
  const text = server.auditText();
  assert.ok(text.length > 0);
  const secrets = [
    ...used.passwords.map((value, i) => [`password ${i}`, value]),
    ...used.csrf.map((value, i) => [`csrf token ${i}`, value]),
    ...allCookieValuesSeen().map((value, i) => [`cookie value ${i}`, value]),
    ['refresh key', server.secrets.TEST_REFRESH_KEY],
    ['csrf key', server.secrets.TEST_CSRF_KEY],
    ['signing key', server.privateJwk().d],
  ];
  for (const [name, value] of secrets) {
    assert.ok(!text.includes(value), `${name} appears in the audit log`);
  }
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
