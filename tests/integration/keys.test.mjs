// Keys handled the safe way (issue 5), against the real server: rotation with
// pre-publication and SIGHUP reload, removal of a leaked key, a failed reload keeping the
// keys in force, environments that refuse each other's keys and tokens, and no secret in
// anything the server writes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import {
  ACCESS_COOKIE, REFRESH_COOKIE, WritServer, decodeJwt, expectStatus, signupAndLogin, toToml,
  writBinary,
} from './harness.mjs';

const servers = [];
const refusedServers = [];  // expected to refuse to start: only their directories remain
after(async () => {
  await Promise.all(servers.map((server) => server.dispose()));
  for (const server of refusedServers) {
    fs.rmSync(server.dir, { recursive: true, force: true });
  }
});

function writ(args) {
  const result = spawnSync(writBinary(), args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `writ ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

// A server whose tokens.signing_keys is a managed key set made by `writ keys init`.
async function startWithKeySet(environment, overrides = {}) {
  const server = new WritServer(overrides);
  servers.push(server);
  server.keySetPath = path.join(server.dir, 'signing.jwks');
  writ(['keys', 'init', server.keySetPath, '--environment', environment, '--prepublish', '60s']);
  server.config.environment = environment;
  server.config.tokens.signing_keys = `file:${server.keySetPath}`;
  fs.writeFileSync(server.configPath, toToml(server.config), { mode: 0o600 });
  await server.start();
  return server;
}

function keySet(server) {
  return JSON.parse(fs.readFileSync(server.keySetPath, 'utf8'));
}

function kidOf(state, server) {
  const entry = keySet(server).writ_rotation.keys.find((key) => key.state === state);
  return entry?.kid;
}

async function jwksKids(server) {
  const response = expectStatus(await server.client().get('/.well-known/jwks.json'), 200);
  return response.json.keys.map((key) => key.kid);
}

// SIGHUP, then wait until stderr reports the outcome of this reload.
async function reload(server) {
  const before = (server.output.match(/writ: (reloaded|reload failed)/g) ?? []).length;
  server.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  while ((server.output.match(/writ: (reloaded|reload failed)/g) ?? []).length === before) {
    assert.ok(Date.now() < deadline, `no reload line after SIGHUP:\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('the JWKS publishes the next key before it signs, with a max-age within the prepublish time', async () => {
  const server = await startWithKeySet('development');
  const active = kidOf('active', server);
  const next = kidOf('next', server);
  const response = expectStatus(await server.client().get('/.well-known/jwks.json'), 200);
  assert.match(response.headers['cache-control'], /^public, max-age=(\d+)$/);
  const maxAge = Number(response.headers['cache-control'].match(/max-age=(\d+)/)[1]);
  assert.ok(maxAge <= 60, `max-age ${maxAge} must not exceed the 60 s prepublish time`);
  assert.equal(response.headers['content-type'], 'application/jwk-set+json');
  assert.deepEqual(response.json.keys.map((key) => key.kid).sort(), [active, next].sort());
  for (const key of response.json.keys) {
    assert.equal(key.d, undefined, 'a private member in the JWKS');
  }
  const { client } = await signupAndLogin(server);
  const token = client.jar[ACCESS_COOKIE];
  assert.equal(decodeJwt(token).header.kid, active, 'the active key signs, never the next one');
});

test('rotate + SIGHUP: the next key signs, tokens signed before still verify, sessions survive', async () => {
  const server = await startWithKeySet('development');
  const before = await signupAndLogin(server, { remember: true });
  const oldActive = kidOf('active', server);
  const oldNext = kidOf('next', server);
  // --force: the test cannot wait the 60 s prepublish time (rotate refuses earlier without it).
  const refused = spawnSync(writBinary(), ['keys', 'rotate', server.keySetPath], { encoding: 'utf8' });
  assert.equal(refused.status, 1, 'rotate before the prepublish time is refused');
  writ(['keys', 'rotate', server.keySetPath, '--force']);
  await reload(server);
  assert.match(server.output, /writ: reloaded tokens\.signing_keys/);

  expectStatus(await before.client.get('/auth/session'), 200);  // old token, old key: still good
  const after = await signupAndLogin(server);
  const token = after.client.jar[ACCESS_COOKIE];
  assert.equal(decodeJwt(token).header.kid, oldNext, 'the former next key signs now');
  const kids = await jwksKids(server);
  assert.ok(kids.includes(oldActive), 'the retired key is still published');
  assert.ok(kids.includes(oldNext));
  assert.ok(kids.includes(kidOf('next', server)), 'a new next key is published at once');
  // The refresh token issued before the reload still rotates: no session was dropped.
  expectStatus(await before.client.post('/auth/refresh'), 200);
  const refreshed = before.client.jar[ACCESS_COOKIE];
  assert.equal(decodeJwt(refreshed).header.kid, oldNext);
});

test('a retired key leaves the JWKS once the longest access token it signed has expired', async () => {
  const server = await startWithKeySet('development', { tokens: { access_ttl: '2s' } });
  const oldActive = kidOf('active', server);
  writ(['keys', 'rotate', server.keySetPath, '--force']);
  await reload(server);
  assert.ok((await jwksKids(server)).includes(oldActive));
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  assert.ok(!(await jwksKids(server)).includes(oldActive), 'retired key still published');
});

test('a leaked key removed with `writ keys retire --kid` stops its tokens at the next reload', async () => {
  const server = await startWithKeySet('development');
  const victim = await signupAndLogin(server);
  expectStatus(await victim.client.get('/auth/session'), 200);  // verified and cached
  const leaked = kidOf('active', server);
  writ(['keys', 'rotate', server.keySetPath, '--force']);
  writ(['keys', 'retire', server.keySetPath, '--kid', leaked]);
  await reload(server);
  expectStatus(await victim.client.get('/auth/session'), 401, 'invalid_token');
  assert.ok(!(await jwksKids(server)).includes(leaked));
  // Logging in again works with the new key.
  expectStatus(await victim.client.login(victim.username, victim.password), 200);
  expectStatus(await victim.client.get('/auth/session'), 200);
});

test('a reload that cannot read the key set keeps the current keys in force', async () => {
  const server = await startWithKeySet('development');
  const user = await signupAndLogin(server);
  const kids = await jwksKids(server);
  fs.writeFileSync(server.keySetPath, '{"keys": [', { mode: 0o600 });
  await reload(server);
  assert.match(server.output, /writ: reload failed, the current keys stay in force/);
  expectStatus(await user.client.get('/auth/session'), 200);
  expectStatus(await user.client.post('/auth/refresh'), 200);
  assert.deepEqual(await jwksKids(server), kids);
});

test('a token from staging is refused in production, and production refuses staging keys', async () => {
  const staging = await startWithKeySet('staging');
  const production = await startWithKeySet('production', { allowed_origins: ['https://app.test'] });
  const user = await signupAndLogin(staging);
  const stagingToken = user.client.jar[ACCESS_COOKIE];
  const attempt = await production.client().get('/auth/session', { jar: { [ACCESS_COOKIE]: stagingToken } });
  expectStatus(attempt, 401, 'invalid_token');

  // The staging key set copied into production's configuration: refused at start.
  const copied = new WritServer({ environment: 'production', allowed_origins: ['https://app.test'] });
  refusedServers.push(copied);
  copied.config.tokens.signing_keys = `file:${staging.keySetPath}`;
  fs.writeFileSync(copied.configPath, toToml(copied.config), { mode: 0o600 });
  await assert.rejects(copied.start(), /belongs to staging, not production/);
});

test('production refuses a group-readable key file; `writ check-config` says why', async () => {
  const server = new WritServer({ environment: 'production', allowed_origins: ['https://app.test'] });
  refusedServers.push(server);
  const setPath = path.join(server.dir, 'signing.jwks');
  writ(['keys', 'init', setPath, '--environment', 'production']);
  fs.chmodSync(setPath, 0o640);
  server.config.tokens.signing_keys = `file:${setPath}`;
  fs.writeFileSync(server.configPath, toToml(server.config), { mode: 0o600 });
  const check = spawnSync(writBinary(), ['check-config', server.configPath], {
    encoding: 'utf8', env: { ...process.env, ...server.secrets },
  });
  assert.equal(check.status, 1, check.stdout + check.stderr);
  assert.match(check.stdout, /error: tokens\.signing_keys: .*chmod 600/);
  await assert.rejects(server.start(), /chmod 600/);
  fs.chmodSync(setPath, 0o600);
  const fixed = spawnSync(writBinary(), ['check-config', server.configPath], {
    encoding: 'utf8', env: { ...process.env, ...server.secrets },
  });
  assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /: ok \(\d+ warnings\), environment production/);
});

test('no secret appears in the server output or the audit trail', async () => {
  const server = await startWithKeySet('development');
  const user = await signupAndLogin(server, { remember: true });
  expectStatus(await user.client.login(user.username, `${user.password}-wrong`), 401, 'invalid_credentials');
  expectStatus(await user.client.login(user.username, user.password), 200);
  expectStatus(await user.client.post('/auth/refresh'), 200);
  const cookies = [user.client.jar[ACCESS_COOKIE], user.client.jar[REFRESH_COOKIE]];
  writ(['keys', 'rotate', server.keySetPath, '--force']);
  await reload(server);
  expectStatus(await user.client.post('/auth/logout', { csrf: true }), 204);
  const written = server.output + server.auditText();
  const secrets = [
    user.password, `${user.password}-wrong`, ...cookies,
    server.secrets.TEST_REFRESH_KEY, server.secrets.TEST_CSRF_KEY,
    ...keySet(server).keys.map((key) => key.d),
  ];
  for (const secret of secrets) {
    assert.ok(secret && secret.length >= 8);
    assert.ok(!written.includes(secret), `a secret (${secret.slice(0, 4)}…) was written out`);
  }
});
