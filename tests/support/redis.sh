#!/usr/bin/env bash
# A throwaway Redis for the tests of writ's shared state (tests/unit/CMakeLists.txt runs it as
# the ctest fixture "redis"; tests/integration/scale_out.test.mjs starts its own).
#
#   redis.sh start DIR   redis-server on 127.0.0.1 at a free port, daemonized, pidfile in DIR,
#                        `requirepass` random (DIR/password, 0600), no persistence (save "",
#                        appendonly no); writes DIR/url (redis://127.0.0.1:PORT/0, no password)
#                        and DIR/port. A second start on a stopped DIR reuses its port and
#                        password (a "Redis restart" for the tests).
#   redis.sh stop DIR    SHUTDOWN NOSAVE through the pidfile's process (SIGTERM, then SIGKILL),
#                        leaves DIR for a later start
#   redis.sh clean DIR   stop, then remove DIR
set -euo pipefail

usage() { echo "usage: $0 start|stop|clean DIR" >&2; exit 2; }
(($# == 2)) || usage
command=$1
dir=$2

server=$(command -v redis-server || true)
[[ -n $server ]] || { echo "redis.sh: redis-server not found (scripts/setup.sh installs it)" >&2; exit 1; }
cli=$(command -v redis-cli || true)

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() {
  [[ -s $dir/redis.pid ]] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null
}

# Waits until the server answers PING with our password (at most ~10 s).
wait_ready() {
  local port=$1 attempt
  for attempt in $(seq 1 100); do
    if [[ -n $cli ]]; then
      if REDISCLI_AUTH=$(cat "$dir/password") "$cli" -h 127.0.0.1 -p "$port" --no-auth-warning PING 2>/dev/null | grep -q PONG; then
        return 0
      fi
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

start() {
  if running; then
    echo "redis.sh: already running in $dir" >&2
    return 0
  fi
  mkdir -p "$dir"
  chmod 0700 "$dir"
  if [[ ! -s $dir/password ]]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/password")
  fi
  chmod 0600 "$dir/password"
  local port attempt
  for attempt in 1 2 3 4 5; do
    if [[ -s $dir/port ]]; then
      port=$(cat "$dir/port")
    else
      port=$(free_port)
    fi
    # The password goes through a config file (0600), never the command line (ps).
    (umask 077 && cat > "$dir/redis.conf" <<CONF
bind 127.0.0.1
port $port
protected-mode yes
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
save ""
appendonly no
requirepass $(cat "$dir/password")
CONF
)
    if "$server" "$dir/redis.conf" >/dev/null 2>&1 && wait_ready "$port"; then
      echo "$port" > "$dir/port"
      echo "redis://127.0.0.1:$port/0" > "$dir/url"
      return 0
    fi
    rm -f "$dir/port"  # taken meanwhile: another free port
  done
  echo "redis.sh: redis-server did not start; its log:" >&2
  cat "$dir/redis.log" >&2 2>/dev/null || true
  exit 1
}

stop() {
  [[ -s $dir/redis.pid ]] || return 0
  local pid attempt
  pid=$(cat "$dir/redis.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for attempt in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/redis.pid"
}

case $command in
  start) start ;;
  stop) stop ;;
  clean) stop; rm -rf "$dir" ;;
  *) usage ;;
esac
