// Key files on the command line: one JWK, or a JWK Set, as written by `writ keygen`.
#ifndef WRIT_CLI_KEY_FILE_H_
#define WRIT_CLI_KEY_FILE_H_

#include <string>
#include <vector>

#include "writ/key.h"
#include "writ/result.h"

namespace writ::cli {

// The keys in the file at `path`: a JWK Set ({"keys":[...]}) or a single JWK. The file
// contents are wiped from memory after parsing. Errors name the path, never key bytes.
Result<std::vector<Key>> LoadKeyFile(const std::string& path);

// The one key in the file at `path`, or the active key of a managed signing key set
// (`writ keys init`); kInvalidArgument for a plain JWK Set of several keys.
Result<Key> LoadSingleKeyFile(const std::string& path);

// The keys a verifier needs from `keys`: asymmetric private keys reduced to their
// public half (a verifier never needs to hold the signing half); HMAC keys as they are.
Result<std::vector<Key>> VerificationKeys(const std::vector<Key>& keys);

}  // namespace writ::cli

#endif  // WRIT_CLI_KEY_FILE_H_
