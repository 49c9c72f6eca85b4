// `writ sign --key PASERK_FILE [--footer JSON] [--implicit STRING] ...`: a PASETO token
// (v4.local, v4.public, v3.local or v3.public, as the key says) on stdout.
#ifndef WRIT_CLI_PASETO_SIGN_H_
#define WRIT_CLI_PASETO_SIGN_H_

#include <chrono>

#include "sign_command.h"
#include "writ/claims_builder.h"

namespace writ::cli {

// PASETO's default lifetime when signing without --ttl or exp (the 1 hour).
inline constexpr std::chrono::seconds kPasetoDefaultTtl{3600};

// Makes the token from `claims` (already holding --claims) with the key in
// options.key_file: adds iss/aud/sub from the flags, a random jti, iat = now and exp =
// now + ttl as RFC 3339 strings unless the claims carry them. The footer is {"kid":ID}
// with the key's PASERK id, plus the members of --footer. Returns the exit status.
int RunPasetoSign(const SignCommandOptions& options, ClaimsBuilder claims, std::chrono::seconds ttl);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_SIGN_H_
