// The shared benchmark workload (shared/bench-workload.md): one token per algorithm, the
// same keys as writ keys, OpenSSL keys, PEM text (for libjwt) and libsodium keys, made once.
#ifndef WRIT_BENCH_WORKLOAD_H_
#define WRIT_BENCH_WORKLOAD_H_

#include <sodium.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "writ/alg.h"
#include "writ/claims_builder.h"
#include "writ/key.h"
#include "writ/signer.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ_bench {

inline constexpr std::string_view kIssuer = "https://auth.example.com";
inline constexpr std::string_view kAudience = "api.example.com";
inline constexpr std::string_view kKid = "k1";
inline constexpr std::string_view kClaimsJson =
    R"({"iss":"https://auth.example.com","sub":"user-12345","aud":"api.example.com",)"
    R"("iat":1764000000,"exp":4102444800,"jti":"4f1c2a9e-8d3b-4e7a-9c1d-2b3e4f5a6b7c",)"
    R"("scope":"read write","roles":["user","admin"]})";

struct PkeyDeleter {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// Everything one algorithm's benchmarks need, built once.
struct Workload {
  writ::Alg alg;
  std::string token;          // header.payload.signature, signed by writ with kid "k1"
  std::string signing_input;  // header.payload
  std::vector<std::uint8_t> signature;      // the JWS signature bytes (ECDSA: raw r||s)
  std::vector<std::uint8_t> der_signature;  // ECDSA only: the same signature as DER

  std::unique_ptr<writ::Signer> signer;
  std::unique_ptr<writ::ClaimsBuilder> claims;
  std::unique_ptr<writ::Verifier> verifier;
  std::unique_ptr<writ::Validator> validator;

  std::vector<std::uint8_t> hmac_secret;  // HS256
  PkeyPtr pkey;                           // RS256, ES256: the private key, for signing
  PkeyPtr public_pkey;                    // RS256, ES256: the public key alone, for verifying
  std::string public_pem;                 // RS256, ES256: for libjwt
  std::string private_pem;                // RS256, ES256: for libjwt signing
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> ed_public{};   // EdDSA
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> ed_secret{};   // EdDSA
};

// The workload of `alg` (HS256, RS256, ES256 or EdDSA), made on first use. Aborts with a
// message when anything does not match the shared workload, so no figure is ever
// measured on the wrong bytes.
const Workload& GetWorkload(writ::Alg alg);

// Prints `what` to stderr and exits non-zero.
[[noreturn]] void Die(std::string_view what);

std::string Base64UrlEncode(const std::uint8_t* bytes, std::size_t size);
std::vector<std::uint8_t> Base64UrlDecode(std::string_view text);

}  // namespace writ_bench

#endif  // WRIT_BENCH_WORKLOAD_H_
