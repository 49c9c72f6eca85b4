// writ::store::sqlite: a small RAII layer over the SQLite 3 C API — a connection, prepared
// statements with bind/step/column helpers, and an IMMEDIATE transaction guard — that turns
// every SQLite failure into ErrorCode::kStorage.
//
// Error details carry the failing step and SQLite's message, never a bound value, so no
// password hash or token hash can reach a log through them. Values are only ever bound
// as parameters; SQL text is always a constant.
//
// Not thread-safe: a Database and its statements are used by one thread at a time (the
// caller serialises, e.g. SqliteStore's mutex).
#ifndef WRIT_STORE_SQLITE_DB_H_
#define WRIT_STORE_SQLITE_DB_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "writ/clock.h"
#include "writ/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace writ::store::sqlite {

// Times are stored as integer Unix seconds.
[[nodiscard]] std::int64_t ToUnixSeconds(Seconds time);
[[nodiscard]] Seconds FromUnixSeconds(std::int64_t unix_seconds);

// One prepared statement, finalized on destruction. Parameters are 1-based. A failed bind
// is remembered and reported by the next Step()/Run(), so binds can be chained.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& BindInt64(int index, std::int64_t value);
  Statement& BindTime(int index, Seconds time) { return BindInt64(index, ToUnixSeconds(time)); }
  Statement& BindBool(int index, bool value) { return BindInt64(index, value ? 1 : 0); }
  // UTF-8 text, copied.
  Statement& BindText(int index, std::string_view text);
  // Raw bytes (may hold NULs), copied.
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);

  // Advances: true when a result row is ready, false when the statement is done.
  [[nodiscard]] Result<bool> Step();
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
  [[nodiscard]] Status Run();

  // Columns of the current row, 0-based. Text and blob columns come back as bytes.
  [[nodiscard]] std::int64_t ColumnInt64(int column) const;
  [[nodiscard]] Seconds ColumnTime(int column) const {
    return FromUnixSeconds(ColumnInt64(column));
  }
  [[nodiscard]] bool ColumnBool(int column) const { return ColumnInt64(column) != 0; }
  [[nodiscard]] std::string ColumnText(int column) const;
  [[nodiscard]] std::string ColumnBlob(int column) const;
  [[nodiscard]] bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void RecordBindResult(int rc, int index);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  int bind_error_ = 0;  // SQLITE_OK
  int bind_error_index_ = 0;
};

// One connection, closed on destruction.
class Database {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for a private in-memory
  // one; URIs are not interpreted) with SQLite's defensive mode on and untrusted schema
  // functions off. kStorage when it cannot be opened.
  [[nodiscard]] static Result<Database> Open(const std::string& path);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more parameterless statements (schema, PRAGMAs).
  [[nodiscard]] Status Execute(const char* sql);
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // How long a statement waits for another connection's lock before kStorage.
  [[nodiscard]] Status SetBusyTimeout(int milliseconds);
  // Rows changed by the last INSERT/UPDATE/DELETE (cascaded deletes not counted).
  [[nodiscard]] std::int64_t Changes() const;
  [[nodiscard]] std::int64_t LastInsertRowId() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE on creation (takes the write lock at once, so the reads inside cannot go
// stale before the writes), COMMIT on Commit(), ROLLBACK on destruction otherwise.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> BeginImmediate(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  [[nodiscard]] Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed, rolled back or moved from
};

}  // namespace writ::store::sqlite

#endif  // WRIT_STORE_SQLITE_DB_H_
