// writ::Alg: the JWS algorithms writ implements (RFC 7518 §3, RFC 8037 §3.1). There is no "none".
#ifndef WRIT_ALG_H_
#define WRIT_ALG_H_

#include <optional>
#include <string_view>

namespace writ {

enum class Alg {
  kHs256, kHs384, kHs512,  // HMAC with SHA-2 (RFC 7518 §3.2)
  kRs256, kRs384, kRs512,  // RSASSA-PKCS1-v1_5 (RFC 7518 §3.3)
  kPs256, kPs384, kPs512,  // RSASSA-PSS, MGF1 with the same hash, salt = hash length (RFC 7518 §3.5)
  kEs256, kEs384, kEs512,  // ECDSA on P-256/P-384/P-521, raw r||s signatures (RFC 7518 §3.4)
  kEdDsa,                  // Ed25519 (RFC 8037 §3.1); Ed448 is not supported
};

// The registered name ("HS256", ..., "EdDSA").
std::string_view AlgName(Alg alg);

// The algorithm whose registered name is exactly `name` (case-sensitive, RFC 7515 §4.1.1);
// nullopt for anything else, including "none" in every casing.
std::optional<Alg> AlgFromName(std::string_view name);

// True for HS256/384/512: symmetric algorithms, whose keys must never be published.
bool IsSymmetric(Alg alg);

}  // namespace writ

#endif  // WRIT_ALG_H_
