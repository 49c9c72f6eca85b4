#!/usr/bin/env bash
# Installs everything writ needs to build and test on Debian 12. Idempotent.
# Run as root (or through sudo); as another user it prints the apt line to run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache clang libclang-rt-14-dev
  # libwrit's dependencies (DESIGN.md "Chosen dependencies")
  libssl-dev libsodium-dev libexpected-dev libsimdjson-dev libcli11-dev libcurl4-openssl-dev
  # writ serve (DESIGN.md): Boost.Beast/Asio, SQLite, toml++, PostgreSQL (libpqxx; the server
  # for the PostgreSQL store's tests, tests/support/postgres.sh)
  libboost-dev libsqlite3-dev libtomlplusplus-dev libpqxx-dev postgresql
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libjwt-dev jq curl
  # clock jumps in the fault tests (tests/integration/faults.test.mjs): libfaketime
  faketime
  # the optional shared Redis of writ serve (hiredis), and the server for its tests
  # (tests/support/redis.sh)
  libhiredis-dev redis-server
  # load benchmarks of writ serve (bench/load): wrk, and nginx as the HTTP ceiling reference
  wrk nginx-light
  # the browser tests (tests/browser): Debian's Chromium, driven by playwright-core from npm
  chromium
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      SUDO=sudo
    else
      echo "writ setup: run as root:  apt-get install -y ${missing[*]}" >&2
      exit 1
    fi
  fi
  echo "writ setup: installing ${missing[*]}"
  ${SUDO:-} apt-get update -qq
  DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Node's jose and paseto, for the interop tests only (tests/interop/package-lock.json pins them).
if ! cmp -s tests/interop/package-lock.json tests/interop/node_modules/.package-lock-copy.json; then
  (cd tests/interop && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.package-lock-copy.json)
fi
# playwright-core for the browser tests (tests/browser/package-lock.json pins it); it drives
# /usr/bin/chromium and never downloads a browser of its own.
if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.package-lock-copy.json; then
  (cd tests/browser && npm ci --silent --no-audit --no-fund && cp package-lock.json node_modules/.package-lock-copy.json)
fi
echo "writ setup: ready"
