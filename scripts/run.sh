#!/usr/bin/env bash
# The main job on the embedded default: set up, build, then a key generation → signing →
# verifying round trip with the writ command, printed step by step.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/writ-ccache}
scripts/setup.sh >/dev/null
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DWRIT_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" >/dev/null
writ=build/release/src/cli/writ
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "\$ writ keygen --alg EdDSA --kid demo-1 --out key.jwk"
"$writ" keygen --alg EdDSA --kid demo-1 --out "$work/key.jwk"
echo "\$ writ jwks key.jwk"
"$writ" jwks "$work/key.jwk" | tee "$work/jwks.json"
echo
echo "\$ writ sign --key key.jwk --iss https://auth.example.com --aud api --sub user-1 --ttl 15m"
token=$("$writ" sign --key "$work/key.jwk" --iss https://auth.example.com --aud api --sub user-1 --ttl 15m)
echo "$token"
echo "\$ writ verify --jwks jwks.json --iss https://auth.example.com --aud api TOKEN"
"$writ" verify --jwks "$work/jwks.json" --iss https://auth.example.com --aud api "$token"
echo "\$ writ verify ... TAMPERED-TOKEN   (one payload character changed)"
tampered="${token%%.*}.$(echo "$token" | cut -d. -f2 | sed 's/^./X/').$(echo "$token" | cut -d. -f3)"
if "$writ" verify --jwks "$work/jwks.json" --iss https://auth.example.com --aud api "$tampered"; then
  echo "tampered token was accepted: this must never happen" >&2
  exit 1
fi
echo "JWS round trip done: the genuine token verified, the tampered one was refused"
echo
echo "\$ writ keygen --alg v4.public --out key.paserk && writ keys public key.paserk > public.paserk"
"$writ" keygen --alg v4.public --out "$work/key.paserk"
"$writ" keys public "$work/key.paserk" | tee "$work/public.paserk"
echo "\$ writ sign --key key.paserk --iss https://auth.example.com --aud api --sub user-1"
paseto=$("$writ" sign --key "$work/key.paserk" --iss https://auth.example.com --aud api --sub user-1)
echo "$paseto"
echo "\$ writ verify --key public.paserk --iss https://auth.example.com --aud api TOKEN"
"$writ" verify --key "$work/public.paserk" --iss https://auth.example.com --aud api "$paseto"
echo "PASETO v4.public round trip done"
