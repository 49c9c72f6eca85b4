// The protected header of a compact JWS (RFC 7515 §4), parsed with the hardened rules.
#ifndef WRIT_CORE_JOSE_HEADER_H_
#define WRIT_CORE_JOSE_HEADER_H_

#include <optional>
#include <string>
#include <string_view>

#include "writ/alg.h"
#include "writ/result.h"

namespace writ::internal {

struct JoseHeader {
  Alg alg;
  std::optional<std::string> kid;
  std::optional<std::string> typ;
};

// Parses the base64url `encoded` header. The result points into a per-thread cache of
// the last header parsed (tokens of one issuer share their header byte for byte), valid
// until the next call on the same thread. Refuses (RFC 8725 §3.1-3.2, RFC 7515 §4.1.11,
// RFC 7797 §3, RFC 7516 §4.1.3): a missing or non-string alg, "none" in any casing and
// unknown algorithms (kUnsupportedAlg); jwk, jku, x5u, x5c, x5t, x5t#S256 members, b64,
// zip, enc, and crit of any value, since writ understands no extension
// (kForbiddenHeader); non-string kid/typ (kMalformed).
Result<const JoseHeader*> ParseJoseHeader(std::string_view encoded);

}  // namespace writ::internal

#endif  // WRIT_CORE_JOSE_HEADER_H_
