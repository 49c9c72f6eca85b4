// writ::server::JwksPublisher: the document of GET /.well-known/jwks.json — the public keys
// services verify access tokens with (RFC 7517 §5), replaceable at reload.
//
// Contract: next, active and retired public keys are listed (HMAC keys never: they have no
// public half); a retired key leaves the document once every token it signed has expired
// (retired + access_ttl <= now). max_age is the Cache-Control max-age, which the loader
// keeps at or under the key set's prepublish time (server/token_keys.h), so a verifier
// always holds a next key before it signs anything. The ETag is a hash of the document.
#ifndef WRIT_SERVER_JWKS_PUBLISHER_H_
#define WRIT_SERVER_JWKS_PUBLISHER_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/server_config.h"
#include "writ/clock.h"
#include "writ/result.h"

namespace writ::server {

struct JwksDocument {
  std::string json;  // {"keys":[...]}
  std::string etag;  // a strong entity tag, quoted (RFC 9110 §8.8.3)
  std::chrono::seconds max_age{};
};

class JwksPublisher {
 public:
  [[nodiscard]] static Result<std::shared_ptr<JwksPublisher>> Create(
      const std::vector<PublishedKey>& keys, std::chrono::seconds max_age,
      std::chrono::seconds access_ttl);

  // Thread-safe against Current(). kInvalidKey when a key has no public JWK.
  [[nodiscard]] Status Replace(const std::vector<PublishedKey>& keys, std::chrono::seconds max_age);

  JwksDocument Current(Seconds now) const;

 private:
  struct Entry {
    std::string jwk;  // the public JWK
    std::optional<Seconds> retired;
  };
  explicit JwksPublisher(std::chrono::seconds access_ttl) : access_ttl_(access_ttl) {}

  const std::chrono::seconds access_ttl_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::chrono::seconds max_age_{};
};

}  // namespace writ::server

#endif  // WRIT_SERVER_JWKS_PUBLISHER_H_
