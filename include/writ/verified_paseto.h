// writ::VerifiedPaseto: a PASETO token whose tag or signature and claims have been checked.
#ifndef WRIT_VERIFIED_PASETO_H_
#define WRIT_VERIFIED_PASETO_H_

#include <memory>
#include <string>

#include "writ/verified_claims.h"

namespace writ {

template <typename Key>
class PasetoReader;

class VerifiedPaseto : public VerifiedClaims {
 public:
  // The authenticated footer, as it was in the token.
  const std::string& footer() const { return footer_; }
  // The PASERK id (lid or pid) of the key that opened the token.
  const std::string& kid() const { return kid_; }

 private:
  template <typename Key>
  friend class PasetoReader;
  VerifiedPaseto(std::string footer, std::string kid, std::shared_ptr<const internal::ClaimsDocument> claims)
      : VerifiedClaims(std::move(claims)), footer_(std::move(footer)), kid_(std::move(kid)) {}

  std::string footer_;
  std::string kid_;
};

}  // namespace writ

#endif  // WRIT_VERIFIED_PASETO_H_
