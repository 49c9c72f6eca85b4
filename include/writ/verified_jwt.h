// writ::VerifiedJwt: a JWS whose signature and claims have been checked. Only the
// Verifier makes one; with VerifiedPaseto it is the only type with claim accessors.
#ifndef WRIT_VERIFIED_JWT_H_
#define WRIT_VERIFIED_JWT_H_

#include <memory>
#include <optional>
#include <string>

#include "writ/alg.h"
#include "writ/verified_claims.h"

namespace writ {

class VerifiedJwt : public VerifiedClaims {
 public:
  Alg alg() const { return alg_; }
  // The kid of the key that verified the token.
  const std::string& kid() const { return kid_; }
  // The header typ, if any.
  const std::optional<std::string>& type() const { return type_; }

 private:
  friend class Verifier;
  VerifiedJwt(Alg alg, std::string kid, std::optional<std::string> type,
              std::shared_ptr<const internal::ClaimsDocument> claims)
      : VerifiedClaims(std::move(claims)), alg_(alg), kid_(std::move(kid)), type_(std::move(type)) {}

  Alg alg_;
  std::string kid_;
  std::optional<std::string> type_;
};

}  // namespace writ

#endif  // WRIT_VERIFIED_JWT_H_
