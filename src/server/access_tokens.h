// writ::server::AccessTokens: issues the access JWT that goes in the __Host-writ-access
// cookie and checks it on every request. The check is the hot path of `writ serve`
// (session endpoint, forward-auth): signature and claims, then the in-memory revocation
// list — no store read.
#ifndef WRIT_SERVER_ACCESS_TOKENS_H_
#define WRIT_SERVER_ACCESS_TOKENS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "server/revocation_list.h"
#include "server/server_config.h"
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

// What a checked access token says.
struct AccessClaims {
  std::int64_t user_id = 0;
  std::string username;
  std::vector<std::string> roles;
  std::string session_id;
  std::string jti;
  Seconds issued_at{};
  Seconds expires_at{};
};

// Immutable apart from the shared revocation list; thread-safe.
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
  [[nodiscard]] Result<AccessClaims> Check(std::string_view jwt) const;

 private:
  AccessTokens(Signer signer, Verifier verifier, Validator validator,
               std::shared_ptr<const RevocationList> revocations, std::shared_ptr<const Clock> clock,
               std::string issuer, std::string audience, std::chrono::seconds ttl)
      : signer_(std::move(signer)),
        verifier_(std::move(verifier)),
        validator_(std::move(validator)),
        revocations_(std::move(revocations)),
        clock_(std::move(clock)),
        issuer_(std::move(issuer)),
        audience_(std::move(audience)),
        ttl_(ttl) {}
  Signer signer_;
  Verifier verifier_;
  Validator validator_;
  std::shared_ptr<const RevocationList> revocations_;
  std::shared_ptr<const Clock> clock_;
  std::string issuer_;
  std::string audience_;
  std::chrono::seconds ttl_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_ACCESS_TOKENS_H_
