// What only the SQLite backend has: its file, its schema migrations and its C API wrapper.
// The behaviour every backend shares is tested in store_test.cc.
#include "store/sqlite_store.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite_db.h"
#include "store/sqlite_migrations.h"
#include "store_test_util.h"

namespace writ::store {
namespace {

using test_util::kT0;
using test_util::TempDir;

std::int64_t CountRows(sqlite::Database& db, const char* sql) {
  auto select = db.Prepare(sql);
  EXPECT_TRUE(select.has_value());
  if (!select.has_value()) {
    return -1;
  }
  auto row = select->Step();
  EXPECT_TRUE(row.has_value() && *row);
  return row.has_value() && *row ? select->ColumnInt64(0) : -1;
}

sqlite::Database OpenRaw(const std::string& path) {
  auto db = sqlite::Database::Open(path);
  EXPECT_TRUE(db.has_value()) << db.error().detail;
  return std::move(*db);
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

NewUser Alice() {
  NewUser user;
  user.username = "alice";
  user.password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
  user.created_at = kT0;
  return user;
}

// ---- opening ----

TEST(SqliteStore, OpeningAgainDoesNotReapplyMigrations) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.has_value()) << store.error().detail;
    ASSERT_TRUE((*store)->CreateUser(Alice()).value().has_value());
  }
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.has_value()) << store.error().detail;
    EXPECT_TRUE((*store)->FindUserByName("alice").value().has_value());
  }
  sqlite::Database db = OpenRaw(path);
  EXPECT_EQ(sqlite::SchemaVersion(db).value(), sqlite::LatestSchemaVersion());
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM schema_version"), sqlite::LatestSchemaVersion());
}

TEST(SqliteStore, NewerSchemaIsRefused) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  ASSERT_TRUE(OpenSqliteStore(path).has_value());
  {
    sqlite::Database db = OpenRaw(path);
    auto insert = db.Prepare("INSERT INTO schema_version (version) VALUES (?1)");
    ASSERT_TRUE(insert.has_value());
    ASSERT_TRUE(insert->BindInt64(1, sqlite::LatestSchemaVersion() + 1).Run().has_value());
  }
  auto reopened = OpenSqliteStore(path);
  ASSERT_FALSE(reopened.has_value());
  EXPECT_EQ(reopened.error().code, ErrorCode::kStorage);
  EXPECT_NE(reopened.error().detail.find("newer"), std::string::npos) << reopened.error().detail;
}

TEST(SqliteStore, FileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  WriteFile(path, std::string(4096, 'x'));
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

TEST(SqliteStore, CorruptDatabaseIsRefused) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  ASSERT_TRUE(OpenSqliteStore(path).has_value());
  {
    sqlite::Database db = OpenRaw(path);
    ASSERT_TRUE(db.Execute("PRAGMA wal_checkpoint(TRUNCATE)").has_value());
  }
  // Keep SQLite's 100-byte header and trash the pages after it.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 200u);
  for (std::size_t i = 100; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>(0xa5 ^ (i & 0xff));
  }
  WriteFile(path, bytes);
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

TEST(SqliteStore, MissingDirectoryIsStorageError) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("no-such-dir/writ.db"));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

TEST(SqliteStore, EmptyPathIsRefused) {
  auto store = OpenSqliteStore("");
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
}

// A NUL would cut the path short at the C API, opening another file than configured.
TEST(SqliteStore, PathWithNulIsRefused) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("writ.db") + std::string("\0.other", 7));
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
  EXPECT_FALSE(std::filesystem::exists(dir.File("writ.db")));
}

// The file holds password hashes: nobody but its owner may read it.
TEST(SqliteStore, NewDatabaseFileIsOwnerOnly) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  auto store = OpenSqliteStore(path);  // kept open: the -wal and -shm files exist meanwhile
  ASSERT_TRUE(store.has_value());
  ASSERT_TRUE((*store)->CreateUser(Alice()).has_value());
  for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
    struct stat info {};
    ASSERT_EQ(::stat(file.c_str(), &info), 0) << file;
    EXPECT_EQ(info.st_mode & 0077, 0u) << file;
  }
}

TEST(SqliteStore, FileIsInWalMode) {
  TempDir dir;
  const std::string path = dir.File("writ.db");
  ASSERT_TRUE(OpenSqliteStore(path).has_value());
  sqlite::Database db = OpenRaw(path);
  auto mode = db.Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.has_value());
  ASSERT_TRUE(mode->Step().value());
  EXPECT_EQ(mode->ColumnText(0), "wal");
}

// ---- migrations ----

TEST(SqliteMigrations, AreNumberedFromOneWithoutGaps) {
  const auto migrations = sqlite::Migrations();
  ASSERT_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<std::int64_t>(i) + 1);
  }
  EXPECT_EQ(sqlite::LatestSchemaVersion(), static_cast<std::int64_t>(migrations.size()));
}

TEST(SqliteMigrations, FailedStepIsRolledBackAndLeavesThePreviousVersion) {
  sqlite::Database db = OpenRaw(":memory:");
  const sqlite::Migration steps[] = {
      {1, "CREATE TABLE first (x INTEGER)"},
      {2, "CREATE TABLE second (x INTEGER); INSERT INTO no_such_table VALUES (1)"},
  };
  auto applied = sqlite::ApplyMigrations(db, steps);
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().code, ErrorCode::kStorage);
  EXPECT_NE(applied.error().detail.find("migration 2"), std::string::npos);
  EXPECT_EQ(sqlite::SchemaVersion(db).value(), 1);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'second'"), 0);
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'first'"), 1);
}

TEST(SqliteMigrations, NewDatabaseHasVersionZero) {
  sqlite::Database db = OpenRaw(":memory:");
  EXPECT_EQ(sqlite::SchemaVersion(db).value(), 0);
}

// ---- the C API wrapper ----

TEST(SqliteDb, TransactionNotCommittedIsRolledBack) {
  sqlite::Database db = OpenRaw(":memory:");
  ASSERT_TRUE(db.Execute("CREATE TABLE t (x INTEGER)").has_value());
  {
    auto transaction = sqlite::Transaction::BeginImmediate(db);
    ASSERT_TRUE(transaction.has_value());
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").has_value());
  }
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM t"), 0);
  {
    auto transaction = sqlite::Transaction::BeginImmediate(db);
    ASSERT_TRUE(transaction.has_value());
    ASSERT_TRUE(db.Execute("INSERT INTO t VALUES (1)").has_value());
    ASSERT_TRUE(transaction->Commit().has_value());
  }
  EXPECT_EQ(CountRows(db, "SELECT COUNT(*) FROM t"), 1);
}

TEST(SqliteDb, BindErrorIsReportedByStep) {
  sqlite::Database db = OpenRaw(":memory:");
  auto select = db.Prepare("SELECT ?1");
  ASSERT_TRUE(select.has_value());
  auto row = select->BindInt64(5, 1).Step();
  ASSERT_FALSE(row.has_value());
  EXPECT_EQ(row.error().code, ErrorCode::kStorage);
}

TEST(SqliteDb, BlobsAndEmptyTextRoundTrip) {
  sqlite::Database db = OpenRaw(":memory:");
  auto select = db.Prepare("SELECT ?1, ?2, ?3, ?4 IS NULL");
  ASSERT_TRUE(select.has_value());
  const std::string blob("\0a\xff\0", 4);
  select->BindBlob(1, blob).BindText(2, "").BindBlob(3, "").BindText(4, "");
  ASSERT_TRUE(select->Step().value());
  EXPECT_EQ(select->ColumnBlob(0), blob);
  EXPECT_EQ(select->ColumnText(1), "");
  EXPECT_FALSE(select->ColumnIsNull(1));  // empty is not NULL
  EXPECT_FALSE(select->ColumnIsNull(2));
  EXPECT_EQ(select->ColumnInt64(3), 0);
}

TEST(SqliteDb, ErrorDetailNamesTheConstraintNotTheValue) {
  sqlite::Database db = OpenRaw(":memory:");
  ASSERT_TRUE(db.Execute("CREATE TABLE t (secret TEXT UNIQUE)").has_value());
  for (int i = 0; i < 2; ++i) {
    auto insert = db.Prepare("INSERT INTO t VALUES (?1)");
    ASSERT_TRUE(insert.has_value());
    auto inserted = insert->BindText(1, "$argon2id$SECRET-PASSWORD-HASH").Run();
    if (i == 1) {
      ASSERT_FALSE(inserted.has_value());
      EXPECT_EQ(inserted.error().code, ErrorCode::kStorage);
      EXPECT_NE(inserted.error().detail.find("UNIQUE"), std::string::npos);
      EXPECT_EQ(inserted.error().detail.find("SECRET"), std::string::npos);
    }
  }
}

TEST(SqliteDb, BadSqlIsStorageError) {
  sqlite::Database db = OpenRaw(":memory:");
  auto prepared = db.Prepare("SELEKT 1");
  ASSERT_FALSE(prepared.has_value());
  EXPECT_EQ(prepared.error().code, ErrorCode::kStorage);
}

}  // namespace
}  // namespace writ::store
