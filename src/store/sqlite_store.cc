// OpenSqliteStore and SqliteStore's health check. The other methods live in
// sqlite_store_{users,sessions,refresh,audit}.cc.
#include "store/sqlite_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "core/printable.h"
#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"
#include "store/sqlite_store_impl.h"

namespace writ::store {
namespace {

// How long a statement waits for a lock held by another process before kStorage.
constexpr int kBusyTimeoutMilliseconds = 5000;

bool IsInMemory(const std::string& path) { return path == ":memory:"; }

// The database holds password hashes: a new file is created owner-only before SQLite opens
// it, and SQLite gives the -wal and -shm files the mode of the database file.
Status CreateOwnerOnlyFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  const int error = errno;
  if (error == EEXIST) {
    return {};
  }
  return Fail(ErrorCode::kStorage, "cannot create database file \"" +
                                       internal::Printable(path, 256) +
                                       "\": " + std::generic_category().message(error));
}

// WAL lets readers run beside the writer; synchronous=NORMAL is durable across application
// crashes in WAL mode (a power loss may drop the last commits, never corrupt the file).
Status Configure(sqlite::Database& db) {
  if (auto timeout = db.SetBusyTimeout(kBusyTimeoutMilliseconds); !timeout) {
    return timeout;
  }
  if (auto pragmas = db.Execute(
          "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;");
      !pragmas) {
    return pragmas;
  }
  // Refresh chains are deleted by ON DELETE CASCADE: make sure foreign keys really are on.
  auto check = db.Prepare("PRAGMA foreign_keys");
  if (!check) {
    return tl::unexpected(check.error());
  }
  auto row = check->Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (!*row || check->ColumnInt64(0) != 1) {
    return Fail(ErrorCode::kStorage, "sqlite: this SQLite build does not enforce foreign keys");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  if (path.empty() || path.find('\0') != std::string::npos) {
    return Fail(ErrorCode::kStorage, "sqlite: the database path is empty or contains NUL");
  }
  if (!IsInMemory(path)) {
    if (auto created = CreateOwnerOnlyFile(path); !created) {
      return tl::unexpected(created.error());
    }
  }
  auto db = sqlite::Database::Open(path);
  if (!db) {
    return tl::unexpected(db.error());
  }
  if (auto configured = Configure(*db); !configured) {
    return tl::unexpected(configured.error());
  }
  if (auto migrated = sqlite::ApplyMigrations(*db); !migrated) {
    return tl::unexpected(migrated.error());
  }
  return std::make_unique<SqliteStore>(std::move(*db));
}

Status SqliteStore::Ping() {
  std::lock_guard lock(mutex_);
  auto select = db_.Prepare("SELECT 1");
  if (!select) {
    return tl::unexpected(select.error());
  }
  auto row = select->Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  return {};
}

}  // namespace writ::store
