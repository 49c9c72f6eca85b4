// Regenerates the seed corpora in fuzz/corpus/paseto and fuzz/corpus/paserk.
//
//   node fuzz/make_paseto_corpus.mjs
//
// Only tokens and public material are written: the token vectors of tests/vectors/paseto
// (v3.json, v4.json: published test data), "S PAYLOAD\0FOOTER" seeds for paseto_fuzzer's
// make-and-read mode, and for PASERK the public-key and id vectors (kN.public, kN.lid,
// kN.pid, kN.sid). The wrapped formats (local-wrap, secret-wrap, local-pw, secret-pw, seal)
// are seeded with the right header and length but random bytes, so that no seed wraps a key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vectors = path.join(root, 'tests/vectors/paseto');
const pasetoDir = path.join(root, 'fuzz/corpus/paseto');
const paserkDir = path.join(root, 'fuzz/corpus/paserk');

function reset(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}
const readVectors = (name) => JSON.parse(fs.readFileSync(path.join(vectors, name), 'utf8')).tests;
const b64 = (bytes) => Buffer.from(bytes).toString('base64url');

reset(pasetoDir);
for (const file of ['v4.json', 'v3.json']) {
  for (const vector of readVectors(file)) {
    fs.writeFileSync(path.join(pasetoDir, vector.name), vector.token);
  }
}
const claims = JSON.stringify({
  iss: 'https://auth.example.com', sub: 'user-12345', aud: 'api.example.com',
  iat: '2025-11-24T16:00:00Z', exp: '2100-01-01T00:00:00Z', jti: '4f1c2a9e-8d3b-4e7a-9c1d-2b3e4f5a6b7c',
  scope: 'read write', roles: ['user', 'admin'],
});
const expired = JSON.stringify({ sub: 'x', exp: '2020-01-01T00:00:00+00:00', nbf: '2019-12-31T23:59:59.5Z' });
const made = [
  ['make_v4_local', 0, claims, '{"kid":"k4.lid.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}'],
  ['make_v3_local', 1, claims, ''],
  ['make_v4_public', 2, claims, '{"app":"x"}'],
  ['make_v3_public_implicit', 7, expired, 'opaque footer'],
  ['make_v4_local_implicit', 4, '{"exp":4102444800}', ''],
  ['make_v4_public_nested', 2, '{"exp":"2100-01-01T00:00:00Z","nested":{"a":[1,{"b":null}]}}', '{"n":[1,2]}'],
];
for (const [name, selector, payload, footer] of made) {
  fs.writeFileSync(path.join(pasetoDir, name), Buffer.concat([
    Buffer.from([selector]), Buffer.from(payload), Buffer.from([0]), Buffer.from(footer)]));
}

reset(paserkDir);
for (const version of ['k4', 'k3']) {
  for (const type of ['public', 'lid', 'pid', 'sid']) {
    for (const vector of readVectors(`${version}.${type}.json`)) {
      if (typeof vector.paserk === 'string') {
        fs.writeFileSync(path.join(paserkDir, vector.name), vector.paserk);
      }
    }
  }
}
const random = (size) => crypto.randomBytes(size);
const be = (value, size) => {
  const out = Buffer.alloc(size);
  out.writeUIntBE(value, size - 6 > 0 ? size - 6 : 0, Math.min(size, 6));
  return out;
};
const shapes = {
  'k4.local-wrap.pie': () => random(32 + 24 + 32),
  'k4.secret-wrap.pie': () => random(32 + 24 + 64),
  'k3.local-wrap.pie': () => random(48 + 32 + 32),
  'k3.secret-wrap.pie': () => random(48 + 32 + 48),
  // Cheap cost fields (8 KiB, 1 pass, 1 lane; 100 iterations), so the fuzzer reaches the KDF.
  'k4.local-pw': () => Buffer.concat([random(16), be(8192, 8), be(1, 4), be(1, 4), random(24), random(32), random(32)]),
  'k4.secret-pw': () => Buffer.concat([random(16), be(8192, 8), be(1, 4), be(1, 4), random(24), random(64), random(32)]),
  'k3.local-pw': () => Buffer.concat([random(32), be(100, 4), random(16), random(32), random(48)]),
  'k3.secret-pw': () => Buffer.concat([random(32), be(100, 4), random(16), random(48), random(48)]),
  'k4.seal': () => random(32 + 32 + 32),
  'k3.seal': () => random(48 + 49 + 32),
};
for (const [type, make] of Object.entries(shapes)) {
  fs.writeFileSync(path.join(paserkDir, `shape_${type}`), `${type}.${b64(make())}`);
}
console.log(`wrote ${fs.readdirSync(pasetoDir).length} paseto and ${fs.readdirSync(paserkDir).length} paserk seeds`);
