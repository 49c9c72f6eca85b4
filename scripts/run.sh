#!/usr/bin/env bash
# The main job on the embedded default: set up, build, a key generation → signing →
# verifying round trip with the writ command, then `writ serve --dev` on loopback with the
# cookie login flow shown step by step (signup, login, session, refresh, logout). The
# server keeps running afterwards until Ctrl-C; `scripts/run.sh --once` stops after the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/writ-ccache}
scripts/setup.sh >/dev/null
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DWRIT_BUILD_TESTS=OFF >/dev/null
cmake --build build/release -j "$(nproc)" >/dev/null
writ=$PWD/build/release/src/cli/writ
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
echo

# writ serve --dev: the cookie-first login flow against a real server on loopback.
port=${WRIT_RUN_PORT:-8080}
base="http://127.0.0.1:$port"
echo "\$ writ serve --dev --listen 127.0.0.1:$port     (in $work, so writ-dev.db lands there)"
(cd "$work" && exec "$writ" serve --dev --listen "127.0.0.1:$port") 2>"$work/serve.log" >"$work/audit.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$work/serve.log" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
cat "$work/serve.log"

json=(-H "Content-Type: application/json" -H "Origin: $base")
cookie_of() { sed -n "s/^set-cookie: \($1=[^;]*\).*/\1/Ip" "$work/headers" | tail -1 | tr -d '\r'; }
echo "\$ curl -X POST $base/auth/signup -d '{\"username\":\"demo\",\"password\":\"…\"}'"
curl -sS "${json[@]}" -d '{"username":"demo","password":"a demo passphrase"}' "$base/auth/signup"; echo
echo "\$ curl -X POST $base/auth/login -d '{\"username\":\"demo\",\"password\":\"…\"}'"
curl -sS -D "$work/headers" "${json[@]}" -d '{"username":"demo","password":"a demo passphrase"}' \
  "$base/auth/login" | tee "$work/login.json"; echo
grep -i '^set-cookie' "$work/headers" | sed 's/=[^;]*;/=…;/'
access=$(cookie_of __Host-writ-access)
refresh=$(cookie_of __Secure-writ-refresh)
csrf=$(sed 's/.*"csrf_token":"\([^"]*\)".*/\1/' "$work/login.json")
if grep -q "${access#*=}" "$work/login.json"; then
  echo "the access token appeared in a response body: this must never happen" >&2
  exit 1
fi
echo "(the body holds the user and the CSRF token; the tokens live only in HttpOnly cookies)"
echo "\$ curl $base/auth/session   (with the access cookie)"
curl -sS -H "Cookie: $access" "$base/auth/session"; echo
echo "\$ curl -X POST $base/auth/refresh   (with the refresh cookie: rotates it)"
curl -sS -o /dev/null -D "$work/headers" -H "Cookie: $refresh" -H "Origin: $base" -X POST "$base/auth/refresh"
head -1 "$work/headers"
new_access=$(cookie_of __Host-writ-access)
echo "\$ curl -X POST $base/auth/logout   (with X-CSRF-Token)"
curl -sS -o /dev/null -w "%{http_code}\n" -H "Cookie: $new_access" -H "X-CSRF-Token: $csrf" \
  -H "Origin: $base" -X POST "$base/auth/logout"
echo "\$ curl $base/auth/session   (the same access cookie, right after logout)"
code=$(curl -sS -o /dev/null -w "%{http_code}" -H "Cookie: $new_access" "$base/auth/session")
echo "$code"
[[ $code == 401 ]] || { echo "a logged-out token still works: this must never happen" >&2; exit 1; }
echo "audit trail (one JSON line per event):"
sed 's/^/  /' "$work/audit.log"
if [[ ${1:-} == --once ]]; then
  echo "writ serve demo done"
  exit 0
fi
echo
echo "writ serve --dev keeps running on $base — press Ctrl-C to stop."
wait "$server"
