#include "writ/verified_jwt.h"

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

VerifiedJwt::VerifiedJwt(Alg alg, std::string kid, std::optional<std::string> type,
                         std::shared_ptr<const internal::ClaimsDocument> claims)
    : alg_(alg), kid_(std::move(kid)), type_(std::move(type)), claims_(std::move(claims)) {}

std::optional<std::string_view> VerifiedJwt::issuer() const { return claims_->registered().iss; }
std::optional<std::string_view> VerifiedJwt::subject() const { return claims_->registered().sub; }
std::optional<std::string_view> VerifiedJwt::jwt_id() const { return claims_->registered().jti; }
std::optional<Seconds> VerifiedJwt::expires_at() const { return AsSeconds(claims_->registered().exp); }
std::optional<Seconds> VerifiedJwt::not_before() const { return AsSeconds(claims_->registered().nbf); }
std::optional<Seconds> VerifiedJwt::issued_at() const { return AsSeconds(claims_->registered().iat); }

std::vector<std::string_view> VerifiedJwt::audiences() const {
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

bool VerifiedJwt::HasClaim(std::string_view name) const {
  return claims_->Find(name).error() == simdjson::SUCCESS;
}

std::optional<std::string_view> VerifiedJwt::StringClaim(std::string_view name) const {
  std::string_view value;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> VerifiedJwt::IntegerClaim(std::string_view name) const {
  std::int64_t value = 0;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<double> VerifiedJwt::NumberClaim(std::string_view name) const {
  double value = 0;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<bool> VerifiedJwt::BoolClaim(std::string_view name) const {
  bool value = false;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::vector<std::string_view>> VerifiedJwt::StringListClaim(std::string_view name) const {
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

std::optional<std::string> VerifiedJwt::JsonClaim(std::string_view name) const {
  simdjson::dom::element value;
  if (claims_->Find(name).get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return internal::ToJson(value);
}

std::string_view VerifiedJwt::payload_json() const { return claims_->payload_json(); }

}  // namespace writ
