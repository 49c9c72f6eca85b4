#!/usr/bin/env bash
# Shell-level tests of the writ command: every subcommand's success and failure paths,
# with the exit statuses and stderr lines of the command-line contract (DESIGN.md).
#
# Usage: bash cli_test.sh PATH_TO_WRIT
# Prints "ok - NAME" / "not ok - NAME" per check and "N passed, M failed" at the end;
# exits non-zero when any check failed. Keys are generated at run time; no sleeps: past
# and future times are written into the claims instead.
set -u

WRIT=${1:?usage: cli_test.sh PATH_TO_WRIT}
WRIT=$(cd "$(dirname "$WRIT")" && pwd)/$(basename "$WRIT")
for tool in jq openssl base64; do
  command -v "$tool" >/dev/null || { echo "cli_test.sh: $tool is required" >&2; exit 2; }
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

JWS_ALGS="HS256 HS384 HS512 RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"
ASYMMETRIC_ALGS="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA"
passed=0
failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() {
  echo "not ok - $1"
  failed=$((failed + 1))
  echo "#   exit status: ${RC:-?}"
  sed 's/^/#   stdout: /' "$WORK/out" 2>/dev/null | head -n 5
  sed 's/^/#   stderr: /' "$WORK/err" 2>/dev/null | head -n 5
}
# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# run ARGS...: runs writ; sets RC, OUT (stdout) and ERR (stderr).
run() {
  "$WRIT" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}
# run_stdin INPUT ARGS...: as run, with INPUT on standard input.
run_stdin() {
  local input=$1
  shift
  printf '%s\n' "$input" | "$WRIT" "$@" >"$WORK/out" 2>"$WORK/err"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

# jq_quiet FILTER FILE: FILE holds exactly one JSON value and FILTER is true of it
# (plain jq -e passes on an empty file).
jq_quiet() { jq -e -s "length == 1 and (.[0] | $1)" "$2" >/dev/null 2>&1; }
rc_is() { [ "$RC" -eq "$1" ]; }
out_has() { grep -qF -- "$1" "$WORK/out"; }
err_has() { grep -qF -- "$1" "$WORK/err"; }
# No raw control bytes (other than newlines) in the captured stdout or stderr file.
no_control_bytes() { ! LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' "$WORK/$1"; }
# No audit or inspect finding at warning level or above.
no_warnings() { ! grep -qE '^(warning|critical): ' "$WORK/out"; }
# The verify failure contract: exit 1 and exactly one stderr line starting with PREFIX.
invalid_with() {
  [ "$RC" -eq 1 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && [[ "$ERR" == "$1"* ]] && [ -z "$OUT" ]
}

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
b64url_text() { printf '%s' "$1" | b64url; }
# b64url_decode TEXT: the bytes TEXT encodes.
b64url_decode() {
  local text
  text=$(printf '%s' "$1" | tr -- '-_' '+/')
  while [ $((${#text} % 4)) -ne 0 ]; do text="$text="; done
  printf '%s' "$text" | base64 -d
}
# payload_claim TOKEN NAME: a claim read from a token's payload, unverified.
payload_claim() { b64url_decode "$(printf '%s' "$1" | cut -d. -f2)" | jq -r ".$2"; }
# hs256_token HEADER_JSON PAYLOAD_JSON SECRET: a token MACed by openssl, not by writ.
hs256_token() {
  local input
  input="$(b64url_text "$1").$(b64url_text "$2")"
  printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -hmac "$3" -binary | b64url)"
}
# A claim of a verified token, from verify's stdout.
claim() { jq -r ".$1" "$WORK/out"; }

# --- help and usage -------------------------------------------------------------------
run --help
check "help: writ --help exits 0 and lists subcommands" \
  eval 'rc_is 0 && out_has keygen && out_has verify && out_has audit'
for sub in keygen jwks sign verify inspect audit serve keys "keys id" "keys public" "keys init" \
  "keys list" "keys rotate" "keys retire"; do
  # shellcheck disable=SC2086
  run $sub --help
  check "help: writ $sub --help exits 0" eval 'rc_is 0 && out_has Usage'
done
run
check "usage: no subcommand exits 2" rc_is 2
run frobnicate
check "usage: unknown subcommand exits 2" rc_is 2
run keygen --alg ES256 --bogus-flag
check "usage: unknown flag exits 2" rc_is 2
run serve --config "$WORK/no-such-config.toml"
check "serve: a missing config file exits 1 naming it" eval 'rc_is 1 && err_has "no-such-config.toml"'
WRIT_ENVIRONMENT=production run serve --dev
check "serve: --dev in production is refused (exit 1)" eval 'rc_is 1 && err_has "dev"'
printf 'environment = "production"\n[tokens]\nsigning_keys = "correct-horse-battery-staple-0123456789"\n' >"$WORK/literal.toml"
run serve --config "$WORK/literal.toml"
check "serve: a literal secret in the config is refused, pointing to env:/file:" \
  eval 'rc_is 1 && err_has "env:" && ! err_has "correct-horse"'

# --- users ------------------------------------------------------------------------------
users_db="sqlite:$WORK/users.db"
run_stdin "a long enough passphrase" users --store "$users_db" add Alice --roles user,admin
check "users: add reads the password from stdin" eval 'rc_is 0 && out_has "alice"'
run_stdin "another long passphrase" users --store "$users_db" add alice
check "users: a taken name exits 1" rc_is 1
run_stdin "password123" users --store "$users_db" add bob
check "users: a common password is refused" eval 'rc_is 1 && err_has "common"'
run users --store "$users_db" disable alice
check "users: disable" rc_is 0
run users --store "$users_db" list
check "users: list shows roles and state, never a hash" \
  eval 'rc_is 0 && out_has "alice" && out_has "user,admin" && out_has disabled && ! out_has argon2'
run users --store "$users_db" set-roles alice "Bad Role"
check "users: invalid roles are refused" rc_is 1
run users --store "$users_db" disable nobody
check "users: an unknown user exits 1" rc_is 1

# --- keygen ---------------------------------------------------------------------------
declare -A KTY=([HS]=oct [RS]=RSA [PS]=RSA [ES]=EC [Ed]=OKP)
for alg in $JWS_ALGS; do
  run keygen --alg "$alg" --kid "kid-$alg"
  printf '%s\n' "$OUT" >"$alg.jwk"
  kty=${KTY[${alg:0:2}]}
  check "keygen: $alg private JWK on stdout" eval \
    'rc_is 0 && jq_quiet ".alg == \"$alg\" and .kty == \"$kty\" and .kid == \"kid-$alg\"" "$alg.jwk"'
done
check "keygen: HMAC key has a secret k" jq_quiet '.k | length >= 43' HS256.jwk
check "keygen: EC key has private d" jq_quiet 'has("d") and .crv == "P-256"' ES256.jwk
check "keygen: RSA key has private d, p, q" jq_quiet 'has("d") and has("p") and has("q")' RS256.jwk

run keygen --alg EdDSA --out ed.jwk
check "keygen: --out writes a file, nothing on stdout" eval 'rc_is 0 && [ -z "$OUT" ] && [ -s ed.jwk ]'
check "keygen: --out file has mode 0600" eval '[ "$(stat -c %a ed.jwk)" = 600 ]'
(umask 000 && "$WRIT" keygen --alg ES256 --out loose-umask.jwk 2>/dev/null)
check "keygen: --out file is 0600 even with umask 000" eval '[ "$(stat -c %a loose-umask.jwk)" = 600 ]'
cp ed.jwk ed.jwk.before
run keygen --alg EdDSA --out ed.jwk
check "keygen: refuses to overwrite an existing file" eval \
  'rc_is 1 && err_has "already exists" && cmp -s ed.jwk ed.jwk.before'
ln -s "$WORK/symlink-target" dangling.jwk
run keygen --alg EdDSA --out dangling.jwk
check "keygen: refuses to write through a symlink" eval 'rc_is 1 && [ ! -e symlink-target ]'
run keygen --alg none
check "keygen: alg none is a usage error" eval 'rc_is 2 && err_has "unknown algorithm"'
run keygen --alg hs256
check "keygen: algorithm names are case-sensitive" rc_is 2
run keygen
check "keygen: missing --alg exits 2" rc_is 2
run keygen --alg HS256 --out /nonexistent-dir/key.jwk
check "keygen: unwritable --out path exits 1" eval 'rc_is 1 && err_has "writ: error:"'

# --- jwks -----------------------------------------------------------------------------
no_private_members='[.keys[] | has("d") or has("k") or has("p") or has("q") or has("dp")
                     or has("dq") or has("qi") or has("oth")] | any | not'
for alg in $ASYMMETRIC_ALGS; do
  run jwks "$alg.jwk"
  printf '%s\n' "$OUT" >"$alg.jwks"
  check "jwks: $alg public set has no private members" eval \
    'rc_is 0 && jq_quiet "(.keys | length == 1) and .keys[0].alg == \"$alg\" and ($no_private_members)" \
       "$alg.jwks"'
done
# shellcheck disable=SC2086
run jwks $(for alg in $ASYMMETRIC_ALGS; do printf '%s.jwk ' "$alg"; done)
check "jwks: several files give one set with every key" eval \
  'rc_is 0 && jq_quiet "(.keys | length == 10) and ($no_private_members)" "$WORK/out"'
run jwks ES256.jwks
check "jwks: a public JWK Set file is accepted" eval \
  'rc_is 0 && jq_quiet ".keys[0].kid == \"kid-ES256\"" "$WORK/out"'
hs_k=$(jq -r .k HS256.jwk)
run jwks ES256.jwk HS256.jwk
check "jwks: an HMAC key is refused, symmetric keys are never published" eval \
  'rc_is 1 && err_has "symmetric keys are never published" && [ -z "$OUT" ]'
check "jwks: the HMAC refusal does not print the secret" eval \
  'err_has symmetric && [ -n "$hs_k" ] && ! err_has "$hs_k"'
run jwks ES256.jwk ES256.jwk
check "jwks: duplicate kids are refused" rc_is 1
run jwks missing.jwk
check "jwks: a missing file is a usage error" rc_is 2
run jwks
check "jwks: no key file is a usage error" rc_is 2
printf '{"kty":"oct","alg":"HS256","k":"%s"}\n' "$(b64url_text short-secret-16b)" >weak.jwk
run jwks weak.jwk
check "jwks: a weak HMAC key is refused without printing it" eval \
  'rc_is 1 && err_has weak_key && ! err_has "$(b64url_text short-secret-16b)"'
printf 'not json\n' >garbage.jwk
run jwks garbage.jwk
check "jwks: a malformed key file exits 1" eval 'rc_is 1 && err_has "writ: error: malformed"'

# --- sign and verify round trips -------------------------------------------------------
for alg in $JWS_ALGS; do
  run sign --key "$alg.jwk" --sub alice --claims '{"role":"admin"}'
  token=$OUT
  check "sign: $alg prints one compact token" eval \
    'rc_is 0 && [[ "$token" =~ ^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]]'
  run verify --key "$alg.jwk" "$token"
  check "verify: $alg round trip with the key file" eval \
    'rc_is 0 && [ "$(claim sub)" = alice ] && [ "$(claim role)" = admin ] && [ -z "$ERR" ]'
  check "sign: $alg default ttl is 15 minutes" eval '[ "$(jq ".exp - .iat" "$WORK/out")" = 900 ]'
  if [ "$alg" != "${alg#HS}" ]; then continue; fi
  run verify --jwks "$alg.jwks" "$token"
  check "verify: $alg round trip with the public JWKS" eval 'rc_is 0 && [ "$(claim sub)" = alice ]'
done

run sign --key ES256.jwk --iss https://issuer.example --aud api --sub bob --typ at+jwt --ttl 2h
es_token=$OUT
run verify --key ES256.jwk --iss https://issuer.example --aud api --typ at+jwt "$es_token"
check "verify: --iss --aud --typ that match pass" eval \
  'rc_is 0 && [ "$(claim iss)" = https://issuer.example ] && [ "$(claim aud)" = api ]'
check "sign: --ttl 2h sets exp = iat + 7200" eval '[ "$(jq ".exp - .iat" "$WORK/out")" = 7200 ]'
check "sign: a random jti is set" eval '[ "$(claim jti | wc -c)" -ge 17 ]'
run_stdin "$es_token" verify --key ES256.jwk --iss https://issuer.example --aud api -
check "verify: - reads the token from stdin" eval 'rc_is 0 && [ "$(claim sub)" = bob ]'
run sign --key ES256.jwk --sub x
jti_one=$(payload_claim "$OUT" jti)
run sign --key ES256.jwk --sub x
jti_two=$(payload_claim "$OUT" jti)
check "sign: two tokens get different jti" eval '[ "$jti_one" != "$jti_two" ]'

# --- verify failures -------------------------------------------------------------------
run verify --key ES256.jwk --aud api --typ at+jwt --iss https://other.example "$es_token"
check "verify: wrong --iss is issuer_mismatch" invalid_with "invalid: issuer_mismatch:"
run verify --key ES256.jwk --iss https://issuer.example --aud other "$es_token"
check "verify: wrong --aud is audience_mismatch" invalid_with "invalid: audience_mismatch:"
run verify --key ES256.jwk --iss https://issuer.example "$es_token"
check "verify: aud in the token but no --aud is audience_mismatch (RFC 7519 4.1.3)" \
  invalid_with "invalid: audience_mismatch:"
run verify --key ES256.jwk --iss https://issuer.example --aud api --typ JWT "$es_token"
check "verify: wrong --typ is type_mismatch" invalid_with "invalid: type_mismatch:"

run keygen --alg ES256 --kid kid-ES256 --out other-es256-same-kid.jwk
run sign --key ES256.jwk --sub alice
plain_es_token=$OUT
run verify --key other-es256-same-kid.jwk "$plain_es_token"
check "verify: another key with the same kid is bad_signature" invalid_with "invalid: bad_signature:"
run verify --key ES384.jwk "$plain_es_token"
check "verify: a key with another kid is unknown_kid" invalid_with "invalid: unknown_kid:"
run keygen --alg HS256 --kid kid-ES256 --out hs-with-es-kid.jwk
run verify --key hs-with-es-kid.jwk "$plain_es_token"
check "verify: an HMAC key for an ES256 token is alg_mismatch" invalid_with "invalid: alg_mismatch:"

IFS=. read -r tok_header tok_payload tok_signature <<<"$plain_es_token"
forged_payload=$(b64url_decode "$tok_payload" | jq -c '.sub = "mallory"' | tr -d '\n' | b64url)
run verify --key ES256.jwk "$tok_header.$forged_payload.$tok_signature"
check "verify: tampered payload is bad_signature" invalid_with "invalid: bad_signature:"
run verify --key ES256.jwk "$tok_header.$tok_payload."
check "verify: stripped signature is refused" eval '[ "$RC" -eq 1 ] && [[ "$ERR" == invalid:* ]]'

for none in none None NONE; do
  none_token="$(b64url_text "{\"alg\":\"$none\",\"typ\":\"JWT\"}").$tok_payload."
  run verify --key ES256.jwk "$none_token"
  check "verify: alg $none is unsupported_alg" invalid_with "invalid: unsupported_alg:"
done
jwk_header=$(jq -c '{alg: "ES256", jwk: (. | del(.d))}' ES256.jwk | tr -d '\n')
run verify --key ES256.jwk "$(b64url_text "$jwk_header").$tok_payload.$tok_signature"
check "verify: embedded jwk header is forbidden_header" invalid_with "invalid: forbidden_header:"

run sign --key ES256.jwk --claims '{"exp":1000,"iat":900}'
expired_token=$OUT
check "sign: exp from --claims is kept" eval \
  '[ "$(payload_claim "$expired_token" exp)" = 1000 ]'
run verify --key ES256.jwk "$expired_token"
check "verify: expired token is expired" invalid_with "invalid: expired:"
run verify --key ES256.jwk --leeway 10m "$expired_token"
check "verify: the 10m maximum leeway does not save a long-expired token" \
  invalid_with "invalid: expired:"
# A token expired a few seconds ago passes only with leeway. Its exp is taken from a
# freshly signed token's iat, so the test itself never reads a clock.
run verify --key ES256.jwk "$plain_es_token"
recent_exp=$(( $(claim iat) - 5 ))
run sign --key ES256.jwk --claims "{\"exp\":$recent_exp,\"iat\":$((recent_exp - 60))}"
just_expired=$OUT
run verify --key ES256.jwk "$just_expired"
check "verify: just-expired token fails without leeway" invalid_with "invalid: expired:"
run verify --key ES256.jwk --leeway 5m "$just_expired"
check "verify: just-expired token passes with --leeway 5m" eval \
  'rc_is 0 && [ "$(claim exp)" = "$recent_exp" ]'

run verify --key ES256.jwk "$(b64url_text '{"alg":"ES256","kid":"x\n\u001b[2Jy"}').$tok_payload.$tok_signature"
check "verify: a kid with control characters still gives one clean stderr line" eval \
  'invalid_with "invalid: unknown_kid:" && no_control_bytes err'
run verify --key ES256.jwk "not-a-token"
check "verify: garbage is malformed" invalid_with "invalid: malformed:"
run_stdin "" verify --key ES256.jwk -
check "verify: empty stdin is malformed" invalid_with "invalid: malformed:"
run verify --key ES256.jwk --leeway 11m "$plain_es_token"
check "verify: --leeway over 10m is a usage error" eval 'rc_is 2 && [ -z "$OUT" ]'
run verify --key ES256.jwk --leeway 30 "$plain_es_token"
check "verify: --leeway without a unit is a usage error" rc_is 2
run verify "$plain_es_token"
check "verify: neither --key nor --jwks is a usage error" rc_is 2
run verify --key ES256.jwk --jwks ES256.jwks "$plain_es_token"
check "verify: both --key and --jwks is a usage error" rc_is 2
run verify --key ES256.jwk
check "verify: missing token is a usage error" rc_is 2
run verify --key no-such-file.jwk "$plain_es_token"
check "verify: a missing key file is a usage error" rc_is 2
run verify --key garbage.jwk "$plain_es_token"
check "verify: a malformed key file exits 1" eval 'rc_is 1 && [ -z "$OUT" ]'

# --- sign failures ---------------------------------------------------------------------
run sign --key ES256.jwks --sub x
check "sign: a public key cannot sign" eval 'rc_is 1 && err_has "writ: error:"'
run sign --key ES256.jwk --claims '{"exp":1000}' --ttl 15m
check "sign: --ttl with exp in --claims is a usage error" rc_is 2
run sign --key ES256.jwk --ttl 15
check "sign: --ttl without a unit is a usage error" rc_is 2
run sign --key ES256.jwk --ttl 0s
check "sign: --ttl 0s is a usage error" rc_is 2
run sign --key ES256.jwk --ttl 15w
check "sign: --ttl with an unknown unit is a usage error" rc_is 2
run sign --key ES256.jwk --claims '{"a":1,"a":2}'
check "sign: duplicate claim names are a usage error" rc_is 2
run sign --key ES256.jwk --claims '[1,2]'
check "sign: claims that are not an object are a usage error" rc_is 2
run sign --key ES256.jwk --claims '{"a":1'
check "sign: truncated claims JSON is a usage error" rc_is 2
run sign --claims '{}'
check "sign: missing --key is a usage error" rc_is 2
printf '{"scope":"read write","n":3}\n' >claims.json
run sign --key ES256.jwk --claims @claims.json
run verify --key ES256.jwk "$OUT"
check "sign: --claims @FILE reads the claims from a file" eval \
  'rc_is 0 && [ "$(claim scope)" = "read write" ] && [ "$(claim n)" = 3 ]'
run sign --key ES256.jwk --claims @missing.json
check "sign: --claims @missing-file fails" eval '[ "$RC" -ne 0 ] && [ -z "$OUT" ]'

# --- inspect ---------------------------------------------------------------------------
run inspect "$es_token"
check "inspect: prints the UNVERIFIED banner first" eval \
  'rc_is 0 && head -n 3 "$WORK/out" | grep -qF "UNVERIFIED — signature NOT checked; do not trust these claims"'
check "inspect: shows header and payload" eval 'out_has "\"alg\": \"ES256\"" && out_has "\"sub\": \"bob\""'
run_stdin "$es_token" inspect -
check "inspect: - reads the token from stdin" eval 'rc_is 0 && out_has UNVERIFIED && out_has "\"sub\": \"bob\""'
run inspect "$expired_token"
check "inspect: warns about an expired token" eval 'rc_is 0 && out_has "expired"'
run inspect "$(b64url_text '{"alg":"none"}').$(b64url_text '{"sub":"x"}').$tok_signature"
check "inspect: warns about alg none" eval 'rc_is 0 && out_has "critical: alg_none:"'
check "inspect: warns about a missing exp" out_has "warning: missing_exp:"
run inspect "$(b64url_text "$jwk_header").$tok_payload.$tok_signature"
check "inspect: warns about an embedded jwk" out_has "critical: key_in_header:"
run inspect "$(b64url_text '{"alg":"RS256","jku":"https://evil.example/jwks"}').$tok_payload.$tok_signature"
check "inspect: warns about jku" out_has "critical: key_in_header:"
run inspect "a.b"
check "inspect: a malformed token exits 1" eval 'rc_is 1 && err_has "writ: error:"'
run inspect
check "inspect: missing token is a usage error" rc_is 2

# --- audit -----------------------------------------------------------------------------
weak_secret="your-256-bit-secret-your-256-bit"
printf '{"kty":"oct","alg":"HS256","kid":"weak","k":"%s"}\n' "$(b64url_text "$weak_secret")" >weak-hs256.jwk
printf 'hunter2\ncorrect horse battery staple\r\n%s\nzzz\n' "$weak_secret" >wordlist.txt
run sign --key weak-hs256.jwk --sub alice
weak_token=$OUT
run audit --wordlist wordlist.txt "$weak_token"
check "audit: finds an HMAC secret from --wordlist" eval \
  'rc_is 1 && out_has "critical: weak_hmac_secret:" && out_has "line 3 of wordlist.txt"'
check "audit: never prints the secret it found" eval \
  'out_has weak_hmac_secret && ! out_has "$weak_secret"'
run audit "$weak_token"
check "audit: a secret in no list is reported as not guessed (info, exit 0)" eval \
  'rc_is 0 && out_has "info: hmac_secret_not_guessed:" && ! out_has weak_hmac_secret'
run_stdin "$weak_token" audit --wordlist wordlist.txt -
check "audit: - reads the token from stdin" eval 'rc_is 1 && out_has "weak_hmac_secret"'

exp_soon='{"sub":"x","iat":2000000000,"exp":2000000600}'
for secret in secret your-256-bit-secret changeme a-string-secret-at-least-256-bits-long; do
  run audit --now 2000000000 "$(hs256_token '{"alg":"HS256","typ":"JWT"}' "$exp_soon" "$secret")"
  check "audit: built-in list finds the secret '$secret'" eval \
    'rc_is 1 && out_has "critical: weak_hmac_secret:" && out_has "built-in list"'
done
run audit --now 2000000000 "$(hs256_token '{"alg":"HS256"}' "$exp_soon" "Xq3-not-in-any-list-7Hd9pQ2vLk8s")"
check "audit: a clean HS256 token exits 0" eval \
  'rc_is 0 && no_warnings && out_has hmac_secret_not_guessed'
run audit "$(hs256_token '{"alg":"HS256"}' '{"sub":"x"}' "Xq3-not-in-any-list-7Hd9pQ2vLk8s")"
check "audit: missing exp is a warning" eval 'rc_is 1 && out_has "warning: missing_exp:"'

run sign --key ES256.jwk --ttl 2h --sub x
run audit "$OUT"
check "audit: lifetime over 1 hour is flagged" eval 'rc_is 1 && out_has "warning: long_lifetime:"'
run sign --key ES256.jwk --ttl 1h --sub x
run audit "$OUT"
check "audit: lifetime of exactly 1 hour is not flagged" eval \
  'rc_is 0 && out_has "no findings" && ! out_has long_lifetime'
run sign --key ES256.jwk --sub x
run audit "$OUT"
check "audit: a well-made ES256 token exits 0" eval 'rc_is 0 && no_warnings && out_has "no findings"'

run sign --key ES256.jwk --claims '{"password":"hunter2","user":{"ssn":"078-05-1120"},"classname":"c"}'
run audit "$OUT"
check "audit: sensitive claim names are flagged" eval \
  'rc_is 1 && out_has "claim \"password\"" && out_has "claim \"user.ssn\""'
check "audit: harmless names containing ssn letters are not flagged" eval \
  'out_has sensitive_claim && ! out_has classname'
run sign --key ES256.jwk --claims '{"pay":{"number":"4111 1111 1111 1111"},"n":4012888888881881}'
run audit "$OUT"
check "audit: card numbers passing Luhn are flagged (string and number)" eval \
  'rc_is 1 && [ "$(grep -c "warning: card_number:" "$WORK/out")" = 2 ]'
check "audit: a card number is not printed in full" eval \
  'out_has "ending 1111" && ! out_has "4111 1111 1111 1111"'
run sign --key ES256.jwk --claims '{"ref":"4111111111111112"}'
run audit "$OUT"
check "audit: a number failing Luhn is not a card number" eval \
  'rc_is 0 && out_has "no findings" && ! out_has card_number'

big=$(head -c 4000 /dev/zero | tr '\0' 'a')
run sign --key ES256.jwk --claims "{\"blob\":\"$big\"}"
run audit "$OUT"
check "audit: a token over 4096 bytes is flagged" eval 'rc_is 1 && out_has "warning: too_large_for_cookie:"'
run sign --key ES256.jwk --claims "{\"blob\":\"${big:0:2000}\"}"
run audit "$OUT"
check "audit: a token under 4096 bytes is not flagged for size" eval \
  'rc_is 0 && out_has "no findings" && ! out_has too_large'

run audit --now 2000000000 "$(b64url_text '{"alg":"none"}').$(b64url_text "$exp_soon")."
check "audit: alg none is critical" eval 'rc_is 1 && out_has "critical: alg_none:"'
run audit --now 2000000000 "$(b64url_text "$jwk_header").$(b64url_text "$exp_soon").$tok_signature"
check "audit: an embedded jwk header is critical" eval 'rc_is 1 && out_has "critical: key_in_header:"'
run audit --now 2000000000 "$(b64url_text '{"alg":"RS256","x5u":"https://evil.example/c"}').$(b64url_text "$exp_soon").$tok_signature"
check "audit: an x5u header is critical" eval 'rc_is 1 && out_has "critical: key_in_header:"'

esc_claims='{"\u001b]0;pwned\u0007password":"x","iat":2000000000,"exp":2000000600}'
run audit --now 2000000000 "$(hs256_token '{"alg":"HS256"}' "$esc_claims" Xq3-not-in-any-list-7Hd9pQ2vLk8s)"
check "audit: control characters in claim names are not printed raw" eval \
  'rc_is 1 && out_has sensitive_claim && no_control_bytes out'
run inspect "$(hs256_token '{"alg":"HS256"}' "$esc_claims" Xq3-not-in-any-list-7Hd9pQ2vLk8s)"
check "inspect: control characters stay escaped" eval \
  'rc_is 0 && out_has UNVERIFIED && out_has "\\u001b" && no_control_bytes out'

run audit --now 1001 "$expired_token"
check "audit: --now after exp reports expired (info)" eval 'rc_is 0 && out_has "info: expired:"'
run audit --now 999 "$expired_token"
check "audit: --now before exp does not report expired" eval \
  'rc_is 0 && out_has "no findings" && ! out_has expired'
run audit --now 1000 "$expired_token"
check "audit: exp == now is expired (RFC 7519 4.1.4)" out_has "info: expired:"

run audit
check "audit: missing token is a usage error" rc_is 2
run audit --wordlist missing.txt "$weak_token"
check "audit: a missing wordlist is a usage error" rc_is 2
run audit --now soon "$weak_token"
check "audit: a non-numeric --now is a usage error" rc_is 2
run audit "x.y.z"
check "audit: a malformed token exits 1" eval 'rc_is 1 && err_has "writ: error:"'

# --- PASETO: keygen, keys, sign, verify, inspect (PASERK key files) --------------------
PASETO_ALGS="v4.local v4.public v3.local v3.public"
declare -A PASERK_SECRET=([v4.local]=k4.local [v4.public]=k4.secret [v3.local]=k3.local [v3.public]=k3.secret)
# Unpadded base64url lengths of 32, 64, 32 and 48 key bytes.
declare -A PASERK_LEN=([v4.local]=43 [v4.public]=86 [v3.local]=43 [v3.public]=64)
# paseto_footer TOKEN: the decoded fourth part of a PASETO token (unverified).
paseto_footer() { b64url_decode "$(printf '%s' "$1" | cut -d. -f4)"; }
# A verified PASETO token's lifetime in seconds, from verify's stdout (RFC 3339 times).
paseto_lifetime() { jq '(.exp | fromdateiso8601) - (.iat | fromdateiso8601)' "$WORK/out"; }
# Another token: the claims of the first with the footer (fourth part) replaced.
with_footer() { printf '%s.%s' "$(printf '%s' "$1" | cut -d. -f1-3)" "$(b64url_text "$2")"; }

for alg in $PASETO_ALGS; do
  run keygen --alg "$alg"
  check "keygen: $alg prints one ${PASERK_SECRET[$alg]} PASERK" eval \
    'rc_is 0 && [[ "$OUT" =~ ^${PASERK_SECRET[$alg]//./\\.}\.[A-Za-z0-9_-]{${PASERK_LEN[$alg]}}$ ]]'
  run keygen --alg "$alg" --out "$alg.paserk"
  check "keygen: $alg --out writes a 0600 file, nothing on stdout" eval \
    'rc_is 0 && [ -z "$OUT" ] && [ "$(stat -c %a "$alg.paserk")" = 600 ] && [ "$(wc -l <"$alg.paserk")" = 1 ]'
  check "keygen: $alg --out names the PASERK id, never the key" eval \
    'err_has "$alg key k${alg:1:1}." && ! err_has "$(cat "$alg.paserk")"'
  run keygen --alg "$alg" --out "other-$alg.paserk"
  check "keygen: two $alg keys differ" eval '! cmp -s "$alg.paserk" "other-$alg.paserk"'
done
run keygen --alg v4.local --kid mine
check "keygen: --kid with a PASETO key is a usage error" eval 'rc_is 2 && err_has "PASERK id"'
cp v4.local.paserk v4.local.before
run keygen --alg v4.local --out v4.local.paserk
check "keygen: a PASERK --out never overwrites" eval 'rc_is 1 && cmp -s v4.local.paserk v4.local.before'
run keygen --alg v5.local
check "keygen: v5.local is an unknown algorithm" eval 'rc_is 2 && err_has "unknown algorithm"'

# keys public / keys id.
for v in 4 3; do
  run keys public "v$v.public.paserk"
  printf '%s\n' "$OUT" >"v$v.pub.paserk"
  check "keys public: k$v.secret gives its k$v.public" eval \
    'rc_is 0 && [[ "$OUT" =~ ^k$v\.public\.[A-Za-z0-9_-]+$ ]] && [ "$(wc -l <"$WORK/out")" = 1 ]'
  run keys public "v$v.local.paserk"
  check "keys public: a k$v.local key has no public half" eval 'rc_is 1 && [ -z "$OUT" ] && err_has "no public half"'
done
v4_secret=$(cut -d. -f3 v4.public.paserk)
run keys public v4.public.paserk
check "keys public: k4.public is the second half of the k4.secret bytes" eval \
  '[ "$OUT" = "k4.public.$(b64url_decode "$v4_secret" | tail -c 32 | b64url)" ]'
run keys id v4.local.paserk v4.public.paserk v4.pub.paserk v3.local.paserk v3.public.paserk v3.pub.paserk
check "keys id: lid for local keys, sid and pid for secret keys, pid for public keys" eval \
  'rc_is 0 && [ "$(wc -l <"$WORK/out")" = 8 ] &&
   grep -qE "^v4.local.paserk: lid k4\.lid\.[A-Za-z0-9_-]{44}$" "$WORK/out" &&
   grep -qE "^v4.public.paserk: sid k4\.sid\.[A-Za-z0-9_-]{44}$" "$WORK/out" &&
   grep -qE "^v4.public.paserk: pid k4\.pid\.[A-Za-z0-9_-]{44}$" "$WORK/out" &&
   grep -qE "^v3.local.paserk: lid k3\.lid\.[A-Za-z0-9_-]{44}$" "$WORK/out" &&
   grep -qE "^v3.public.paserk: sid k3\.sid\." "$WORK/out" &&
   grep -qE "^v3.pub.paserk: pid k3\.pid\." "$WORK/out"'
check "keys id: a secret key and its public key have the same pid" eval \
  '[ "$(grep "^v4.public.paserk: pid" "$WORK/out" | cut -d" " -f3)" = "$(grep "^v4.pub.paserk: pid" "$WORK/out" | cut -d" " -f3)" ] &&
   [ "$(grep "^v3.public.paserk: pid" "$WORK/out" | cut -d" " -f3)" = "$(grep "^v3.pub.paserk: pid" "$WORK/out" | cut -d" " -f3)" ]'
check "keys id: never prints key material" eval \
  '! grep -qE "k[34]\.(local|secret|public)\." "$WORK/out"'
v4_pid=$(grep "^v4.public.paserk: pid" "$WORK/out" | cut -d" " -f3)
v4_lid=$(grep "^v4.local.paserk: lid" "$WORK/out" | cut -d" " -f3)
run keys id ed.jwk
ed_thumbprint=$(jq -cj '{crv, kty, x}' ed.jwk | openssl dgst -sha256 -binary | b64url)
check "keys id: a JWK gives its kid and RFC 7638 thumbprint" eval \
  'rc_is 0 && out_has "ed.jwk: kid $(jq -r .kid ed.jwk)" && out_has "ed.jwk: thumbprint $ed_thumbprint"'
run keys id ES256.jwks
check "keys id: a JWK Set lists each key" eval 'rc_is 0 && out_has "ES256.jwks: kid kid-ES256"'
printf 'k4.lid.%s\n' "${v4_lid#k4.lid.}" >an-id.paserk
run keys id garbage.jwk
check "keys id: an unreadable key file exits 1" eval 'rc_is 1 && err_has "writ: error:"'
run keys
check "keys: no subcommand is a usage error" rc_is 2

run jwks v4.public.paserk
check "jwks: a PASERK file is refused and points to writ keys id" eval \
  'rc_is 1 && err_has "not a JWK" && err_has "writ keys id" && [ -z "$OUT" ]'

# Round trips for every version and purpose, with the secret key and (public) its k*.public.
declare -A PASETO_TOKEN
for alg in $PASETO_ALGS; do
  run sign --key "$alg.paserk" --sub alice --iss https://issuer.example --aud api --claims '{"role":"admin"}'
  token=$OUT
  PASETO_TOKEN[$alg]=$token
  check "sign: $alg makes a $alg token with a footer" eval \
    'rc_is 0 && [[ "$token" =~ ^${alg//./\\.}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$ ]]'
  run verify --key "$alg.paserk" --iss https://issuer.example --aud api "$token"
  check "verify: $alg round trip" eval \
    'rc_is 0 && [ "$(claim sub)" = alice ] && [ "$(claim role)" = admin ] && [ -z "$ERR" ]'
  check "sign: $alg exp and iat are RFC 3339 strings" eval \
    'jq_quiet "(.exp | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$\")) and (.iat | type == \"string\")" "$WORK/out"'
  check "sign: $alg default lifetime is 1 hour" eval '[ "$(paseto_lifetime)" = 3600 ]'
  check "sign: $alg sets a random jti" eval '[ "$(claim jti | wc -c)" -ge 17 ]'
  run verify --key "other-$alg.paserk" --iss https://issuer.example --aud api "$token"
  check "verify: $alg token with another key of the same type is unknown_kid" \
    invalid_with "invalid: unknown_kid:"
  run verify --key "$alg.paserk" --iss https://other.example --aud api "$token"
  check "verify: $alg wrong --iss is issuer_mismatch" invalid_with "invalid: issuer_mismatch:"
  run verify --key "$alg.paserk" --iss https://issuer.example "$token"
  check "verify: $alg aud without --aud is audience_mismatch" invalid_with "invalid: audience_mismatch:"
  # Strip the footer (and its kid): the other key is now the only candidate, and fails.
  run verify --key "other-$alg.paserk" --iss https://issuer.example --aud api "$(printf '%s' "$token" | cut -d. -f1-3)"
  check "verify: $alg token without kid under a wrong key is bad_signature" \
    invalid_with "invalid: bad_signature:"
  run verify --key "$alg.paserk" --iss https://issuer.example --aud api "$(printf '%s' "$token" | cut -d. -f1-3)"
  check "verify: $alg token with its footer removed is bad_signature" invalid_with "invalid: bad_signature:"
  forged_footer=$(paseto_footer "$token" | jq -c '.extra = 1' | tr -d '\n')
  run verify --key "$alg.paserk" --iss https://issuer.example --aud api "$(with_footer "$token" "$forged_footer")"
  check "verify: $alg tampered footer (same kid) is bad_signature" invalid_with "invalid: bad_signature:"
  body=$(printf '%s' "$token" | cut -d. -f3)
  run verify --key "$alg.paserk" --iss https://issuer.example --aud api \
    "${alg}.${body:0:$((${#body} - 8))}.$(printf '%s' "$token" | cut -d. -f4)"
  check "verify: $alg truncated body is refused" eval \
    '[ "$RC" -eq 1 ] && [[ "$ERR" == invalid:* ]] && [ -z "$OUT" ]'
done
for v in 4 3; do
  token=${PASETO_TOKEN[v$v.public]}
  run verify --key "v$v.pub.paserk" --iss https://issuer.example --aud api "$token"
  check "verify: v$v.public round trip with the k$v.public key" eval 'rc_is 0 && [ "$(claim sub)" = alice ]'
  check "sign: v$v.public footer kid is the key's pid" eval \
    '[ "$(paseto_footer "$token" | jq -r .kid)" = "$(grep -o "k$v\.pid\.[A-Za-z0-9_-]*" <<<"$("$WRIT" keys id "v$v.pub.paserk")")" ]'
  run sign --key "v$v.pub.paserk" --sub x
  check "sign: a k$v.public key cannot sign" eval 'rc_is 1 && err_has "only verifies" && [ -z "$OUT" ]'
done
check "sign: v4.local footer kid is the key's lid" eval \
  '[ "$(paseto_footer "${PASETO_TOKEN[v4.local]}" | jq -r .kid)" = "$v4_lid" ]'
check "sign: v4.public footer kid matches keys id" eval \
  '[ "$(paseto_footer "${PASETO_TOKEN[v4.public]}" | jq -r .kid)" = "$v4_pid" ]'

# Version and purpose confusion: the key decides, never the token.
confusion() {  # confusion KEY_ALG TOKEN_ALG NAME
  key_alg=$1 token_alg=$2
  run verify --key "$key_alg.paserk" --iss https://issuer.example --aud api "${PASETO_TOKEN[$token_alg]}"
  check "verify: $3: a $token_alg token under a $key_alg key is refused" eval \
    'invalid_with "invalid: malformed:" && err_has "for $key_alg tokens only" && err_has "this is a $token_alg token"'
}
confusion v4.local v3.local "version confusion"
confusion v3.local v4.local "version confusion"
confusion v4.public v3.public "version confusion"
confusion v3.public v4.public "version confusion"
confusion v4.local v4.public "purpose confusion"
confusion v4.public v4.local "purpose confusion"
confusion v3.local v3.public "purpose confusion"
confusion v3.public v3.local "purpose confusion"
# The header rewritten to match the key: the cryptography still refuses it.
v4pub_rest=${PASETO_TOKEN[v4.public]#v4.public.}
run verify --key v4.local.paserk "v4.local.$v4pub_rest"
check "verify: a v4.public token relabelled v4.local is refused" eval \
  '[ "$RC" -eq 1 ] && [[ "$ERR" == invalid:* ]] && [ -z "$OUT" ]'
run verify --key v4.public.paserk "$es_token"
check "verify: a JWS under a PASERK key is refused with a clear message" eval \
  'invalid_with "invalid: malformed:" && err_has "not a PASETO token"'
run verify --key ES256.jwk "${PASETO_TOKEN[v4.public]}"
check "verify: a PASETO token under a JWK is malformed" invalid_with "invalid: malformed:"

# --footer and --implicit.
for alg in $PASETO_ALGS; do
  run sign --key "$alg.paserk" --sub carol --footer '{"app":"billing","n":[1,2]}' --implicit tenant-42
  token=$OUT
  check "sign: $alg --footer keeps the user's members and adds the kid" eval \
    'rc_is 0 && [ "$(paseto_footer "$token" | jq -c "{app, n, kid_ok: (.kid | startswith(\"k${alg:1:1}.\"))}")" = "{\"app\":\"billing\",\"n\":[1,2],\"kid_ok\":true}" ]'
  run verify --key "$alg.paserk" --implicit tenant-42 "$token"
  check "verify: $alg with --footer and the same --implicit passes" eval 'rc_is 0 && [ "$(claim sub)" = carol ]'
  run verify --key "$alg.paserk" --implicit tenant-43 "$token"
  check "verify: $alg with another --implicit is bad_signature" invalid_with "invalid: bad_signature:"
  run verify --key "$alg.paserk" "$token"
  check "verify: $alg without its --implicit is bad_signature" invalid_with "invalid: bad_signature:"
  run verify --key "$alg.paserk" --implicit tenant-42 \
    "$(with_footer "$token" "$(paseto_footer "$token" | jq -c '.app = "admin"' | tr -d '\n')")"
  check "verify: $alg tampered --footer member is bad_signature" invalid_with "invalid: bad_signature:"
done
run sign --key v4.local.paserk --footer '{"kid":"k4.lid.AAAA"}'
check "sign: --footer may not set kid" eval 'rc_is 2 && err_has "kid" && [ -z "$OUT" ]'
v4_local_key=$(cat v4.local.paserk)
run sign --key v4.public.paserk --footer "{\"backup\":\"$v4_local_key\"}"
check "sign: --footer with a PASERK key in it is refused" eval \
  'rc_is 2 && err_has "key material" && [ -z "$OUT" ] && ! err_has "$v4_local_key"'
run sign --key v4.public.paserk --footer '{"x":"k4\u002esecret.AAAA"}'
check "sign: --footer with an escaped PASERK key is refused" eval 'rc_is 2 && err_has "key material"'
run sign --key v4.public.paserk --footer '{"k3.local.AAAA":1}'
check "sign: --footer with a PASERK key as a member name is refused" eval 'rc_is 2 && err_has "key material"'
run sign --key v4.public.paserk --footer '{"a":1,"a":2}'
check "sign: --footer with duplicate members is a usage error" rc_is 2
run sign --key v4.public.paserk --footer '"text"'
check "sign: --footer that is not an object is a usage error" rc_is 2
run sign --key v4.public.paserk --footer "{\"x\":\"$(head -c 3000 /dev/zero | tr '\0' a)\"}"
check "sign: --footer over 2048 bytes is a usage error" rc_is 2
run sign --key ES256.jwk --footer '{"a":1}'
check "sign: --footer with a JWK key is a usage error" eval 'rc_is 2 && err_has "PASETO"'
run sign --key ES256.jwk --implicit x
check "sign: --implicit with a JWK key is a usage error" rc_is 2
run verify --key ES256.jwk --implicit x "$plain_es_token"
check "verify: --implicit with a JWK key is a usage error" rc_is 2
run verify --key v4.local.paserk --typ JWT "${PASETO_TOKEN[v4.local]}"
check "verify: --typ with a PASERK key is a usage error" rc_is 2
run sign --key v4.local.paserk --typ at+jwt
check "sign: --typ with a PASERK key is a usage error" rc_is 2
run verify --jwks v4.public.paserk "${PASETO_TOKEN[v4.public]}"
check "verify: a PASERK file as --jwks is a usage error" eval 'rc_is 2 && err_has "--key"'
run verify --key an-id.paserk "${PASETO_TOKEN[v4.local]}"
check "verify: a PASERK id is not a key" eval 'rc_is 1 && err_has "key id, not a key"'
printf 'k4.local-pw.AAAA\n' >wrapped.paserk
run verify --key wrapped.paserk "${PASETO_TOKEN[v4.local]}"
check "verify: a wrapped PASERK must be unwrapped first" eval 'rc_is 1 && err_has "unwrapped first"'
printf 'k4.local.AAAA\n' >short.paserk
run verify --key short.paserk "${PASETO_TOKEN[v4.local]}"
check "verify: a PASERK key of the wrong length is refused" eval 'rc_is 1 && err_has "writ: error:"'

# Times: RFC 3339 claims, expiry, --ttl.
for alg in v4.local v3.public; do
  run sign --key "$alg.paserk" --claims '{"exp":"2000-01-01T00:00:00Z","iat":"1999-12-31T23:00:00Z"}'
  expired_paseto=$OUT
  run verify --key "$alg.paserk" "$expired_paseto"
  check "verify: $alg expired token is expired" invalid_with "invalid: expired:"
  run verify --key "$alg.paserk" --leeway 10m "$expired_paseto"
  check "verify: $alg long-expired token fails even with 10m leeway" invalid_with "invalid: expired:"
done
run inspect "$expired_paseto"
check "inspect: warns about an expired PASETO token" eval 'rc_is 0 && out_has "info: expired:"'
run sign --key v4.public.paserk --claims '{"exp":4102444800}'
check "sign: a numeric exp for PASETO is a usage error naming RFC 3339" eval 'rc_is 2 && err_has "RFC 3339"'
run sign --key v4.public.paserk --ttl 2h --sub x
run verify --key v4.public.paserk "$OUT"
check "sign: PASETO --ttl 2h sets exp = iat + 2h" eval 'rc_is 0 && [ "$(paseto_lifetime)" = 7200 ]'
run sign --key v4.public.paserk --claims '{"exp":"2100-01-01T00:00:00Z"}' --ttl 1h
check "sign: PASETO --ttl with exp in --claims is a usage error" rc_is 2
run_stdin "${PASETO_TOKEN[v3.local]}" verify --key v3.local.paserk --iss https://issuer.example --aud api -
check "verify: a PASETO token from stdin" eval 'rc_is 0 && [ "$(claim sub)" = alice ]'

# inspect.
run inspect "${PASETO_TOKEN[v4.public]}"
check "inspect: v4.public shows version, purpose, payload and footer under the banner" eval \
  'rc_is 0 && head -n 3 "$WORK/out" | grep -qF "UNVERIFIED" && out_has "PASETO version: v4" &&
   out_has "purpose: public" && out_has "\"sub\": \"alice\"" && out_has "\"kid\": \"$v4_pid\""'
run inspect "${PASETO_TOKEN[v3.public]}"
check "inspect: v3.public payload is shown" eval 'rc_is 0 && out_has "PASETO version: v3" && out_has "\"sub\": \"alice\""'
run inspect "${PASETO_TOKEN[v4.local]}"
check "inspect: v4.local says the payload is encrypted and does not show it" eval \
  'rc_is 0 && out_has UNVERIFIED && out_has "encrypted" && out_has "\"kid\": \"$v4_lid\"" && ! out_has alice'
run inspect "$(with_footer "${PASETO_TOKEN[v4.public]}" "{\"kid\":\"$v4_local_key\"}")"
check "inspect: a footer with key material is critical" eval 'rc_is 0 && out_has "critical: key_in_footer:"'
run inspect "v4.public.%%%"
check "inspect: a PASETO token with a bad body exits 1" eval 'rc_is 1 && err_has "writ: error:"'
run inspect "v2.public.AAAA"
check "inspect: v2 tokens are not read" eval 'rc_is 1 && err_has "v4 and v3"'

# --- keys init, list, rotate, retire: signing key set files -----------------------------
# kid_of STATE: the kid printed after STATE ("active", "next", ...) on the captured stdout.
kid_of() { awk -v state="$1" '$1 == state { print $2 }' "$WORK/out"; }
mode_600() { [ "$(stat -c %a "$1")" = 600 ]; }
# shift_times FILE SECONDS: every time in FILE's writ_rotation moved SECONDS into the past
# (the file keeps its mode), so that no test has to wait for prepublish.
shift_times() {
  jq --argjson by "$2" '.writ_rotation.keys |= map(with_entries(
      if (.key | IN("created", "activated", "retired")) then .value -= $by else . end))' \
    "$1" >"$1.shifted" && cat "$1.shifted" >"$1" && rm -f "$1.shifted"
}
run keys init ring.json --environment staging
active_kid=$(kid_of active)
next_kid=$(kid_of next)
check "keys init: prints the active and next kids" eval \
  'rc_is 0 && [[ "$active_kid" =~ ^staging-[0-9]{8}-[0-9a-f]{8}$ ]] &&
   [[ "$next_kid" =~ ^staging-[0-9]{8}-[0-9a-f]{8}$ ]] && [ "$active_kid" != "$next_kid" ]'
check "keys init: the file has mode 0600" mode_600 ring.json
check "keys init: a JWK Set with the active key first and writ_rotation metadata" jq_quiet \
  "(.keys | length == 2) and .keys[0].kid == \"$active_kid\" and .keys[0].alg == \"EdDSA\"
   and .writ_rotation.version == 1 and .writ_rotation.prepublish == 3600" ring.json
run sign --key ring.json --sub alice
ring_token=$OUT
check "sign: a managed key set signs with its active key" eval \
  'rc_is 0 && [ "$(b64url_decode "$(printf %s "$ring_token" | cut -d. -f1)" | jq -r .kid)" = "$active_kid" ]'
(umask 000 && "$WRIT" keys init loose-umask.json --environment development >/dev/null 2>&1)
check "keys init: the file is 0600 even with umask 000" mode_600 loose-umask.json
run keys list ring.json
check "keys list: one line each for the active and the next key, with times" eval \
  'rc_is 0 && [ "$(wc -l <"$WORK/out")" -eq 2 ] &&
   grep -qE "^$active_kid EdDSA active created=[0-9T:-]+Z activated=[0-9T:-]+Z$" "$WORK/out" &&
   grep -qE "^$next_kid EdDSA next created=[0-9T:-]+Z may_sign_from=[0-9T:-]+Z$" "$WORK/out"'
cp ring.json ring.before
run keys init ring.json --environment staging
check "keys init: refuses an existing file" eval \
  'rc_is 1 && err_has "already exists" && cmp -s ring.json ring.before'
run keys init other.json --environment prod
check "keys init: an unknown environment is a usage error" eval 'rc_is 2 && [ ! -e other.json ]'
run keys init other.json --environment staging --alg none
check "keys init: alg none is a usage error" eval 'rc_is 2 && [ ! -e other.json ]'
run keys init other.json --environment staging --prepublish 30s
check "keys init: a prepublish under 1m is a usage error" eval 'rc_is 2 && [ ! -e other.json ]'

run keys rotate ring.json
check "keys rotate: refused before the next key has been published for prepublish" eval \
  'rc_is 1 && err_has "may sign from" && cmp -s ring.json ring.before'
run keys rotate ring.json --if-older-than 1h
check "keys rotate --if-older-than: a young active key is not due (exit 0, file unchanged)" eval \
  'rc_is 0 && out_has "not due" && cmp -s ring.json ring.before'
run keys rotate ring.json --if-older-than soon
check "keys rotate: a bad --if-older-than is a usage error" rc_is 2
run keys rotate ring.json --force
check "keys rotate --force: the next key becomes active and the active key retired" eval \
  'rc_is 0 && out_has "active $next_kid" && out_has "retired $active_kid" && err_has SIGHUP'
third_kid=$(kid_of next)
check "keys rotate: the file stays mode 0600, no temporary file is left" eval \
  'mode_600 ring.json && ! ls -A | grep -q "\.writ-"'
check "keys rotate: the new active key is the first JWK" jq_quiet ".keys[0].kid == \"$next_kid\"" ring.json
run keys list ring.json
check "keys list: the old active key is retired and still listed" eval \
  'rc_is 0 && [ "$(wc -l <"$WORK/out")" -eq 3 ] && out_has "$next_kid EdDSA active" &&
   out_has "$third_kid EdDSA next" && grep -qE "^$active_kid EdDSA retired .* retired=" "$WORK/out"'
shift_times ring.json 7200
run keys rotate ring.json --if-older-than 1h
check "keys rotate --if-older-than: due once the active key is old and the next key published" eval \
  'rc_is 0 && out_has "active $third_kid" && out_has "retired $next_kid"'
fourth_kid=$(kid_of next)

run keys retire ring.json --kid "$third_kid"
check "keys retire --kid: the active key is refused" eval 'rc_is 1 && err_has "active key"'
run keys retire ring.json --kid staging-20000101-00000000
check "keys retire --kid: an unknown kid is refused" eval 'rc_is 1 && err_has "no key"'
run keys retire ring.json --kid "$active_kid" --after 1h
check "keys retire: --kid with --after is a usage error" rc_is 2
run keys retire ring.json
check "keys retire: keys retired under 24h ago are kept" eval 'rc_is 0 && out_has "nothing to remove"'
run keys retire ring.json --after 0s
check "keys retire --after 0s: removes every retired key" eval \
  'rc_is 0 && out_has "removed $active_kid" && out_has "removed $next_kid" && mode_600 ring.json'
run keys list ring.json
check "keys retire: only the active and next keys are left" eval \
  'rc_is 0 && [ "$(wc -l <"$WORK/out")" -eq 2 ] && out_has "$third_kid EdDSA active" &&
   out_has "$fourth_kid EdDSA next"'
run keys retire ring.json --kid "$fourth_kid"
check "keys retire --kid: a leaked next key is removed and replaced by a new one" eval \
  'rc_is 0 && out_has "removed $fourth_kid" && [ -n "$(kid_of next)" ] && [ "$(kid_of next)" != "$fourth_kid" ]'

run jwks ring.json
check "jwks: a key set file publishes the public halves of its keys" eval \
  'rc_is 0 && jq_quiet "(.keys | length == 2) and .keys[0].kid == \"$third_kid\" and ($no_private_members)" "$WORK/out"'
jq '.keys[0]' ring.json >ring-active.jwk
run sign --key ring-active.jwk --sub alice
run verify --key ring.json "$OUT"
check "verify: a key set file verifies tokens of its active key" eval 'rc_is 0 && [ "$(claim sub)" = alice ]'
jq '.writ_rotation.keys[1].state = "active"' ring.json >two-active.json
run keys list two-active.json
check "keys list: a set with two active keys is refused" eval \
  'rc_is 1 && err_has "exactly one key must be active"'
jq '.writ_rotation.version = 2' ring.json >version-2.json
run keys rotate version-2.json --force
check "keys rotate: an unknown writ_rotation version is refused, the file unchanged" eval \
  'rc_is 1 && err_has "version 2" && jq_quiet ".writ_rotation.version == 2" version-2.json'
run keys list ed.jwk
check "keys list: a plain JWK from keygen is one active key of unknown age" eval \
  'rc_is 0 && out_has "EdDSA active created=unknown"'
run keys list ES256.jwks
check "keys list: a public JWK Set is refused" eval 'rc_is 1 && err_has "no private part"'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
