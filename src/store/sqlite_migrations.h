// The versioned schema of the SQLite store. Each migration is a numbered SQL step; the
// table schema_version holds one row per applied step, so a database says which schema it
// has and a build never writes to a schema newer than it knows.
#ifndef WRIT_STORE_SQLITE_MIGRATIONS_H_
#define WRIT_STORE_SQLITE_MIGRATIONS_H_

#include <cstdint>
#include <span>

#include "store/sqlite_db.h"
#include "writ/result.h"

namespace writ::store::sqlite {

struct Migration {
  std::int64_t version;  // 1, 2, 3, … in order, without gaps
  const char* sql;       // one or more statements, no parameters
};

// This build's migrations, oldest first.
[[nodiscard]] std::span<const Migration> Migrations();
// The version the last of Migrations() brings a database to.
[[nodiscard]] std::int64_t LatestSchemaVersion();

// The schema version of `db`: the highest applied step, 0 for a database without a
// schema_version table.
[[nodiscard]] Result<std::int64_t> SchemaVersion(Database& db);

// Applies, in order, each step of `migrations` newer than the database's version, every step
// in its own IMMEDIATE transaction together with its schema_version row, so a failed step
// leaves the database at the previous version. Re-reads the version inside each
// transaction, so two processes opening one file do not apply a step twice.
// kStorage when a step fails, or when the database's version is newer than the last
// of `migrations` (a newer build wrote it: refused rather than used).
[[nodiscard]] Status ApplyMigrations(Database& db, std::span<const Migration> migrations);
[[nodiscard]] inline Status ApplyMigrations(Database& db) {
  return ApplyMigrations(db, Migrations());
}

}  // namespace writ::store::sqlite

#endif  // WRIT_STORE_SQLITE_MIGRATIONS_H_
