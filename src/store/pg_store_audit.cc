// PostgresStore: the access-token denylist and the audit trail.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/nontransaction>

#include "store/pg_store_impl.h"

namespace writ::store {
namespace {

// ListAudit never returns more than this many records, whatever the query asks; nor
// TopAudit more than this many values.
constexpr std::int64_t kMaxAuditRecords = 1000;
// CountAudit never returns more than this many (bucket, outcome) rows: the earliest ones.
constexpr std::int64_t kMaxAuditCounts = 10000;

AuditRecord ReadAuditRecord(const pqxx::row& row) {
  AuditRecord record;
  record.id = row[0].as<std::int64_t>();
  record.time = pg::FromUnixSeconds(row[1].as<std::int64_t>());
  record.event = row[2].as<std::string>();
  record.outcome = row[3].as<std::string>();
  record.reason = row[4].as<std::string>();
  if (!row[5].is_null()) {
    record.user_id = row[5].as<std::int64_t>();
  }
  record.username = row[6].as<std::string>();
  record.ip = row[7].as<std::string>();
  record.user_agent = row[8].as<std::string>();
  record.request_id = row[9].as<std::string>();
  record.session_hash = row[10].as<std::string>();
  record.detail_json = row[11].as<std::string>();
  return record;
}

// One statement for every query: an absent filter is a NULL parameter that disables its
// condition, so the SQL text stays constant and every value is bound.
constexpr const char* kListAuditSql =
    "SELECT id, time, event, outcome, reason, user_id, username, ip, user_agent, request_id, "
    "session_hash, detail_json FROM audit "
    "WHERE ($1::text IS NULL OR event = $1::text) "
    "AND ($2::text IS NULL OR outcome = $2::text) "
    "AND ($3::bigint IS NULL OR user_id = $3::bigint) "
    "AND ($4::text IS NULL OR username = $4::text) "
    "AND ($5::text IS NULL OR ip = $5::text) "
    "AND ($6::bigint IS NULL OR time >= $6::bigint) "
    "ORDER BY time DESC, id DESC LIMIT $7";

// CountAudit: the bucket index k = (time - since) / bucket (integer division, time >= since,
// so it truncates towards zero as floor would); bucket_start is since + k * bucket. Values
// are ordered bytewise (COLLATE "C"), as SQLite's BINARY collation does, whatever the
// database's locale.
constexpr const char* kCountAuditSql =
    "SELECT (time - $2::bigint) / $3::bigint AS bucket_index, outcome, COUNT(*) FROM audit "
    "WHERE event = $1 AND time >= $2::bigint GROUP BY bucket_index, outcome "
    "ORDER BY bucket_index, outcome COLLATE \"C\" LIMIT $4";

// TopAudit, one constant statement per field (a column name is never taken from input).
constexpr const char* kTopAuditByIpSql =
    "SELECT ip, COUNT(*) AS hits, MAX(time) FROM audit WHERE event = $1 AND time >= $2 "
    "GROUP BY ip ORDER BY hits DESC, ip COLLATE \"C\" LIMIT $3";
constexpr const char* kTopAuditByUsernameSql =
    "SELECT username, COUNT(*) AS hits, MAX(time) FROM audit WHERE event = $1 AND time >= $2 "
    "GROUP BY username ORDER BY hits DESC, username COLLATE \"C\" LIMIT $3";

const char* TopAuditSql(AuditField field) {
  switch (field) {
    case AuditField::kUsername:
      return kTopAuditByUsernameSql;
    case AuditField::kIp:
      break;
  }
  return kTopAuditByIpSql;
}

// A nullable parameter: libpqxx binds a null `const char*` as SQL NULL.
struct NullableText {
  std::string text;
  bool null = true;
  const char* get() const { return null ? nullptr : text.c_str(); }
};

NullableText TextOrNull(const std::optional<std::string>& value) {
  return value.has_value() ? NullableText{*value, false} : NullableText{};
}

// libpq sends text parameters NUL-terminated, so a value holding a NUL would arrive cut at
// it and match its prefix ("alice\0x" would select alice's records). A PostgreSQL TEXT
// column cannot hold a NUL, so no stored value equals such a filter: the caller answers
// "nothing" without asking the server (as SQLite, which compares all the bytes, does).
bool CannotMatchText(std::string_view value) {
  return value.find('\0') != std::string_view::npos;
}

bool FilterCannotMatch(const std::optional<std::string>& value) {
  return value.has_value() && CannotMatchText(*value);
}

}  // namespace

Status PostgresStore::DenyToken(const std::string& jti, Seconds expires_at) {
  return pool_->Run("deny token", [&](pqxx::connection_base& connection) -> Status {
    pqxx::nontransaction transaction(connection);
    // Denying a jti twice keeps the later expiry.
    transaction.exec_params(
        "INSERT INTO denied_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) "
        "DO UPDATE SET expires_at = GREATEST(denied_tokens.expires_at, excluded.expires_at)",
        jti, pg::ToUnixSeconds(expires_at));
    return {};
  });
}

Result<std::vector<DeniedToken>> PostgresStore::ListDeniedTokens(Seconds now) {
  return pool_->Run("list denied tokens", [&](pqxx::connection_base& connection)
                                              -> Result<std::vector<DeniedToken>> {
    pqxx::nontransaction transaction(connection);
    std::vector<DeniedToken> denied;
    for (const pqxx::row& row : transaction.exec_params(
             "SELECT jti, expires_at FROM denied_tokens WHERE expires_at > $1 "
             "ORDER BY expires_at, jti",
             pg::ToUnixSeconds(now))) {
      denied.push_back(DeniedToken{row[0].as<std::string>(),
                                   pg::FromUnixSeconds(row[1].as<std::int64_t>())});
    }
    return denied;
  });
}

// Deletes exactly the entries ListDeniedTokens(now) no longer returns.
Result<std::int64_t> PostgresStore::PruneDeniedTokens(Seconds now) {
  return pool_->Run("prune denied tokens", [&](pqxx::connection_base& connection)
                                               -> Result<std::int64_t> {
    pqxx::nontransaction transaction(connection);
    return static_cast<std::int64_t>(
        transaction
            .exec_params("DELETE FROM denied_tokens WHERE expires_at <= $1",
                         pg::ToUnixSeconds(now))
            .affected_rows());
  });
}

Status PostgresStore::AppendAudit(const AuditRecord& record) {
  NullableText user_id;
  if (record.user_id.has_value()) {
    user_id = NullableText{std::to_string(*record.user_id), false};
  }
  return pool_->Run("append audit", [&](pqxx::connection_base& connection) -> Status {
    pqxx::nontransaction transaction(connection);
    transaction.exec_params(
        "INSERT INTO audit (time, event, outcome, reason, user_id, username, ip, user_agent, "
        "request_id, session_hash, detail_json) "
        "VALUES ($1, $2, $3, $4, $5::bigint, $6, $7, $8, $9, $10, $11)",
        pg::ToUnixSeconds(record.time), record.event, record.outcome, record.reason,
        user_id.get(), record.username, record.ip, record.user_agent, record.request_id,
        record.session_hash, record.detail_json);
    return {};
  });
}

Result<std::vector<AuditRecord>> PostgresStore::ListAudit(const AuditQuery& query) {
  if (FilterCannotMatch(query.event) || FilterCannotMatch(query.outcome) ||
      FilterCannotMatch(query.username) || FilterCannotMatch(query.ip)) {
    return std::vector<AuditRecord>{};
  }
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 0, kMaxAuditRecords);
  const NullableText event = TextOrNull(query.event);
  const NullableText outcome = TextOrNull(query.outcome);
  const NullableText username = TextOrNull(query.username);
  const NullableText ip = TextOrNull(query.ip);
  NullableText user_id;
  NullableText since;
  if (query.user_id.has_value()) {
    user_id = NullableText{std::to_string(*query.user_id), false};
  }
  if (query.since.has_value()) {
    since = NullableText{std::to_string(pg::ToUnixSeconds(*query.since)), false};
  }
  return pool_->Run("list audit", [&](pqxx::connection_base& connection)
                                      -> Result<std::vector<AuditRecord>> {
    pqxx::nontransaction transaction(connection);
    std::vector<AuditRecord> records;
    for (const pqxx::row& row :
         transaction.exec_params(kListAuditSql, event.get(), outcome.get(), user_id.get(),
                                 username.get(), ip.get(), since.get(), limit)) {
      records.push_back(ReadAuditRecord(row));
    }
    return records;
  });
}

Result<std::vector<AuditCount>> PostgresStore::CountAudit(const AuditCountQuery& query) {
  if (query.bucket.count() <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "audit count: the bucket must be positive");
  }
  if (CannotMatchText(query.event)) {
    return std::vector<AuditCount>{};
  }
  const auto bucket = static_cast<std::int64_t>(query.bucket.count());
  return pool_->Run("count audit", [&](pqxx::connection_base& connection)
                                       -> Result<std::vector<AuditCount>> {
    pqxx::nontransaction transaction(connection);
    std::vector<AuditCount> counts;
    for (const pqxx::row& row :
         transaction.exec_params(kCountAuditSql, query.event, pg::ToUnixSeconds(query.since),
                                 bucket, kMaxAuditCounts)) {
      AuditCount count;
      count.bucket_start = query.since + row[0].as<std::int64_t>() * query.bucket;
      count.outcome = row[1].as<std::string>();
      count.count = row[2].as<std::int64_t>();
      counts.push_back(std::move(count));
    }
    return counts;
  });
}

Result<std::vector<AuditTop>> PostgresStore::TopAudit(const AuditTopQuery& query) {
  if (CannotMatchText(query.event)) {
    return std::vector<AuditTop>{};
  }
  const std::int64_t limit = std::clamp<std::int64_t>(query.limit, 0, kMaxAuditRecords);
  return pool_->Run("top audit", [&](pqxx::connection_base& connection)
                                     -> Result<std::vector<AuditTop>> {
    pqxx::nontransaction transaction(connection);
    std::vector<AuditTop> top;
    for (const pqxx::row& row : transaction.exec_params(
             TopAuditSql(query.field), query.event, pg::ToUnixSeconds(query.since), limit)) {
      AuditTop entry;
      entry.value = row[0].as<std::string>();
      entry.count = row[1].as<std::int64_t>();
      entry.last_seen = pg::FromUnixSeconds(row[2].as<std::int64_t>());
      top.push_back(std::move(entry));
    }
    return top;
  });
}

Result<std::int64_t> PostgresStore::PruneAudit(Seconds before) {
  return pool_->Run("prune audit", [&](pqxx::connection_base& connection)
                                       -> Result<std::int64_t> {
    pqxx::nontransaction transaction(connection);
    return static_cast<std::int64_t>(
        transaction
            .exec_params("DELETE FROM audit WHERE time < $1", pg::ToUnixSeconds(before))
            .affected_rows());
  });
}

}  // namespace writ::store
