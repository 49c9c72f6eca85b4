// `writ verify --key PASERK_FILE [--implicit STRING] ... TOKEN`: opens a PASETO token with
// writ::PasetoReader and prints its claims, with the same output contract as JWS verify.
#ifndef WRIT_CLI_PASETO_VERIFY_H_
#define WRIT_CLI_PASETO_VERIFY_H_

#include "verify_command.h"
#include "writ/validator.h"

namespace writ::cli {

// Loads the PASERK key in options.key_file (a secret key is reduced to its public key: a
// verifier never needs the signing half), refuses a token of another version or purpose
// with a message naming both, and reads the token. Prints the verified payload JSON and
// returns 0, or prints one "invalid: CODE: detail" line and returns 1.
int RunPasetoVerify(const VerifyCommandOptions& options, const Validator& validator);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_VERIFY_H_
