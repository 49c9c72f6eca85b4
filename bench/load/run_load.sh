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
source "$root/bench/load/common.sh"

start_writ serve
base=$writ_base
cookie=$(login "$base")
nginx_port=$(free_port)
start_nginx "server { listen 127.0.0.1:$nginx_port; location / { return 200 \"ok\"; } }"

rss_before=$(rss "$writ_pid")
run_wrk session -H "Cookie: $cookie" "$base/auth/session"
rss_after=$(rss "$writ_pid")
run_wrk nginx "http://127.0.0.1:$nginx_port/"
wrk -t2 -c8 -d"$duration" --latency -s "$root/bench/load/login.lua" "$base/auth/login" >"$work/login.txt"
"$build/bench/server_refs_bench" --benchmark_format=json >"$work/refs.json" 2>/dev/null

python3 - "$work" "$rss_before" "$rss_after" "$connections" "$duration" <<PY
$(report_prelude)
rss_before, rss_after, conns, duration = sys.argv[2:]
r = refs()
ed, argon = r["BM_RawEd25519Verify"], r["BM_RawArgon2idVerify"]
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
