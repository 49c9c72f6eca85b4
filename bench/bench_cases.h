// The benchmark bodies, one per (implementation, operation); each runs on GetWorkload(alg).
#ifndef WRIT_BENCH_BENCH_CASES_H_
#define WRIT_BENCH_BENCH_CASES_H_

#include <benchmark/benchmark.h>

#include "writ/alg.h"

namespace writ_bench {

// writ: Signer::Sign on a ClaimsBuilder built once; Verifier::Verify with a Validator
// built once (parse, signature, exp/iss/aud).
void WritSign(benchmark::State& state, writ::Alg alg);
void WritVerify(benchmark::State& state, writ::Alg alg);

// The raw primitive on the same signing input: HMAC-SHA256 on a pre-keyed EVP_MAC_CTX;
// RSA/ECDSA through EVP_DigestSign/EVP_DigestVerify with the EVP_PKEY parsed once;
// Ed25519 through libsodium.
void RawSign(benchmark::State& state, writ::Alg alg);
void RawVerify(benchmark::State& state, writ::Alg alg);

// libjwt 1.10: jwt_encode_str on a jwt_t prepared once; jwt_decode with the key, then
// exp/iss/aud through jwt_get_grant*. HS256, RS256 and ES256 only (no EdDSA in 1.10).
void LibjwtSign(benchmark::State& state, writ::Alg alg);
void LibjwtVerify(benchmark::State& state, writ::Alg alg);

}  // namespace writ_bench

#endif  // WRIT_BENCH_BENCH_CASES_H_
