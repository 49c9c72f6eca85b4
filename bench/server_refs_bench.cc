// Reference rates for the `writ serve` load benchmark (bench/load/run_load.sh): the raw
// primitives a request costs at least — one Ed25519 verify per session check, one
// Argon2id evaluation per login — on the same number of threads as the server.
#include <array>
#include <cstdint>
#include <string>

#include <benchmark/benchmark.h>
#include <sodium.h>

namespace {

// Ed25519 over an access-token-sized message (header.payload of ~420 bytes).
void BM_RawEd25519Verify(benchmark::State& state) {
  static std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> public_key;
  static std::array<unsigned char, crypto_sign_SECRETKEYBYTES> secret_key;
  static std::array<unsigned char, crypto_sign_BYTES> signature;
  static const std::string message(420, 'm');
  if (state.thread_index() == 0) {
    crypto_sign_keypair(public_key.data(), secret_key.data());
    crypto_sign_detached(signature.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_key.data());
  }
  for (auto _ : state) {
    int result = crypto_sign_verify_detached(signature.data(),
                                             reinterpret_cast<const unsigned char*>(message.data()),
                                             message.size(), public_key.data());
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawEd25519Verify)->Threads(2)->UseRealTime();

// The same on one thread, for bench/load/run_verify_pinned.sh (one core each for writ and wrk).
void BM_RawEd25519VerifyOneThread(benchmark::State& state) { BM_RawEd25519Verify(state); }
BENCHMARK(BM_RawEd25519VerifyOneThread)->Threads(1)->UseRealTime();

// Argon2id at writ's default (and minimum) parameters: t=2, 19 MiB, p=1.
void BM_RawArgon2idVerify(benchmark::State& state) {
  static char stored[crypto_pwhash_STRBYTES];
  static const std::string password = "a benchmark passphrase";
  if (state.thread_index() == 0) {
    if (crypto_pwhash_str_alg(stored, password.data(), password.size(), 2, 19u * 1024 * 1024,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
      state.SkipWithError("crypto_pwhash_str failed");
    }
  }
  for (auto _ : state) {
    int result = crypto_pwhash_str_verify(stored, password.data(), password.size());
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawArgon2idVerify)->Threads(2)->UseRealTime()->MinTime(3.0);

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
