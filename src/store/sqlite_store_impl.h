// writ::store::SqliteStore: the Store on one SQLite connection (internal; callers use
// OpenSqliteStore in sqlite_store.h). Its methods are split by concern:
// sqlite_store.cc (opening, health), sqlite_store_users.cc, sqlite_store_sessions.cc,
// sqlite_store_refresh.cc (RotateRefresh), sqlite_store_audit.cc (denylist and audit).
#ifndef WRIT_STORE_SQLITE_STORE_IMPL_H_
#define WRIT_STORE_SQLITE_STORE_IMPL_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace writ::store {

// Thread-safe: one mutex serialises every call on the single connection (the server is one
// process). Multi-step writes also run in BEGIN IMMEDIATE transactions, so they stay atomic
// against other processes opening the same file (e.g. the CLI).
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite::Database db) : db_(std::move(db)) {}

  Result<std::optional<User>> CreateUser(const NewUser& user) override;
  Result<std::optional<User>> FindUserByName(const std::string& username) override;
  Result<std::optional<User>> FindUserById(std::int64_t user_id) override;
  Result<std::vector<User>> ListUsers() override;
  Result<bool> SetPasswordHash(std::int64_t user_id, const std::string& password_hash) override;
  Result<bool> SetDisabled(std::int64_t user_id, bool disabled) override;
  Result<bool> SetRoles(std::int64_t user_id, const std::vector<std::string>& roles) override;
  Result<bool> DeleteUnusedUser(std::int64_t user_id) override;

  Status CreateSession(const NewSession& session) override;
  Result<std::optional<Session>> FindSession(const std::string& session_id) override;
  Result<std::optional<Session>> FindSessionByRefreshHash(const TokenHash& hash) override;
  Result<std::vector<Session>> ListActiveSessions(std::int64_t user_id, Seconds now) override;
  Result<RefreshResult> RotateRefresh(const RefreshRequest& request) override;
  Result<bool> RevokeSession(const std::string& session_id, Seconds now,
                             const std::string& reason) override;
  Result<std::vector<std::string>> RevokeUserSessions(std::int64_t user_id, Seconds now,
                                                      const std::string& reason) override;
  Result<std::vector<RevokedSession>> RevokedSessionsSince(Seconds since) override;
  Result<std::int64_t> PruneSessions(Seconds before) override;
  Result<std::int64_t> CountActiveSessions(Seconds now) override;
  Result<std::vector<Session>> ListAllActiveSessions(Seconds now, std::int64_t limit) override;

  Status DenyToken(const std::string& jti, Seconds expires_at) override;
  Result<std::vector<DeniedToken>> ListDeniedTokens(Seconds now) override;
  Result<std::int64_t> PruneDeniedTokens(Seconds now) override;

  Status AppendAudit(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> ListAudit(const AuditQuery& query) override;
  Result<std::vector<AuditCount>> CountAudit(const AuditCountQuery& query) override;
  Result<std::vector<AuditTop>> TopAudit(const AuditTopQuery& query) override;
  Result<std::int64_t> PruneAudit(Seconds before) override;

  Status Ping() override;

 private:
  // A session row with the hash of its one live refresh token.
  struct StoredSession {
    Session session;
    TokenHash current_hash;
  };
  // The refresh_tokens row of a presented hash.
  struct IssuedToken {
    std::string session_id;
    std::int64_t generation = 0;
    std::int64_t row = 0;  // rowid: issue order within the session
  };

  // Helpers of sqlite_store_sessions.cc / sqlite_store_refresh.cc; the caller holds mutex_.
  Result<std::optional<StoredSession>> LoadSession(const std::string& session_id);
  Result<std::vector<Session>> QuerySessions(sqlite::Statement& select);
  Result<RefreshResult> DecideRefresh(const RefreshRequest& request);
  Result<std::optional<IssuedToken>> FindIssuedToken(const TokenHash& hash);
  Status InsertRefreshToken(const TokenHash& hash, const std::string& session_id,
                            std::int64_t generation, Seconds issued_at, const std::string& ip,
                            const std::string& user_agent);
  Status ApplyRotation(StoredSession& stored, const RefreshRequest& request,
                       std::int64_t new_generation, bool in_grace);
  Status MarkReuse(StoredSession& stored, const IssuedToken& presented, Seconds now,
                   RefreshResult& result);
  Result<bool> MarkRevoked(const std::string& session_id, Seconds now, const std::string& reason);
  Result<std::optional<User>> QueryOneUser(sqlite::Statement& select);

  std::mutex mutex_;
  sqlite::Database db_;
};

}  // namespace writ::store

#endif  // WRIT_STORE_SQLITE_STORE_IMPL_H_
