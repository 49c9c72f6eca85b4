// writ::DecodeUnverified: reads a compact JWS WITHOUT checking anything but its shape.
// For display and linting only (`writ inspect`, `writ audit`). Nothing read here may
// grant access.
#ifndef WRIT_UNVERIFIED_H_
#define WRIT_UNVERIFIED_H_

#include <string>
#include <string_view>

#include "writ/result.h"

namespace writ {

struct UnverifiedJws {
  std::string header_json;     // decoded protected header (strictly parsed JSON object)
  std::string payload_json;    // decoded payload (may not be JSON; see payload_is_json)
  bool payload_is_json = false;
  std::string signing_input;   // "header.payload" as in the token
  std::string signature;       // decoded signature bytes
};

// Splits and decodes `token` with the strict base64url and JSON rules. The result is
// UNVERIFIED: anyone could have written it.
Result<UnverifiedJws> DecodeUnverified(std::string_view token);

}  // namespace writ

#endif  // WRIT_UNVERIFIED_H_
