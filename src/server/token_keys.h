// writ::server::TokenKeys: the keys of the access tokens, read from the signing key set
// (keys/signing_key_set.h) under the rules of the environment — at start and on reload.
#ifndef WRIT_SERVER_TOKEN_KEYS_H_
#define WRIT_SERVER_TOKEN_KEYS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/server_config.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::server {

// Cache-Control max-age of the JWKS when the set has no next key: a rotation then cannot
// be announced ahead, so verifiers should look again soon.
inline constexpr std::chrono::seconds kJwksMaxAgeWithoutNextKey{60};

struct TokenKeyRules {
  Environment environment = Environment::kProduction;
  std::chrono::seconds access_ttl{15 * 60};  // the longest a token of a retired key lives
  std::chrono::seconds jwks_max_age{600};    // tokens.jwks_max_age
  Seconds now{};
};

struct TokenKeys {
  Key signing_key;                      // the active key
  std::vector<Key> verification_keys;   // active, next and unexpired retired (public halves)
  std::vector<PublishedKey> published;  // the same, asymmetric only, for /.well-known/jwks.json
  std::chrono::seconds jwks_max_age{};  // jwks_max_age, never above the set's prepublish
};

// Reads the signing key set document and applies the environment rules:
//  - every kid that names an environment ("production-…", "staging-…", "development-…",
//    or "dev-…" of --dev) must name this one: refused in staging and production (a key of
//    another environment, or made by dev mode, never signs or verifies here), a warning
//    in development;
//  - in production a kid that names no environment is a warning (`writ keys init` makes
//    kids that do);
//  - a retired key whose tokens have all expired (retired + access_ttl <= now) is left
//    out, with a warning to remove it (`writ keys retire`);
//  - without a next key, a warning that the next rotation cannot be pre-published, and
//    the JWKS max-age drops to kJwksMaxAgeWithoutNextKey; an HMAC key, a warning that
//    every verifier must then hold the secret.
// Errors and warnings start with `origin` (the config key) and say what to do.
[[nodiscard]] Result<TokenKeys> LoadTokenKeys(const SecretBytes& document, std::string_view origin,
                                              const TokenKeyRules& rules,
                                              std::vector<std::string>& warnings);

// The environment a kid names by its prefix, if any ("dev-" names development).
std::optional<Environment> KidEnvironment(std::string_view kid);

}  // namespace writ::server

#endif  // WRIT_SERVER_TOKEN_KEYS_H_
