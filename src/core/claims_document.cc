#include "core/claims_document.h"

#include "core/base64url.h"
#include "core/numeric_date.h"
#include "core/rfc3339.h"
#include "core/strict_json.h"
#include "writ/paseto.h"
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

Status ReadDate(simdjson::dom::element value, std::string_view name, TimeFormat format,
                std::optional<std::int64_t>& slot) {
  if (format == TimeFormat::kNumericDate) {
    slot = ToNumericDate(value);
    if (!slot) {
      return Fail(ErrorCode::kInvalidClaim, std::string(name) + " must be a NumericDate between 0 and year 9999");
    }
    return {};
  }
  std::string_view text;
  if (value.get(text) == simdjson::SUCCESS) {
    slot = ParseRfc3339(text);
  }
  if (!slot) {
    return Fail(ErrorCode::kInvalidClaim, std::string(name) + " must be an RFC 3339 date-time string");
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
  if (auto status = claims->ParseOwnPayload(TimeFormat::kNumericDate); !status) {
    return tl::unexpected(status.error());
  }
  return claims;
}

Result<std::shared_ptr<const ClaimsDocument>> ClaimsDocument::ParseJson(std::string_view payload, TimeFormat format) {
  auto claims = std::make_shared<ClaimsDocument>();
  claims->payload_ = PaddedCopy(payload);
  if (auto status = claims->ParseOwnPayload(format); !status) {
    return tl::unexpected(status.error());
  }
  return claims;
}

Status ClaimsDocument::ParseOwnPayload(TimeFormat format) {
  // RFC 7519 §7.2 step 10: the claims set must be a JSON object.
  auto root = ParseStrictObjectInto(document_, payload_,
                                    JsonLimits{.max_bytes = kMaxPasetoBytes, .max_depth = kMaxJsonDepth},
                                    /*padded=*/true);
  if (!root) {
    return Fail(root.error().code, "claims: " + root.error().detail);
  }
  root_ = *root;
  return ReadRegistered(format);
}

// One pass over the members; names are unique (checked by the parser).
Status ClaimsDocument::ReadRegistered(TimeFormat format) {
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
      status = ReadDate(field.value, name, format, registered_.exp);
    } else if (name == "nbf") {
      status = ReadDate(field.value, name, format, registered_.nbf);
    } else if (name == "iat") {
      status = ReadDate(field.value, name, format, registered_.iat);
    }
    if (!status) {
      return status;
    }
  }
  return {};
}

}  // namespace writ::internal
