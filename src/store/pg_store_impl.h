// writ::store::PostgresStore: the Store over pg::Pool (internal; callers use
// OpenPostgresStore in pg_store.h). Its methods are split by concern, as SqliteStore's:
// pg_store.cc (opening, health), pg_store_users.cc, pg_store_sessions.cc,
// pg_store_refresh.cc (RotateRefresh), pg_store_audit.cc (denylist and audit).
#ifndef WRIT_STORE_PG_STORE_IMPL_H_
#define WRIT_STORE_PG_STORE_IMPL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/binarystring>
#include <pqxx/result>
#include <pqxx/row>
#include <pqxx/transaction_base>

#include "store/pg_pool.h"
#include "store/store.h"

namespace writ::store {

// Thread-safe: each call runs on its own pooled connection. Multi-step writes run in one
// READ COMMITTED transaction; RotateRefresh and the revocations serialise on the session's
// row lock (SELECT … FOR UPDATE / UPDATE), which holds across connections and instances.
class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<pg::Pool> pool) : pool_(std::move(pool)) {}

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

  // The session columns every session query selects, in ReadSession's order, followed by
  // current_hash (pg_store_sessions.cc).
  static const char* SessionColumns();
  static Session ReadSession(const pqxx::row& row);

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
    std::int64_t seq = 0;  // issue order within the session
  };

  // Helpers of pg_store_refresh.cc, inside RotateRefresh's transaction.
  static Result<RefreshResult> DecideRefresh(pqxx::transaction_base& transaction,
                                             const RefreshRequest& request);
  static void ApplyRotation(pqxx::transaction_base& transaction, StoredSession& stored,
                            const RefreshRequest& request, std::int64_t new_generation,
                            bool in_grace);
  static void MarkReuse(pqxx::transaction_base& transaction, StoredSession& stored,
                        const IssuedToken& presented, Seconds now, RefreshResult& result);

  std::unique_ptr<pg::Pool> pool_;
};

// Shared by the pg_store_*.cc files.
namespace pg {
// A BYTEA parameter (sent in binary: NULs and high bytes pass unchanged).
[[nodiscard]] inline pqxx::binarystring Bytes(const std::string& bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}
// A BYTEA column's bytes.
[[nodiscard]] inline std::string BytesOf(const pqxx::field& field) {
  return pqxx::binarystring(field).str();
}
// Times are BIGINT Unix seconds, as in SQLite.
[[nodiscard]] std::int64_t ToUnixSeconds(Seconds time);
[[nodiscard]] Seconds FromUnixSeconds(std::int64_t unix_seconds);
// Inserts a refresh_tokens row (issue order is its seq).
void InsertRefreshToken(pqxx::transaction_base& transaction, const TokenHash& hash,
                        const std::string& session_id, std::int64_t generation,
                        Seconds issued_at, const std::string& ip,
                        const std::string& user_agent);
// UPDATE … SET revoked_at, revoke_reason WHERE id AND not yet revoked; true when it was.
[[nodiscard]] bool MarkRevoked(pqxx::transaction_base& transaction, const std::string& session_id,
                               Seconds now, const std::string& reason);
}  // namespace pg

}  // namespace writ::store

#endif  // WRIT_STORE_PG_STORE_IMPL_H_
