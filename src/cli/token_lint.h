// Checks of an UNVERIFIED token's header, times and size, shared by `writ inspect` and
// `writ audit`.
#ifndef WRIT_CLI_TOKEN_LINT_H_
#define WRIT_CLI_TOKEN_LINT_H_

#include <chrono>
#include <cstddef>
#include <vector>

#include "finding.h"
#include "unverified_token.h"
#include "writ/clock.h"

namespace writ::cli {

// Browsers drop cookies over about 4096 bytes (RFC 6265 §6.1 asks for at least 4096).
inline constexpr std::size_t kMaxCookieTokenBytes = 4096;
// Access tokens living longer than this are hard to revoke (RFC 8725 §3.10 spirit).
inline constexpr std::chrono::seconds kMaxRecommendedLifetime{3600};

// alg "none" in any casing, algorithms writ does not implement, and headers that carry
// or point to keys (jwk, jku, x5u, x5c, x5t: RFC 8725 §3.1, never a key source).
std::vector<Finding> LintHeader(const UnverifiedToken& token);

// Missing or non-numeric exp, lifetime over kMaxRecommendedLifetime, and (info) expired
// or not yet valid as of `now`.
std::vector<Finding> LintTimes(const UnverifiedToken& token, Seconds now);

// Tokens over kMaxCookieTokenBytes.
std::vector<Finding> LintSize(const UnverifiedToken& token);

}  // namespace writ::cli

#endif  // WRIT_CLI_TOKEN_LINT_H_
