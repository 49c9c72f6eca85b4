// The raw primitives on the workload's signing input: the floor any JWT library sits on.
#include <sodium.h>

#include <array>
#include <cstdint>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "bench_cases.h"
#include "workload.h"

namespace writ_bench {
namespace {

const std::uint8_t* Bytes(const std::string& text) {
  return reinterpret_cast<const std::uint8_t*>(text.data());
}

// HMAC-SHA256 keyed once; each iteration re-initialises the context without a key
// (EVP_MAC_init(ctx, NULL, 0, NULL) reuses the keyed inner/outer state in OpenSSL 3),
// which is the fastest use OpenSSL allows. Verify adds the constant-time tag compare.
void RawHmac(benchmark::State& state, const Workload& workload, bool compare) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end(),
  };
  if (ctx == nullptr || EVP_MAC_init(ctx, workload.hmac_secret.data(),
                                     workload.hmac_secret.size(), params) != 1) {
    Die("EVP_MAC_init");
  }
  std::array<std::uint8_t, 32> tag{};
  for (auto _ : state) {
    std::size_t tag_size = 0;
    if (EVP_MAC_init(ctx, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(ctx, Bytes(workload.signing_input), workload.signing_input.size()) != 1 ||
        EVP_MAC_final(ctx, tag.data(), &tag_size, tag.size()) != 1) {
      state.SkipWithError("HMAC failed");
      break;
    }
    if (compare && (tag_size != workload.signature.size() ||
                    CRYPTO_memcmp(tag.data(), workload.signature.data(), tag_size) != 0)) {
      state.SkipWithError("HMAC tag differs from writ's");
      break;
    }
    benchmark::DoNotOptimize(tag.data());
  }
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
}

// RSA PKCS#1 v1.5 / ECDSA with SHA-256 through EVP_DigestSign / EVP_DigestVerify, with
// the EVP_PKEY parsed once (verify: the public key alone) and the digest fetched once. ECDSA verifies the DER form of
// the token's r||s signature, converted once outside the loop.
void RawPkeyVerify(benchmark::State& state, const Workload& workload) {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const std::vector<std::uint8_t>& signature =
      workload.alg == writ::Alg::kEs256 ? workload.der_signature : workload.signature;
  for (auto _ : state) {
    if (EVP_DigestVerifyInit(ctx, nullptr, sha256, nullptr, workload.public_pkey.get()) != 1 ||
        EVP_DigestVerify(ctx, signature.data(), signature.size(), Bytes(workload.signing_input),
                         workload.signing_input.size()) != 1) {
      state.SkipWithError("EVP_DigestVerify failed");
      break;
    }
    EVP_MD_CTX_reset(ctx);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(sha256);
}

void RawPkeySign(benchmark::State& state, const Workload& workload) {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::vector<std::uint8_t> signature(static_cast<std::size_t>(EVP_PKEY_get_size(workload.pkey.get())));
  for (auto _ : state) {
    std::size_t size = signature.size();
    if (EVP_DigestSignInit(ctx, nullptr, sha256, nullptr, workload.pkey.get()) != 1 ||
        EVP_DigestSign(ctx, signature.data(), &size, Bytes(workload.signing_input),
                       workload.signing_input.size()) != 1) {
      state.SkipWithError("EVP_DigestSign failed");
      break;
    }
    benchmark::DoNotOptimize(signature.data());
    EVP_MD_CTX_reset(ctx);
  }
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(sha256);
}

}  // namespace

void RawSign(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  switch (alg) {
    case writ::Alg::kHs256:
      RawHmac(state, workload, /*compare=*/false);
      return;
    case writ::Alg::kEdDsa: {
      std::array<std::uint8_t, crypto_sign_BYTES> signature{};
      for (auto _ : state) {
        crypto_sign_detached(signature.data(), nullptr, Bytes(workload.signing_input),
                             workload.signing_input.size(), workload.ed_secret.data());
        benchmark::DoNotOptimize(signature.data());
      }
      return;
    }
    default:
      RawPkeySign(state, workload);
      return;
  }
}

void RawVerify(benchmark::State& state, writ::Alg alg) {
  const Workload& workload = GetWorkload(alg);
  switch (alg) {
    case writ::Alg::kHs256:
      RawHmac(state, workload, /*compare=*/true);
      return;
    case writ::Alg::kEdDsa:
      for (auto _ : state) {
        if (crypto_sign_verify_detached(workload.signature.data(), Bytes(workload.signing_input),
                                        workload.signing_input.size(),
                                        workload.ed_public.data()) != 0) {
          state.SkipWithError("crypto_sign_verify_detached failed");
          break;
        }
      }
      return;
    default:
      RawPkeyVerify(state, workload);
      return;
  }
}

}  // namespace writ_bench
