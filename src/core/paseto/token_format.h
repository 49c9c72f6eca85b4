// The PASETO token format: "vN.purpose." || base64url(body) [|| "." || base64url(footer)].
#ifndef WRIT_CORE_PASETO_TOKEN_FORMAT_H_
#define WRIT_CORE_PASETO_TOKEN_FORMAT_H_

#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ::internal {

struct PasetoParts {
  std::string body;    // decoded
  std::string footer;  // decoded; empty when the token has none
};

// Splits `token` that must start with exactly `header` (for example "v4.local.").
// kMalformed for another header (another version or purpose), a missing or empty body,
// an empty footer part, more parts, or non-canonical base64url; kTooLarge over
// kMaxPasetoBytes or a footer over kMaxPasetoFooterBytes. `min_body` is the least body
// length the version and purpose allow (nonce and tag, or signature).
Result<PasetoParts> SplitPaseto(std::string_view token, std::string_view header, std::size_t min_body);

// header || base64url(body) [|| "." || base64url(footer)].
std::string JoinPaseto(std::string_view header, std::string_view body, std::string_view footer);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_TOKEN_FORMAT_H_
