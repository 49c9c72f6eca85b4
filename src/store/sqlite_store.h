// writ::store::SqliteStore: the embedded default backend (SQLite 3 in WAL mode).
#ifndef WRIT_STORE_SQLITE_STORE_H_
#define WRIT_STORE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "store/store.h"
#include "writ/result.h"

namespace writ::store {

// Opens (creating if needed) the database at `path` (":memory:" for tests), sets WAL,
// foreign keys and a busy timeout, and applies the versioned schema migrations
// (schema_version table) that are not applied yet. kStorage when the file cannot be
// opened or a migration fails; a database with a newer schema than this build knows is
// refused rather than used.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace writ::store

#endif  // WRIT_STORE_SQLITE_STORE_H_
