#include "store/sqlite_db.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>

#include "core/printable.h"

namespace writ::store::sqlite {
namespace {

// SQLITE_TRANSIENT without its old-style cast: SQLite copies the bound bytes.
sqlite3_destructor_type Transient() {
  return reinterpret_cast<sqlite3_destructor_type>(static_cast<std::intptr_t>(-1));
}

// A non-null pointer for empty values: SQLite binds NULL for a null pointer.
const char* NonNullData(std::string_view bytes) { return bytes.empty() ? "" : bytes.data(); }

// "sqlite <step>: <SQLite's message>". SQLite's messages name tables, columns and
// constraints, never bound values.
tl::unexpected<Error> StorageError(sqlite3* db, int rc, std::string_view step) {
  std::string detail = "sqlite ";
  detail += step;
  detail += ": ";
  detail += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return Fail(ErrorCode::kStorage, std::move(detail));
}

// The statement's constant SQL text, shortened, to say which step failed.
std::string StepName(sqlite3_stmt* stmt) {
  const char* sql = sqlite3_sql(stmt);
  return "step \"" + internal::Printable(sql != nullptr ? sql : "", 72) + "\"";
}

}  // namespace

std::int64_t ToUnixSeconds(Seconds time) {
  return static_cast<std::int64_t>(time.time_since_epoch().count());
}

Seconds FromUnixSeconds(std::int64_t unix_seconds) {
  return Seconds{std::chrono::seconds{unix_seconds}};
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(other.bind_error_),
      bind_error_index_(other.bind_error_index_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
    bind_error_index_ = other.bind_error_index_;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::RecordBindResult(int rc, int index) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) {
    bind_error_ = rc;
    bind_error_index_ = index;
  }
}

Statement& Statement::BindInt64(int index, std::int64_t value) {
  RecordBindResult(sqlite3_bind_int64(stmt_, index, value), index);
  return *this;
}

Statement& Statement::BindText(int index, std::string_view text) {
  RecordBindResult(
      sqlite3_bind_text64(stmt_, index, NonNullData(text), text.size(), Transient(), SQLITE_UTF8),
      index);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  RecordBindResult(sqlite3_bind_blob64(stmt_, index, NonNullData(bytes), bytes.size(), Transient()),
                   index);
  return *this;
}

Statement& Statement::BindNull(int index) {
  RecordBindResult(sqlite3_bind_null(stmt_, index), index);
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != SQLITE_OK) {
    return StorageError(nullptr, bind_error_,
                        "bind of parameter " + std::to_string(bind_error_index_));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return StorageError(db_, rc, StepName(stmt_));
}

Status Statement::Run() {
  auto row = Step();
  if (!row) {
    return tl::unexpected(row.error());
  }
  if (*row) {
    return Fail(ErrorCode::kStorage, "sqlite " + StepName(stmt_) + ": returned a row");
  }
  return {};
}

std::int64_t Statement::ColumnInt64(int column) const {
  return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, column));
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr || size <= 0) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (blob == nullptr || size <= 0) {
    return {};
  }
  return std::string(static_cast<const char*>(blob), static_cast<std::size_t>(size));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Database ----

Result<Database> Database::Open(const std::string& path) {
  sqlite3* handle = nullptr;
  // NOMUTEX: callers serialise (see the header). No SQLITE_OPEN_URI: the path is a path.
  const int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  Database db(handle);  // closes the handle SQLite may return even on failure
  if (rc != SQLITE_OK) {
    return StorageError(handle, rc, "open \"" + internal::Printable(path, 256) + "\"");
  }
  sqlite3_extended_result_codes(handle, 1);
  // Defensive mode: no writable_schema or other ways for SQL to corrupt the file; schema
  // objects (views, triggers) may not call functions with side effects.
  int defensive = 0;
  if (sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &defensive) != SQLITE_OK ||
      sqlite3_db_config(handle, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr) != SQLITE_OK) {
    return StorageError(handle, SQLITE_ERROR, "configure connection");
  }
  return db;
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Execute(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) {
    return {};
  }
  std::string detail = "sqlite exec \"" + internal::Printable(sql, 72) + "\": ";
  detail += message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return Fail(ErrorCode::kStorage, std::move(detail));
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return StorageError(db_, rc, "prepare \"" + internal::Printable(sql, 72) + "\"");
  }
  return Statement(db_, stmt);
}

Status Database::SetBusyTimeout(int milliseconds) {
  const int rc = sqlite3_busy_timeout(db_, milliseconds);
  if (rc != SQLITE_OK) {
    return StorageError(db_, rc, "busy_timeout");
  }
  return {};
}

std::int64_t Database::Changes() const { return static_cast<std::int64_t>(sqlite3_changes64(db_)); }

std::int64_t Database::LastInsertRowId() const {
  return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db_));
}

// ---- Transaction ----

Result<Transaction> Transaction::BeginImmediate(Database& db) {
  auto begun = db.Execute("BEGIN IMMEDIATE");
  if (!begun) {
    return tl::unexpected(begun.error());
  }
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    // Fails harmlessly when SQLite already rolled back after an error.
    static_cast<void>(db_->Execute("ROLLBACK"));
  }
}

Status Transaction::Commit() {
  if (db_ == nullptr) {
    return Fail(ErrorCode::kStorage, "sqlite commit: no open transaction");
  }
  auto committed = db_->Execute("COMMIT");
  if (!committed) {
    return committed;  // still open: the destructor rolls back
  }
  db_ = nullptr;
  return {};
}

}  // namespace writ::store::sqlite
