// writ::store::Store: everything `writ serve` keeps — users, sessions with their refresh-token
// chains, the access-token denylist and the audit trail — behind one interface, so that the
// embedded SQLite backend and a PostgreSQL backend cannot drift (one typed test suite runs
// over both). Backends turn driver errors into ErrorCode::kStorage; no exception crosses it.
#ifndef WRIT_STORE_STORE_H_
#define WRIT_STORE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store_records.h"
#include "writ/result.h"

namespace writ::store {

// Thread-safe: every method may be called from any thread at any time.
class Store {
 public:
  virtual ~Store() = default;

  // ---- users ----
  // Roles are names matching [a-z0-9_-]+; CreateUser and SetRoles refuse any other with
  // kInvalidArgument.
  // The new user, or nullopt when `username` is taken (compared exactly; callers normalise).
  [[nodiscard]] virtual Result<std::optional<User>> CreateUser(const NewUser& user) = 0;
  [[nodiscard]] virtual Result<std::optional<User>> FindUserByName(const std::string& username) = 0;
  [[nodiscard]] virtual Result<std::optional<User>> FindUserById(std::int64_t user_id) = 0;
  // All users ordered by id.
  [[nodiscard]] virtual Result<std::vector<User>> ListUsers() = 0;
  // Each returns false when no such user exists.
  [[nodiscard]] virtual Result<bool> SetPasswordHash(std::int64_t user_id,
                                                     const std::string& password_hash) = 0;
  [[nodiscard]] virtual Result<bool> SetDisabled(std::int64_t user_id, bool disabled) = 0;
  [[nodiscard]] virtual Result<bool> SetRoles(std::int64_t user_id,
                                              const std::vector<std::string>& roles) = 0;
  // Takes back an account that was just created and never used: deletes the user only while
  // no session of theirs exists (a signup refused after CreateUser, e.g. when its audit
  // record could not be written). False when there is no such user or it has sessions.
  [[nodiscard]] virtual Result<bool> DeleteUnusedUser(std::int64_t user_id) = 0;

  // ---- sessions ----
  // Creates a session whose refresh chain starts at generation 1 with `refresh_hash`.
  [[nodiscard]] virtual Status CreateSession(const NewSession& session) = 0;
  [[nodiscard]] virtual Result<std::optional<Session>> FindSession(const std::string& session_id) = 0;
  // The session any refresh token `hash` was issued for (current or spent), if it still exists.
  [[nodiscard]] virtual Result<std::optional<Session>> FindSessionByRefreshHash(const TokenHash& hash) = 0;
  // Sessions of the user that are neither revoked nor expired at `now`, newest first.
  [[nodiscard]] virtual Result<std::vector<Session>> ListActiveSessions(std::int64_t user_id,
                                                                        Seconds now) = 0;
  // The whole refresh decision of RefreshRequest (see store_records.h) as ONE atomic step:
  // no two concurrent calls can both rotate the same generation, and a revocation cannot
  // interleave with a rotation.
  [[nodiscard]] virtual Result<RefreshResult> RotateRefresh(const RefreshRequest& request) = 0;
  // Marks the session revoked at `now` with `reason`; false when it did not exist or was
  // already revoked. Takes the same lock as RotateRefresh.
  [[nodiscard]] virtual Result<bool> RevokeSession(const std::string& session_id, Seconds now,
                                                   const std::string& reason) = 0;
  // Revokes every unrevoked session of the user; returns their ids.
  [[nodiscard]] virtual Result<std::vector<std::string>> RevokeUserSessions(
      std::int64_t user_id, Seconds now, const std::string& reason) = 0;
  // Ids and revocation times of sessions revoked at or after `since` (to rebuild the
  // in-memory revocation list at start).
  [[nodiscard]] virtual Result<std::vector<RevokedSession>> RevokedSessionsSince(Seconds since) = 0;
  // Deletes sessions (and their refresh chains) expired or revoked before `before`.
  [[nodiscard]] virtual Result<std::int64_t> PruneSessions(Seconds before) = 0;

  // Sessions of every user that are neither revoked nor expired at `now`: how many, and the
  // most recently used ones (last_used_at descending, then id), at most `limit` (capped at
  // 1000). For operators (the admin dashboard and /metrics).
  [[nodiscard]] virtual Result<std::int64_t> CountActiveSessions(Seconds now) = 0;
  [[nodiscard]] virtual Result<std::vector<Session>> ListAllActiveSessions(Seconds now,
                                                                           std::int64_t limit) = 0;

  // ---- access-token denylist (jti until exp) ----
  [[nodiscard]] virtual Status DenyToken(const std::string& jti, Seconds expires_at) = 0;
  // Entries whose expires_at is after `now`.
  [[nodiscard]] virtual Result<std::vector<DeniedToken>> ListDeniedTokens(Seconds now) = 0;
  [[nodiscard]] virtual Result<std::int64_t> PruneDeniedTokens(Seconds now) = 0;

  // ---- audit trail ----
  [[nodiscard]] virtual Status AppendAudit(const AuditRecord& record) = 0;
  // Newest first, at most `query.limit` (capped at 1000).
  [[nodiscard]] virtual Result<std::vector<AuditRecord>> ListAudit(const AuditQuery& query) = 0;
  // Counts per (bucket, outcome), ordered by bucket_start then outcome; buckets without
  // records are absent; at most 10000 rows (the earliest: choose `since` and `bucket` so
  // the window fits). kInvalidArgument for a bucket <= 0.
  [[nodiscard]] virtual Result<std::vector<AuditCount>> CountAudit(const AuditCountQuery& query) = 0;
  // The most frequent values of `query.field`, count descending then value, at most
  // `query.limit` (capped at 1000).
  [[nodiscard]] virtual Result<std::vector<AuditTop>> TopAudit(const AuditTopQuery& query) = 0;
  // Deletes records older than `before`; returns how many.
  [[nodiscard]] virtual Result<std::int64_t> PruneAudit(Seconds before) = 0;

  // ---- health ----
  // A cheap round trip to the backend; kStorage when it is unreachable.
  [[nodiscard]] virtual Status Ping() = 0;
};

}  // namespace writ::store

#endif  // WRIT_STORE_STORE_H_
