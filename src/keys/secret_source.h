// writ::keys secret sources: where a secret comes from, never the secret itself. A config
// value names a source — `env:NAME`, `file:PATH` or `exec:COMMAND ARGS` — and the secret is
// read into locked memory (libsodium guarded pages) at start and on reload.
#ifndef WRIT_KEYS_SECRET_SOURCE_H_
#define WRIT_KEYS_SECRET_SOURCE_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::keys {

// The largest secret a source may yield (a JWK Set of a few RSA keys fits).
inline constexpr std::size_t kMaxSecretBytes = 64 * 1024;

// True when `value` has the shape of a source reference (`env:`, `file:` or `exec:` prefix).
bool IsSecretSourceReference(std::string_view value);

// How strictly a source is judged. Production refuses what elsewhere is only a warning.
struct SourcePolicy {
  // A secret file (file:PATH or NAME_FILE) that is group- or world-readable, or that is
  // tracked by git in the work tree it sits in: refused (kInvalidArgument) when true, otherwise
  // a warning is appended to `warnings`.
  bool refuse_unsafe_files = false;
  // exec: the command is killed (SIGKILL) and the source fails (kIo, "timed out") after this long.
  std::chrono::milliseconds exec_timeout{10'000};
};

// Reads the secret `reference` names:
//  - `env:NAME`: the environment variable NAME; when NAME is unset but NAME_FILE is set
//    (the container convention), the file it names;
//  - `file:PATH`: the file's contents;
//  - `exec:COMMAND ARGS`: the standard output of COMMAND run with ARGS — split on spaces,
//    double quotes group words, no shell and no expansion; COMMAND without a '/' is looked
//    up in PATH; stdin is /dev/null, stderr is inherited (the tool's own message reaches the
//    operator); it must exit 0 within policy.exec_timeout and print at most kMaxSecretBytes.
//    This is how AWS Secrets Manager, Vault, GCP Secret Manager and Azure Key Vault are
//    read, through their own CLIs (docs/configuration.md).
// One trailing "\n" (or "\r\n") is removed. kInvalidArgument for anything that is not a
// source (a literal secret: the detail names the sources), kIo when the variable is
// unset/empty, the file unreadable, the command fails or runs too long, kTooLarge over
// kMaxSecretBytes, kInvalidArgument for an unsafe file under refuse_unsafe_files.
// Details and warnings name the source, never its contents.
[[nodiscard]] Result<SecretBytes> ResolveSecret(std::string_view reference,
                                                const SourcePolicy& policy,
                                                std::vector<std::string>& warnings);

// ResolveSecret with the default policy; warnings are dropped (for tests and tools that
// have no one to tell).
[[nodiscard]] Result<SecretBytes> ResolveSecret(std::string_view reference);

}  // namespace writ::keys

#endif  // WRIT_KEYS_SECRET_SOURCE_H_
