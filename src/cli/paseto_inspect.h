// `writ inspect` for PASETO tokens: version, purpose, footer and, for public tokens, the
// payload, all UNVERIFIED. A local token's payload is encrypted and is not shown.
#ifndef WRIT_CLI_PASETO_INSPECT_H_
#define WRIT_CLI_PASETO_INSPECT_H_

#include <string_view>

namespace writ::cli {

// True when `token` starts like a PASETO token: "v", digits, "." (only picks the decoder).
bool LooksLikePaseto(std::string_view token);

// Prints the decoded token under the UNVERIFIED banner; returns the exit status (1 when
// the token cannot be decoded).
int InspectPaseto(std::string_view token);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_INSPECT_H_
