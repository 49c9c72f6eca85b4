#include "unverified_token.h"

#include <cmath>
#include <utility>

namespace writ::cli {

Result<UnverifiedToken> UnverifiedToken::Decode(std::string_view token) {
  Result<UnverifiedJws> jws = DecodeUnverified(token);
  if (!jws) {
    return tl::unexpected(jws.error());
  }
  UnverifiedToken decoded;
  decoded.jws_ = *std::move(jws);
  decoded.token_size_ = token.size();
  decoded.header_parser_ = std::make_unique<simdjson::dom::parser>();
  if (decoded.header_parser_->parse(decoded.jws_.header_json).get(decoded.header_) !=
      simdjson::SUCCESS) {
    return Fail(ErrorCode::kMalformed, "header is not a JSON object");
  }
  if (decoded.jws_.payload_is_json) {
    decoded.payload_parser_ = std::make_unique<simdjson::dom::parser>();
    simdjson::dom::object payload;
    if (decoded.payload_parser_->parse(decoded.jws_.payload_json).get(payload) ==
        simdjson::SUCCESS) {
      decoded.payload_ = payload;
    }
  }
  return decoded;
}

std::string_view UnverifiedToken::header_alg() const {
  std::string_view alg;
  if (header_["alg"].get(alg) != simdjson::SUCCESS) {
    return {};
  }
  return alg;
}

std::optional<std::string_view> UnverifiedToken::StringClaim(std::string_view name) const {
  std::string_view value;
  if (!payload_ || (*payload_)[name].get(value) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  return value;
}

UnverifiedDate UnverifiedToken::DateClaim(std::string_view name) const {
  UnverifiedDate date;
  simdjson::dom::element element;
  if (!payload_ || (*payload_)[name].get(element) != simdjson::SUCCESS) {
    return date;
  }
  date.present = true;
  double value = 0;
  if (!element.is_number() || element.get(value) != simdjson::SUCCESS) {
    return date;
  }
  // RFC 7519 §2: seconds, possibly fractional. Out-of-range values count as invalid.
  constexpr double kLimit = 1e15;
  if (std::isfinite(value) && std::fabs(value) < kLimit) {
    date.seconds = static_cast<std::int64_t>(std::floor(value));
  }
  return date;
}

}  // namespace writ::cli
