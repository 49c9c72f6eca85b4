// The secrets of `writ serve`'s configuration: the signing keys and the server-side secret
// keys, read from their sources (keys/secret_source.h) into locked memory — or, with --dev,
// generated for this run. Internal to the configuration loader.
#ifndef WRIT_SERVER_CONFIG_SECRETS_H_
#define WRIT_SERVER_CONFIG_SECRETS_H_

#include <cstddef>

#include "server/config_values.h"
#include "server/server_config.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::server {

// The shortest refresh_hash_key / csrf_key accepted (HMAC-SHA-256 key size, RFC 2104 §3).
inline constexpr std::size_t kMinSecretKeyBytes = 32;

// Stores into `config` the signing key and verification keys from tokens.signing_keys and
// the secrets.* keys, checks that tls.private_key can be read, and refuses literal values,
// unreadable sources, keys that cannot sign and secrets under kMinSecretKeyBytes. With
// `dev`, what is not configured is generated: an EdDSA key with kid "dev-<random>" and
// random 32-byte secrets; without it, anything missing is refused.
[[nodiscard]] Status LoadConfigSecrets(const ConfigValues& values, bool dev,
                                       ServerConfig& config);

// The keys of `jwk_or_set` (one private JWK, or a JWK Set whose first key signs) into
// config.signing_key and config.verification_keys. `origin` names the source in messages.
[[nodiscard]] Status LoadSigningKeys(const SecretBytes& jwk_or_set, std::string_view origin,
                                     ServerConfig& config);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_SECRETS_H_
