#include "server/jwks_publisher.h"

#include <sodium.h>

#include "core/sodium_init.h"

namespace writ::server {
namespace {

std::string EntityTag(const std::string& document) {
  internal::EnsureSodium();
  unsigned char hash[16];
  crypto_generichash(hash, sizeof(hash), reinterpret_cast<const unsigned char*>(document.data()),
                     document.size(), nullptr, 0);
  char hex[2 * sizeof(hash) + 1];
  sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
  return "\"" + std::string(hex) + "\"";
}

}  // namespace

Result<std::shared_ptr<JwksPublisher>> JwksPublisher::Create(const std::vector<PublishedKey>& keys,
                                                            std::chrono::seconds max_age,
                                                            std::chrono::seconds access_ttl) {
  std::shared_ptr<JwksPublisher> publisher(new JwksPublisher(access_ttl));
  if (auto replaced = publisher->Replace(keys, max_age); !replaced) {
    return tl::unexpected(replaced.error());
  }
  return publisher;
}

Status JwksPublisher::Replace(const std::vector<PublishedKey>& keys, std::chrono::seconds max_age) {
  std::vector<Entry> entries;
  for (const PublishedKey& key : keys) {
    auto jwk = key.public_key.ToPublicJwk();
    if (!jwk) {
      return tl::unexpected(jwk.error());
    }
    entries.push_back(Entry{std::move(*jwk), key.retired});
  }
  std::lock_guard lock(mutex_);
  entries_ = std::move(entries);
  max_age_ = max_age;
  return {};
}

JwksDocument JwksPublisher::Current(Seconds now) const {
  JwksDocument document;
  document.json = "{\"keys\":[";
  std::lock_guard lock(mutex_);
  bool first = true;
  for (const Entry& entry : entries_) {
    if (entry.retired && *entry.retired + access_ttl_ <= now) {
      continue;  // every token it signed has expired
    }
    if (!first) {
      document.json += ',';
    }
    document.json += entry.jwk;
    first = false;
  }
  document.json += "]}";
  document.etag = EntityTag(document.json);
  document.max_age = max_age_;
  return document;
}

}  // namespace writ::server
