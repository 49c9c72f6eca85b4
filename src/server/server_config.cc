#include "server/server_config.h"

#include <sodium.h>

#include "core/sodium_init.h"

namespace writ::server {

std::string_view EnvironmentName(Environment environment) {
  switch (environment) {
    case Environment::kDevelopment:
      return "development";
    case Environment::kStaging:
      return "staging";
    case Environment::kProduction:
      return "production";
  }
  return "production";
}

std::array<unsigned char, 32> HashCredential(std::string_view credential) {
  internal::EnsureSodium();
  std::array<unsigned char, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(credential.data()),
                     credential.size(), nullptr, 0);
  return hash;
}

const IntrospectionClient* ServerConfig::FindIntrospectionClient(std::string_view presented) const {
  const std::array<unsigned char, 32> hash = HashCredential(presented);
  const IntrospectionClient* found = nullptr;
  for (const IntrospectionClient& client : introspection_clients) {
    // No early exit: the time does not tell which client, or whether one, matched.
    if (sodium_memcmp(hash.data(), client.credential_hash.data(), hash.size()) == 0) {
      found = &client;
    }
  }
  return found;
}

}  // namespace writ::server
