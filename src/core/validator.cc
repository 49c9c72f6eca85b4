#include "writ/validator.h"

#include <cctype>

#include "core/claims_document.h"
#include "core/numeric_date.h"
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

// RFC 7519 §4.1.1-4.1.3, §4.1.7: iss, sub and jti are strings; aud a string or an
// array of strings.
Status CheckClaimTypes(simdjson::dom::object claims) {
  for (std::string_view name : {"iss", "sub", "jti"}) {
    simdjson::dom::element value;
    if (claims.at_key(name).get(value) == simdjson::SUCCESS && !value.is_string()) {
      return Fail(ErrorCode::kInvalidClaim, std::string(name) + " must be a string");
    }
  }
  simdjson::dom::element aud;
  if (claims.at_key("aud").get(aud) == simdjson::SUCCESS && !aud.is_string()) {
    simdjson::dom::array list;
    if (aud.get(list) != simdjson::SUCCESS) {
      return Fail(ErrorCode::kInvalidClaim, "aud must be a string or an array of strings");
    }
    for (auto item : list) {
      if (!item.is_string()) {
        return Fail(ErrorCode::kInvalidClaim, "aud must be a string or an array of strings");
      }
    }
  }
  return {};
}

struct TimeClaims {
  std::optional<std::int64_t> exp;
  std::optional<std::int64_t> nbf;
  std::optional<std::int64_t> iat;
};

Result<TimeClaims> ReadTimeClaims(simdjson::dom::object claims) {
  TimeClaims times;
  for (auto [name, slot] : {std::pair{"exp", &times.exp}, std::pair{"nbf", &times.nbf},
                            std::pair{"iat", &times.iat}}) {
    auto value = internal::ReadNumericDate(claims, name);
    if (!value) {
      return tl::unexpected(value.error());
    }
    *slot = *value;
  }
  return times;
}

}  // namespace

Status Validator::Validate(const VerifiedJwt& token) const {
  if (type_) {
    if (!token.type() || !SameMediaType(*token.type(), *type_)) {
      return Fail(ErrorCode::kTypeMismatch, "token typ is not \"" + *type_ + "\"");
    }
  }
  const simdjson::dom::object claims = token.claims().root();
  if (auto status = CheckClaimTypes(claims); !status) {
    return status;
  }
  auto times = ReadTimeClaims(claims);
  if (!times) {
    return tl::unexpected(times.error());
  }
  const std::int64_t now = clock_->Now().time_since_epoch().count();
  const std::int64_t skew = skew_.count();
  // RFC 7519 §4.1.4: "the current date/time MUST be before the expiration date/time".
  if (!times->exp) {
    if (!allow_missing_exp_) {
      return Fail(ErrorCode::kMissingClaim, "token has no exp");
    }
  } else if (now >= *times->exp + skew) {
    return Fail(ErrorCode::kExpired, "token expired");
  }
  // RFC 7519 §4.1.5: "MUST NOT be accepted for processing" before nbf.
  if (times->nbf && now + skew < *times->nbf) {
    return Fail(ErrorCode::kNotYetValid, "token not valid before its nbf");
  }
  if (times->iat && *times->iat > now + skew) {
    return Fail(ErrorCode::kIssuedInFuture, "token iat is in the future");
  }
  if (max_age_) {
    if (!times->iat) {
      return Fail(ErrorCode::kMissingClaim, "token has no iat, needed for the maximum age");
    }
    if (now - *times->iat > max_age_->count() + skew) {
      return Fail(ErrorCode::kTooOld, "token older than the maximum age");
    }
  }
  if (issuer_ && token.issuer() != std::optional<std::string_view>(*issuer_)) {
    return Fail(ErrorCode::kIssuerMismatch, "token iss is not the expected issuer");
  }
  if (subject_ && token.subject() != std::optional<std::string_view>(*subject_)) {
    return Fail(ErrorCode::kInvalidClaim, "token sub is not the expected subject");
  }
  // RFC 7519 §4.1.3: a recipient that does not identify itself with a value of a present
  // aud claim MUST reject the token.
  const std::vector<std::string_view> audiences = token.audiences();
  if (audiences.empty() && token.HasClaim("aud") && audience_) {
    return Fail(ErrorCode::kAudienceMismatch, "token aud is empty");
  }
  if (audience_) {
    bool found = false;
    for (std::string_view audience : audiences) {
      found = found || audience == *audience_;
    }
    if (!found) {
      return Fail(ErrorCode::kAudienceMismatch, token.HasClaim("aud")
                                                    ? "token aud does not include the expected audience"
                                                    : "token has no aud");
    }
  } else if (token.HasClaim("aud") && !ignore_audience_) {
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
  max_age_invalid_ = max_age <= std::chrono::seconds(0);
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
    return Fail(ErrorCode::kInvalidArgument, "maximum token age must be positive");
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
