// Interop between the `writ` command and Node's jose package, both ways, for every JWS
// algorithm writ implements (RFC 7518 §3, RFC 8037 §3.1).
//
//   node jose_interop.mjs PATH_TO_WRIT_BINARY
//
// writ -> jose: `writ keygen` makes a private JWK, jose imports its public JWK (`writ jwks`;
// for HS* the oct JWK itself) and verifies a token made by `writ sign`.
// jose -> writ: jose generates a key, exports it as a JWK, signs a JWT, and `writ verify`
// must accept it. Negative checks: a jose token signed with another key is bad_signature,
// an `alg: none` token is unsupported_alg, and an HS256 token under an RSA key's kid is
// alg_mismatch (RFC 8725 §3.1).
import test, { after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as jose from 'jose';

const ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'EdDSA'];
const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'api.example.com';
const SUBJECT = 'user-12345';

if (process.argv.length < 3) {
  console.error('usage: node jose_interop.mjs PATH_TO_WRIT_BINARY');
  process.exit(2);
}
const WRIT = path.resolve(process.argv[2]);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'writ-interop-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// Runs the writ command; returns { status, stdout, stderr }.
function writ(args, input) {
  const run = spawnSync(WRIT, args, { encoding: 'utf8', input, timeout: 120000 });
  if (run.error) {
    throw run.error;
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Runs writ and fails the test, showing its stderr, unless it exits 0.
function writOk(args, input) {
  const run = writ(args, input);
  assert.equal(run.status, 0, `writ ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run;
}

function tmpFile(name) {
  return path.join(tmp, name);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  fs.writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
}

// A fresh jose key pair (or secret) for `alg`: { signingKey, jwk } where jwk is what writ
// gets: the public JWK for asymmetric algorithms, the oct JWK for HS*.
async function joseKey(alg) {
  if (alg.startsWith('HS')) {
    const secret = await jose.generateSecret(alg, { extractable: true });
    return { signingKey: secret, jwk: await jose.exportJWK(secret), privateJwk: null };
  }
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  return {
    signingKey: privateKey,
    jwk: await jose.exportJWK(publicKey),
    privateJwk: await jose.exportJWK(privateKey),
  };
}

// A JWT signed by jose with header {alg, kid, typ:"JWT"} and claims iss/aud/sub/iat/exp.
async function joseToken(alg, kid, signingKey, subject = SUBJECT) {
  return new jose.SignJWT({ scope: 'read write' })
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(signingKey);
}

// Asserts that `writ verify` refuses `token` with exit 1 and `invalid: CODE` on stderr.
function assertWritRejects(keyFile, token, code) {
  const run = writ(['verify', '--key', keyFile, '--iss', ISSUER, '--aud', AUDIENCE, token]);
  assert.equal(run.status, 1, `expected exit 1, got ${run.status}; stdout: ${run.stdout}`);
  assert.equal(run.stdout, '', 'a rejected token must print no claims');
  assert.match(run.stderr, new RegExp(`^invalid: ${code}(:|$)`, 'm'),
    `expected "invalid: ${code}", got: ${run.stderr}`);
}

for (const alg of ALGS) {
  test(`${alg}: token from writ verifies in jose`, async () => {
    const keyFile = tmpFile(`writ-${alg}.jwk`);
    writOk(['keygen', '--alg', alg, '--out', keyFile]);
    const privateJwk = readJson(keyFile);
    assert.equal(privateJwk.alg, alg);
    assert.ok(privateJwk.kid, 'writ keygen must give the key a kid');

    let verificationJwk;
    if (alg.startsWith('HS')) {
      assert.equal(privateJwk.kty, 'oct');
      verificationJwk = privateJwk;
    } else {
      const jwks = JSON.parse(writOk(['jwks', keyFile]).stdout);
      assert.equal(jwks.keys.length, 1);
      verificationJwk = jwks.keys[0];
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) {
        assert.ok(!(member in verificationJwk), `writ jwks leaked private member ${member}`);
      }
      assert.equal(verificationJwk.kid, privateJwk.kid);
      // RFC 7638: writ's default kid is the thumbprint jose computes from the public JWK.
      assert.equal(await jose.calculateJwkThumbprint(verificationJwk, 'sha256'), privateJwk.kid);
    }
    const key = await jose.importJWK(verificationJwk, alg);

    const token = writOk(['sign', '--key', keyFile, '--iss', ISSUER, '--aud', AUDIENCE,
      '--sub', SUBJECT, '--ttl', '15m']).stdout.trim();
    const { payload, protectedHeader } = await jose.jwtVerify(token, key, {
      issuer: ISSUER, audience: AUDIENCE, algorithms: [alg],
    });
    assert.equal(protectedHeader.alg, alg);
    assert.equal(protectedHeader.kid, privateJwk.kid);
    assert.equal(payload.sub, SUBJECT);
    assert.equal(typeof payload.exp, 'number');
    const lifetime = payload.exp - Math.floor(Date.now() / 1000);
    assert.ok(lifetime > 14 * 60 && lifetime <= 15 * 60, `--ttl 15m gave exp in ${lifetime}s`);

    // The same token with one signature bit flipped must fail in jose too, so that the
    // check above could have failed.
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[0] ^= 1;
    await assert.rejects(jose.jwtVerify(`${h}.${p}.${sig.toString('base64url')}`, key,
      { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg] }));
  });

  test(`${alg}: token from jose verifies in writ`, async () => {
    const kid = `jose-${alg}`;
    const { signingKey, jwk } = await joseKey(alg);
    const keyFile = tmpFile(`jose-${alg}.jwk`);
    writeJson(keyFile, { ...jwk, alg, kid });

    const subject = `jose-user-${alg}`;
    const token = await joseToken(alg, kid, signingKey, subject);
    const run = writOk(['verify', '--key', keyFile, '--iss', ISSUER, '--aud', AUDIENCE, token]);
    const claims = JSON.parse(run.stdout);
    assert.equal(claims.sub, subject);
    assert.equal(claims.iss, ISSUER);
    assert.equal(claims.aud, AUDIENCE);

    // `-` reads the token from stdin.
    const fromStdin = writOk(['verify', '--key', keyFile, '--iss', ISSUER, '--aud', AUDIENCE, '-'],
      `${token}\n`);
    assert.equal(JSON.parse(fromStdin.stdout).sub, subject);
  });

  test(`${alg}: jose token signed with another key is bad_signature in writ`, async () => {
    const kid = `jose-${alg}`;
    const trusted = await joseKey(alg);
    const attacker = await joseKey(alg);
    const keyFile = tmpFile(`jose-${alg}-trusted.jwk`);
    writeJson(keyFile, { ...trusted.jwk, alg, kid });

    const forged = await joseToken(alg, kid, attacker.signingKey);
    assertWritRejects(keyFile, forged, 'bad_signature');
  });
}

// jose's private JWKs (RSA with CRT members, EC, OKP) load in writ, and `writ jwks` gives
// back exactly jose's public members.
for (const alg of ALGS.filter((a) => !a.startsWith('HS'))) {
  test(`${alg}: jose private JWK loads in writ and signs tokens jose accepts`, async () => {
    const kid = `jose-private-${alg}`;
    const { jwk, privateJwk } = await joseKey(alg);
    const keyFile = tmpFile(`jose-${alg}-private.jwk`);
    writeJson(keyFile, { ...privateJwk, alg, kid });

    const published = JSON.parse(writOk(['jwks', keyFile]).stdout).keys;
    assert.equal(published.length, 1);
    for (const [member, value] of Object.entries(jwk)) {
      assert.equal(published[0][member], value, `public member ${member} differs`);
    }
    assert.ok(!('d' in published[0]), 'writ jwks leaked d');

    const token = writOk(['sign', '--key', keyFile, '--iss', ISSUER, '--aud', AUDIENCE,
      '--sub', SUBJECT, '--ttl', '15m']).stdout.trim();
    const { payload, protectedHeader } = await jose.jwtVerify(token, await jose.importJWK(jwk, alg),
      { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg] });
    assert.equal(protectedHeader.kid, kid);
    assert.equal(payload.sub, SUBJECT);
  });
}

test('alg none from jose is unsupported_alg in writ', async () => {
  const { jwk } = await joseKey('HS256');
  const keyFile = tmpFile('none-target.jwk');
  writeJson(keyFile, { ...jwk, alg: 'HS256', kid: 'k1' });
  const unsecured = new jose.UnsecuredJWT({ scope: 'admin' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(SUBJECT)
    .setIssuedAt()
    .setExpirationTime('15m')
    .encode();
  assert.equal(jose.decodeProtectedHeader(unsecured).alg, 'none');
  assertWritRejects(keyFile, unsecured, 'unsupported_alg');
});

// RFC 8725 §3.1: an HS256 token whose HMAC key is the RSA public JWK text, under the RSA
// key's kid, must be refused because the key's algorithm is RS256.
test('HS256 token under an RS256 key kid is alg_mismatch in writ', async () => {
  const kid = 'rsa-1';
  const { jwk } = await joseKey('RS256');
  const keyFile = tmpFile('confusion-target.jwk');
  const published = { ...jwk, alg: 'RS256', kid };
  writeJson(keyFile, published);
  const secret = new TextEncoder().encode(JSON.stringify(published));
  const forged = await joseToken('HS256', kid, secret);
  assertWritRejects(keyFile, forged, 'alg_mismatch');
});
