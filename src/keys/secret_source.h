// writ::keys secret sources: where a secret comes from, never the secret itself. A config
// value names a source — `env:NAME` or `file:PATH` (issue 5 adds exec:) — and the secret is
// read into locked memory at start.
#ifndef WRIT_KEYS_SECRET_SOURCE_H_
#define WRIT_KEYS_SECRET_SOURCE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::keys {

// The largest secret a source may yield (a JWK Set of a few RSA keys fits).
inline constexpr std::size_t kMaxSecretBytes = 64 * 1024;

// True when `value` has the shape of a source reference (`env:` or `file:` prefix).
bool IsSecretSourceReference(std::string_view value);

// Reads the secret `reference` names:
//  - `env:NAME`: the environment variable NAME; when NAME is unset but NAME_FILE is set
//    (the container convention), the file it names;
//  - `file:PATH`: the file's contents.
// One trailing "\n" (or "\r\n") is removed. kInvalidArgument for anything that is not a
// source (a literal secret: the detail says to use env: or file:), kIo when the variable
// is unset/empty or the file unreadable, kTooLarge over kMaxSecretBytes. Details name the
// source, never its contents.
[[nodiscard]] Result<SecretBytes> ResolveSecret(std::string_view reference);

}  // namespace writ::keys

#endif  // WRIT_KEYS_SECRET_SOURCE_H_
