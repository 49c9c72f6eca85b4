#include "server/token_keys.h"

#include <algorithm>
#include <utility>

#include "core/printable.h"
#include "keys/signing_key_set.h"
#include "writ/alg.h"

namespace writ::server {
namespace {

std::string Quoted(std::string_view kid) { return "\"" + internal::Printable(kid) + "\""; }

// The environment rules for one key: Status for a refusal, warnings otherwise.
Status CheckKidEnvironment(std::string_view kid, std::string_view origin,
                           const TokenKeyRules& rules, std::vector<std::string>& warnings) {
  const std::string here(EnvironmentName(rules.environment));
  const std::optional<Environment> named = KidEnvironment(kid);
  if (!named) {
    if (rules.environment == Environment::kProduction) {
      warnings.push_back(std::string(origin) + ": kid " + Quoted(kid) +
                         " does not name its environment; make production keys with "
                         "`writ keys init FILE --environment production`");
    }
    return {};
  }
  if (*named == rules.environment && !kid.starts_with("dev-")) {
    return {};
  }
  const std::string what = kid.starts_with("dev-")
                               ? "was made by --dev"
                               : "belongs to " + std::string(EnvironmentName(*named));
  const std::string message = std::string(origin) + ": key " + Quoted(kid) + " " + what +
                              ", not " + here + "; every environment needs its own keys " +
                              "(writ keys init FILE --environment " + here + ")";
  if (rules.environment == Environment::kDevelopment) {
    warnings.push_back(message);
    return {};
  }
  return Fail(ErrorCode::kInvalidArgument, "config: " + message);
}

Result<Key> VerificationHalf(const Key& key) {
  if (IsSymmetric(key.alg())) {
    return key;
  }
  return key.PublicKey();
}

}  // namespace

std::optional<Environment> KidEnvironment(std::string_view kid) {
  if (kid.starts_with("dev-") || kid.starts_with("development-")) {
    return Environment::kDevelopment;
  }
  if (kid.starts_with("staging-")) {
    return Environment::kStaging;
  }
  if (kid.starts_with("production-")) {
    return Environment::kProduction;
  }
  return std::nullopt;
}

Result<TokenKeys> LoadTokenKeys(const SecretBytes& document, std::string_view origin,
                                const TokenKeyRules& rules, std::vector<std::string>& warnings) {
  auto set = keys::SigningKeySet::Parse(document);
  if (!set) {
    // Every refusal of the document is a configuration error, whatever the parser's code.
    return Fail(ErrorCode::kInvalidArgument,
                "config: " + std::string(origin) + ": not a usable signing key set (a private "
                "JWK or JWK Set, best made by `writ keys init`): " + set.error().detail);
  }
  std::vector<std::string> found;
  for (const keys::ManagedKey& managed : set->keys()) {
    if (auto allowed = CheckKidEnvironment(managed.key.kid(), origin, rules, found); !allowed) {
      return tl::unexpected(allowed.error());
    }
  }
  TokenKeys loaded{.signing_key = set->active().key, .verification_keys = {}, .published = {},
                   .jwks_max_age = rules.jwks_max_age};
  for (const keys::ManagedKey& managed : set->keys()) {
    if (managed.retired && *managed.retired + rules.access_ttl <= rules.now) {
      found.push_back(std::string(origin) + ": retired key " + Quoted(managed.key.kid()) +
                      " no longer verifies anything (every token it signed has expired); "
                      "remove it with `writ keys retire`");
      continue;
    }
    auto half = VerificationHalf(managed.key);
    if (!half) {
      return Fail(half.error().code, "config: " + std::string(origin) + ": key " +
                                         Quoted(managed.key.kid()) + ": " + half.error().detail);
    }
    if (!IsSymmetric(half->alg())) {
      loaded.published.push_back(PublishedKey{*half, managed.retired});
    }
    loaded.verification_keys.push_back(std::move(*half));
  }
  if (set->next() == nullptr) {
    loaded.jwks_max_age = std::min(loaded.jwks_max_age, kJwksMaxAgeWithoutNextKey);
    if (rules.environment != Environment::kDevelopment) {
      found.push_back(std::string(origin) +
                      ": no next key, so the next rotation cannot be published ahead of use "
                      "and verifiers will meet an unknown kid; manage the set with "
                      "`writ keys init` and `writ keys rotate`");
    }
  } else {
    loaded.jwks_max_age = std::min(loaded.jwks_max_age, set->prepublish());
  }
  if (IsSymmetric(loaded.signing_key.alg())) {
    found.push_back(std::string(origin) + ": " + std::string(AlgName(loaded.signing_key.alg())) +
                    " means every service that verifies holds the signing secret; prefer "
                    "EdDSA (writ keys init FILE --alg EdDSA) so services need public keys only");
  }
  warnings.insert(warnings.end(), found.begin(), found.end());
  return loaded;
}

}  // namespace writ::server
