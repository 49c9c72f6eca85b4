# Shared by the load benchmarks (run_load.sh, run_verify_load.sh): build the release binaries,
# start `writ serve` instances and nginx on loopback, log a user in, run wrk, and clean up.
# Source it after setting: root (repository), build (build dir), duration, connections.
# shellcheck shell=bash

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || [[ -x /usr/sbin/$tool ]] || { echo "load: $tool missing (scripts/setup.sh)" >&2; exit 1; }
done

# BENCH_PREBUILT=1 uses the binaries already in BUILD_DIR as they are (any optimised build).
if [[ -z ${BENCH_PREBUILT:-} ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWRIT_BUILD_BENCH=ON \
    -DWRIT_BUILD_TESTS=OFF -DWRIT_BUILD_FUZZ=OFF -DWRIT_SANITIZE=OFF -DWRIT_WERROR=OFF >/dev/null
  ninja -C "$build" writ_cli server_refs_bench >/dev/null
fi
writ="$build/src/cli/writ"

work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$writ" keygen --alg EdDSA --out "$work/signing.jwk"
export BENCH_REFRESH_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export BENCH_CSRF_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

# start_writ NAME [EXTRA_TOKENS_TOML] [STORE_TOML]: a writ serve configured like production
# (staging rules) with throttling out of the way, all instances sharing one key and, unless
# STORE_TOML says otherwise, one SQLite store, so a cookie from one is valid at all. Sets
# writ_base and writ_pid.
start_writ() {
  local name=$1 extra_tokens=${2:-} store=${3:-"store = \"sqlite:$work/writ.db\""}
  cat >"$work/$name.toml" <<TOML
environment = "staging"
listen = "127.0.0.1:0"
allowed_origins = ["http://127.0.0.1"]
$store
threads = ${writ_threads:-2}
hash_threads = 2
[tokens]
issuer = "https://auth.bench"
audience = "app"
signing_keys = "file:$work/signing.jwk"
$extra_tokens
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
  ${writ_launcher:-} "$writ" serve --config "$work/$name.toml" 2>"$work/$name.log" &
  writ_pid=$!
  pids+=("$writ_pid")
  for _ in $(seq 100); do grep -q "listening on" "$work/$name.log" && break; sleep 0.1; done
  writ_base=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/$name.log")
  [[ -n $writ_base ]] || { cat "$work/$name.log" >&2; exit 1; }
}

# login BASE: signs the bench user up (once) and logs in; prints the access cookie pair.
login() {
  local base=$1 body='{"username":"bench","password":"a benchmark passphrase"}'
  curl -sS -o /dev/null -H 'Content-Type: application/json' -d "$body" "$base/auth/signup"
  local cookie
  cookie=$(curl -sS -o /dev/null -D - -H 'Content-Type: application/json' -d "$body" "$base/auth/login" |
    sed -n 's/^[Ss]et-[Cc]ookie: \(__Host-writ-access=[^;]*\).*/\1/p' | tr -d '\r')
  [[ -n $cookie ]] || { echo "load: login failed" >&2; exit 1; }
  printf '%s' "$cookie"
}

# start_nginx SERVER_BLOCKS: nginx with 2 workers and the given http-level configuration.
start_nginx() {
  mkdir -p "$work/nginx"
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
  $1
}
NGINX
  /usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
  pids+=("$!")
  sleep 0.5
}

free_port() { echo $((20000 + RANDOM % 20000)); }

rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# cpu_ticks PID...: user + system CPU time of the processes and their direct children
# (nginx's workers), in clock ticks. Per request, it is a cost that a busy machine
# disturbs far less than requests/s.
cpu_ticks() {
  local total=0 pid
  for pid in "$@" $(pgrep -P "$(echo "$@" | tr ' ' ',')" 2>/dev/null || true); do
    [[ -r /proc/$pid/stat ]] || continue
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

# run_wrk NAME WRK_ARGS...: wrk -t2 -c$connections -d$duration into $work/NAME.txt, and
# the CPU ticks the processes in $serving_pids spent meanwhile into $work/NAME.cpu.
serving_pids=()
run_wrk() {
  local name=$1 before
  shift
  before=$(cpu_ticks "${serving_pids[@]}")
  wrk -t2 -c"$connections" -d"$duration" --latency "$@" >"$work/$name.txt"
  echo $(($(cpu_ticks "${serving_pids[@]}") - before)) >"$work/$name.cpu"
}

# Python helpers for the report: wrk(name) -> (rps, p50 ms, p99 ms, non-2xx), refs(),
# cpu_us(name) -> CPU microseconds the serving processes spent per request,
# cpu_refs() -> {benchmark: CPU microseconds per item}.
report_prelude() {
  cat <<'PY'
import json, re, sys
work = sys.argv[1]
def wrk(name):
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    def pct(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", text)
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, pct(50), pct(99), int(errors.group(1)) if errors else 0
def refs():
    data = json.load(open(f"{work}/refs.json"))["benchmarks"]
    return {b["name"].split("/")[0]: b["items_per_second"] for b in data}
def cpu_us(name):
    import os
    ticks = int(open(f"{work}/{name}.cpu").read())
    text = open(f"{work}/{name}.txt").read()
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    return ticks / os.sysconf("SC_CLK_TCK") * 1e6 / requests
def cpu_refs():
    data = json.load(open(f"{work}/refs.json"))["benchmarks"]
    # cpu_time is per iteration of one thread; one iteration is one item here.
    scale = {"ns": 1e-3, "us": 1.0, "ms": 1e3}
    return {b["name"].split("/")[0]: b["cpu_time"] * scale[b["time_unit"]] for b in data}
PY
}
