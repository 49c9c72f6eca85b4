// writ::server::RevocationList: what makes a signed, unexpired access token stop working
// at once, held in memory so the hot path (session check, forward-auth) needs no store
// read: denied token ids (logout) until their exp, and revoked session ids (logout,
// logout-all, refresh reuse) until every access token of theirs has expired.
#ifndef WRIT_SERVER_REVOCATION_LIST_H_
#define WRIT_SERVER_REVOCATION_LIST_H_

#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "writ/clock.h"

namespace writ::server {

// Thread-safe; readers do not block each other. An entry answers true while the clock's
// now <= its `until` (the last second included) and Prune drops it once now > until.
// Listing the same id again keeps the later `until`.
class RevocationList {
 public:
  explicit RevocationList(std::shared_ptr<const Clock> clock) : clock_(std::move(clock)) {}

  void DenyToken(std::string jti, Seconds until);
  void RevokeSession(std::string session_id, Seconds until);
  bool IsTokenDenied(std::string_view jti) const;
  bool IsSessionRevoked(std::string_view session_id) const;
  // Drops entries whose `until` has passed; returns how many remain.
  std::size_t Prune();
  std::size_t size() const;

 private:
  std::shared_ptr<const Clock> clock_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Seconds> denied_tokens_;
  std::unordered_map<std::string, Seconds> revoked_sessions_;
};

}  // namespace writ::server

#endif  // WRIT_SERVER_REVOCATION_LIST_H_
