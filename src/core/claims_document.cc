#include "core/claims_document.h"

#include "core/base64url.h"
#include "core/strict_json.h"
#include "writ/verifier.h"

namespace writ::internal {

Result<std::shared_ptr<const ClaimsDocument>> ClaimsDocument::Parse(std::string_view encoded_payload) {
  std::shared_ptr<ClaimsDocument> claims(new ClaimsDocument());
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
  return claims;
}

}  // namespace writ::internal
