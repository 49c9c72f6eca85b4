#!/usr/bin/env bash
# Load benchmark of forward-auth (issue 6): wrk against GET /auth/verify directly, with the
# verified-token cache and without it (tokens.verify_cache_entries = 0), and through nginx
# (auth_request to writ, then a static 200 as the upstream, as examples/nginx/writ.conf
# does), next to references measured in the same run: the raw Ed25519 verify rate on 2
# threads and nginx answering a static 200 itself. Prints a Markdown table.
#
#   bench/load/run_verify_load.sh [BUILD_DIR] [DURATION=30s] [CONNECTIONS=64]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench}"
duration="${2:-30s}"
connections="${3:-64}"
source "$root/bench/load/common.sh"

start_writ cached
cached=$writ_base
cached_pid=$writ_pid
cached_port=${cached##*:}
start_writ uncached "verify_cache_entries = 0"
uncached=$writ_base
uncached_pid=$writ_pid
cookie=$(login "$cached")

static_port=$(free_port)
gateway_port=$((static_port + 1))
start_nginx "
  upstream writ { server 127.0.0.1:$cached_port; keepalive 64; }
  upstream app { server 127.0.0.1:$static_port; keepalive 64; }
  server { listen 127.0.0.1:$static_port; location / { return 200 \"ok\"; } }
  server {
    listen 127.0.0.1:$gateway_port;
    location = /_writ_verify {
      internal;
      proxy_pass http://writ/auth/verify;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_pass_request_body off;
      proxy_set_header Content-Length \"\";
      proxy_set_header X-Original-Method \$request_method;
    }
    # Not \`return 200\`: return runs in the rewrite phase, before auth_request would.
    location / {
      auth_request /_writ_verify;
      auth_request_set \$writ_user \$upstream_http_x_writ_user;
      proxy_set_header X-Writ-User \$writ_user;
      proxy_set_header Cookie \"\";
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_pass http://app;
    }
  }"

# Each target must answer 200 with the cookie and 401 without it before it is measured:
# a 401, or a gateway that skips the check, would be fast and wrong.
for url in "$cached/auth/verify" "$uncached/auth/verify" "http://127.0.0.1:$gateway_port/"; do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url")
  [[ $code == 200 ]] || { echo "load: $url answered $code with the cookie" >&2; exit 1; }
  code=$(curl -sS -o /dev/null -w '%{http_code}' "$url")
  [[ $code == 401 ]] || { echo "load: $url answered $code without a cookie" >&2; exit 1; }
done

nginx_pid=${pids[-1]}
serving_pids=("$cached_pid")
run_wrk verify_cached -H "Cookie: $cookie" "$cached/auth/verify"
serving_pids=("$uncached_pid")
run_wrk verify_uncached -H "Cookie: $cookie" "$uncached/auth/verify"
serving_pids=("$cached_pid" "$nginx_pid")
run_wrk gateway -H "Cookie: $cookie" "http://127.0.0.1:$gateway_port/"
serving_pids=("$nginx_pid")
run_wrk nginx "http://127.0.0.1:$static_port/"
"$build/bench/server_refs_bench" --benchmark_format=json --benchmark_filter=Ed25519Verify/ >"$work/refs.json" 2>/dev/null

python3 - "$work" "$connections" "$duration" <<PY
$(report_prelude)
conns, duration = sys.argv[2:]
ed = refs()["BM_RawEd25519Verify"]
ed_cpu = cpu_refs()["BM_RawEd25519Verify"]
n, n_cpu = wrk("nginx"), cpu_us("nginx")
print(f"wrk -t2 -c{conns} -d{duration}, 2 writ threads, nginx 2 workers, 2 cores shared by all.")
print("CPU us/request: user+system time of the serving processes (writ, nginx) per request.\n")
print("| what | requests/s | p50 ms | p99 ms | non-2xx | CPU us/request | ratios |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, label in [("verify_cached", "GET /auth/verify, cached token"),
                    ("verify_uncached", "GET /auth/verify, cache off"),
                    ("gateway", "nginx auth_request -> writ /auth/verify (cached) -> upstream 200")]:
    r, c = wrk(name), cpu_us(name)
    print(f"| {label} | {r[0]:.0f} | {r[1]:.2f} | {r[2]:.2f} | {r[3]} | {c:.1f} | "
          f"{r[0]/ed:.2f}x raw Ed25519/s; {r[0]/n[0]:.2f}x nginx static/s; p99 {r[2]/n[2]:.2f}x nginx; "
          f"CPU {ed_cpu/c:.2f}x of raw Ed25519's |")
print(f"| nginx static 200 (ceiling) | {n[0]:.0f} | {n[1]:.2f} | {n[2]:.2f} | {n[3]} | {n_cpu:.1f} | - |")
print(f"| raw Ed25519 verify, 2 threads | {ed:.0f} | | | | {ed_cpu:.1f} | reference |")
PY
