// The versioned schema of the PostgreSQL store: the same numbered steps as
// sqlite_migrations.h (version N means the same tables and columns in both), written in
// PostgreSQL's dialect. The table schema_version holds one row per applied step; a
// database newer than this build is refused.
#ifndef WRIT_STORE_PG_MIGRATIONS_H_
#define WRIT_STORE_PG_MIGRATIONS_H_

#include <cstdint>
#include <span>

#include "store/sqlite_migrations.h"
#include "writ/result.h"

namespace pqxx {
class connection_base;
}  // namespace pqxx

namespace writ::store::pg {

// One step: the same shape as SQLite's.
using Migration = sqlite::Migration;

// This build's migrations, oldest first.
[[nodiscard]] std::span<const Migration> Migrations();
[[nodiscard]] std::int64_t LatestSchemaVersion();

// The schema version of the database (in the connection's search_path): the highest
// applied step, 0 when there is no schema_version table. kStorage on failure.
[[nodiscard]] Result<std::int64_t> SchemaVersion(pqxx::connection_base& connection);

// Applies, in order, each step of `migrations` newer than the database's version, every
// step in its own transaction together with its schema_version row (PostgreSQL's DDL is
// transactional, so a failed step leaves the previous version). Each transaction first
// takes a transaction-scoped advisory lock (pg_advisory_xact_lock) and then re-reads the
// version, so instances starting at once apply every step exactly once.
// kStorage when a step fails, or when the database is newer than the last of `migrations`.
[[nodiscard]] Status ApplyMigrations(pqxx::connection_base& connection,
                                     std::span<const Migration> migrations);
[[nodiscard]] inline Status ApplyMigrations(pqxx::connection_base& connection) {
  return ApplyMigrations(connection, Migrations());
}

}  // namespace writ::store::pg

#endif  // WRIT_STORE_PG_MIGRATIONS_H_
