// The records writ::store::Store keeps. Plain values; times are whole seconds (UTC).
#ifndef WRIT_STORE_STORE_RECORDS_H_
#define WRIT_STORE_STORE_RECORDS_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "writ/clock.h"

namespace writ::store {

struct NewUser {
  std::string username;
  std::string password_hash;  // crypto_pwhash_str output ($argon2id$...)
  std::vector<std::string> roles;
  Seconds created_at{};
};

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string password_hash;
  std::vector<std::string> roles;
  bool disabled = false;
  Seconds created_at{};
};

// A refresh token is never stored: only a keyed hash of it (HMAC-SHA256 with the server's
// refresh hash key), 32 bytes, kept as given.
using TokenHash = std::string;

struct NewSession {
  std::string id;  // random, base64url
  std::int64_t user_id = 0;
  TokenHash refresh_hash;  // generation 1
  bool remember = false;
  Seconds created_at{};
  Seconds idle_expires_at{};      // sliding: moved forward on every refresh
  Seconds absolute_expires_at{};  // never moves
  std::string ip;
  std::string user_agent;
};

struct Session {
  std::string id;
  std::int64_t user_id = 0;
  std::int64_t generation = 1;           // generation of the current refresh token
  std::int64_t grace_from_generation = 1;  // oldest generation still inside the grace window
  Seconds rotated_at{};                  // time of the last ordinary rotation (or creation)
  bool remember = false;
  Seconds created_at{};
  Seconds last_used_at{};
  Seconds idle_expires_at{};
  Seconds absolute_expires_at{};
  std::string ip;          // of the last use
  std::string user_agent;  // of the last use
  std::optional<Seconds> revoked_at;
  std::string revoke_reason;
};

// RotateRefresh's input. The store finds which session and generation `presented_hash`
// was issued for (every issued hash is kept until its session is pruned), then decides:
//  - session revoked → kRevoked; idle or absolute expiry passed (now >= …) → kExpired;
//  - generation == session.generation (the current token): ordinary rotation. `new_hash`
//    becomes generation+1, grace_from_generation = the old generation, rotated_at = now;
//  - grace_from_generation <= generation <= session.generation (and not the current token)
//    and now - rotated_at <= grace (grace > 0; a zero grace disables the window): one of
//    several concurrent refreshes of a token that was just rotated (two tabs), or a sibling
//    token that such a refresh overwrote (the tabs' answers reached the cookie jar out of
//    order). `new_hash` becomes generation+1 and OVERWRITES current; grace_from_generation
//    and rotated_at stay, so the window never slides and after it only one chain is live →
//    kRotatedInGrace;
//  - anything else (an older token, or a token of the burst after the window): reuse of a
//    spent token → the session is revoked with reason "refresh_reuse" → kReuseDetected.
// On rotation idle_expires_at = min(now + idle_ttl, absolute_expires_at), last_used_at = now,
// ip/user_agent = the request's.
struct RefreshRequest {
  TokenHash presented_hash;
  TokenHash new_hash;
  Seconds now{};
  std::chrono::seconds grace{10};
  std::chrono::seconds idle_ttl{0};
  std::string ip;
  std::string user_agent;
};

enum class RefreshOutcome {
  kRotated,
  kRotatedInGrace,
  kReuseDetected,
  kUnknownToken,
  kExpired,
  kRevoked,
};

struct RefreshResult {
  RefreshOutcome outcome = RefreshOutcome::kUnknownToken;
  // The session after the decision (absent for kUnknownToken).
  std::optional<Session> session;
  // For kReuseDetected: who spent the presented token first — the ip and user agent of the
  // request that was issued the next token of the session after it (the rotation that spent
  // it, or for an overwritten token the grace rotation that replaced it).
  std::string first_use_ip;
  std::string first_use_user_agent;
};

struct RevokedSession {
  std::string session_id;
  std::int64_t user_id = 0;
  Seconds revoked_at{};
};

struct DeniedToken {
  std::string jti;
  Seconds expires_at{};
};

// One audit event (see server/audit_log.h for the event names). Never holds a password,
// a token or a secret; the session id is stored hashed.
struct AuditRecord {
  std::int64_t id = 0;  // assigned by the store
  Seconds time{};
  std::string event;    // signup, login, throttled, refresh, refresh_reuse, logout, ...
  std::string outcome;  // success | failure
  std::string reason;   // empty or a reason code
  std::optional<std::int64_t> user_id;
  std::string username;  // as submitted (bounded, printable)
  std::string ip;
  std::string user_agent;
  std::string request_id;
  std::string session_hash;
  std::string detail_json;  // "{}" or an object with event-specific members
};

// Every filter that is set must match (exact comparison); unset filters match all.
struct AuditQuery {
  std::optional<std::string> event;
  std::optional<std::string> outcome;
  std::optional<std::int64_t> user_id;
  std::optional<std::string> username;
  std::optional<std::string> ip;
  std::optional<Seconds> since;
  std::int64_t limit = 100;
};

// Audit records of one event at or after `since`, counted per time bucket and outcome
// (the dashboard's logins-over-time chart).
struct AuditCountQuery {
  std::string event;
  Seconds since{};
  std::chrono::seconds bucket{3600};  // > 0
};

struct AuditCount {
  Seconds bucket_start{};  // since + k * bucket for the record's k = (time - since) / bucket
  std::string outcome;
  std::int64_t count = 0;
};

// Audit records of one event at or after `since`, grouped by one field (the dashboard's
// throttled IPs and accounts).
enum class AuditField { kIp, kUsername };

struct AuditTopQuery {
  std::string event;
  Seconds since{};
  AuditField field = AuditField::kIp;
  std::int64_t limit = 20;
};

struct AuditTop {
  std::string value;  // the ip or username ("" groups the records without one)
  std::int64_t count = 0;
  Seconds last_seen{};
};

}  // namespace writ::store

#endif  // WRIT_STORE_STORE_RECORDS_H_
