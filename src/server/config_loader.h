// Loading `writ serve`'s configuration: a TOML file, then WRIT_* environment overrides,
// validated once into an immutable ServerConfig.
#ifndef WRIT_SERVER_CONFIG_LOADER_H_
#define WRIT_SERVER_CONFIG_LOADER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/server_config.h"
#include "writ/result.h"

namespace writ::server {

// Reads an environment variable; injected so tests do not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment (getenv).
EnvLookup ProcessEnvironment();

struct LoadOptions {
  std::optional<std::string> config_path;   // --config FILE (absent: defaults + env only)
  bool dev = false;                          // --dev
  std::optional<std::string> listen;         // --listen HOST:PORT (wins over file and env)
  EnvLookup env = ProcessEnvironment();
  // When set, receives the warnings found before the load succeeded or failed (for
  // `writ check-config`, which reports them next to the error).
  std::vector<std::string>* warnings = nullptr;
};

// The TOML file (at most 1 MiB), then for every key an environment override named
// WRIT_<TABLE>_<KEY> upper-cased (WRIT_LISTEN, WRIT_TOKENS_ACCESS_TTL, WRIT_ACCOUNTS_SIGNUP,
// WRIT_SECRETS_CSRF_KEY; lists comma-separated), then the command-line flags. Keys are
// listed in docs/configuration.md. Unknown keys are refused (a typo must not silently
// fall back to a default). Durations are "30s", "15m", "12h", "30d".
// Secrets (`tokens.signing_keys`, `secrets.*`, `tls.private_key`) must be sources
// (env:/file:); a literal value is refused with a message naming the sources.
// tokens.audience defaults to "writ-<environment>", so a token of one environment is
// refused by another even when they share an issuer; the signing key set follows the
// environment rules of server/token_keys.h; production refuses http:// origins and unsafe
// key files. Findings that are not refusals go to ServerConfig::warnings, with those of
// LintServerConfig.
// `--dev` (only with environment development; refused in production): environment
// development, an ephemeral EdDSA signing key and random secrets for anything not
// configured, store sqlite:writ-dev.db, signup on, allowed origins http://HOST:PORT and
// http://localhost:PORT, audit on stdout.
// Validation refuses: refresh_grace > 300 s, remember_ttl > 400 d, lifetimes <= 0, secret
// keys under 32 bytes, a signing key that cannot sign, a non-EdDSA/ES/RS/PS/HS key, missing
// issuer or audience outside --dev, an access cookie that could exceed 4 KB, '*' in
// allowed_origins, and malformed values — each with a message saying what to change.
[[nodiscard]] Result<ServerConfig> LoadServerConfig(const LoadOptions& options);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_LOADER_H_
