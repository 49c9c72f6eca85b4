// writ::server::AccessTokens: issues the access JWT that goes in the __Host-writ-access
// cookie and checks it on every request. The check is the hot path of `writ serve`
// (session endpoint, forward-auth): signature and claims, then the in-memory revocation
// list — no store read.
#ifndef WRIT_SERVER_ACCESS_TOKENS_H_
#define WRIT_SERVER_ACCESS_TOKENS_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/access_claims.h"
#include "server/revocation_list.h"
#include "server/server_config.h"
#include "server/verified_token_cache.h"
#include "writ/clock.h"
#include "writ/result.h"
#include "writ/signer.h"
#include "writ/validator.h"
#include "writ/verifier.h"

namespace writ::server {

// The access token's header typ (RFC 9068 §2.1).
inline constexpr std::string_view kAccessTokenType = "at+jwt";

struct AccessTokenSubject {
  std::int64_t user_id = 0;
  std::string username;
  std::vector<std::string> roles;
  std::string session_id;
};

struct IssuedAccessToken {
  std::string jwt;
  std::string jti;
  Seconds expires_at{};
};

// Thread-safe. The keys can be replaced while requests run (SIGHUP reload); everything else
// is fixed at creation apart from the shared revocation list.
class AccessTokens {
 public:
  [[nodiscard]] static Result<AccessTokens> Create(const ServerConfig& config,
                                                   std::shared_ptr<const RevocationList> revocations,
                                                   std::shared_ptr<const Clock> clock);

  // A JWT with header {alg, typ: at+jwt, kid} and claims iss, sub (user id), aud, exp, iat,
  // jti (random), sid, roles and name (the username, for forward-auth headers).
  [[nodiscard]] Result<IssuedAccessToken> Issue(const AccessTokenSubject& subject) const;

  // Verifies signature, typ, iss, aud, exp/iat (no clock skew: writ checks its own tokens
  // on its own clock), then the revocation list (kBadSignature never; a revoked token is
  // ErrorCode::kExpired with detail "revoked" — callers map every failure to 401).
  // A token that verified before is answered from the verified-token cache until its exp;
  // the revocation list is consulted on every call, cached or not.
  [[nodiscard]] Result<AccessClaims> Check(std::string_view jwt) const;

  // Signs from now on with `signing_key` and accepts tokens of `verification_keys` only
  // (a reload after `writ keys rotate|retire`). Tokens already issued keep verifying while
  // their key is still listed; the verified-token cache is emptied so that tokens of a key
  // no longer listed stop working at once.
  [[nodiscard]] Status ReplaceKeys(const Key& signing_key, std::vector<Key> verification_keys);

 private:
  struct Keys {
    Signer signer;
    Verifier verifier;
  };
  struct Shared {
    explicit Shared(std::size_t cache_entries) : cache(cache_entries) {}
    mutable std::mutex mutex;           // guards `keys` (the pointer, not what it points to)
    std::shared_ptr<const Keys> keys;
    VerifiedTokenCache cache;
  };

  AccessTokens(std::shared_ptr<Shared> shared, Validator validator,
               std::shared_ptr<const RevocationList> revocations, std::shared_ptr<const Clock> clock,
               std::string issuer, std::string audience, std::chrono::seconds ttl)
      : shared_(std::move(shared)),
        validator_(std::move(validator)),
        revocations_(std::move(revocations)),
        clock_(std::move(clock)),
        issuer_(std::move(issuer)),
        audience_(std::move(audience)),
        ttl_(ttl) {}

  static Result<std::shared_ptr<const Keys>> MakeKeys(const Key& signing_key,
                                                      std::vector<Key> verification_keys);
  std::shared_ptr<const Keys> CurrentKeys() const;
  Result<AccessClaims> VerifyUncached(std::string_view jwt) const;
  bool IsRevoked(const AccessClaims& claims) const;

  std::shared_ptr<Shared> shared_;
  Validator validator_;
  std::shared_ptr<const RevocationList> revocations_;
  std::shared_ptr<const Clock> clock_;
  std::string issuer_;
  std::string audience_;
  std::chrono::seconds ttl_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_ACCESS_TOKENS_H_
