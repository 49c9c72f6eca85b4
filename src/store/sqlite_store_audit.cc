// SqliteStore: the access-token denylist and the audit trail.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite_store_impl.h"

namespace writ::store {
namespace {

// ListAudit never returns more than this many records, whatever the query asks; nor
// TopAudit more than this many values.
constexpr std::int64_t kMaxAuditRecords = 1000;
// CountAudit never returns more than this many (bucket, outcome) rows: the earliest ones.
constexpr std::int64_t kMaxAuditCounts = 10000;

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

// The SQL of `query`: only constant fragments; the filter values are bound as ?1..?6 and
// the limit as ?7.
std::string AuditQuerySql(const AuditQuery& query) {
  std::string sql = "SELECT ";
  sql += kAuditColumns;
  sql += " FROM audit WHERE 1 = 1";
  if (query.event.has_value()) {
    sql += " AND event = ?1";
  }
  if (query.outcome.has_value()) {
    sql += " AND outcome = ?2";
  }
  if (query.user_id.has_value()) {
    sql += " AND user_id = ?3";
  }
  if (query.username.has_value()) {
    sql += " AND username = ?4";
  }
  if (query.ip.has_value()) {
    sql += " AND ip = ?5";
  }
  if (query.since.has_value()) {
    sql += " AND time >= ?6";
  }
  sql += " ORDER BY time DESC, id DESC LIMIT ?7";
  return sql;
}

// CountAudit: the bucket index k = (time - since) / bucket (integer division, time >= since,
// so it truncates towards zero as floor would); bucket_start is since + k * bucket.
constexpr std::string_view kCountAuditSql =
    "SELECT (time - ?2) / ?3 AS bucket_index, outcome, COUNT(*) FROM audit "
    "WHERE event = ?1 AND time >= ?2 GROUP BY bucket_index, outcome "
    "ORDER BY bucket_index, outcome LIMIT ?4";

// TopAudit, one constant statement per field (a column name is never taken from input).
constexpr std::string_view kTopAuditByIpSql =
    "SELECT ip, COUNT(*) AS hits, MAX(time) FROM audit WHERE event = ?1 AND time >= ?2 "
    "GROUP BY ip ORDER BY hits DESC, ip LIMIT ?3";
constexpr std::string_view kTopAuditByUsernameSql =
    "SELECT username, COUNT(*) AS hits, MAX(time) FROM audit WHERE event = ?1 AND time >= ?2 "
    "GROUP BY username ORDER BY hits DESC, username LIMIT ?3";

std::string_view TopAuditSql(AuditField field) {
  switch (field) {
    case AuditField::kUsername:
      return kTopAuditByUsernameSql;
    case AuditField::kIp:
      break;
  }
  return kTopAuditByIpSql;
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
  if (query.outcome.has_value()) {
    select->BindText(2, *query.outcome);
  }
  if (query.user_id.has_value()) {
    select->BindInt64(3, *query.user_id);
  }
  if (query.username.has_value()) {
    select->BindText(4, *query.username);
  }
  if (query.ip.has_value()) {
    select->BindText(5, *query.ip);
  }
  if (query.since.has_value()) {
    select->BindTime(6, *query.since);
  }
  select->BindInt64(7, limit);
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

Result<std::vector<AuditCount>> SqliteStore::CountAudit(const AuditCountQuery& query) {
  if (query.bucket.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "audit count: the bucket must be positive");
  }
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(kCountAuditSql);
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindText(1, query.event)
      .BindTime(2, query.since)
      .BindInt64(3, static_cast<std::int64_t>(query.bucket.count()))
      .BindInt64(4, kMaxAuditCounts);
  std::vector<AuditCount> counts;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return counts;
    }
    AuditCount count;
    count.bucket_start = query.since + select->ColumnInt64(0) * query.bucket;
    count.outcome = select->ColumnText(1);
    count.count = select->ColumnInt64(2);
    counts.push_back(std::move(count));
  }
}

Result<std::vector<AuditTop>> SqliteStore::TopAudit(const AuditTopQuery& query) {
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 0, kMaxAuditRecords);
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare(TopAuditSql(query.field));
  if (!select) {
    return tl::unexpected(select.error());
  }
  select->BindText(1, query.event).BindTime(2, query.since).BindInt64(3, limit);
  std::vector<AuditTop> top;
  for (;;) {
    auto row = select->Step();
    if (!row) {
      return tl::unexpected(row.error());
    }
    if (!*row) {
      return top;
    }
    AuditTop entry;
    entry.value = select->ColumnText(0);
    entry.count = select->ColumnInt64(1);
    entry.last_seen = select->ColumnTime(2);
    top.push_back(std::move(entry));
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
