// writ::Signer: makes compact JWS tokens with one private key.
#ifndef WRIT_SIGNER_H_
#define WRIT_SIGNER_H_

#include <string>

#include "writ/claims_builder.h"
#include "writ/key.h"
#include "writ/result.h"

namespace writ {

struct SignOptions {
  // The header typ ("JWT", "at+jwt", ...); empty leaves it out.
  std::string type = "JWT";
  // Signing a token without exp is refused unless this is set (RFC 8725 §3.10).
  bool allow_missing_expiration = false;
};

// Immutable; safe to share across threads. The header is {"alg","typ","kid"} with alg
// and kid from the key.
class Signer {
 public:
  // kInvalidKey when `key` cannot sign.
  static Result<Signer> Create(Key key);

  [[nodiscard]] Result<std::string> Sign(const ClaimsBuilder& claims,
                                         const SignOptions& options = {}) const;

  const Key& key() const { return key_; }

 private:
  explicit Signer(Key key) : key_(std::move(key)) {}
  Key key_;
};

}  // namespace writ

#endif  // WRIT_SIGNER_H_
