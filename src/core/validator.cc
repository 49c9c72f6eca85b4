#include "writ/validator.h"

#include <cctype>

#include "core/claims_document.h"
#include "writ/verified_jwt.h"

namespace writ {
namespace {

// RFC 7515 §4.1.9: typ is a media type, compared case-insensitively, and "application/"
// may be omitted.
std::string_view WithoutApplicationPrefix(std::string_view type) {
  constexpr std::string_view kPrefix = "application/";
  if (type.size() > kPrefix.size()) {
    bool matches = true;
    for (std::size_t i = 0; i < kPrefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(type[i])) != kPrefix[i]) {
        matches = false;
        break;
      }
    }
    if (matches) {
      return type.substr(kPrefix.size());
    }
  }
  return type;
}

bool SameMediaType(std::string_view a, std::string_view b) {
  a = WithoutApplicationPrefix(a);
  b = WithoutApplicationPrefix(b);
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// RFC 7519 §4.1.3: true when the token's aud names `audience`.
bool AudienceContains(const internal::RegisteredClaims& claims, std::string_view audience) {
  if (claims.aud_string) {
    return *claims.aud_string == audience;
  }
  if (claims.has_aud) {
    for (auto item : claims.aud_array) {
      if (item.get_string().value_unsafe() == audience) {  // types checked at parse
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Status Validator::Validate(const VerifiedJwt& token) const {
  if (type_) {
    if (!token.type() || !SameMediaType(*token.type(), *type_)) {
      return Fail(ErrorCode::kTypeMismatch, "token typ is not \"" + *type_ + "\"");
    }
  }
  return ValidateClaims(token);
}

Status Validator::ValidateClaims(const VerifiedClaims& token) const {
  // Claim types were checked when the payload was parsed (ClaimsDocument::Parse).
  const internal::RegisteredClaims& claims = token.claims().registered();
  const std::int64_t now = clock_->Now().time_since_epoch().count();
  const std::int64_t skew = skew_.count();
  // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time".
  if (!claims.exp) {
    if (!allow_missing_exp_) {
      return Fail(ErrorCode::kMissingClaim, "token has no exp");
    }
  } else if (now >= *claims.exp + skew) {
    return Fail(ErrorCode::kExpired, "token expired");
  }
  // RFC 7519 §4.1.5: "MUST NOT be accepted for processing" before nbf.
  if (claims.nbf && now + skew < *claims.nbf) {
    return Fail(ErrorCode::kNotYetValid, "token not valid before its nbf");
  }
  if (claims.iat && *claims.iat > now + skew) {
    return Fail(ErrorCode::kIssuedInFuture, "token iat is in the future");
  }
  if (max_age_) {
    if (!claims.iat) {
      return Fail(ErrorCode::kMissingClaim, "token has no iat, needed for the maximum age");
    }
    if (now - *claims.iat > max_age_->count() + skew) {
      return Fail(ErrorCode::kTooOld, "token older than the maximum age");
    }
  }
  if (issuer_ && claims.iss != std::optional<std::string_view>(*issuer_)) {
    return Fail(ErrorCode::kIssuerMismatch, "token iss is not the expected issuer");
  }
  if (subject_ && claims.sub != std::optional<std::string_view>(*subject_)) {
    return Fail(ErrorCode::kInvalidClaim, "token sub is not the expected subject");
  }
  // RFC 7519 §4.1.3: a recipient that does not identify itself with a value of a present
  // aud claim MUST reject the token.
  if (audience_ && !AudienceContains(claims, *audience_)) {
    return Fail(ErrorCode::kAudienceMismatch, claims.has_aud ? "token aud does not include the expected audience"
                                                             : "token has no aud");
  }
  if (!audience_ && claims.has_aud && !ignore_audience_) {
    return Fail(ErrorCode::kAudienceMismatch, "token has an aud but this validator expects none");
  }
  for (const std::string& name : required_claims_) {
    if (!token.HasClaim(name)) {
      return Fail(ErrorCode::kMissingClaim, "token has no " + name);
    }
  }
  return {};
}

ValidatorBuilder& ValidatorBuilder::ExpectIssuer(std::string issuer) {
  pending_.issuer_ = std::move(issuer);
  return *this;
}
ValidatorBuilder& ValidatorBuilder::ExpectAudience(std::string audience) {
  pending_.audience_ = std::move(audience);
  return *this;
}
ValidatorBuilder& ValidatorBuilder::ExpectType(std::string typ) {
  pending_.type_ = std::move(typ);
  return *this;
}
ValidatorBuilder& ValidatorBuilder::ExpectSubject(std::string subject) {
  pending_.subject_ = std::move(subject);
  return *this;
}
ValidatorBuilder& ValidatorBuilder::RequireClaim(std::string name) {
  pending_.required_claims_.push_back(std::move(name));
  return *this;
}
ValidatorBuilder& ValidatorBuilder::ClockSkew(std::chrono::seconds skew) {
  skew_invalid_ = skew < std::chrono::seconds(0) || skew > kMaxClockSkew;
  pending_.skew_ = skew;
  return *this;
}
ValidatorBuilder& ValidatorBuilder::MaxAge(std::chrono::seconds max_age) {
  // Bounded so that time arithmetic cannot overflow: 100 years is more than any token needs.
  max_age_invalid_ = max_age <= std::chrono::seconds(0) || max_age > std::chrono::hours(24 * 366 * 100);
  pending_.max_age_ = max_age;
  return *this;
}
ValidatorBuilder& ValidatorBuilder::AllowMissingExpiration() {
  pending_.allow_missing_exp_ = true;
  return *this;
}
ValidatorBuilder& ValidatorBuilder::IgnoreAudience() {
  pending_.ignore_audience_ = true;
  return *this;
}
ValidatorBuilder& ValidatorBuilder::SetClock(std::shared_ptr<const Clock> clock) {
  pending_.clock_ = std::move(clock);
  return *this;
}

Result<Validator> ValidatorBuilder::Build() const {
  if (skew_invalid_) {
    return Fail(ErrorCode::kInvalidArgument, "clock skew must be between 0 and 10 minutes");
  }
  if (max_age_invalid_) {
    return Fail(ErrorCode::kInvalidArgument, "maximum token age must be positive and at most 100 years");
  }
  const auto empty = [](const std::optional<std::string>& value) { return value && value->empty(); };
  if (empty(pending_.issuer_) || empty(pending_.audience_) || empty(pending_.type_) ||
      empty(pending_.subject_)) {
    return Fail(ErrorCode::kInvalidArgument, "expected issuer, audience, type and subject must not be empty");
  }
  if (pending_.audience_ && pending_.ignore_audience_) {
    return Fail(ErrorCode::kInvalidArgument, "ExpectAudience and IgnoreAudience contradict each other");
  }
  Validator validator = pending_;
  if (!validator.clock_) {
    validator.clock_ = DefaultClock();
  }
  return validator;
}

}  // namespace writ
