#!/usr/bin/env bash
# Uncached forward-auth against the raw primitive on equal terms (issue 6: "at least 0.7x the
# raw Ed25519 verifies/s for the same thread count"): writ with one I/O thread and the raw
# libsodium verify on one thread each get CPU 0 to themselves, and wrk runs on CPU 1, so the
# load generator takes nothing from the server (on a 2-core machine run_verify_load.sh
# cannot avoid that). Needs 2 CPUs. Prints a Markdown table.
#
#   bench/load/run_verify_pinned.sh [BUILD_DIR] [DURATION=20s] [CONNECTIONS=16]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench}"
duration="${2:-20s}"
connections="${3:-16}"
if [[ $(nproc) -lt 2 ]]; then
  echo "run_verify_pinned.sh: needs 2 CPUs" >&2
  exit 1
fi
source "$root/bench/load/common.sh"

writ_threads=1 writ_launcher="taskset -c 0" start_writ uncached "verify_cache_entries = 0"
uncached=$writ_base
uncached_pid=$writ_pid
writ_threads=1 writ_launcher="taskset -c 0" start_writ cached
cached=$writ_base
cached_pid=$writ_pid
cookie=$(login "$uncached")
for url in "$uncached" "$cached"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url/auth/verify")
  [[ $code == 200 ]] || { echo "pinned: $url answered $code with the cookie" >&2; exit 1; }
done

pinned_wrk() {
  local name=$1 before
  shift
  before=$(cpu_ticks "${serving_pids[@]}")
  taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --latency "$@" >"$work/$name.txt"
  echo $(($(cpu_ticks "${serving_pids[@]}") - before)) >"$work/$name.cpu"
}
serving_pids=("$uncached_pid")
pinned_wrk verify_uncached -H "Cookie: $cookie" "$uncached/auth/verify"
serving_pids=("$cached_pid")
pinned_wrk verify_cached -H "Cookie: $cookie" "$cached/auth/verify"
taskset -c 0 "$build/bench/server_refs_bench" --benchmark_format=json \
  --benchmark_filter='Ed25519VerifyOneThread' >"$work/refs.json" 2>/dev/null

python3 - "$work" "$connections" "$duration" <<PY
$(report_prelude)
conns, duration = sys.argv[2:]
ed = refs()["BM_RawEd25519VerifyOneThread"]
ed_cpu = cpu_refs()["BM_RawEd25519VerifyOneThread"]
print(f"writ: 1 I/O thread on CPU 0; wrk -t1 -c{conns} -d{duration} on CPU 1; raw verify: 1 thread on CPU 0.\n")
print("| what | requests/s | p50 ms | p99 ms | non-2xx | CPU us/request | ratios |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, label in [("verify_uncached", "GET /auth/verify, cache off"),
                    ("verify_cached", "GET /auth/verify, cached token")]:
    r, c = wrk(name), cpu_us(name)
    print(f"| {label} | {r[0]:.0f} | {r[1]:.2f} | {r[2]:.2f} | {r[3]} | {c:.1f} | "
          f"{r[0]/ed:.2f}x raw Ed25519/s; CPU {ed_cpu/c:.2f}x of raw Ed25519's |")
print(f"| raw Ed25519 verify, 1 thread | {ed:.0f} | | | | {ed_cpu:.1f} | reference |")
PY
