// writ::server::ServerConfig: the validated, immutable configuration of `writ serve`.
// Built once at start by LoadServerConfig (config_loader.h) and shared read-only.
#ifndef WRIT_SERVER_SERVER_CONFIG_H_
#define WRIT_SERVER_SERVER_CONFIG_H_

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keys/secret_source.h"
#include "writ/clock.h"
#include "writ/key.h"
#include "writ/secret_bytes.h"

namespace writ::server {

enum class Environment { kDevelopment, kStaging, kProduction };
std::string_view EnvironmentName(Environment environment);

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;   // larger request head → 431
  std::size_t max_body_bytes = 16 * 1024;    // larger body → 413
  std::chrono::milliseconds header_timeout{10'000};  // request head not complete → 408
  std::chrono::milliseconds body_timeout{10'000};    // body not complete → 408
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive idle → close
  std::size_t max_connections = 10'000;
};

struct TlsConfig {
  std::string certificate_chain_file;  // PEM
  std::string private_key_source;      // a secret source (env:/file:) holding the PEM key
};

struct PasswordPolicy {
  std::size_t min_length = 8;
  std::size_t max_length = 1024;
  // crypto_pwhash_str parameters (Argon2id). At least 19 MiB, t=2, p=1 (libsodium fixes p=1).
  std::uint64_t opslimit = 2;
  std::size_t memlimit_bytes = 19 * 1024 * 1024;
};

struct SessionPolicy {
  std::chrono::seconds access_ttl{15 * 60};
  std::chrono::seconds refresh_grace{10};               // at most 300 s
  std::chrono::seconds session_ttl{12 * 3600};          // absolute, without remember-me
  std::chrono::seconds remember_ttl{30 * 24 * 3600};    // absolute, with remember-me (<= 400 d)
  std::chrono::seconds idle_ttl{7 * 24 * 3600};         // sliding, reset by each refresh
};

struct ThrottlePolicy {
  std::uint32_t max_account_failures = 10;          // consecutive failures before 429
  std::chrono::seconds account_backoff_base{1};     // lock after the limit: base * 2^(n-limit)
  std::chrono::seconds account_backoff_max{15 * 60};
  double ip_rate_per_second = 1.0;                  // login/signup token bucket per client IP
  double ip_burst = 20.0;
};

struct AuditConfig {
  std::string sink = "stdout";                      // "stdout", "file:PATH" or "none"
  std::chrono::seconds retention{90 * 24 * 3600};   // kept in the store this long
};

// GET /auth/verify answers a gateway with these response headers (RFC 9110 field names).
struct ForwardAuthConfig {
  std::string user_header = "X-Writ-User";
  std::string user_id_header = "X-Writ-User-Id";
  std::string roles_header = "X-Writ-Roles";      // comma-separated
  std::string session_header = "X-Writ-Session";
  std::string assertion_header = "X-Writ-Assertion";  // with ?aud=SERVICE (ScopedKeys)
  // When set, a GET for an HTML page without a valid session is answered 302 to this URL
  // instead of 401 (Traefik ForwardAuth passes it on; nginx maps 401 with error_page).
  std::string login_url;
};

// A service allowed to call POST /auth/introspect, with its credential (a secret source).
struct IntrospectionClient {
  std::string name;
  std::array<unsigned char, 32> credential_hash{};  // BLAKE2b-256 of the credential
};

// A public key of /.well-known/jwks.json; a retired one leaves the document once every
// token it signed has expired (retired + access_ttl).
struct PublishedKey {
  Key public_key;
  std::optional<Seconds> retired;
};

// A signing key set of its own for one audience (service): GET /auth/verify?aud=NAME adds
// an assertion JWT for that service signed with it, and /.well-known/jwks.json?aud=NAME
// publishes only its public keys — a leaked key of one service forges nothing for another.
struct ScopedKeys {
  std::string audience;
  std::string source;  // the secret source of the set, re-read on reload
  std::optional<Key> signing_key;
  std::vector<PublishedKey> published;
  std::chrono::seconds jwks_max_age{};
};

struct ServerConfig {
  Environment environment = Environment::kProduction;
  bool dev_mode = false;  // --dev: ephemeral key, loud warning
  std::string listen_host = "127.0.0.1";
  std::uint16_t listen_port = 8443;
  std::size_t threads = 2;         // I/O threads
  std::size_t hash_threads = 2;    // password hashing pool
  std::vector<std::string> allowed_origins;  // exact "scheme://host[:port]"; also the CORS list
  std::vector<std::string> trusted_proxies;  // peer IPs whose X-Forwarded-For is believed
  std::string store = "sqlite:writ.db";  // sqlite:PATH or postgres:CONNINFO (no password in it)
  std::size_t store_pool_size = 8;       // postgres: connections at most (1..256)
  std::string redis;               // unused until issue 7
  std::optional<TlsConfig> tls;
  HttpLimits limits;
  // pages = true|false: the browser pages (/login, /signup, /account, web_pages.h);
  // web_root = "DIR" serves that directory's copies of the allow-listed files instead of the
  // compiled-in ones.
  bool pages_enabled = true;
  std::string web_root;

  // [tokens]
  std::string issuer;
  std::string audience;
  std::optional<Key> signing_key;  // the active private signing key (EdDSA by default); always set
  std::vector<Key> verification_keys;  // public keys accepted for access tokens (incl. signing)
  std::vector<PublishedKey> published_keys;  // next, active, retired public keys (no HMAC)
  std::chrono::seconds jwks_max_age_limit{600};  // tokens.jwks_max_age as configured
  std::chrono::seconds jwks_max_age{600};  // in effect: the limit, never above the prepublish time
  std::vector<ScopedKeys> scoped_keys;     // tokens.scoped_signing_keys
  std::chrono::seconds assertion_ttl{60};  // lifetime of a per-service assertion (<= access exp)
  std::size_t verified_token_cache_entries = 10'000;  // 0 disables the cache

  // Where the secrets come from, kept to re-read them on reload (SIGHUP). Empty when --dev
  // made the secret up.
  std::string signing_keys_source;
  std::string refresh_hash_key_source;
  std::string csrf_key_source;
  keys::SourcePolicy source_policy;  // production refuses unsafe key files

  // Findings that did not stop the start (unsafe key files outside production, a key set
  // without a next key, ...): printed by `writ serve` and `writ check-config`.
  std::vector<std::string> warnings;

  // [secrets]
  SecretBytes refresh_hash_key;    // >= 32 bytes
  SecretBytes csrf_key;            // >= 32 bytes
  // redis_password = SOURCE: AUTH for `redis`; empty when not configured.
  SecretBytes redis_password;
  // store_password = SOURCE: the password of a postgres: store; empty when not configured.
  SecretBytes store_password;

  ForwardAuthConfig forward_auth;
  std::vector<IntrospectionClient> introspection_clients;
  // The client whose credential is `presented`, compared in constant time against every
  // client; nullptr when none matches.
  const IntrospectionClient* FindIntrospectionClient(std::string_view presented) const;

  // [accounts]
  bool signup_enabled = false;
  PasswordPolicy passwords;
  SessionPolicy sessions;
  ThrottlePolicy throttle;
  AuditConfig audit;
};

// BLAKE2b-256 of a service credential, as IntrospectionClient keeps it.
std::array<unsigned char, 32> HashCredential(std::string_view credential);

}  // namespace writ::server

#endif  // WRIT_SERVER_SERVER_CONFIG_H_
