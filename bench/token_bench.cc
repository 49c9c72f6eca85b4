// token_bench: the shared token workload (shared/bench-workload.md) in writ, in the raw
// primitives on the same bytes, and in libjwt 1.10, measured in one run so that the
// ratios between them mean something on a noisy machine. Benchmarks are named
// ALG/OPERATION/IMPLEMENTATION, e.g. "HS256/verify/writ"; bench/run_bench.sh prints the
// medians and ratios.
#include <string>
#include <string_view>

#include <benchmark/benchmark.h>

#include "bench_cases.h"
#include "workload.h"
#include "writ/verified_jwt.h"

namespace writ_bench {

void WritSign(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  for (auto _ : state) {
    auto token = workload.signer->Sign(*workload.claims);
    if (!token) {
      state.SkipWithError("writ sign failed");
      break;
    }
    benchmark::DoNotOptimize(token->data());
  }
}

void WritVerify(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  for (auto _ : state) {
    auto verified = workload.verifier->Verify(workload.token, *workload.validator);
    if (!verified) {
      state.SkipWithError("writ verify failed");
      break;
    }
    benchmark::DoNotOptimize(verified->alg());
  }
}

namespace {

constexpr writ::Alg kAllAlgs[] = {writ::Alg::kHs256, writ::Alg::kRs256, writ::Alg::kEs256,
                                  writ::Alg::kEdDsa};

void Register(std::string_view alg_name, std::string_view operation,
              std::string_view implementation, void (*body)(benchmark::State&, writ::Alg),
              writ::Alg alg) {
  const std::string name = std::string(alg_name) + "/" + std::string(operation) + "/" +
                           std::string(implementation);
  benchmark::RegisterBenchmark(name.c_str(), body, alg)->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace writ_bench

int main(int argc, char** argv) {
  using writ_bench::Register;
  for (const writ::Alg alg : writ_bench::kAllAlgs) {
    // Keys and tokens are made (and checked against the workload) before anything is timed.
    const writ_bench::Workload& workload = writ_bench::GetWorkload(alg);
    const std::string_view name = writ::AlgName(alg);
    benchmark::AddCustomContext(std::string(name) + "_signing_input_bytes",
                                std::to_string(workload.signing_input.size()));
    Register(name, "sign", "writ", writ_bench::WritSign, alg);
    Register(name, "sign", "raw", writ_bench::RawSign, alg);
    if (alg != writ::Alg::kEdDsa) {
      Register(name, "sign", "libjwt", writ_bench::LibjwtSign, alg);
    }
    Register(name, "verify", "writ", writ_bench::WritVerify, alg);
    Register(name, "verify", "raw", writ_bench::RawVerify, alg);
    if (alg != writ::Alg::kEdDsa) {
      Register(name, "verify", "libjwt", writ_bench::LibjwtVerify, alg);
    }
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
