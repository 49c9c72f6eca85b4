// Scale-out (issue 7): two `writ serve` instances on one SQLite file (WAL works across
// processes on one host), the same keys and secrets, and one Redis (tests/support/redis.sh)
// for the shared throttle and cross-instance revocation. Proves: a session made on A works
// on B; failures spread over A and B lock the account on both; a logout on A stops the
// same access cookie on B at once; with Redis down, logins are refused (503), never let
// through unchecked, and everything works again when Redis returns, without a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  ACCESS_COOKIE, WritServer, assertNoTokenInAnyBody, expectStatus, newPassword, signupAndLogin,
  uniqueName,
} from './harness.mjs';

const REDIS_SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/redis.sh');
const REVOCATION_POLL_LIMIT_MS = 500;

const redisDir = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-integ-redis-'));
let a;
let b;

function redis(command) {
  const run = spawnSync(REDIS_SCRIPT, [command, redisDir], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `redis.sh ${command}: ${run.stderr}${run.error ?? ''}`);
}

before(async () => {
  redis('start');
  const url = fs.readFileSync(path.join(redisDir, 'url'), 'utf8').trim();
  const password = fs.readFileSync(path.join(redisDir, 'password'), 'utf8').trim();
  const shared = { redis: url, redis_password: 'env:TEST_REDIS_PASSWORD' };
  a = new WritServer(shared);
  a.secrets.TEST_REDIS_PASSWORD = password;
  // B: A's database and signing key, its own audit log and directory.
  b = new WritServer({ ...shared, store: `sqlite:${a.dbPath}`, tokens: { signing_keys: `file:${a.keyPath}` } });
  b.secrets = { ...a.secrets };
  await a.start();
  await b.start();
});

after(async () => {
  try {
    await Promise.all([a?.dispose(), b?.dispose()]);
  } finally {
    redis('clean');
    fs.rmSync(redisDir, { recursive: true, force: true });
  }
});

// A client of `server` holding the cookies (and CSRF token) of `from`.
function sameBrowserOn(server, from) {
  const client = server.client();
  client.jar = { ...from.jar };
  client.csrf = from.csrf;
  return client;
}

test('a session made through A works through B (shared store and keys)', async () => {
  const { client } = await signupAndLogin(a);
  expectStatus(await sameBrowserOn(b, client).get('/auth/session'), 200);
  expectStatus(await sameBrowserOn(b, client).get('/auth/verify'), 200);
});

test('failures spread over A and B lock the account on both', async () => {
  const { username, password } = await signupAndLogin(a);
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const server = attempt % 2 === 0 ? b : a;
    const response = await server.client().login(username, `wrong-${attempt}-${newPassword()}`);
    expectStatus(response, 401, 'invalid_credentials');
  }
  for (const server of [a, b]) {
    const response = await server.client().login(username, password);  // even the right password
    expectStatus(response, 429, 'throttled');
    assert.match(response.headers['retry-after'] ?? '', /^[1-9]\d*$/);
    assert.deepEqual(response.setCookies, []);
  }
});

test('logout through A: the same access cookie is refused by B at once', async () => {
  const { client } = await signupAndLogin(a);
  const onB = sameBrowserOn(b, client);
  expectStatus(await onB.get('/auth/session'), 200);  // now in B's verified-token cache too
  const stolen = { [ACCESS_COOKIE]: client.access };
  expectStatus(await client.post('/auth/logout', { csrf: true }), 204);
  const loggedOut = Date.now();
  let status = 200;
  let waited = 0;
  while (status === 200 && waited <= REVOCATION_POLL_LIMIT_MS) {
    status = (await b.client().get('/auth/session', { jar: stolen })).status;
    waited = Date.now() - loggedOut;
  }
  process.stdout.write(`# measured: logout on A refused on B after ${waited} ms (HTTP round trips included)\n`);
  assert.equal(status, 401, `B still accepted the logged-out cookie after ${waited} ms`);
  expectStatus(await b.client().get('/auth/verify', { jar: stolen }), 401);
});

test('Redis down: login answers 503 and grants nothing; logout still ends the session everywhere; Redis back: works without a restart', async () => {
  const { username, password, client } = await signupAndLogin(a);
  redis('stop');
  try {
    for (const server of [a, b]) {
      const login = await server.client().login(username, password);
      expectStatus(login, 503, 'throttle_unavailable');
      assert.match(login.headers['retry-after'] ?? '', /^[1-9]\d*$/);
      assert.deepEqual(login.setCookies, [], `no cookie while the throttle cannot be asked: ${login}`);
      expectStatus(await server.client().get('/readyz'), 503, 'redis_unavailable');
    }
    // Logout cannot be broadcast: 503 so the client retries, but the session is ended in the
    // store and on A, and B learns it from the store (its polling backstop) within ~1 s.
    const stolen = { [ACCESS_COOKIE]: client.access };
    expectStatus(await sameBrowserOn(b, client).get('/auth/session'), 200);
    const logout = await client.post('/auth/logout', { csrf: true });
    expectStatus(logout, 503, 'revocation_not_broadcast');
    expectStatus(await a.client().get('/auth/session', { jar: stolen }), 401);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 3000) {
      status = (await b.client().get('/auth/session', { jar: stolen })).status;
    }
    process.stdout.write(`# measured: without Redis, B refused the logged-out cookie after ${Date.now() - started} ms (store polling)\n`);
    assert.equal(status, 401);
  } finally {
    redis('start');
  }
  for (const server of [a, b]) {
    expectStatus(await server.client().get('/readyz'), 200);
    expectStatus(await server.client().login(username, password), 200);
  }
});

test('no response body carried a token', () => {
  assertNoTokenInAnyBody();
});
