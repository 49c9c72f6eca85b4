// The weak-HMAC-secret check of `writ audit`: tries well-known secrets against the
// token's MAC, offline, as an attacker holding one token would.
#ifndef WRIT_CLI_WEAK_SECRET_H_
#define WRIT_CLI_WEAK_SECRET_H_

#include <string>
#include <vector>

#include "finding.h"
#include "unverified_token.h"
#include "writ/result.h"

namespace writ::cli {

// For an HS256/384/512 token: a critical "weak_hmac_secret" finding when the MAC
// verifies with an entry of the built-in list or of `wordlist_path` (one candidate per
// line, a trailing '\r' ignored; empty path: built-in list only), else one info finding
// saying how many candidates were tried. The raw HMAC primitive is used, since
// writ::Key refuses secrets shorter than the hash, which is exactly what weak ones are.
// The message names the list entry, never the secret. Nothing for other algorithms.
// kIo when the wordlist cannot be read.
Result<std::vector<Finding>> FindWeakHmacSecret(const UnverifiedToken& token,
                                                const std::string& wordlist_path);

}  // namespace writ::cli

#endif  // WRIT_CLI_WEAK_SECRET_H_
