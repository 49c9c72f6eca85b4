// SqliteStore: the access-token denylist and the audit trail.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_store_impl.h"

namespace writ::store {
namespace {

// ListAudit never returns more than this many records, whatever the query asks.
constexpr std::int64_t kMaxAuditRecords = 1000;

constexpr std::string_view kAuditColumns =
    "id, time, event, outcome, reason, user_id, username, ip, user_agent, request_id, "
    "session_hash, detail_json";

AuditRecord ReadAuditRecord(const sqlite::Statement& row) {
  AuditRecord record;
  record.id = row.ColumnInt64(0);
  record.time = row.ColumnTime(1);
  record.event = row.ColumnText(2);
  record.outcome = row.ColumnText(3);
  record.reason = row.ColumnText(4);
  if (!row.ColumnIsNull(5)) {
    record.user_id = row.ColumnInt64(5);
  }
  record.username = row.ColumnText(6);
  record.ip = row.ColumnText(7);
  record.user_agent = row.ColumnText(8);
  record.request_id = row.ColumnText(9);
  record.session_hash = row.ColumnText(10);
  record.detail_json = row.ColumnText(11);
  return record;
}

// The SQL of `query`: only constant fragments; the filter values are bound as ?1..?4.
std::string AuditQuerySql(const AuditQuery& query) {
  std::string sql = "SELECT ";
  sql += kAuditColumns;
  sql += " FROM audit WHERE 1 = 1";
  if (query.event.has_value()) {
    sql += " AND event = ?1";
  }
  if (query.user_id.has_value()) {
    sql += " AND user_id = ?2";
  }
  if (query.since.has_value()) {
    sql += " AND time >= ?3";
  }
  sql += " ORDER BY time DESC, id DESC LIMIT ?4";
  return sql;
}

}  // namespace

Status SqliteStore::DenyToken(const std::string& jti, Seconds expires_at) {
  std::lock_guard lock(mutex_);
  // Denying a jti twice keeps the later expiry.
  auto upsert = db_.Prepare(
      "INSERT INTO denied_tokens (jti, expires_at) VALUES (?1, ?2) ON CONFLICT (jti) "
      "DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)");
  if (!upsert) {
    return tl::unexpected(upsert.error());
  }
  return upsert->BindText(1, jti).BindTime(2, expires_at).Run();
}

Result<std::vector<DeniedToken>> SqliteStore::ListDeniedTokens(Seconds now) {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(
      "SELECT jti, expires_at FROM denied_tokens WHERE expires_at > ?1 ORDER BY expires_at, jti");
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindTime(1, now);
  std::vector<DeniedToken> denied;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return denied;
    }
    DeniedToken entry;
    entry.jti = select->ColumnText(0);
    entry.expires_at = select->ColumnTime(1);
    denied.push_back(std::move(entry));
  }
}

// Deletes exactly the entries ListDeniedTokens(now) no longer returns.
Result<std::int64_t> SqliteStore::PruneDeniedTokens(Seconds now) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM denied_tokens WHERE expires_at <= ?1");
  if (!remove) {
    return tl::unexpected(remove.error());
  }
  if (auto removed = remove->BindTime(1, now).Run(); !removed) {
    return tl::unexpected(removed.error());
  }
  return db_.Changes();
}

Status SqliteStore::AppendAudit(const AuditRecord& record) {
  std::lock_guard lock(mutex_);
  auto insert = db_.Prepare(
      "INSERT INTO audit (time, event, outcome, reason, user_id, username, ip, user_agent, "
      "request_id, session_hash, detail_json) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  if (!insert) {
    return tl::unexpected(insert.error());
  }
  insert->BindTime(1, record.time)
      .BindText(2, record.event)
      .BindText(3, record.outcome)
      .BindText(4, record.reason);
  if (record.user_id.has_value()) {
    insert->BindInt64(5, *record.user_id);
  } else {
    insert->BindNull(5);
  }
  return insert->BindText(6, record.username)
      .BindText(7, record.ip)
      .BindText(8, record.user_agent)
      .BindText(9, record.request_id)
      .BindText(10, record.session_hash)
      .BindText(11, record.detail_json)
      .Run();
}

Result<std::vector<AuditRecord>> SqliteStore::ListAudit(const AuditQuery& query) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 0, kMaxAuditRecords);
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(AuditQuerySql(query));
  if (!select) {
    return tl::unexpected(select.error());
  }
  if (query.event.has_value()) {
    select->BindText(1, *query.event);
  }
  if (query.user_id.has_value()) {
    select->BindInt64(2, *query.user_id);
  }
  if (query.since.has_value()) {
    select->BindTime(3, *query.since);
  }
  select->BindInt64(4, limit);
  std::vector<AuditRecord> records;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return records;
    }
    records.push_back(ReadAuditRecord(*select));
  }
}

Result<std::int64_t> SqliteStore::PruneAudit(Seconds before) {
  std::lock_guard lock(mutex_);
  auto remove = db_.Prepare("DELETE FROM audit WHERE time < ?1");
  if (!remove) {
    return tl::unexpected(remove.error());
  }
  if (auto removed = remove->BindTime(1, before).Run(); !removed) {
    return tl::unexpected(removed.error());
  }
  return db_.Changes();
}

}  // namespace writ::store
