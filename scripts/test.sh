#!/usr/bin/env bash
# Every test writ has, as CI runs them: set-up, a warnings-as-errors build with all
# tests, the same tests under AddressSanitizer + UndefinedBehaviorSanitizer, an install
# check (find_package and pkg-config), and each libFuzzer target for FUZZ_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${JOBS:-$(nproc)}
fuzz_seconds=${FUZZ_SECONDS:-30}  # per target, eight targets; fuzz/run-long runs them longer
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/writ-ccache}

step() { printf '\n=== %s ===\n' "$*"; }

step "set-up"
scripts/setup.sh

step "release build (-Werror) and tests"
cmake -S . -B build/ci-release -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWRIT_WERROR=ON \
  -DWRIT_BUILD_BENCH=ON >/dev/null
cmake --build build/ci-release -j "$jobs"
ctest --test-dir build/ci-release -j "$jobs" --output-on-failure --timeout 600

step "ASan + UBSan build and tests"
cmake -S . -B build/ci-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWRIT_WERROR=ON -DWRIT_SANITIZE=ON \
  -DCMAKE_CXX_FLAGS="-O1" >/dev/null
cmake --build build/ci-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$root/tests/lsan.supp" \
  ctest --test-dir build/ci-asan -j "$jobs" --output-on-failure --timeout 900 -LE soak

step "install: find_package(writ) and pkg-config"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build/ci-release --prefix "$prefix" >/dev/null
cmake -S tests/install -B "$prefix/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/consumer" >/dev/null
"$prefix/consumer/writ_consumer"
pc_dir=$(dirname "$(find "$prefix" -name writ.pc)")
c++ -std=c++20 tests/install/consumer.cc $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs writ) \
  -o "$prefix/pc_consumer"
LD_LIBRARY_PATH="$(dirname "$pc_dir")" "$prefix/pc_consumer"

step "fuzzing, ${fuzz_seconds}s per target (clang, libFuzzer, ASan + UBSan)"
cmake -S . -B build/ci-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWRIT_BUILD_FUZZ=ON -DWRIT_BUILD_TESTS=OFF >/dev/null
cmake --build build/ci-fuzz -j "$jobs"
FUZZ_PARALLEL="$jobs" fuzz/run_fuzzers.sh build/ci-fuzz "$fuzz_seconds"

step "all tests passed"
