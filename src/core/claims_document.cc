#include "core/claims_document.h"

#include "core/base64url.h"
#include "core/numeric_date.h"
#include "core/strict_json.h"
#include "writ/verifier.h"

namespace writ::internal {
namespace {

Status ReadString(simdjson::dom::element value, std::string_view name, std::optional<std::string_view>& slot) {
  std::string_view text;
  if (value.get(text) != simdjson::SUCCESS) {
    return Fail(ErrorCode::kInvalidClaim, std::string(name) + " must be a string");
  }
  slot = text;
  return {};
}

Status ReadDate(simdjson::dom::element value, std::string_view name, std::optional<std::int64_t>& slot) {
  slot = ToNumericDate(value);
  if (!slot) {
    return Fail(ErrorCode::kInvalidClaim, std::string(name) + " must be a NumericDate between 0 and year 9999");
  }
  return {};
}

Status ReadAudience(simdjson::dom::element value, RegisteredClaims& claims) {
  claims.has_aud = true;
  std::string_view single;
  if (value.get(single) == simdjson::SUCCESS) {
    claims.aud_string = single;
    return {};
  }
  if (value.get(claims.aud_array) != simdjson::SUCCESS) {
    return Fail(ErrorCode::kInvalidClaim, "aud must be a string or an array of strings");
  }
  for (auto item : claims.aud_array) {
    if (!item.is_string()) {
      return Fail(ErrorCode::kInvalidClaim, "aud must be a string or an array of strings");
    }
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<const ClaimsDocument>> ClaimsDocument::Parse(std::string_view encoded_payload) {
  auto claims = std::make_shared<ClaimsDocument>();
  if (!Base64UrlDecode(encoded_payload, claims->payload_, kJsonPadding)) {
    return Fail(ErrorCode::kMalformed, "payload is not canonical base64url");
  }
  // RFC 7519 §7.2 step 10: the claims set must be a JSON object.
  auto root = ParseStrictObjectInto(claims->document_, claims->payload_,
                                    JsonLimits{.max_bytes = kMaxTokenBytes, .max_depth = kMaxJsonDepth},
                                    /*padded=*/true);
  if (!root) {
    return Fail(root.error().code, "claims: " + root.error().detail);
  }
  claims->root_ = *root;
  if (auto status = claims->ReadRegistered(); !status) {
    return tl::unexpected(status.error());
  }
  return claims;
}

// One pass over the members; names are unique (checked by the parser).
Status ClaimsDocument::ReadRegistered() {
  for (auto field : root_) {
    const std::string_view name = field.key;
    if (name.size() != 3) {
      continue;
    }
    Status status;
    if (name == "iss") {
      status = ReadString(field.value, name, registered_.iss);
    } else if (name == "sub") {
      status = ReadString(field.value, name, registered_.sub);
    } else if (name == "jti") {
      status = ReadString(field.value, name, registered_.jti);
    } else if (name == "aud") {
      status = ReadAudience(field.value, registered_);
    } else if (name == "exp") {
      status = ReadDate(field.value, name, registered_.exp);
    } else if (name == "nbf") {
      status = ReadDate(field.value, name, registered_.nbf);
    } else if (name == "iat") {
      status = ReadDate(field.value, name, registered_.iat);
    }
    if (!status) {
      return status;
    }
  }
  return {};
}

}  // namespace writ::internal
