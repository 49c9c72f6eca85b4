#include "store/pg_migrations.h"

#include <array>
#include <string>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "store/pg_errors.h"

namespace writ::store::pg {
namespace {

// Version 1, as sqlite_migrations.cc's, in PostgreSQL's dialect:
//  - ids are BIGSERIAL, times BIGINT Unix seconds, flags BOOLEAN;
//  - refresh hashes are BYTEA, and so are the user agents of sessions and refresh tokens:
//    they are raw request header bytes (not necessarily UTF-8), which SQLite's TEXT keeps
//    as given and PostgreSQL's TEXT would refuse;
//  - SQLite's rowid order (issue order of a session's tokens, creation order of sessions)
//    is an explicit BIGSERIAL `seq`;
//  - identifiers that are ordered (session id, jti) compare bytewise (COLLATE "C"), as
//    SQLite's BINARY collation does, whatever the database's locale.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
  id TEXT COLLATE "C" PRIMARY KEY,
  seq BIGSERIAL NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  generation BIGINT NOT NULL,
  grace_from_generation BIGINT NOT NULL,
  current_hash BYTEA NOT NULL,
  rotated_at BIGINT NOT NULL,
  remember BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  idle_expires_at BIGINT NOT NULL,
  absolute_expires_at BIGINT NOT NULL,
  ip TEXT NOT NULL,
  user_agent BYTEA NOT NULL,
  revoked_at BIGINT,
  revoke_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
CREATE INDEX sessions_by_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expires_at);
CREATE INDEX sessions_by_idle_expiry ON sessions (idle_expires_at);

CREATE TABLE refresh_tokens (
  hash BYTEA PRIMARY KEY,
  seq BIGSERIAL NOT NULL UNIQUE,
  session_id TEXT COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  generation BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  ip TEXT NOT NULL,
  user_agent BYTEA NOT NULL
);
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id, seq);

CREATE TABLE denied_tokens (
  jti TEXT COLLATE "C" PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
CREATE INDEX denied_tokens_by_expiry ON denied_tokens (expires_at);

CREATE TABLE audit (
  id BIGSERIAL PRIMARY KEY,
  time BIGINT NOT NULL,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  request_id TEXT NOT NULL,
  session_hash TEXT NOT NULL,
  detail_json TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit (time);
CREATE INDEX audit_by_event ON audit (event, time);
CREATE INDEX audit_by_user ON audit (user_id, time);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
};

// The advisory lock key of writ's migrations ("writ" in ASCII); any constant works as long
// as every instance uses the same one.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(2004314484)";

constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL PRIMARY KEY)";

std::int64_t ReadVersion(pqxx::transaction_base& transaction) {
  return transaction.exec("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0]
      .as<std::int64_t>();
}

// One transaction: takes the migration lock, reads the version and applies the next step
// if there is one. Sets `done` when the database is up to date.
Status ApplyNextStep(pqxx::connection_base& connection, std::span<const Migration> migrations,
                     bool& done) {
  pqxx::work transaction(connection);
  transaction.exec(kLockMigrations);
  transaction.exec(kCreateVersionTable);
  const std::int64_t version = ReadVersion(transaction);
  const auto latest = static_cast<std::int64_t>(migrations.size());
  if (version > latest || version < 0) {
    return Fail(ErrorCode::kStorage, "postgres schema version " + std::to_string(version) +
                                         " is newer than this build knows (" +
                                         std::to_string(latest) + "); refusing to use it");
  }
  if (version == latest) {
    done = true;
    transaction.commit();
    return {};
  }
  const Migration& step = migrations[static_cast<std::size_t>(version)];
  if (step.version != version + 1) {
    return Fail(ErrorCode::kStorage, "postgres migrations are not numbered 1, 2, 3, ...");
  }
  transaction.exec(step.sql);
  transaction.exec_params("INSERT INTO schema_version (version) VALUES ($1)", step.version);
  transaction.commit();
  return {};
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

std::int64_t LatestSchemaVersion() { return kMigrations.back().version; }

Result<std::int64_t> SchemaVersion(pqxx::connection_base& connection) {
  try {
    pqxx::nontransaction transaction(connection);
    if (transaction.exec("SELECT to_regclass('schema_version') IS NULL")[0][0].as<bool>()) {
      return 0;
    }
    return ReadVersion(transaction);
  } catch (...) {
    ConnectionFate ignored = ConnectionFate::kReusable;
    return CurrentExceptionToError("schema version", ignored);
  }
}

Status ApplyMigrations(pqxx::connection_base& connection, std::span<const Migration> migrations) {
  bool done = false;
  while (!done) {
    try {
      if (auto step = ApplyNextStep(connection, migrations, done); !step) {
        return step;
      }
    } catch (...) {
      ConnectionFate ignored = ConnectionFate::kReusable;
      return CurrentExceptionToError("migration", ignored);
    }
  }
  return {};
}

}  // namespace writ::store::pg
