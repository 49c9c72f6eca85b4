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

// Stores into `config` the token keys from the tokens.signing_keys set (server/token_keys.h:
// environment rules, published keys, JWKS max-age) and the secrets.* keys, with the sources
// they came from; checks that tls.private_key can be read; refuses literal values,
// unreadable sources, keys that cannot sign and secrets under kMinSecretKeyBytes. In
// production unsafe key files are refused (keys::SourcePolicy), elsewhere they are
// config.warnings. With
// `dev`, what is not configured is generated: an EdDSA key with kid "dev-<random>" and
// random 32-byte secrets; without it, anything missing is refused.
[[nodiscard]] Status LoadConfigSecrets(const ConfigValues& values, bool dev,
                                       ServerConfig& config);

}  // namespace writ::server

#endif  // WRIT_SERVER_CONFIG_SECRETS_H_
