#!/usr/bin/env bash
# Builds token_bench in Release and runs the shared token workload once: 5 repetitions,
# medians only, then prints a Markdown table of ops/s and ratios (writ/raw, writ/libjwt).
#
#   bench/run_bench.sh [BUILD_DIR] [extra benchmark flags, e.g. --benchmark_filter=HS256]
#
# BUILD_DIR defaults to build-bench at the top of the repository. The raw JSON is kept in
# BUILD_DIR/token_bench.json. Figures are CPU time of one thread; on a shared machine
# compare the ratios, not the absolute numbers.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-bench}"
shift || true

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! { cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWRIT_BUILD_BENCH=ON \
         -DWRIT_BUILD_TESTS=OFF -DWRIT_BUILD_FUZZ=OFF -DWRIT_SANITIZE=OFF -DWRIT_WERROR=OFF &&
       ninja -C "$build" -j"${BENCH_JOBS:-1}" token_bench; } >"$log" 2>&1; then
  echo "run_bench: the Release build failed:" >&2
  grep -E -A8 'FAILED|error' "$log" | head -n 60 >&2 || tail -n 40 "$log" >&2
  exit 1
fi

json="$build/token_bench.json"
"$build/bench/token_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out="$json" --benchmark_out_format=json "$@" >&2

python3 - "$json" <<'PY'
import json
import sys

with open(sys.argv[1]) as f:
    report = json.load(f)

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
ops = {}  # (alg, op, impl) -> median ops/s
for b in report["benchmarks"]:
    if b.get("aggregate_name") != "median" or b.get("error_occurred"):
        continue
    alg, op, impl = b["run_name"].split("/")
    ops[(alg, op, impl)] = 1.0 / (b["cpu_time"] * UNIT[b["time_unit"]])

# The issue's targets: (alg, op) -> [(baseline, minimum ratio)].
TARGETS = {
    ("HS256", "sign"): [("raw", 0.35), ("libjwt", 5.0)],
    ("HS256", "verify"): [("raw", 0.35), ("libjwt", 5.0)],
    ("RS256", "verify"): [("raw", 0.8)],
    ("ES256", "verify"): [("raw", 0.9)],
    ("EdDSA", "verify"): [("raw", 0.9)],
}

def rate(value):
    if value is None:
        return "–"
    if value >= 1e6:
        return f"{value / 1e6:.2f}M"
    if value >= 1e3:
        return f"{value / 1e3:.1f}k"
    return f"{value:.0f}"

def ratio(num, den):
    return "–" if num is None or den is None else f"{num / den:.2f}×"

ctx = report.get("context", {})
print(f"token_bench, {ctx.get('date', '?')}, {ctx.get('num_cpus', '?')} CPUs, "
      f"median of 5 repetitions, CPU time, single thread")
print()
print("| alg, op | writ | raw | libjwt 1.10 | writ/raw | writ/libjwt | target |")
print("|---|---:|---:|---:|---:|---:|---|")
missed = 0
for alg in ("HS256", "RS256", "ES256", "EdDSA"):
    for op in ("sign", "verify"):
        writ = ops.get((alg, op, "writ"))
        raw = ops.get((alg, op, "raw"))
        libjwt = ops.get((alg, op, "libjwt"))
        if writ is None and raw is None:
            continue
        verdicts = []
        for base, minimum in TARGETS.get((alg, op), []):
            other = raw if base == "raw" else libjwt
            if writ is None or other is None:
                continue
            ok = writ / other >= minimum
            missed += 0 if ok else 1
            verdicts.append(f"{'met' if ok else 'MISSED'} ≥{minimum}× {base}")
        print(f"| {alg} {op} | {rate(writ)} | {rate(raw)} | {rate(libjwt)} | "
              f"{ratio(writ, raw)} | {ratio(writ, libjwt)} | {', '.join(verdicts)} |")

# PASETO v4 (paseto_bench.cc): writ = writ::paseto::* with footer {"kid":"k1"};
# reader = PasetoReader::Read + Validator (exp, iss, aud), as a server verifies.
PASETO_TARGETS = {
    ("v4.public", "verify"): 0.9,
    ("v4.local", "decrypt"): 0.5,
}
paseto_rows = [("v4.local", "encrypt"), ("v4.local", "decrypt"), ("v4.public", "sign"), ("v4.public", "verify")]
if any((token, op, "raw") in ops for token, op in paseto_rows):
    print()
    print("| PASETO, op | writ | writ reader+validator | raw libsodium | writ/raw | reader/raw | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for token, op in paseto_rows:
        writ = ops.get((token, op, "writ"))
        reader = ops.get((token, op, "reader"))
        raw = ops.get((token, op, "raw"))
        verdicts = []
        minimum = PASETO_TARGETS.get((token, op))
        if minimum is not None and raw is not None:
            for label, value in (("writ", writ), ("reader", reader)):
                if value is None:
                    continue
                ok = value / raw >= minimum
                missed += 0 if ok else 1
                verdicts.append(f"{label} {'met' if ok else 'MISSED'} ≥{minimum}× raw")
        print(f"| {token} {op} | {rate(writ)} | {rate(reader)} | {rate(raw)} | "
              f"{ratio(writ, raw)} | {ratio(reader, raw)} | {', '.join(verdicts)} |")
print()
print(f"targets missed: {missed}")
PY
