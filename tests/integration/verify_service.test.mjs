// A service that verifies writ's access cookie itself (issue 6): examples/verify_service,
// built with libwrit's RemoteKeySet, against the real `writ serve` publishing its JWK Set.
// The service never shares a secret with writ: it only fetches the public keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import {
  ACCESS_COOKIE, AUDIENCE, ISSUER, WritServer, decodeJwt, httpRequest, signEdDsa,
  signupAndLogin, toToml, writBinary,
} from './harness.mjs';

const serviceBinary = process.env.VERIFY_SERVICE_BINARY;

let writ;
let service;
let servicePort;
let serviceOutput = '';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function runWrit(args) {
  const result = spawnSync(writBinary(), args, { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `writ ${args.join(' ')}: ${result.stderr}`);
}

async function reload(server) {
  const count = () => (server.output.match(/writ: (reloaded|reload failed)/g) ?? []).length;
  const seen = count();
  server.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  while (count() === seen) {
    assert.ok(Date.now() < deadline, `no reload line after SIGHUP:\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// GET / on the service with `token` as the access cookie (none when undefined).
async function askService(token) {
  const headers = token === undefined ? {} : { cookie: `${ACCESS_COOKIE}=${token}` };
  return httpRequest(servicePort, { path: '/', headers });
}

// The service answers 401 {"error":"invalid_token"} and logs `reason` (an ErrorCode name):
// refused for the right reason, and the client learns nothing of it.
async function expectRefused(token, reason) {
  const logged = serviceOutput.length;
  const response = await askService(token);
  assert.equal(response.status, 401, `accepted ${token}`);
  assert.deepEqual(JSON.parse(response.body), { error: 'invalid_token' });
  const deadline = Date.now() + 2_000;
  while (!serviceOutput.slice(logged).includes('401: ') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.match(serviceOutput.slice(logged), new RegExp(`401: ${reason}`), `refused ${token} for another reason`);
}

before(async () => {
  assert.ok(serviceBinary, 'VERIFY_SERVICE_BINARY is not set (build with -DWRIT_BUILD_EXAMPLES=ON)');
  writ = new WritServer();
  writ.keySetPath = path.join(writ.dir, 'signing.jwks');
  runWrit(['keys', 'init', writ.keySetPath, '--environment', 'development', '--prepublish', '60s']);
  writ.config.tokens.signing_keys = `file:${writ.keySetPath}`;
  fs.writeFileSync(writ.configPath, toToml(writ.config), { mode: 0o600 });
  await writ.start();

  servicePort = await freePort();
  service = spawn(serviceBinary, [
    '--jwks', `${writ.baseUrl}/.well-known/jwks.json`, '--issuer', ISSUER, '--audience', AUDIENCE,
    '--listen', `127.0.0.1:${servicePort}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  service.stdout.on('data', (chunk) => { serviceOutput += chunk; });
  service.stderr.on('data', (chunk) => { serviceOutput += chunk; });
  const deadline = Date.now() + 10_000;
  while (!serviceOutput.includes('listening on')) {
    assert.ok(Date.now() < deadline && service.exitCode === null, `verify_service did not start:\n${serviceOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

after(async () => {
  service?.kill('SIGKILL');
  await writ?.dispose();
});

test('the service accepts a cookie writ issued and sees the user', async () => {
  const { client, username } = await signupAndLogin(writ);
  const response = await askService(client.jar[ACCESS_COOKIE]);
  assert.equal(response.status, 200, `${response.body}\n${serviceOutput}`);
  const { user } = JSON.parse(response.body);
  assert.equal(user.name, username);
  assert.equal(user.sub, decodeJwt(client.jar[ACCESS_COOKIE]).payload.sub);
  assert.ok(user.sid);
});

test('no cookie, a garbled cookie or a tampered payload get 401 with no detail', async () => {
  const { client } = await signupAndLogin(writ);
  const token = client.jar[ACCESS_COOKIE];
  const [header, payload, signature] = token.split('.');
  const claims = decodeJwt(token).payload;
  const elevated = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
  await expectRefused(undefined, 'no __Host-writ-access cookie');
  await expectRefused('garbage', 'malformed');
  await expectRefused(`${header}.${elevated}.${signature}`, 'bad_signature');
  await expectRefused(`${header}.${payload}.`, 'bad_signature');
});

test('attack: alg none, and a key embedded in the token header, are refused', async () => {
  const { client } = await signupAndLogin(writ);
  const { header, payload } = decodeJwt(client.jar[ACCESS_COOKIE]);
  const none = `${Buffer.from(JSON.stringify({ ...header, alg: 'none' })).toString('base64url')}.` +
    `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  await expectRefused(none, 'unsupported_alg');
  // The attacker's own Ed25519 key, named in the header (jwk) and under writ's kid.
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  await expectRefused(signEdDsa({ ...header, jwk }, payload, privateKey), 'forbidden_header');
  await expectRefused(signEdDsa({ ...header, jku: `${writ.baseUrl}/evil.json` }, payload, privateKey), 'forbidden_header');
  await expectRefused(signEdDsa(header, payload, privateKey), 'bad_signature');
});

test('attack: a token for another audience or of another type is refused', async () => {
  const { client } = await signupAndLogin(writ);
  const { header, payload } = decodeJwt(client.jar[ACCESS_COOKIE]);
  // Re-signing needs writ's private key: the test has it (the key set file), an attacker not.
  const set = JSON.parse(fs.readFileSync(writ.keySetPath, 'utf8'));
  const active = set.writ_rotation.keys.find((key) => key.state === 'active').kid;
  const privateJwk = set.keys.find((key) => key.kid === active);
  const control = signEdDsa(header, payload, privateJwk);
  assert.equal((await askService(control)).status, 200, 'the re-signed control token must pass');
  for (const [changedHeader, changedPayload, reason] of [
    [header, { ...payload, aud: 'billing' }, 'audience_mismatch'],
    [header, { ...payload, iss: 'https://evil.example' }, 'issuer_mismatch'],
    [{ ...header, typ: 'JWT' }, payload, 'type_mismatch'],
    [header, { ...payload, exp: Math.floor(Date.now() / 1000) - 120 }, 'expired'],
  ]) {
    await expectRefused(signEdDsa(changedHeader, changedPayload, privateJwk), reason);
  }
});

test('after a rotation the service verifies tokens of the new key without a restart', async () => {
  const before = await signupAndLogin(writ);
  assert.equal((await askService(before.client.jar[ACCESS_COOKIE])).status, 200);
  runWrit(['keys', 'rotate', writ.keySetPath, '--force']);
  await reload(writ);
  const after = await signupAndLogin(writ);
  const token = after.client.jar[ACCESS_COOKIE];
  assert.notEqual(decodeJwt(token).header.kid, decodeJwt(before.client.jar[ACCESS_COOKIE]).header.kid);
  // The new active key was published as "next" before it signed, so the service has it.
  assert.equal((await askService(token)).status, 200, serviceOutput);
  assert.equal((await askService(before.client.jar[ACCESS_COOKIE])).status, 200, 'older token, retired key');
});
