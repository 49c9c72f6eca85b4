#include "writ/unverified.h"

#include "core/base64url.h"
#include "core/compact_jws.h"
#include "core/strict_json.h"
#include "writ/verifier.h"

namespace writ {

Result<UnverifiedJws> DecodeUnverified(std::string_view token) {
  auto parts = internal::SplitCompact(token);
  if (!parts) {
    return tl::unexpected(parts.error());
  }
  UnverifiedJws decoded;
  if (!internal::Base64UrlDecode(parts->header, decoded.header_json) ||
      !internal::Base64UrlDecode(parts->payload, decoded.payload_json) ||
      !internal::Base64UrlDecode(parts->signature, decoded.signature)) {
    return Fail(ErrorCode::kMalformed, "a part is not canonical base64url");
  }
  const internal::JsonLimits limits{.max_bytes = kMaxTokenBytes, .max_depth = kMaxJsonDepth};
  if (auto header = internal::ParseStrictObject(decoded.header_json, limits); !header) {
    return Fail(header.error().code, "header: " + header.error().detail);
  }
  decoded.payload_is_json = internal::ParseStrictObject(decoded.payload_json, limits).has_value();
  decoded.signing_input = std::string(parts->signing_input);
  return decoded;
}

}  // namespace writ
