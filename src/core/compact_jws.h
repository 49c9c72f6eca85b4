// Splitting a compact JWS (RFC 7515 §7.1) into its three parts.
#ifndef WRIT_CORE_COMPACT_JWS_H_
#define WRIT_CORE_COMPACT_JWS_H_

#include <string_view>

#include "writ/result.h"

namespace writ::internal {

struct CompactParts {
  std::string_view header;         // base64url
  std::string_view payload;        // base64url
  std::string_view signature;      // base64url
  std::string_view signing_input;  // "header.payload", exactly as in the token
};

// Exactly three parts separated by '.', none but the signature empty, at most
// kMaxTokenBytes in all (kTooLarge). Alphabet checks happen when each part is decoded.
Result<CompactParts> SplitCompact(std::string_view token);

}  // namespace writ::internal

#endif  // WRIT_CORE_COMPACT_JWS_H_
