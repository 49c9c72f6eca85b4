#include "server/config_secrets.h"

#include <sodium.h>

#include <algorithm>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/printable.h"
#include "core/sodium_init.h"
#include "keys/secret_source.h"
#include "server/token_keys.h"
#include "writ/clock.h"
#include "writ/key.h"

namespace writ::server {
namespace {

// "config: <origin>: <detail>" keeping the code of `error` (kIo for an unreadable source).
tl::unexpected<Error> Wrap(std::string_view origin, const Error& error) {
  return Fail(error.code, "config: " + std::string(origin) + ": " + error.detail);
}

Result<SecretBytes> Resolve(const ConfigValue& source, ServerConfig& config,
                            std::string* reference_out = nullptr) {
  const auto* reference = std::get_if<std::string>(&source.value);
  if (reference == nullptr) {
    return ConfigError(source.origin,
                       "write a secret source, env:NAME, file:PATH or exec:COMMAND ARGS");
  }
  if (reference_out != nullptr) {
    *reference_out = *reference;
  }
  std::vector<std::string> warnings;
  auto secret = keys::ResolveSecret(*reference, config.source_policy, warnings);
  for (std::string& warning : warnings) {
    config.warnings.push_back(source.origin + ": " + warning);
  }
  if (!secret) {
    return Wrap(source.origin, secret.error());
  }
  return secret;
}

std::string DevKid() {
  internal::EnsureSodium();
  unsigned char random[8];
  randombytes_buf(random, sizeof(random));
  char hex[2 * sizeof(random) + 1];
  sodium_bin2hex(hex, sizeof(hex), random, sizeof(random));
  return "dev-" + std::string(hex);
}

// A secret key of at least kMinSecretKeyBytes from `path`, random with `dev` when unset.
// `example` is a source to suggest when it is missing.
Result<SecretBytes> LoadSecretKey(const ConfigValues& values, std::string_view path,
                                  std::string_view example, bool dev, ServerConfig& config,
                                  std::string& reference) {
  const ConfigValue* source = values.Find(path);
  if (source == nullptr) {
    if (dev) {
      return SecretBytes::Random(kMinSecretKeyBytes);
    }
    return ConfigError(path, "missing; name a source of at least 32 random bytes, e.g. \"" +
                                 std::string(example) + "\" (head -c 48 /dev/urandom | base64)");
  }
  auto secret = Resolve(*source, config, &reference);
  if (!secret) {
    return secret;
  }
  if (secret->size() < kMinSecretKeyBytes) {
    return ConfigError(source->origin,
                       "the secret is " + std::to_string(secret->size()) +
                           " bytes; use at least 32 random bytes (head -c 48 /dev/urandom | "
                           "base64)");
  }
  return secret;
}

Status LoadSigningKeySource(const ConfigValues& values, bool dev, ServerConfig& config) {
  const ConfigValue* source = values.Find("tokens.signing_keys");
  if (source == nullptr) {
    if (!dev) {
      return ConfigError("tokens.signing_keys",
                         "missing; name the source of the signing key set, e.g. "
                         "\"file:/run/secrets/writ-signing.jwks\" made by `writ keys init "
                         "FILE --environment " +
                             std::string(EnvironmentName(config.environment)) + "`");
    }
    auto key = Key::Generate(Alg::kEdDsa, DevKid());
    if (!key) {
      return Wrap("tokens.signing_keys", key.error());
    }
    auto verification = key->PublicKey();
    if (!verification) {
      return Wrap("tokens.signing_keys", verification.error());
    }
    config.verification_keys = {*verification};
    config.published_keys = {PublishedKey{std::move(*verification), std::nullopt}};
    config.jwks_max_age = std::min(config.jwks_max_age_limit, kJwksMaxAgeWithoutNextKey);
    config.signing_key = std::move(*key);
    return {};
  }
  auto document = Resolve(*source, config, &config.signing_keys_source);
  if (!document) {
    return tl::unexpected(document.error());
  }
  const TokenKeyRules rules{.environment = config.environment,
                            .access_ttl = config.sessions.access_ttl,
                            .jwks_max_age = config.jwks_max_age_limit,
                            .now = SystemClock().Now()};
  auto keys = LoadTokenKeys(*document, source->origin, rules, config.warnings);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  config.signing_key = std::move(keys->signing_key);
  config.verification_keys = std::move(keys->verification_keys);
  config.published_keys = std::move(keys->published);
  config.jwks_max_age = keys->jwks_max_age;
  return {};
}

// "NAME=SOURCE" with NAME lower-case letters, digits, '-' and '_' (introspection clients,
// scoped key audiences). False when `entry` has another shape.
bool SplitNamedSource(const std::string& entry, std::string& name, std::string& source) {
  const std::size_t eq = entry.find('=');
  if (eq == std::string::npos || eq == 0 || eq > 64) {
    return false;
  }
  name = entry.substr(0, eq);
  source = entry.substr(eq + 1);
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return false;
    }
  }
  return true;
}

// tokens.scoped_signing_keys = ["AUDIENCE=SOURCE", ...]: a key set per service, under the
// same environment rules as the main set, with kids that appear nowhere else.
Status LoadScopedKeys(const ConfigValues& values, ServerConfig& config) {
  const ConfigValue* list = values.Find("tokens.scoped_signing_keys");
  if (list == nullptr) {
    return {};
  }
  const auto* entries = std::get_if<std::vector<std::string>>(&list->value);
  if (entries == nullptr) {
    return ConfigError(list->origin, "write a list of \"AUDIENCE=SOURCE\" entries");
  }
  for (const std::string& entry : *entries) {
    ScopedKeys scoped;
    if (!SplitNamedSource(entry, scoped.audience, scoped.source)) {
      return ConfigError(list->origin, "each entry is \"AUDIENCE=SOURCE\" with a lower-case "
                                       "service name, e.g. \"billing=file:/run/secrets/"
                                       "writ-billing.jwks\"");
    }
    if (scoped.audience == config.audience) {
      return ConfigError(list->origin, "\"" + scoped.audience +
                                           "\" is the access token's audience; a scoped key "
                                           "set is for another service");
    }
    for (const ScopedKeys& other : config.scoped_keys) {
      if (other.audience == scoped.audience) {
        return ConfigError(list->origin, "\"" + scoped.audience + "\" is listed twice");
      }
    }
    const ConfigValue source{scoped.source, list->origin + " (" + scoped.audience + ")"};
    auto document = Resolve(source, config);
    if (!document) {
      return tl::unexpected(document.error());
    }
    const TokenKeyRules rules{.environment = config.environment,
                              .access_ttl = config.assertion_ttl,
                              .jwks_max_age = config.jwks_max_age_limit,
                              .now = SystemClock().Now()};
    auto keys = LoadTokenKeys(*document, source.origin, rules, config.warnings);
    if (!keys) {
      return tl::unexpected(keys.error());
    }
    // A kid names one key everywhere: a scoped key that shared a kid with the main set (or
    // another service's) could be confused with it by a verifier holding both documents.
    for (const Key& key : keys->verification_keys) {
      bool clash = false;
      for (const Key& main : config.verification_keys) {
        clash = clash || main.kid() == key.kid();
      }
      for (const ScopedKeys& other : config.scoped_keys) {
        for (const PublishedKey& published : other.published) {
          clash = clash || published.public_key.kid() == key.kid();
        }
      }
      if (clash) {
        return ConfigError(source.origin, "kid \"" + internal::Printable(key.kid()) +
                                              "\" is used by another key set; give every "
                                              "service its own keys (writ keys init)");
      }
    }
    scoped.signing_key = std::move(keys->signing_key);
    scoped.published = std::move(keys->published);
    scoped.jwks_max_age = keys->jwks_max_age;
    config.scoped_keys.push_back(std::move(scoped));
  }
  return {};
}

// introspection.clients = ["NAME=SOURCE", ...]: each service's credential from a source,
// at least 32 bytes, kept only as a hash (server_config.h).
Status LoadIntrospectionClients(const ConfigValues& values, ServerConfig& config) {
  const ConfigValue* list = values.Find("introspection.clients");
  if (list == nullptr) {
    return {};
  }
  const auto* entries = std::get_if<std::vector<std::string>>(&list->value);
  if (entries == nullptr) {
    return ConfigError(list->origin, "write a list of \"NAME=SOURCE\" entries");
  }
  for (const std::string& entry : *entries) {
    std::string name;
    std::string reference;
    if (!SplitNamedSource(entry, name, reference)) {
      // Never echo the entry: it may be a literal credential.
      return ConfigError(list->origin,
                         "each entry is \"NAME=SOURCE\" with a lower-case service name, e.g. "
                         "\"billing=env:WRIT_BILLING_CREDENTIAL\"");
    }
    for (const IntrospectionClient& existing : config.introspection_clients) {
      if (existing.name == name) {
        return ConfigError(list->origin, "the service \"" + name + "\" is listed twice");
      }
    }
    const ConfigValue source{reference, list->origin + " (" + name + ")"};
    auto credential = Resolve(source, config);
    if (!credential) {
      return tl::unexpected(credential.error());
    }
    if (credential->size() < kMinSecretKeyBytes) {
      return ConfigError(source.origin, "the credential is under 32 bytes; use at least 32 random "
                                        "bytes (head -c 48 /dev/urandom | base64)");
    }
    auto bytes = credential->expose_secret();
    IntrospectionClient client{name, HashCredential(std::string_view(
                                         reinterpret_cast<const char*>(bytes.data()), bytes.size()))};
    for (const IntrospectionClient& existing : config.introspection_clients) {
      if (existing.credential_hash == client.credential_hash) {
        return ConfigError(source.origin, "shares its credential with \"" + existing.name +
                                              "\"; give every service its own");
      }
    }
    config.introspection_clients.push_back(std::move(client));
  }
  return {};
}

}  // namespace

Status LoadConfigSecrets(const ConfigValues& values, bool dev, ServerConfig& config) {
  config.source_policy.refuse_unsafe_files = config.environment == Environment::kProduction;
  if (auto loaded = LoadSigningKeySource(values, dev, config); !loaded) {
    return loaded;
  }
  auto refresh_hash_key = LoadSecretKey(values, "secrets.refresh_hash_key", "env:WRIT_REFRESH_KEY",
                                        dev, config, config.refresh_hash_key_source);
  if (!refresh_hash_key) {
    return tl::unexpected(refresh_hash_key.error());
  }
  auto csrf_key = LoadSecretKey(values, "secrets.csrf_key", "env:WRIT_CSRF_KEY", dev, config,
                                config.csrf_key_source);
  if (!csrf_key) {
    return tl::unexpected(csrf_key.error());
  }
  // One secret for two jobs: a leak of either would be a leak of both.
  if (*refresh_hash_key == *csrf_key) {
    return ConfigError("secrets.csrf_key",
                       "is the same secret as secrets.refresh_hash_key; give each its own");
  }
  config.refresh_hash_key = std::move(*refresh_hash_key);
  config.csrf_key = std::move(*csrf_key);
  if (auto clients = LoadIntrospectionClients(values, config); !clients) {
    return clients;
  }
  if (auto scoped = LoadScopedKeys(values, config); !scoped) {
    return scoped;
  }
  if (const ConfigValue* redis_password = values.Find("redis_password")) {
    auto password = Resolve(*redis_password, config);
    if (!password) {
      return tl::unexpected(password.error());
    }
    config.redis_password = std::move(*password);
  }
  if (const ConfigValue* store_password = values.Find("store_password")) {
    auto password = Resolve(*store_password, config);
    if (!password) {
      return tl::unexpected(password.error());
    }
    config.store_password = std::move(*password);
  }
  if (const ConfigValue* tls_key = values.Find("tls.private_key")) {
    // Read once now so that an unreadable key stops the start, not the first handshake.
    auto pem = Resolve(*tls_key, config);
    if (!pem) {
      return tl::unexpected(pem.error());
    }
  }
  return {};
}

}  // namespace writ::server
