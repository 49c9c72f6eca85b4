#!/usr/bin/env bash
# Scale-out benchmark (issue 7): login, refresh and session-check throughput of two writ
# instances on one PostgreSQL against one instance on SQLite, both behind the same nginx
# (round robin, keep-alive upstreams), in one run on this machine. PostgreSQL is the
# throwaway server of the tests (tests/support/postgres.sh: fsync off), pool size 8 per
# instance. Prints a Markdown table.
#
#   bench/load/run_scaleout_load.sh [BUILD_DIR] [DURATION=20s] [CONNECTIONS=64]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench}"
duration="${2:-20s}"
connections="${3:-64}"
source "$root/bench/load/common.sh"
seconds=${duration%s}

chmod 0711 "$work"  # the server runs as the postgres user and must reach $work/pg
"$root/tests/support/postgres.sh" start "$work/pg" >/dev/null
stop_postgres() { "$root/tests/support/postgres.sh" stop "$work/pg" >/dev/null 2>&1 || true; }
trap 'stop_postgres; cleanup' EXIT
postgres_store="store = \"postgres:$(cat "$work/pg/conninfo")\"
store_password = \"file:$work/pg/password\"
store_pool_size = 8"

start_writ sqlite
sqlite_port=${writ_base##*:}
start_writ pg1 "" "$postgres_store"
pg1_port=${writ_base##*:}
start_writ pg2 "" "$postgres_store"
pg2_port=${writ_base##*:}
cookie_sqlite=$(login "http://127.0.0.1:$sqlite_port")
cookie_pg=$(login "http://127.0.0.1:$pg1_port")

one_port=$(free_port)
two_port=$((one_port + 1))
start_nginx "
  upstream one { server 127.0.0.1:$sqlite_port; keepalive 64; }
  upstream two { server 127.0.0.1:$pg1_port; server 127.0.0.1:$pg2_port; keepalive 64; }
  server { listen 127.0.0.1:$one_port;
    location / { proxy_pass http://one; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }
  server { listen 127.0.0.1:$two_port;
    location / { proxy_pass http://two; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"

for shape in one two; do
  port=${shape}_port
  cookie=$([[ $shape == one ]] && echo "$cookie_sqlite" || echo "$cookie_pg")
  code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "http://127.0.0.1:${!port}/auth/session")
  [[ $code == 200 ]] || { echo "load: $shape answered $code" >&2; exit 1; }
  run_wrk "session_$shape" -H "Cookie: $cookie" "http://127.0.0.1:${!port}/auth/session"
  wrk -t2 -c8 -d"$duration" --latency -s "$root/bench/load/login.lua" \
    "http://127.0.0.1:${!port}/auth/login" >"$work/login_$shape.txt"
  node "$root/bench/load/refresh_load.mjs" "http://127.0.0.1:${!port}" 16 "$seconds" >"$work/refresh_$shape.json"
done

python3 - "$work" "$connections" "$duration" <<PY
$(report_prelude)
conns, duration = sys.argv[2:]
def refresh(shape):
    return json.load(open(f"{work}/refresh_{shape}.json"))
print(f"wrk -t2 -c{conns} -d{duration} (login: -c8; refresh: 16 sessions rotating back to back),")
print("through nginx in both shapes, everything on the same 2 cores\n")
print("| what | 1 instance, SQLite: /s | p99 ms | 2 instances, PostgreSQL: /s | p99 ms | failed | ratio 2xPG / 1xSQLite |")
print("|---|---:|---:|---:|---:|---:|---|")
for name, label in [("session", "GET /auth/session"), ("login", "POST /auth/login")]:
    a, b = wrk(f"{name}_one"), wrk(f"{name}_two")
    print(f"| {label} | {a[0]:.0f} | {a[2]:.2f} | {b[0]:.0f} | {b[2]:.2f} | {a[3] + b[3]} | {b[0]/a[0]:.2f}x |")
a, b = refresh("one"), refresh("two")
print(f"| POST /auth/refresh | {a['rps']:.0f} | {a['p99_ms']:.2f} | {b['rps']:.0f} | {b['p99_ms']:.2f} | {a['failed'] + b['failed']} | {b['rps']/a['rps']:.2f}x |")
PY
