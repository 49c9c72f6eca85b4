// SqliteStore: sessions and their revocation. RotateRefresh is in sqlite_store_refresh.cc.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_store_impl.h"

namespace writ::store {
namespace {

constexpr std::string_view kSessionColumns =
    "id, user_id, generation, grace_from_generation, rotated_at, remember, created_at, "
    "last_used_at, idle_expires_at, absolute_expires_at, ip, user_agent, revoked_at, "
    "revoke_reason, current_hash";
constexpr int kCurrentHashColumn = 14;

// The one rule of an active session at ?1 (now): not revoked and before both expiries
// (an expiry equal to now has passed). Every "active" query uses it.
constexpr std::string_view kActiveAtNow =
    "revoked_at IS NULL AND idle_expires_at > ?1 AND absolute_expires_at > ?1";

// ListAllActiveSessions never returns more than this many sessions.
constexpr std::int64_t kMaxListedSessions = 1000;

Session ReadSession(const sqlite::Statement& row) {
  Session session;
  session.id = row.ColumnText(0);
  session.user_id = row.ColumnInt64(1);
  session.generation = row.ColumnInt64(2);
  session.grace_from_generation = row.ColumnInt64(3);
  session.rotated_at = row.ColumnTime(4);
  session.remember = row.ColumnBool(5);
  session.created_at = row.ColumnTime(6);
  session.last_used_at = row.ColumnTime(7);
  session.idle_expires_at = row.ColumnTime(8);
  session.absolute_expires_at = row.ColumnTime(9);
  session.ip = row.ColumnText(10);
  session.user_agent = row.ColumnText(11);
  if (!row.ColumnIsNull(12)) {
    session.revoked_at = row.ColumnTime(12);
  }
  session.revoke_reason = row.ColumnText(13);
  return session;
}

std::string SelectSessionsWhere(std::string_view condition) {
  std::string sql = "SELECT ";
  sql += kSessionColumns;
  sql += " FROM sessions ";
  sql += condition;
  return sql;
}

// "WHERE <active at ?1> <rest>".
std::string WhereActive(std::string_view rest) {
  std::string sql = "WHERE ";
  sql += kActiveAtNow;
  sql += " ";
  sql += rest;
  return sql;
}

}  // namespace

Result<std::optional<SqliteStore::StoredSession>> SqliteStore::LoadSession(
    const std::string& session_id) {
  auto select = db_.Prepare(SelectSessionsWhere("WHERE id = ?1"));
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->BindText(1, session_id).Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (!*row) {
    return std::optional<StoredSession>{};
  }
  return std::optional<StoredSession>{
      StoredSession{ReadSession(*select), select->ColumnBlob(kCurrentHashColumn)}};
}

Result<std::vector<Session>> SqliteStore::QuerySessions(sqlite::Statement& select) {
  std::vector<Session> sessions;
  for (;;) {
    auto row = select.Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return sessions;
    }
    sessions.push_back(ReadSession(select));
  }
}

Status SqliteStore::InsertRefreshToken(const TokenHash& hash, const std::string& session_id,
                                       std::int64_t generation, Seconds issued_at,
                                       const std::string& ip, const std::string& user_agent) {
  auto insert = db_.Prepare(
      "INSERT INTO refresh_tokens (hash, session_id, generation, issued_at, ip, user_agent) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!insert) {
    return tl::unexpected(insert.error());
  }
  return insert->BindBlob(1, hash)
      .BindText(2, session_id)
      .BindInt64(3, generation)
      .BindTime(4, issued_at)
      .BindText(5, ip)
      .BindText(6, user_agent)
      .Run();
}

Result<bool> SqliteStore::MarkRevoked(const std::string& session_id, Seconds now,
                                      const std::string& reason) {
  auto update = db_.Prepare(
      "UPDATE sessions SET revoked_at = ?1, revoke_reason = ?2 "
      "WHERE id = ?3 AND revoked_at IS NULL");
  if (!update) {
    return tl::unexpected(update.error());
  }
  auto updated = update->BindTime(1, now).BindText(2, reason).BindText(3, session_id).Run();
  if (!updated) {
    return tl::unexpected(updated.error());
  }
  return db_.Changes() > 0;
}

Status SqliteStore::CreateSession(const NewSession& session) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::BeginImmediate(db_);
  if (!transaction) {
    return tl::unexpected(transaction.error());
  }
  auto insert = db_.Prepare(
      "INSERT INTO sessions (id, user_id, generation, grace_from_generation, current_hash, "
      "rotated_at, remember, created_at, last_used_at, idle_expires_at, absolute_expires_at, "
      "ip, user_agent) VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?4, ?4, ?6, ?7, ?8, ?9)");
  if (!insert) {
    return tl::unexpected(insert.error());
  }
  auto inserted = insert->BindText(1, session.id)
                      .BindInt64(2, session.user_id)
                      .BindBlob(3, session.refresh_hash)
                      .BindTime(4, session.created_at)
                      .BindBool(5, session.remember)
                      .BindTime(6, session.idle_expires_at)
                      .BindTime(7, session.absolute_expires_at)
                      .BindText(8, session.ip)
                      .BindText(9, session.user_agent)
                      .Run();
  if (!inserted) {
    return inserted;
  }
  if (auto token = InsertRefreshToken(session.refresh_hash, session.id, 1, session.created_at,
                                      session.ip, session.user_agent);
      !token) {
    return token;
  }
  return transaction->Commit();
}

Result<std::optional<Session>> SqliteStore::FindSession(const std::string& session_id) {
  std::lock_guard lock(mutex_);
  auto stored = LoadSession(session_id);
  if (!stored) {
    return tl::unexpected(stored.error());
  }
  if (!*stored) {
    return std::optional<Session>{};
  }
  return std::optional<Session>{std::move((*stored)->session)};
}

Result<std::optional<Session>> SqliteStore::FindSessionByRefreshHash(const TokenHash& hash) {
  std::lock_guard lock(mutex_);
  auto token = FindIssuedToken(hash);
  if (!token) {
    return tl::unexpected(token.error());
  }
  if (!*token) {
    return std::optional<Session>{};
  }
  auto stored = LoadSession((*token)->session_id);
  if (!stored) {
    return tl::unexpected(stored.error());
  }
  if (!*stored) {
    return std::optional<Session>{};
  }
  return std::optional<Session>{std::move((*stored)->session)};
}

Result<std::vector<Session>> SqliteStore::ListActiveSessions(std::int64_t user_id, Seconds now) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(SelectSessionsWhere(
      WhereActive("AND user_id = ?2 ORDER BY created_at DESC, rowid DESC")));
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindTime(1, now).BindInt64(2, user_id);
  return QuerySessions(*select);
}

Result<std::int64_t> SqliteStore::CountActiveSessions(Seconds now) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare("SELECT COUNT(*) FROM sessions " + WhereActive(""));
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->BindTime(1, now).Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return *row ? select->ColumnInt64(0) : 0;
}

Result<std::vector<Session>> SqliteStore::ListAllActiveSessions(Seconds now, std::int64_t limit) {
  const std::int64_t capped = std::clamp<std::int64_t>(limit, 0, kMaxListedSessions);
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      SelectSessionsWhere(WhereActive("ORDER BY last_used_at DESC, id LIMIT ?2")));
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindTime(1, now).BindInt64(2, capped);
  return QuerySessions(*select);
}

Result<bool> SqliteStore::RevokeSession(const std::string& session_id, Seconds now,
                                        const std::string& reason) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::BeginImmediate(db_);
  if (!transaction) {
    return tl::unexpected(transaction.error());
  }
  auto revoked = MarkRevoked(session_id, now, reason);
  if (!revoked) {
    return revoked;
  }
  if (auto committed = transaction->Commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  return revoked;
}

Result<std::vector<std::string>> SqliteStore::RevokeUserSessions(std::int64_t user_id, Seconds now,
                                                                 const std::string& reason) {
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::BeginImmediate(db_);
  if (!transaction) {
    return tl::unexpected(transaction.error());
  }
  auto select = db_.Prepare(
      "SELECT id FROM sessions WHERE user_id = ?1 AND revoked_at IS NULL "
      "ORDER BY created_at, rowid");
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindInt64(1, user_id);
  std::vector<std::string> ids;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      break;
    }
    ids.push_back(select->ColumnText(0));
  }
  for (const std::string& id : ids) {
    if (auto revoked = MarkRevoked(id, now, reason); !revoked) {
      return tl::unexpected(revoked.error());
    }
  }
  if (auto committed = transaction->Commit(); !committed) {
    return tl::unexpected(committed.error());
  }
  return ids;
}

Result<std::vector<RevokedSession>> SqliteStore::RevokedSessionsSince(Seconds since) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      "SELECT id, user_id, revoked_at FROM sessions WHERE revoked_at >= ?1 "
      "ORDER BY revoked_at, id");
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindTime(1, since);
  std::vector<RevokedSession> revoked;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return revoked;
    }
    RevokedSession entry;
    entry.session_id = select->ColumnText(0);
    entry.user_id = select->ColumnInt64(1);
    entry.revoked_at = select->ColumnTime(2);
    revoked.push_back(std::move(entry));
  }
}

// A session is dead once revoked or past either expiry (an idle-expired session can never
// be refreshed again), so deleting it loses nothing; ON DELETE CASCADE drops its chain.
Result<std::int64_t> SqliteStore::PruneSessions(Seconds before) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare(
      "DELETE FROM sessions WHERE absolute_expires_at < ?1 OR idle_expires_at < ?1 "
      "OR revoked_at < ?1");
  if (!remove) {
    return tl::unexpected(remove.error());
  }
  if (auto removed = remove->BindTime(1, before).Run(); !removed) {
    return tl::unexpected(removed.error());
  }
  return db_.Changes();
}

}  // namespace writ::store
