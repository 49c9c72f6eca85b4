#!/usr/bin/env bash
# Runs libFuzzer targets for SECONDS each on a scratch copy of their seed corpus
# (fuzz/corpus-run/, not committed), and exits non-zero if any target crashes, leaks,
# times out or trips a sanitizer.
#
#   fuzz/run_fuzzers.sh BUILD_DIR SECONDS [TARGET ...]
#
# BUILD_DIR is a build made with -DCMAKE_CXX_COMPILER=clang++ -DWRIT_BUILD_FUZZ=ON. Without
# TARGET every target runs. FUZZ_PARALLEL=N runs N targets at once (default 1). Each run
# starts from the committed seeds in fuzz/corpus/ plus what earlier runs kept in
# fuzz/corpus-kept/ (not committed: mutated inputs can look like key material). With
# FUZZ_KEEP_CORPUS=1, what a passing target found that adds coverage is merged into
# fuzz/corpus-kept/ (libFuzzer -merge=1), so the next run starts from there.
# A failing input is left in fuzz/corpus-run/artifacts/; reproduce it with
#   BUILD_DIR/fuzz/TARGET fuzz/corpus-run/artifacts/TARGET-crash-...
set -euo pipefail
if [[ $# -lt 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_DIR SECONDS [TARGET ...]" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "$1" && pwd)"
seconds="$2"
shift 2
parallel="${FUZZ_PARALLEL:-1}"
keep_corpus="${FUZZ_KEEP_CORPUS:-0}"
run_dir="$root/fuzz/corpus-run"
kept_dir="$root/fuzz/corpus-kept"
mkdir -p "$run_dir/artifacts"

# target name, corpus folder, largest input, dictionary
targets=(
  "verify_fuzzer verify 10000 jose.dict"
  "jwk_fuzzer jwk 8192 jose.dict"
  "paseto_fuzzer paseto 8192 paseto.dict"
  "paserk_fuzzer paserk 1024 paseto.dict"
  "http_request_fuzzer http 20000 http.dict"
  "request_fields_fuzzer fields 4096 fields.dict"
  "json_fuzzer json 8192 json.dict"
  "config_fuzzer config 16384 config.dict"
)
if [[ $# -gt 0 ]]; then
  chosen=()
  for wanted in "$@"; do
    found=""
    for entry in "${targets[@]}"; do
      [[ ${entry%% *} == "$wanted" ]] && found="$entry"
    done
    if [[ -z $found ]]; then
      echo "$wanted: no such target" >&2
      exit 2
    fi
    chosen+=("$found")
  done
  targets=("${chosen[@]}")
fi

# Runs one target; its exit status is the target's result.
fuzz_one() {
  local target corpus max_len dict
  read -r target corpus max_len dict <<<"$1"
  local binary="$build/fuzz/$target"
  if [[ ! -x $binary ]]; then
    echo "$target: not built in $build (ninja -C $build $target)" >&2
    return 1
  fi
  local work="$run_dir/$corpus"
  rm -rf "$work"
  mkdir -p "$work"
  cp -R "$root/fuzz/corpus/$corpus/." "$work/"
  if [[ -d $kept_dir/$corpus ]]; then
    cp -R "$kept_dir/$corpus/." "$work/"
  fi
  local log="$run_dir/$target.log"
  echo "$target: fuzzing for ${seconds}s from $(ls "$work" | wc -l) seeds"
  if ! ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1" \
       UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
       "$binary" "$work" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
         -rss_limit_mb=2048 -dict="$root/fuzz/$dict" -print_final_stats=1 \
         -artifact_prefix="$run_dir/artifacts/$target-" >"$log" 2>&1; then
    echo "$target: FAILED, last lines of $log:" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  echo "$target: ok, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$') runs, corpus now $(ls "$work" | wc -l) inputs"
  if [[ $keep_corpus == 1 ]]; then
    mkdir -p "$kept_dir/$corpus"
    local before
    before=$(ls "$kept_dir/$corpus" | wc -l)
    "$binary" -merge=1 -max_len="$max_len" "$kept_dir/$corpus" "$work" \
      >"$run_dir/$target.merge.txt" 2>&1
    echo "$target: kept corpus $before -> $(ls "$kept_dir/$corpus" | wc -l) inputs"
  fi
}

passed=0
failed=0
pids=()
for entry in "${targets[@]}"; do
  fuzz_one "$entry" &
  pids+=($!)
  # At most $parallel targets at a time: wait for the oldest before starting another.
  if [[ ${#pids[@]} -ge $parallel ]]; then
    if wait "${pids[0]}"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do
  if wait "$pid"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzzers: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
