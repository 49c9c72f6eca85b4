#include "writ/verified_claims.h"

#include "core/claims_document.h"
#include "core/json_writer.h"
#include "core/numeric_date.h"

namespace writ {
namespace {

std::optional<Seconds> AsSeconds(std::optional<std::int64_t> seconds) {
  if (!seconds) {
    return std::nullopt;
  }
  return Seconds(std::chrono::seconds(*seconds));
}

}  // namespace

std::optional<std::string_view> VerifiedClaims::issuer() const { return claims_->registered().iss; }
std::optional<std::string_view> VerifiedClaims::subject() const { return claims_->registered().sub; }
std::optional<std::string_view> VerifiedClaims::jwt_id() const { return claims_->registered().jti; }
std::optional<Seconds> VerifiedClaims::expires_at() const { return AsSeconds(claims_->registered().exp); }
std::optional<Seconds> VerifiedClaims::not_before() const { return AsSeconds(claims_->registered().nbf); }
std::optional<Seconds> VerifiedClaims::issued_at() const { return AsSeconds(claims_->registered().iat); }

std::vector<std::string_view> VerifiedClaims::audiences() const {
  const internal::RegisteredClaims& claims = claims_->registered();
  if (claims.aud_string) {
    return {*claims.aud_string};
  }
  std::vector<std::string_view> values;
  if (claims.has_aud) {
    for (auto item : claims.aud_array) {
      values.push_back(item.get_string().value_unsafe());  // types checked at parse
    }
  }
  return values;
}

bool VerifiedClaims::HasClaim(std::string_view name) const {
  return claims_->Find(name).error() == simdjson::SUCCESS;
}

std::optional<std::string_view> VerifiedClaims::StringClaim(std::string_view name) const {
  std::string_view value;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> VerifiedClaims::IntegerClaim(std::string_view name) const {
  std::int64_t value = 0;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> VerifiedClaims::NumberClaim(std::string_view name) const {
  double value = 0;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> VerifiedClaims::BoolClaim(std::string_view name) const {
  bool value = false;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string_view>> VerifiedClaims::StringListClaim(std::string_view name) const {
  simdjson::dom::array array;
  if (claims_->Find(name).get(array) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  std::vector<std::string_view> values;
  for (auto item : array) {
    std::string_view text;
    if (item.get(text) != simdjson::SUCCESS) {
      return std::nullopt;
    }
    values.push_back(text);
  }
  return values;
}

std::optional<std::string> VerifiedClaims::JsonClaim(std::string_view name) const {
  simdjson::dom::element value;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return internal::ToJson(value);
}

std::string_view VerifiedClaims::payload_json() const { return claims_->payload_json(); }

}  // namespace writ
