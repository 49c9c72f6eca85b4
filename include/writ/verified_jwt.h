// writ::VerifiedJwt: a token whose signature and claims have been checked. Only the
// Verifier makes one; it is the only type with claim accessors.
#ifndef WRIT_VERIFIED_JWT_H_
#define WRIT_VERIFIED_JWT_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "writ/alg.h"
#include "writ/clock.h"

namespace writ {

namespace internal {
class ClaimsDocument;
}  // namespace internal

class VerifiedJwt {
 public:
  Alg alg() const { return alg_; }
  // The kid of the key that verified the token.
  const std::string& kid() const { return kid_; }
  // The header typ, if any.
  const std::optional<std::string>& type() const { return type_; }

  // Registered claims (RFC 7519 §4.1); nullopt when absent.
  std::optional<std::string_view> issuer() const;
  std::optional<std::string_view> subject() const;
  std::optional<std::string_view> jwt_id() const;
  std::vector<std::string_view> audiences() const;  // a string aud is a one-element list
  std::optional<Seconds> expires_at() const;
  std::optional<Seconds> not_before() const;
  std::optional<Seconds> issued_at() const;

  // Any claim by name; nullopt when absent or of another JSON type.
  bool HasClaim(std::string_view name) const;
  std::optional<std::string_view> StringClaim(std::string_view name) const;
  std::optional<std::int64_t> IntegerClaim(std::string_view name) const;
  std::optional<double> NumberClaim(std::string_view name) const;
  std::optional<bool> BoolClaim(std::string_view name) const;
  std::optional<std::vector<std::string_view>> StringListClaim(std::string_view name) const;
  // The claim's value re-serialised as minified JSON.
  std::optional<std::string> JsonClaim(std::string_view name) const;

  // The verified payload exactly as signed (decoded from base64url).
  std::string_view payload_json() const;

  const internal::ClaimsDocument& claims() const { return *claims_; }

 private:
  friend class Verifier;
  VerifiedJwt(Alg alg, std::string kid, std::optional<std::string> type,
              std::shared_ptr<const internal::ClaimsDocument> claims);

  Alg alg_;
  std::string kid_;
  std::optional<std::string> type_;
  std::shared_ptr<const internal::ClaimsDocument> claims_;
};

}  // namespace writ

#endif  // WRIT_VERIFIED_JWT_H_
