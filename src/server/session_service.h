// writ::server::SessionService: sessions and their refresh-token chains (issue 4,
// "Sessions"). Starts a session at login, rotates refresh tokens with reuse detection,
// ends one or all sessions and makes their access tokens stop working at once.
#ifndef WRIT_SERVER_SESSION_SERVICE_H_
#define WRIT_SERVER_SESSION_SERVICE_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/access_tokens.h"
#include "server/revocation_feed.h"
#include "server/revocation_list.h"
#include "server/server_config.h"
#include "store/store.h"
#include "writ/clock.h"
#include "writ/result.h"
#include "writ/secret_bytes.h"

namespace writ::server {

// What a browser gets after login or refresh: both cookies' values and lifetimes.
struct IssuedSession {
  std::string session_id;
  std::string refresh_token;  // 256-bit random, base64url; stored only as a keyed hash
  IssuedAccessToken access;
  bool remember = false;
  Seconds absolute_expires_at{};
};

struct RequestOrigin {
  std::string ip;
  std::string user_agent;
};

struct RefreshAnswer {
  store::RefreshOutcome outcome = store::RefreshOutcome::kUnknownToken;
  std::optional<IssuedSession> issued;  // for kRotated and kRotatedInGrace
  std::optional<store::User> user;      // for kRotated and kRotatedInGrace
  std::string session_id;               // when the token was recognised
  std::optional<std::int64_t> user_id;  // when the token was recognised
  std::string first_use_ip;             // for kReuseDetected
  std::string first_use_user_agent;
};

// What ending sessions reached: always the store and this instance's RevocationList;
// `broadcast` is false when the other instances could not be told at once through Redis
// (RevocationBroadcaster::Publish failed: logged, sent again later, and they still learn
// it from the store within the polling interval). Without Redis it is always true.
struct Ended {
  std::size_t sessions = 0;  // EndAll: how many were active
  bool broadcast = true;
};

// Thread-safe.
class SessionService {
 public:
  SessionService(const ServerConfig& config, std::shared_ptr<store::Store> store,
                 std::shared_ptr<RevocationList> revocations,
                 std::shared_ptr<const AccessTokens> access_tokens,
                 std::shared_ptr<const Clock> clock);

  // Creates a session for `user` (absolute lifetime remember_ttl or session_ttl) and
  // issues its first refresh and access tokens.
  [[nodiscard]] Result<IssuedSession> Start(const store::User& user, bool remember,
                                            const RequestOrigin& origin);
  // One refresh (see store::RefreshRequest for the decision). A disabled or deleted user's
  // session is revoked and answered as kRevoked. On kReuseDetected the session's access
  // tokens stop working at once.
  [[nodiscard]] Result<RefreshAnswer> Refresh(std::string_view refresh_token,
                                              const RequestOrigin& origin);
  // Ends the session of `access` and denies that token until its exp.
  [[nodiscard]] Result<Ended> End(const AccessClaims& access, std::string_view reason);
  // Ends a session found by its refresh token (logout with an expired access token).
  [[nodiscard]] Result<Ended> EndById(const std::string& session_id, std::string_view reason);
  // The unrevoked session a refresh token (current or spent) belongs to; nullopt when none.
  [[nodiscard]] Result<std::optional<store::Session>> FindByRefreshToken(std::string_view refresh_token);
  // Ends every session of the user; `sessions` says how many were active.
  [[nodiscard]] Result<Ended> EndAll(std::int64_t user_id, std::string_view reason);
  // Fills the revocation list from the store (at start, and then on every housekeeping
  // poll, which is how instances sharing a store learn each other's revocations):
  // sessions revoked within the last access-token lifetime and denied token ids not yet
  // expired. Idempotent.
  [[nodiscard]] Status LoadRevocations();
  // From now on every revocation is also published through `broadcaster` (Redis).
  void SetBroadcaster(std::shared_ptr<RevocationBroadcaster> broadcaster) {
    broadcaster_ = std::move(broadcaster);
  }

  // HMAC-SHA256(refresh_hash_key, token): what the store keeps instead of the token.
  std::string HashRefreshToken(std::string_view token) const;

 private:
  Result<IssuedSession> IssueFor(const store::User& user, const store::Session& session,
                                 std::string refresh_token);
  // Revokes the session in memory and tells the other instances; false when they could
  // not be told at once.
  bool RevokeInMemory(const std::string& session_id);
  bool Broadcast(RevocationNotice notice);

  SessionPolicy policy_;
  SecretBytes refresh_hash_key_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<RevocationList> revocations_;
  std::shared_ptr<const AccessTokens> access_tokens_;
  std::shared_ptr<const Clock> clock_;
  std::shared_ptr<RevocationBroadcaster> broadcaster_;  // null without Redis; set before serving
};

}  // namespace writ::server

#endif  // WRIT_SERVER_SESSION_SERVICE_H_
