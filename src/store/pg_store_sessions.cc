// PostgresStore: sessions and their revocation. RotateRefresh is in pg_store_refresh.cc.
#include <algorithm>
#include <string>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "store/pg_store_impl.h"

namespace writ::store {
namespace pg {

std::int64_t ToUnixSeconds(Seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

Seconds FromUnixSeconds(std::int64_t unix_seconds) {
  return Seconds{std::chrono::seconds{unix_seconds}};
}

void InsertRefreshToken(pqxx::transaction_base& transaction, const TokenHash& hash,
                        const std::string& session_id, std::int64_t generation,
                        Seconds issued_at, const std::string& ip,
                        const std::string& user_agent) {
  transaction.exec_params(
      "INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, ip, user_agent) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      Bytes(hash), session_id, generation, ToUnixSeconds(issued_at), ip, Bytes(user_agent));
}

bool MarkRevoked(pqxx::transaction_base& transaction, const std::string& session_id, Seconds now,
                 const std::string& reason) {
  return transaction
             .exec_params(
                 "UPDATE sessions SET revoked_at = $1, revoke_reason = $2 "
                 "WHERE id = $3 AND revoked_at IS NULL",
                 ToUnixSeconds(now), reason, session_id)
             .affected_rows() > 0;
}

}  // namespace pg

namespace {

// The one rule of an active session at $1 (now): not revoked and before both expiries
// (an expiry equal to now has passed). Every "active" query uses it.
constexpr const char* kActiveAtNow =
    "revoked_at IS NULL AND idle_expires_at > $1 AND absolute_expires_at > $1";

// ListAllActiveSessions never returns more than this many sessions.
constexpr std::int64_t kMaxListedSessions = 1000;

std::vector<Session> ReadSessions(const pqxx::result& rows) {
  std::vector<Session> sessions;
  sessions.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    sessions.push_back(PostgresStore::ReadSession(row));
  }
  return sessions;
}

std::string SelectSessionsWhere(const std::string& condition) {
  std::string sql = "SELECT ";
  sql += PostgresStore::SessionColumns();
  sql += " FROM sessions ";
  sql += condition;
  return sql;
}

// "WHERE <active at $1> <rest>".
std::string WhereActive(const char* rest) {
  std::string sql = "WHERE ";
  sql += kActiveAtNow;
  sql += " ";
  sql += rest;
  return sql;
}

}  // namespace

const char* PostgresStore::SessionColumns() {
  return "id, user_id, generation, grace_from_generation, rotated_at, remember, created_at, "
         "last_used_at, idle_expires_at, absolute_expires_at, ip, user_agent, revoked_at, "
         "revoke_reason, current_hash";
}

Session PostgresStore::ReadSession(const pqxx::row& row) {
  Session session;
  session.id = row[0].as<std::string>();
  session.user_id = row[1].as<std::int64_t>();
  session.generation = row[2].as<std::int64_t>();
  session.grace_from_generation = row[3].as<std::int64_t>();
  session.rotated_at = pg::FromUnixSeconds(row[4].as<std::int64_t>());
  session.remember = row[5].as<bool>();
  session.created_at = pg::FromUnixSeconds(row[6].as<std::int64_t>());
  session.last_used_at = pg::FromUnixSeconds(row[7].as<std::int64_t>());
  session.idle_expires_at = pg::FromUnixSeconds(row[8].as<std::int64_t>());
  session.absolute_expires_at = pg::FromUnixSeconds(row[9].as<std::int64_t>());
  session.ip = row[10].as<std::string>();
  session.user_agent = pg::BytesOf(row[11]);
  if (!row[12].is_null()) {
    session.revoked_at = pg::FromUnixSeconds(row[12].as<std::int64_t>());
  }
  session.revoke_reason = row[13].as<std::string>();
  return session;
}

Status PostgresStore::CreateSession(const NewSession& session) {
  return pool_->Run("create session", [&](pqxx::connection_base& connection) -> Status {
    pqxx::work transaction(connection);
    const std::int64_t created_at = pg::ToUnixSeconds(session.created_at);
    transaction.exec_params(
        "INSERT INTO sessions (id, user_id, generation, grace_from_generation, current_hash, "
        "rotated_at, remember, created_at, last_used_at, idle_expires_at, absolute_expires_at, "
        "ip, user_agent) VALUES ($1, $2, 1, 1, $3, $4, $5, $4, $4, $6, $7, $8, $9)",
        session.id, session.user_id, pg::Bytes(session.refresh_hash), created_at,
        session.remember, pg::ToUnixSeconds(session.idle_expires_at),
        pg::ToUnixSeconds(session.absolute_expires_at), session.ip,
        pg::Bytes(session.user_agent));
    pg::InsertRefreshToken(transaction, session.refresh_hash, session.id, 1, session.created_at,
                           session.ip, session.user_agent);
    transaction.commit();
    return {};
  });
}

Result<std::optional<Session>> PostgresStore::FindSession(const std::string& session_id) {
  return pool_->Run("find session", [&](pqxx::connection_base& connection)
                                        -> Result<std::optional<Session>> {
    pqxx::nontransaction transaction(connection);
    const pqxx::result rows =
        transaction.exec_params(SelectSessionsWhere("WHERE id = $1"), session_id);
    if (rows.empty()) {
      return std::optional<Session>{};
    }
    return std::optional<Session>{ReadSession(rows[0])};
  });
}

// One statement: a spent token and its session are read from one snapshot.
Result<std::optional<Session>> PostgresStore::FindSessionByRefreshHash(const TokenHash& hash) {
  return pool_->Run("find session by refresh hash", [&](pqxx::connection_base& connection)
                                                        -> Result<std::optional<Session>> {
    pqxx::nontransaction transaction(connection);
    const pqxx::result rows = transaction.exec_params(
        SelectSessionsWhere(
            "WHERE id = (SELECT session_id FROM refresh_tokens WHERE hash = $1)"),
        pg::Bytes(hash));
    if (rows.empty()) {
      return std::optional<Session>{};
    }
    return std::optional<Session>{ReadSession(rows[0])};
  });
}

Result<std::vector<Session>> PostgresStore::ListActiveSessions(std::int64_t user_id, Seconds now) {
  return pool_->Run("list active sessions", [&](pqxx::connection_base& connection)
                                                -> Result<std::vector<Session>> {
    pqxx::nontransaction transaction(connection);
    return ReadSessions(transaction.exec_params(
        SelectSessionsWhere(
            WhereActive("AND user_id = $2 ORDER BY created_at DESC, seq DESC")),
        pg::ToUnixSeconds(now), user_id));
  });
}

Result<std::int64_t> PostgresStore::CountActiveSessions(Seconds now) {
  return pool_->Run("count active sessions", [&](pqxx::connection_base& connection)
                                                 -> Result<std::int64_t> {
    pqxx::nontransaction transaction(connection);
    const pqxx::result rows = transaction.exec_params(
        "SELECT COUNT(*) FROM sessions " + WhereActive(""), pg::ToUnixSeconds(now));
    return rows[0][0].as<std::int64_t>();
  });
}

Result<std::vector<Session>> PostgresStore::ListAllActiveSessions(Seconds now,
                                                                  std::int64_t limit) {
  const std::int64_t capped = std::clamp<std::int64_t>(limit, 0, kMaxListedSessions);
  return pool_->Run("list all active sessions", [&](pqxx::connection_base& connection)
                                                    -> Result<std::vector<Session>> {
    pqxx::nontransaction transaction(connection);
    return ReadSessions(transaction.exec_params(
        SelectSessionsWhere(WhereActive("ORDER BY last_used_at DESC, id LIMIT $2")),
        pg::ToUnixSeconds(now), capped));
  });
}

// One UPDATE: it takes the session's row lock, so it waits for a RotateRefresh holding it
// (FOR UPDATE) and re-checks `revoked_at IS NULL` on the row that rotation committed.
Result<bool> PostgresStore::RevokeSession(const std::string& session_id, Seconds now,
                                          const std::string& reason) {
  return pool_->Run("revoke session", [&](pqxx::connection_base& connection) -> Result<bool> {
    pqxx::work transaction(connection);
    const bool revoked = pg::MarkRevoked(transaction, session_id, now, reason);
    transaction.commit();
    return revoked;
  });
}

Result<std::vector<std::string>> PostgresStore::RevokeUserSessions(std::int64_t user_id,
                                                                   Seconds now,
                                                                   const std::string& reason) {
  return pool_->Run("revoke user sessions", [&](pqxx::connection_base& connection)
                                                -> Result<std::vector<std::string>> {
    pqxx::work transaction(connection);
    // A CTE's UPDATE returns rows in no set order: order them as SQLite does.
    const pqxx::result rows = transaction.exec_params(
        "WITH revoked AS (UPDATE sessions SET revoked_at = $2, revoke_reason = $3 "
        "WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, created_at, seq) "
        "SELECT id FROM revoked ORDER BY created_at, seq",
        user_id, pg::ToUnixSeconds(now), reason);
    transaction.commit();
    std::vector<std::string> ids;
    ids.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      ids.push_back(row[0].as<std::string>());
    }
    return ids;
  });
}

Result<std::vector<RevokedSession>> PostgresStore::RevokedSessionsSince(Seconds since) {
  return pool_->Run("revoked sessions since", [&](pqxx::connection_base& connection)
                                                  -> Result<std::vector<RevokedSession>> {
    pqxx::nontransaction transaction(connection);
    std::vector<RevokedSession> revoked;
    for (const pqxx::row& row : transaction.exec_params(
             "SELECT id, user_id, revoked_at FROM sessions WHERE revoked_at >= $1 "
             "ORDER BY revoked_at, id",
             pg::ToUnixSeconds(since))) {
      RevokedSession entry;
      entry.session_id = row[0].as<std::string>();
      entry.user_id = row[1].as<std::int64_t>();
      entry.revoked_at = pg::FromUnixSeconds(row[2].as<std::int64_t>());
      revoked.push_back(std::move(entry));
    }
    return revoked;
  });
}

// A session is dead once revoked or past either expiry, so deleting it loses nothing;
// ON DELETE CASCADE drops its chain.
Result<std::int64_t> PostgresStore::PruneSessions(Seconds before) {
  return pool_->Run("prune sessions", [&](pqxx::connection_base& connection)
                                          -> Result<std::int64_t> {
    pqxx::nontransaction transaction(connection);
    return static_cast<std::int64_t>(
        transaction
            .exec_params("DELETE FROM sessions WHERE absolute_expires_at < $1 "
                         "OR idle_expires_at < $1 OR revoked_at < $1",
                         pg::ToUnixSeconds(before))
            .affected_rows());
  });
}

}  // namespace writ::store
