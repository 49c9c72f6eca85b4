#!/usr/bin/env bash
# A throwaway PostgreSQL for the PostgreSQL store's tests (tests/unit/CMakeLists.txt runs it
# as the ctest fixture "postgres").
#
#   postgres.sh start DIR   initdb into DIR/data, start on 127.0.0.1 at a free port (TCP only
#                           there, its socket in DIR), scram-sha-256 logins, a role `writ`
#                           with a random password owning database `writ_test`; writes
#                           DIR/conninfo (libpq conninfo, no password) and DIR/password (0600)
#   postgres.sh stop DIR    pg_ctl stop -m fast, then removes DIR
#
# PostgreSQL refuses to run as root: as root, the server runs as the `postgres` OS user
# (runuser), and its data and socket live in a directory of its own under /tmp named in
# DIR/server_dir (DIR's parents may be private to root); DIR/conninfo and DIR/password stay
# the caller's.
# fsync is off: the data is thrown away.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
(($# == 2)) || usage
command=$1
dir=$2

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -n $bin && -x $bin/initdb ]] || { echo "postgres.sh: no PostgreSQL in /usr/lib/postgresql (scripts/setup.sh)" >&2; exit 1; }

as_server() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Where the server's files live: DIR itself, or (as root) a directory of the postgres
# user's own under /tmp, named in DIR/server_dir. The server user cannot be expected to
# reach DIR: its parents may be private (a build tree in a `mktemp -d` folder is 0700).
server_dir() {
  if [[ -f $dir/server_dir ]]; then cat "$dir/server_dir"; else echo "$dir"; fi
}

start() {
  if [[ -e $(server_dir)/data/postmaster.pid ]]; then
    stop  # a leftover of an interrupted run
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 0700 "$dir"
  local server=$dir
  if [[ $(id -u) -eq 0 ]]; then
    server=$(mktemp -d /tmp/writ-postgres.XXXXXX)
    chown postgres: "$server"
    echo "$server" > "$dir/server_dir"
  fi
  local data=$server/data
  as_server mkdir -m 0700 "$data"
  local password superpw
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  superpw=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  local pwfile
  pwfile=$(mktemp)
  printf '%s\n' "$superpw" > "$pwfile"
  chmod 0644 "$pwfile"  # initdb runs as postgres; removed at once
  as_server "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; rm -f "$pwfile"; exit 1; }
  rm -f "$pwfile"

  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    as_server tee -a "$data/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$server'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
log_min_messages = warning
CONF
    if as_server "$bin/pg_ctl" -D "$data" -l "$server/server.log" -w -t 30 start >/dev/null; then
      break
    fi
    [[ $attempt -eq 3 ]] && { cat "$server/server.log" >&2; exit 1; }
  done

  PGPASSWORD=$superpw "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
CREATE ROLE writ LOGIN PASSWORD '$password';
CREATE DATABASE writ_test OWNER writ ENCODING 'UTF8';
SQL
  PGPASSWORD=$superpw "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d writ_test -v ON_ERROR_STOP=1 -q \
    -c "ALTER SCHEMA public OWNER TO writ"
  printf 'host=127.0.0.1 port=%s dbname=writ_test user=writ sslmode=disable\n' "$port" > "$dir/conninfo"
  (umask 077 && printf '%s' "$password" > "$dir/password")
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
}

stop() {
  local server
  server=$(server_dir)
  if [[ -e $server/data/postmaster.pid ]]; then
    as_server "$bin/pg_ctl" -D "$server/data" -m fast -w stop >/dev/null || true
  fi
  [[ $server == "$dir" ]] || rm -rf "$server"
  rm -rf "$dir"
}

case $command in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
