// Claims that should never travel in a JWT: a JWS payload is only base64url, readable by
// anyone who holds the token (RFC 8725 §3.6).
#ifndef WRIT_CLI_SENSITIVE_CLAIMS_H_
#define WRIT_CLI_SENSITIVE_CLAIMS_H_

#include <string_view>
#include <vector>

#include <simdjson.h>

#include "finding.h"

namespace writ::cli {

// Findings for member names that look sensitive (password, secret, ssn, cvv, ...), at
// any depth, and for string or integer values that look like payment card numbers.
std::vector<Finding> FindSensitiveClaims(simdjson::dom::object payload);

// True for 13 to 19 digits (spaces and dashes between groups allowed in `text`),
// starting with 2-6 (the issuer ranges of the card networks) and passing the Luhn check.
bool LooksLikeCardNumber(std::string_view text);

// True when `name` looks like it holds a secret or personal identifier.
bool IsSensitiveClaimName(std::string_view name);

}  // namespace writ::cli

#endif  // WRIT_CLI_SENSITIVE_CLAIMS_H_
