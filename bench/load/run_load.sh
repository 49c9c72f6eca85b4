#!/usr/bin/env bash
# Load benchmark of `writ serve` (issue 4): wrk against GET /auth/session with a valid
# access cookie and against POST /auth/login, next to two references measured in the same
# run — the raw Ed25519 verify and Argon2id rates on 2 threads (bench/server_refs_bench.cc)
# and nginx answering a static 200 on loopback under the same wrk settings (the ceiling of
# any HTTP server here). Prints a Markdown table for docs/BENCHMARKS.md and RSS before/after.
#
#   bench/load/run_load.sh [BUILD_DIR] [DURATION=30s] [CONNECTIONS=64]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench}"
duration="${2:-30s}"
connections="${3:-64}"
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "run_load: $tool missing (scripts/setup.sh)" >&2; exit 1; }
done

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWRIT_BUILD_BENCH=ON \
  -DWRIT_BUILD_TESTS=OFF -DWRIT_BUILD_FUZZ=OFF -DWRIT_SANITIZE=OFF -DWRIT_WERROR=OFF >/dev/null
ninja -C "$build" writ_cli server_refs_bench >/dev/null
writ="$build/src/cli/writ"

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# --- writ serve, configured like production but with throttling out of the way ---
"$writ" keygen --alg EdDSA --out "$work/signing.jwk"
cat >"$work/writ.toml" <<TOML
environment = "staging"
listen = "127.0.0.1:0"
allowed_origins = ["http://127.0.0.1"]
store = "sqlite:$work/writ.db"
threads = 2
hash_threads = 2
[tokens]
issuer = "https://auth.bench"
audience = "app"
signing_keys = "file:$work/signing.jwk"
[secrets]
refresh_hash_key = "env:BENCH_REFRESH_KEY"
csrf_key = "env:BENCH_CSRF_KEY"
[accounts]
signup = true
[throttle]
ip_rate_per_second = 1000000.0
ip_burst = 1000000
[audit]
sink = "none"
TOML
export BENCH_REFRESH_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_CSRF_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
"$writ" serve --config "$work/writ.toml" 2>"$work/serve.log" &
writ_pid=$!
pids+=("$writ_pid")
for _ in $(seq 100); do grep -q "listening on" "$work/serve.log" && break; sleep 0.1; done
base=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/serve.log")
[[ -n $base ]] || { cat "$work/serve.log" >&2; exit 1; }
curl -sS -o /dev/null -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"a benchmark passphrase"}' "$base/auth/signup"
cookie=$(curl -sS -o /dev/null -D - -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"a benchmark passphrase"}' "$base/auth/login" |
  sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-writ-access=[^;]*\).*/\1/p' | tr -d '\r')
[[ -n $cookie ]] || { echo "run_load: login failed" >&2; exit 1; }

# --- nginx answering a static 200, same machine, same wrk settings ---
mkdir -p "$work/nginx"
nginx_port=$((20000 + RANDOM % 20000))
cat >"$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; location / { return 200 "ok"; } }
}
NGINX
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=("$!")
sleep 0.5

rss() { awk '/VmRSS/ {print $2}' "/proc/$writ_pid/status"; }
run_wrk() {  # name, wrk args...
  local name=$1
  shift
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" >"$work/$name.txt"
}
rss_before=$(rss)
run_wrk session -H "Cookie: $cookie" "$base/auth/session"
rss_after=$(rss)
run_wrk nginx "http://127.0.0.1:$nginx_port/"
wrk -t2 -c8 -d"$duration" --latency -s "$root/bench/load/login.lua" "$base/auth/login" >"$work/login.txt"
"$build/bench/server_refs_bench" --benchmark_format=json >"$work/refs.json" 2>/dev/null

python3 - "$work" "$rss_before" "$rss_after" "$connections" "$duration" <<'PY'
import json, re, sys
work, rss_before, rss_after, conns, duration = sys.argv[1:]
def wrk(name):
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, pct(50), pct(99), int(errors.group(1)) if errors else 0
refs = {b["name"].split("/")[0]: b["items_per_second"] for b in json.load(open(f"{work}/refs.json"))["benchmarks"]}
ed, argon = refs["BM_RawEd25519Verify"], refs["BM_RawArgon2idVerify"]
s, n, l = wrk("session"), wrk("nginx"), wrk("login")
print(f"wrk -t2 -c{conns} -d{duration} (login: -c8), 2 server threads, 2 cores shared with wrk\n")
print("| what | requests/s | p50 ms | p99 ms | non-2xx | ratio |")
print("|---|---:|---:|---:|---:|---|")
print(f"| GET /auth/session (valid cookie) | {s[0]:.0f} | {s[1]:.2f} | {s[2]:.2f} | {s[3]} | {s[0]/ed:.2f}x raw Ed25519 verify; p99 {s[2]/n[2]:.2f}x nginx |")
print(f"| nginx static 200 (ceiling) | {n[0]:.0f} | {n[1]:.2f} | {n[2]:.2f} | {n[3]} | - |")
print(f"| POST /auth/login | {l[0]:.1f} | {l[1]:.1f} | {l[2]:.1f} | {l[3]} | {l[0]/argon:.2f}x raw Argon2id |")
print(f"| raw Ed25519 verify, 2 threads | {ed:.0f} | | | | reference |")
print(f"| raw Argon2id verify (t=2, 19 MiB), 2 threads | {argon:.1f} | | | | reference |")
print(f"\nwrit RSS: {rss_before} KiB before the session run, {rss_after} KiB after")
PY
