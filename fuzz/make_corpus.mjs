// Regenerates the seed corpora in fuzz/corpus/verify and fuzz/corpus/jwk.
//
//   (cd tests/interop && npm ci) && node fuzz/make_corpus.mjs
//
// Tokens are signed with throwaway keys made here and then forgotten: no private key is
// written. The JWK seeds are public JWKs made here plus the RFC example keys from
// tests/vectors/jose (RFC 7515 Appendix A, RFC 7517, RFC 7638, RFC 8037 via the JOSE
// cookbook), which are published test data.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jose = await import(pathToFileURL(
  path.join(root, 'tests/interop/node_modules/jose/dist/webapi/index.js')).href);
const vectors = path.join(root, 'tests/vectors/jose');
const verifyDir = path.join(root, 'fuzz/corpus/verify');
const jwkDir = path.join(root, 'fuzz/corpus/jwk');

const CLAIMS = {
  iss: 'https://auth.example.com', sub: 'user-12345', aud: 'api.example.com',
  iat: 1764000000, exp: 4102444800, jti: '4f1c2a9e-8d3b-4e7a-9c1d-2b3e4f5a6b7c',
  scope: 'read write', roles: ['user', 'admin'],
};
const b64 = (text) => Buffer.from(text).toString('base64url');

function reset(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

function write(dir, name, content) {
  fs.writeFileSync(path.join(dir, name), content);
}

// Copies a vector file when the project carries it (tests/vectors holds a chosen subset).
function copyVector(dir, name, file) {
  const source = path.join(vectors, file);
  if (!fs.existsSync(source)) {
    console.warn(`skipped ${name}: ${source} is not in the project's vectors`);
    return;
  }
  write(dir, name, fs.readFileSync(source));
}

async function tokenSeeds() {
  reset(verifyDir);
  // kids match the fuzzer's key set (verify_fuzzer.cc), so key selection succeeds and the
  // signature check runs.
  const kids = { HS256: 'hs', HS512: 'hs512', RS256: 'rs', PS256: 'ps', ES256: 'es',
    ES512: 'es512', EdDSA: 'ed' };
  for (const [alg, kid] of Object.entries(kids)) {
    const key = alg.startsWith('HS')
      ? await jose.generateSecret(alg)
      : (await jose.generateKeyPair(alg)).privateKey;
    const token = await new jose.SignJWT(CLAIMS).setProtectedHeader({ alg, typ: 'JWT', kid })
      .sign(key);
    write(verifyDir, `token_${alg}`, token);
    if (alg === 'ES256') {
      const noKid = await new jose.SignJWT(CLAIMS).setProtectedHeader({ alg }).sign(key);
      write(verifyDir, 'token_ES256_no_kid', noKid);
    }
  }
  const unsecured = new jose.UnsecuredJWT(CLAIMS).encode();
  write(verifyDir, 'attack_alg_none', unsecured);
  const sig = 'AAAA';
  const headers = {
    attack_embedded_jwk: { alg: 'RS256', jwk: { kty: 'oct', k: 'AAAA' } },
    attack_jku: { alg: 'RS256', jku: 'https://attacker.example/jwks.json', kid: 'rs' },
    attack_crit: { alg: 'HS256', kid: 'hs', crit: ['exp'], exp: 1 },
    attack_b64_false: { alg: 'HS256', kid: 'hs', b64: false, crit: ['b64'] },
    attack_zip: { alg: 'HS256', kid: 'hs', zip: 'DEF' },
    attack_none_casing: { alg: 'nOnE' },
  };
  for (const [name, header] of Object.entries(headers)) {
    write(verifyDir, name, `${b64(JSON.stringify(header))}.${b64(JSON.stringify(CLAIMS))}.${sig}`);
  }
  write(verifyDir, 'attack_duplicate_alg',
    `${b64('{"alg":"HS256","alg":"none"}')}.${b64(JSON.stringify(CLAIMS))}.${sig}`);
  copyVector(verifyDir, 'rfc7515_A.1', 'rfc7515/rfc7515_A.1.jwsc');
  copyVector(verifyDir, 'rfc7515_A.3', 'rfc7515/rfc7515_A.3.jwsc');
  copyVector(verifyDir, 'rfc7515_A.5', 'rfc7515/rfc7515_A.5.jwsc');

  // "HEADER\0PAYLOAD" seeds: the fuzzer signs these with its own HS256 key.
  const header = '{"alg":"HS256","typ":"JWT","kid":"hs"}';
  const signed = {
    signed_workload: JSON.stringify(CLAIMS),
    signed_aud_array: JSON.stringify({ ...CLAIMS, aud: ['other', 'api.example.com'] }),
    signed_nbf: JSON.stringify({ ...CLAIMS, nbf: 1764000030 }),
    signed_no_exp: JSON.stringify({ iss: CLAIMS.iss, sub: 'x' }),
    signed_float_exp: '{"iss":"https://auth.example.com","aud":"api.example.com","exp":4.1e9}',
    signed_string_exp: '{"iss":"https://auth.example.com","aud":"api.example.com","exp":"4102444800"}',
    signed_escapes: '{"iss":"https:\\/\\/auth.example.com","aud":"api.example.com","exp":4102444800,"n\\u0061me":"\\ud83d\\ude00"}',
    signed_nested: '{"exp":4102444800,"nested":{"a":[1,2,{"b":[true,false,null]}]},"aud":"api.example.com","iss":"https://auth.example.com"}',
  };
  for (const [name, payload] of Object.entries(signed)) {
    write(verifyDir, name, `${header}\0${payload}`);
  }
  write(verifyDir, 'signed_typ_at_jwt',
    `{"alg":"HS256","typ":"at+jwt"}\0${JSON.stringify(CLAIMS)}`);
}

async function jwkSeeds() {
  reset(jwkDir);
  const made = [];
  for (const [alg, options] of [['RS256', {}], ['PS384', {}], ['ES256', {}], ['ES384', {}],
    ['ES512', {}], ['EdDSA', {}]]) {
    const { publicKey } = await jose.generateKeyPair(alg, { ...options, extractable: true });
    const jwk = await jose.exportJWK(publicKey);
    made.push({ ...jwk, alg, kid: `${alg.toLowerCase()}-1`, use: 'sig' });
    write(jwkDir, `public_${alg}`, JSON.stringify({ ...jwk, alg }));
  }
  write(jwkDir, 'public_jwks', JSON.stringify({ keys: made }));
  write(jwkDir, 'public_EC_no_alg', JSON.stringify({ ...made[2], alg: undefined }));
  write(jwkDir, 'public_RSA_no_alg', JSON.stringify({ ...made[0], alg: undefined }));
  write(jwkDir, 'public_key_ops', JSON.stringify({ ...made[5], use: undefined, key_ops: ['verify'] }));
  write(jwkDir, 'public_use_enc', JSON.stringify({ ...made[2], use: 'enc' }));
  write(jwkDir, 'jwks_empty', '{"keys":[]}');

  // Published RFC example keys (test data, not secrets of anyone's).
  const copies = {
    rfc7515_A1_oct: 'rfc7515/rfc7515_A.1.jwk',
    rfc7515_A2_rsa: 'rfc7515/rfc7515_A.2.jwk',
    rfc7515_A3_ec: 'rfc7515/rfc7515_A.3.jwk',
    rfc7515_A4_p521: 'rfc7515/rfc7515_A.4.jwk',
    rfc7515_A6_jwkset: 'rfc7515/rfc7515_A.6.jwkset',
    rfc7517_A1_jwkset: 'rfc7517/rfc7517_A.1.jwkset',
    rfc7517_A2_jwkset: 'rfc7517/rfc7517_A.2.jwkset',
    rfc7517_A3_jwkset: 'rfc7517/rfc7517_A.3.jwkset',
    rfc7638_3_1: 'rfc7638/rfc7638_3.1.jwk',
  };
  for (const [name, file] of Object.entries(copies)) {
    copyVector(jwkDir, name, file);
  }
  const edFile = path.join(vectors, 'cookbook/curve25519/jws.json');
  if (fs.existsSync(edFile)) {
    const ed = JSON.parse(fs.readFileSync(edFile));
    write(jwkDir, 'rfc8037_ed25519', JSON.stringify({ ...ed.input.key, alg: 'EdDSA' }));
    const { d: _, ...edPublic } = ed.input.key;
    write(jwkDir, 'rfc8037_ed25519_public', JSON.stringify(edPublic));
  }
}

await tokenSeeds();
await jwkSeeds();
console.log(`seeds: ${fs.readdirSync(verifyDir).length} verify, ${fs.readdirSync(jwkDir).length} jwk`);
