// PASERK key files on the command line (https://github.com/paseto-standard/paserk): one
// line "k4.local.…", "k4.secret.…", "k4.public.…" or the k3 equivalents, as written by
// `writ keygen --alg v4.local|v4.public|v3.local|v3.public`.
#ifndef WRIT_CLI_PASETO_KEY_FILE_H_
#define WRIT_CLI_PASETO_KEY_FILE_H_

#include <string>
#include <string_view>
#include <variant>

#include "writ/paseto_keys.h"
#include "writ/result.h"

namespace writ::cli {

// Exactly one typed key: the version and purpose travel with it, never as a string.
using PaserkKey = std::variant<V4LocalKey, V4PublicKey, V4SecretKey, V3LocalKey, V3PublicKey, V3SecretKey>;

// True when `text` (a key file's contents) is a PASERK rather than JSON: after leading
// whitespace it starts with "k", one or more digits and ".". Only picks the parser.
bool LooksLikePaserk(std::string_view text);

// True when the file at `path` holds a PASERK (false also when it cannot be read: the
// JWK loader then reports the error).
bool IsPaserkFile(const std::string& path);

// The key in the PASERK file at `path` (one line; surrounding whitespace ignored).
// kInvalidArgument, naming the type, for PASERKs that are not plain keys (ids, wrapped,
// password-wrapped or sealed keys) or of versions other than k3/k4. Errors name the path,
// never key bytes; the file contents are wiped after parsing.
Result<PaserkKey> LoadPaserkFile(const std::string& path);

// "k4.local", "k4.public", "k4.secret", "k3.local", ...
std::string_view PaserkTypeName(const PaserkKey& key);

// The header of the tokens the key makes or opens: "v4.local.", "v4.public.", ...
// (a secret key and its public key share "vN.public.").
std::string_view TokenHeaderFor(const PaserkKey& key);

}  // namespace writ::cli

#endif  // WRIT_CLI_PASETO_KEY_FILE_H_
