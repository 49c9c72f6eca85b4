// writ::Validator: the claim policy a verified token must meet, built once and reused.
#ifndef WRIT_VALIDATOR_H_
#define WRIT_VALIDATOR_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "writ/clock.h"
#include "writ/result.h"

namespace writ {

class VerifiedClaims;
class VerifiedJwt;

// An immutable claim policy. Safe to share across threads.
//
// Rules (RFC 7519 §4.1, RFC 8725 §3):
//  - exp is required and the token is expired when now >= exp + skew (so exp == now is
//    expired), unless AllowMissingExpiration() was set; nbf, when present, must be
//    <= now + skew; iat, when present, must be <= now + skew and, with MaxAge(), no
//    older than now - max_age - skew.
//  - exp, nbf and iat must be JSON numbers (NumericDate); iss, sub, jti strings; aud a
//    string or an array of strings.
//  - With ExpectIssuer the iss must be equal; with ExpectAudience aud must contain it;
//    a token that carries aud when no audience is expected is rejected (RFC 7519
//    §4.1.3) unless IgnoreAudience() was set.
//  - With ExpectType the header typ must match (case-insensitive, an "application/"
//    prefix ignored, RFC 7515 §4.1.9).
class Validator {
 public:
  // Checks the header typ and the claims of a JWS whose signature is already verified.
  [[nodiscard]] Status Validate(const VerifiedJwt& token) const;

  // Checks the claims alone, for formats without a typ header (PASETO): the registered
  // claims and RequireClaim. ExpectType does not apply.
  [[nodiscard]] Status ValidateClaims(const VerifiedClaims& token) const;

  const Clock& clock() const { return *clock_; }

 private:
  friend class ValidatorBuilder;
  Validator() = default;

  std::optional<std::string> issuer_;
  std::optional<std::string> audience_;
  std::optional<std::string> type_;
  std::optional<std::string> subject_;
  std::vector<std::string> required_claims_;
  std::chrono::seconds skew_{0};
  std::optional<std::chrono::seconds> max_age_;
  bool allow_missing_exp_ = false;
  bool ignore_audience_ = false;
  std::shared_ptr<const Clock> clock_;
};

class ValidatorBuilder {
 public:
  // The largest clock skew Build() accepts.
  static constexpr std::chrono::seconds kMaxClockSkew{600};

  ValidatorBuilder& ExpectIssuer(std::string issuer);
  ValidatorBuilder& ExpectAudience(std::string audience);
  ValidatorBuilder& ExpectType(std::string typ);
  ValidatorBuilder& ExpectSubject(std::string subject);
  ValidatorBuilder& RequireClaim(std::string name);
  ValidatorBuilder& ClockSkew(std::chrono::seconds skew);
  ValidatorBuilder& MaxAge(std::chrono::seconds max_age);
  ValidatorBuilder& AllowMissingExpiration();
  ValidatorBuilder& IgnoreAudience();
  ValidatorBuilder& SetClock(std::shared_ptr<const Clock> clock);

  // The validator; kInvalidArgument for a skew over kMaxClockSkew or negative, a max age
  // not in (0, 100 years], empty expected values, or ExpectAudience with IgnoreAudience.
  Result<Validator> Build() const;

 private:
  Validator pending_;
  bool skew_invalid_ = false;
  bool max_age_invalid_ = false;
};

}  // namespace writ

#endif  // WRIT_VALIDATOR_H_
