// writ::Verifier: turns a compact JWS into a VerifiedJwt, or says why not.
#ifndef WRIT_VERIFIER_H_
#define WRIT_VERIFIER_H_

#include <cstddef>
#include <string_view>

#include "writ/key_set.h"
#include "writ/result.h"
#include "writ/validator.h"
#include "writ/verified_jwt.h"

namespace writ {

// Size limits applied before any decoding.
inline constexpr std::size_t kMaxTokenBytes = 8192;       // whole compact token
inline constexpr std::size_t kMaxHeaderJsonBytes = 1024;  // decoded protected header
inline constexpr std::size_t kMaxJsonDepth = 16;          // nesting of header and claims

// Immutable; safe to share across threads.
//
// Verify() does, in order: size and shape checks (exactly three parts, header and payload
// not empty — an empty or detached payload is kMalformed); strict decoding and parse of
// the protected header; refusal of alg "none", unknown algorithms, jwk/jku/x5u/x5c/x5t
// headers, b64, zip and any crit (RFC 7515 §4.1.11, RFC 8725 §3.1-3.2); key selection by
// kid (KeySet::Select); strict decoding of the signature and its check over the raw
// "header.payload" bytes; only then the decoding and strict parse of the claims and the
// validator. Each part's alphabet is checked when that part is decoded, so a token with
// a bad header and a bad payload reports the header.
class Verifier {
 public:
  // kInvalidArgument for an empty key set.
  static Result<Verifier> Create(KeySet keys);

  [[nodiscard]] Result<VerifiedJwt> Verify(std::string_view token,
                                           const Validator& validator) const;

  const KeySet& keys() const { return keys_; }

 private:
  explicit Verifier(KeySet keys) : keys_(std::move(keys)) {}
  KeySet keys_;
};

}  // namespace writ

#endif  // WRIT_VERIFIER_H_
