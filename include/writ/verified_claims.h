// writ::VerifiedClaims: the claims of a token whose signature or tag has been checked,
// with typed accessors. Only verifiers make one (through VerifiedJwt or VerifiedPaseto).
#ifndef WRIT_VERIFIED_CLAIMS_H_
#define WRIT_VERIFIED_CLAIMS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "writ/clock.h"

namespace writ {

namespace internal {
class ClaimsDocument;
}  // namespace internal

class VerifiedClaims {
 public:
  // Registered claims (RFC 7519 §4.1; PASETO's are the same names, with RFC 3339 times);
  // nullopt when absent.
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

  // The verified payload exactly as signed or decrypted.
  std::string_view payload_json() const;

  const internal::ClaimsDocument& claims() const { return *claims_; }

 protected:
  explicit VerifiedClaims(std::shared_ptr<const internal::ClaimsDocument> claims) : claims_(std::move(claims)) {}

 private:
  std::shared_ptr<const internal::ClaimsDocument> claims_;
};

}  // namespace writ

#endif  // WRIT_VERIFIED_CLAIMS_H_
