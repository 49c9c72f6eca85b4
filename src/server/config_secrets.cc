#include "server/config_secrets.h"

#include <sodium.h>

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/printable.h"
#include "core/sodium_init.h"
#include "core/strict_json.h"
#include "keys/secret_source.h"
#include "writ/alg.h"
#include "writ/key.h"
#include "writ/key_set.h"

namespace writ::server {
namespace {

constexpr internal::JsonLimits kSigningKeysLimits{.max_bytes = keys::kMaxSecretBytes,
                                                  .max_depth = 8};

// "config: <origin>: <detail>" keeping the code of `error` (kIo for an unreadable source).
tl::unexpected<Error> Wrap(std::string_view origin, const Error& error) {
  return Fail(error.code, "config: " + std::string(origin) + ": " + error.detail);
}

Result<SecretBytes> Resolve(const ConfigValue& source) {
  const auto* reference = std::get_if<std::string>(&source.value);
  if (reference == nullptr) {
    return ConfigError(source.origin, "write a secret source, env:NAME or file:PATH");
  }
  auto secret = keys::ResolveSecret(*reference);
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
                                  std::string_view example, bool dev) {
  const ConfigValue* source = values.Find(path);
  if (source == nullptr) {
    if (dev) {
      return SecretBytes::Random(kMinSecretKeyBytes);
    }
    return ConfigError(path, "missing; name a source of at least 32 random bytes, e.g. \"" +
                                 std::string(example) + "\" (head -c 48 /dev/urandom | base64)");
  }
  auto secret = Resolve(*source);
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
                         "missing; name the source of a private JWK or JWK Set, e.g. "
                         "\"file:/run/secrets/writ-signing.jwks\" (writ keygen --alg EdDSA)");
    }
    auto key = Key::Generate(Alg::kEdDsa, DevKid());
    if (!key) {
      return Wrap("tokens.signing_keys", key.error());
    }
    auto verification = key->PublicKey();
    if (!verification) {
      return Wrap("tokens.signing_keys", verification.error());
    }
    config.verification_keys = {std::move(*verification)};
    config.signing_key = std::move(*key);
    return {};
  }
  auto jwk_or_set = Resolve(*source);
  if (!jwk_or_set) {
    return tl::unexpected(jwk_or_set.error());
  }
  return LoadSigningKeys(*jwk_or_set, source->origin, config);
}

// The key a verifier may hold: the public half, or the HMAC key itself (it has none).
Result<Key> VerificationKey(const Key& key) {
  if (IsSymmetric(key.alg())) {
    return key;
  }
  return key.PublicKey();
}

}  // namespace

Status LoadSigningKeys(const SecretBytes& jwk_or_set, std::string_view origin,
                       ServerConfig& config) {
  const std::string_view json(reinterpret_cast<const char*>(jwk_or_set.expose_secret().data()),
                              jwk_or_set.size());
  auto document = internal::ParseStrictObject(json, kSigningKeysLimits);
  if (!document) {
    return ConfigError(origin, "not a JSON JWK or JWK Set: " + document.error().detail);
  }
  std::vector<Key> keys;
  if (simdjson::dom::element members; (*document)["keys"].get(members) == simdjson::SUCCESS) {
    auto set = KeySet::FromJwks(json);
    if (!set) {
      return Wrap(origin, set.error());
    }
    keys = set->keys();
  } else {
    auto key = Key::FromJwk(json);
    if (!key) {
      return Wrap(origin, key.error());
    }
    keys.push_back(std::move(*key));
  }
  if (keys.empty()) {
    return ConfigError(origin, "the JWK Set has no keys; put the signing key first");
  }
  if (!keys.front().can_sign()) {
    return ConfigError(origin, "the first key (kid \"" + internal::Printable(keys.front().kid()) +
                                   "\") has no private part; the first key signs, so give its "
                                   "private JWK (writ keygen)");
  }
  std::vector<Key> verification_keys;
  for (const Key& key : keys) {
    auto verification = VerificationKey(key);
    if (!verification) {
      return Wrap(origin, verification.error());
    }
    verification_keys.push_back(std::move(*verification));
  }
  config.signing_key = keys.front();
  config.verification_keys = std::move(verification_keys);
  return {};
}

Status LoadConfigSecrets(const ConfigValues& values, bool dev, ServerConfig& config) {
  if (auto loaded = LoadSigningKeySource(values, dev, config); !loaded) {
    return loaded;
  }
  auto refresh_hash_key =
      LoadSecretKey(values, "secrets.refresh_hash_key", "env:WRIT_REFRESH_KEY", dev);
  if (!refresh_hash_key) {
    return tl::unexpected(refresh_hash_key.error());
  }
  auto csrf_key = LoadSecretKey(values, "secrets.csrf_key", "env:WRIT_CSRF_KEY", dev);
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
  if (const ConfigValue* tls_key = values.Find("tls.private_key")) {
    // Read once now so that an unreadable key stops the start, not the first handshake.
    auto pem = Resolve(*tls_key);
    if (!pem) {
      return tl::unexpected(pem.error());
    }
  }
  return {};
}

}  // namespace writ::server
