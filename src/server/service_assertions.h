// writ::server::ServiceAssertions: short-lived JWTs that tell one service who the user is,
// signed with that service's own key set (ServerConfig::scoped_keys). A gateway asks for one
// with GET /auth/verify?aud=SERVICE and passes it on; the service verifies it with
// /.well-known/jwks.json?aud=SERVICE, which holds only its keys. A leaked service key
// forges assertions for that service alone, never access tokens or other services'.
#ifndef WRIT_SERVER_SERVICE_ASSERTIONS_H_
#define WRIT_SERVER_SERVICE_ASSERTIONS_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/access_claims.h"
#include "server/server_config.h"
#include "writ/clock.h"
#include "writ/result.h"
#include "writ/signer.h"

namespace writ::server {

// The header typ of an assertion: never "at+jwt", so it cannot pass as an access token.
inline constexpr std::string_view kAssertionType = "writ-assertion+jwt";

// Thread-safe; the signing keys can be replaced at reload.
class ServiceAssertions {
 public:
  [[nodiscard]] static Result<std::shared_ptr<ServiceAssertions>> Create(
      const ServerConfig& config, std::shared_ptr<const Clock> clock);

  bool Has(std::string_view audience) const;

  // {typ: writ-assertion+jwt, kid} and claims iss, sub, aud (the service), iat, exp
  // (now + assertion_ttl, never after the access token's exp), jti, sid, name, roles.
  // kInvalidArgument for an audience without scoped keys.
  [[nodiscard]] Result<std::string> Issue(std::string_view audience, const AccessClaims& claims) const;

  [[nodiscard]] Status ReplaceKey(std::string_view audience, const Key& signing_key);

 private:
  struct Entry {
    std::string audience;
    std::shared_ptr<const Signer> signer;
  };
  ServiceAssertions(std::string issuer, std::chrono::seconds ttl, std::shared_ptr<const Clock> clock)
      : issuer_(std::move(issuer)), ttl_(ttl), clock_(std::move(clock)) {}
  std::shared_ptr<const Signer> SignerFor(std::string_view audience) const;

  const std::string issuer_;
  const std::chrono::seconds ttl_;
  const std::shared_ptr<const Clock> clock_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;  // guarded by mutex_ (the pointers; Signer is immutable)
};

}  // namespace writ::server

#endif  // WRIT_SERVER_SERVICE_ASSERTIONS_H_
