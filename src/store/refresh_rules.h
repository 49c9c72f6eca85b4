// The refresh decision rules both backends apply inside their RotateRefresh transaction
// (store_records.h, RefreshRequest): one copy, so SQLite and PostgreSQL can never make
// different security decisions about the same session.
#ifndef WRIT_STORE_REFRESH_RULES_H_
#define WRIT_STORE_REFRESH_RULES_H_

#include <chrono>
#include <cstdint>

#include "store/store_records.h"

namespace writ::store::refresh_rules {

// The revocation reason of a session whose spent refresh token was presented again.
inline constexpr const char* kReuseReason = "refresh_reuse";

// Past the idle or the absolute lifetime.
inline bool IsExpired(const Session& session, Seconds now) {
  return now >= session.idle_expires_at || now >= session.absolute_expires_at;
}

// A token of the current grace burst (generation in [grace_from_generation, generation],
// not the current token) presented within `grace` of the last ordinary rotation: one of
// several concurrent refreshes — the token rotated away, or a sibling another grace
// rotation overwrote (tabs whose answers reached the cookie jar out of order). A zero
// grace disables the window. A clock stepped back behind the rotation does not reopen it:
// the window is [rotated_at, rotated_at + grace], never before.
inline bool IsInGraceWindow(const Session& session, std::int64_t presented_generation,
                            const RefreshRequest& request) {
  return request.grace > std::chrono::seconds{0} &&
         session.grace_from_generation <= presented_generation &&
         presented_generation <= session.generation &&
         request.now >= session.rotated_at && request.now - session.rotated_at <= request.grace;
}

}  // namespace writ::store::refresh_rules

#endif  // WRIT_STORE_REFRESH_RULES_H_
