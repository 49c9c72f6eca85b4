#include "store/sqlite_migrations.h"

#include <array>
#include <string>

namespace writ::store::sqlite {
namespace {

// Version 1: users, sessions and their refresh-token chains, the access-token denylist and
// the audit trail. Times are integer Unix seconds. STRICT tables (SQLite >= 3.37) refuse a
// value of the wrong type instead of storing it.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',  -- comma-separated, each [a-z0-9_-]+
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  generation INTEGER NOT NULL,
  grace_from_generation INTEGER NOT NULL,
  current_hash BLOB NOT NULL,  -- the one live refresh token (a grace rotation replaces it)
  rotated_at INTEGER NOT NULL,
  remember INTEGER NOT NULL CHECK (remember IN (0, 1)),
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  idle_expires_at INTEGER NOT NULL,
  absolute_expires_at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  revoked_at INTEGER,
  revoke_reason TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id, created_at);
CREATE INDEX sessions_by_revoked_at ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;
CREATE INDEX sessions_by_absolute_expiry ON sessions (absolute_expires_at);
CREATE INDEX sessions_by_idle_expiry ON sessions (idle_expires_at);

-- Every refresh hash ever issued, kept until its session is pruned, so a spent token still
-- leads to its session (reuse detection). Row order (rowid) is issue order.
CREATE TABLE refresh_tokens (
  hash BLOB PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  generation INTEGER NOT NULL,
  issued_at INTEGER NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
) STRICT;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id, generation);

CREATE TABLE denied_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX denied_tokens_by_expiry ON denied_tokens (expires_at);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  user_id INTEGER,
  username TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  request_id TEXT NOT NULL,
  session_hash TEXT NOT NULL,
  detail_json TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_time ON audit (time);
CREATE INDEX audit_by_event ON audit (event, time);
CREATE INDEX audit_by_user ON audit (user_id, time);
)sql";

constexpr std::array kMigrations = {
    Migration{1, kSchemaV1},
};

constexpr const char* kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY)";

Result<std::int64_t> ReadVersion(Database& db) {
  auto select = db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return *row ? select->ColumnInt64(0) : 0;
}

Status RecordVersion(Database& db, std::int64_t version) {
  auto insert = db.Prepare("INSERT INTO schema_version (version) VALUES (?1)");
  if (!insert) {
    return tl::unexpected(insert.error());
  }
  return insert->BindInt64(1, version).Run();
}

// One IMMEDIATE transaction: reads the version and applies the next step if there is one.
// Sets `done` when the database is up to date.
Status ApplyNextStep(Database& db, std::span<const Migration> migrations, bool& done) {
  auto transaction = Transaction::BeginImmediate(db);
  if (!transaction) {
    return tl::unexpected(transaction.error());
  }
  if (auto created = db.Execute(kCreateVersionTable); !created) {
    return created;
  }
  auto version = ReadVersion(db);
  if (!version) {
    return tl::unexpected(version.error());
  }
  const auto latest = static_cast<std::int64_t>(migrations.size());
  if (*version > latest || *version < 0) {
    return Fail(ErrorCode::kStorage, "sqlite schema version " + std::to_string(*version) +
                                         " is newer than this build knows (" +
                                         std::to_string(latest) + "); refusing to use it");
  }
  if (*version == latest) {
    done = true;
    return transaction->Commit();
  }
  const Migration& step = migrations[static_cast<std::size_t>(*version)];
  if (step.version != *version + 1) {
    return Fail(ErrorCode::kStorage, "sqlite migrations are not numbered 1, 2, 3, ...");
  }
  if (auto applied = db.Execute(step.sql); !applied) {
    return Fail(ErrorCode::kStorage, "sqlite migration " + std::to_string(step.version) +
                                         " failed: " + applied.error().detail);
  }
  if (auto recorded = RecordVersion(db, step.version); !recorded) {
    return recorded;
  }
  return transaction->Commit();
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

std::int64_t LatestSchemaVersion() { return kMigrations.back().version; }

Result<std::int64_t> SchemaVersion(Database& db) {
  auto exists = db.Prepare(
      "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
  if (!exists) {
    return tl::unexpected(exists.error());
  }
  auto row = exists->Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (!*row || exists->ColumnInt64(0) == 0) {
    return 0;
  }
  return ReadVersion(db);
}

Status ApplyMigrations(Database& db, std::span<const Migration> migrations) {
  bool done = false;
  while (!done) {
    if (auto step = ApplyNextStep(db, migrations, done); !step) {
      return step;
    }
  }
  return {};
}

}  // namespace writ::store::sqlite
