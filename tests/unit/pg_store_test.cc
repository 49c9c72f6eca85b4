// PostgreSQL-only behaviour of the store (the shared contract is pg_store_contract_test.cc):
// migrations, the connection pool's bounds and timeouts, recovery after the server drops
// its connections, and secrets kept out of error details. Runs against the server of the
// ctest fixture "postgres", each test in a fresh schema.
#include <latch>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/transaction>

#include "pg_test_util.h"
#include "store/pg_migrations.h"
#include "store/pg_pool.h"
#include "store/pg_store.h"
#include "store_test_util.h"

// LeakSanitizer (WRIT_SANITIZE builds): libpqxx 6.4.5 (Debian 12) leaks one libpq PGresult
// (~2 KiB) when a statement meets a connection the server terminated
// (PoolDiscardsEveryConnectionOpenedBeforeALostOne); libpq allocates it, called from inside
// libpqxx, with no writ frame on the stack. Harmless where no sanitizer reads it.
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }

namespace writ::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test_util::HashNo;
using test_util::kT0;

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test_util::FixtureServer();
    ASSERT_TRUE(server.has_value()) << server.error().detail;
    server_ = *server;
    auto options = test_util::OptionsForNewSchema(schema_);
    ASSERT_TRUE(options.has_value()) << options.error().detail;
    options_ = *options;
  }

  Result<std::unique_ptr<Store>> Open() { return OpenPostgresStore(options_); }

  // The pool the store would use, on its own (the store keeps its pool private).
  Result<std::unique_ptr<pg::Pool>> OpenPool(std::size_t max_size, milliseconds acquire_timeout,
                                             milliseconds statement_timeout) {
    pg::PoolOptions pool;
    pool.conninfo = SecretBytes::FromString(options_.conninfo + " password='" +
                                            server_.password + "'");
    pool.max_size = max_size;
    pool.acquire_timeout = acquire_timeout;
    pool.statement_timeout = statement_timeout;
    return pg::Pool::Create(std::move(pool));
  }

  // Runs `sql` as role writ on a connection of its own, in the test's schema.
  void Admin(const std::string& sql) {
    auto admin = test_util::AdminConnection(server_);
    pqxx::nontransaction transaction(*admin);
    transaction.exec("SET search_path = " + schema_);
    transaction.exec(sql);
  }

  // What the server would do on a restart: ends every connection of this test's stores.
  int TerminateStoreConnections() {
    auto admin = test_util::AdminConnection(server_);
    pqxx::nontransaction transaction(*admin);
    return static_cast<int>(
        transaction
            .exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE usename = 'writ' AND application_name = $1 "
                         "AND pid <> pg_backend_pid()",
                         schema_)
            .size());
  }

  std::int64_t AddSessionOfNewUser(Store& store) {
    NewUser user;
    user.username = "alice";
    user.password_hash = "$argon2id$x";
    user.created_at = kT0;
    auto created = store.CreateUser(user);
    EXPECT_TRUE(created.has_value() && created->has_value());
    NewSession session;
    session.id = "sess-a";
    session.user_id = (*created)->id;
    session.refresh_hash = HashNo(1);
    session.created_at = kT0;
    session.idle_expires_at = kT0 + std::chrono::hours{1};
    session.absolute_expires_at = kT0 + std::chrono::hours{12};
    EXPECT_TRUE(store.CreateSession(session).has_value());
    return session.user_id;
  }

  static RefreshRequest Request(const TokenHash& presented, const TokenHash& fresh) {
    RefreshRequest request;
    request.presented_hash = presented;
    request.new_hash = fresh;
    request.now = kT0 + seconds{60};
    request.idle_ttl = std::chrono::hours{1};
    return request;
  }

  std::string schema_ = test_util::RandomSchemaName();
  test_util::PgServer server_;
  PostgresOptions options_;
};

// ---- migrations ----

TEST_F(PostgresStoreTest, MigrationsAreAppliedOnceAndReopeningChangesNothing) {
  for (int open = 0; open < 3; ++open) {
    auto store = Open();
    ASSERT_TRUE(store.has_value()) << store.error().detail;
  }
  auto admin = test_util::AdminConnection(server_);
  {
    pqxx::nontransaction transaction(*admin);
    transaction.exec("SET search_path = " + schema_);
    EXPECT_EQ(transaction.exec("SELECT COUNT(*) FROM schema_version")[0][0].as<std::int64_t>(),
              pg::LatestSchemaVersion());
  }
  auto version = pg::SchemaVersion(*admin);
  ASSERT_TRUE(version.has_value()) << version.error().detail;
  EXPECT_EQ(*version, pg::LatestSchemaVersion());
}

TEST_F(PostgresStoreTest, EmptyDatabaseHasSchemaVersionZero) {
  auto admin = test_util::AdminConnection(server_);
  pqxx::nontransaction(*admin).exec("SET search_path = " + schema_);
  auto version = pg::SchemaVersion(*admin);
  ASSERT_TRUE(version.has_value()) << version.error().detail;
  EXPECT_EQ(*version, 0);
}

TEST_F(PostgresStoreTest, DatabaseWithNewerSchemaIsRefused) {
  ASSERT_TRUE(Open().has_value());
  Admin("INSERT INTO schema_version (version) VALUES (" +
        std::to_string(pg::LatestSchemaVersion() + 1) + ")");
  auto reopened = Open();
  ASSERT_FALSE(reopened.has_value());
  EXPECT_EQ(reopened.error().code, ErrorCode::kStorage);
  EXPECT_NE(reopened.error().detail.find("newer than this build"), std::string::npos)
      << reopened.error().detail;
}

// Instances starting at once on an empty database: the advisory lock lets one apply each
// step; the others wait, re-read the version and find nothing to do.
TEST_F(PostgresStoreTest, InstancesOpeningAtOnceMigrateExactlyOnce) {
  constexpr int kInstances = 6;
  std::latch start(kInstances);
  std::vector<std::optional<Result<std::unique_ptr<Store>>>> opened(kInstances);
  std::vector<std::thread> threads;
  for (int i = 0; i < kInstances; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      opened[static_cast<std::size_t>(i)] = Open();
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (const auto& store : opened) {
    ASSERT_TRUE(store.has_value());
    ASSERT_TRUE(store->has_value()) << (*store).error().detail;
  }
  auto admin = test_util::AdminConnection(server_);
  pqxx::nontransaction transaction(*admin);
  transaction.exec("SET search_path = " + schema_);
  EXPECT_EQ(transaction.exec("SELECT COUNT(*) FROM schema_version")[0][0].as<std::int64_t>(),
            pg::LatestSchemaVersion());
}

// ---- pool bounds and timeouts ----

TEST_F(PostgresStoreTest, ExhaustedPoolFailsAfterTheAcquireTimeoutInsteadOfWaiting) {
  auto pool = OpenPool(2, milliseconds{50}, milliseconds{5000});
  ASSERT_TRUE(pool.has_value()) << pool.error().detail;
  auto first = (*pool)->Acquire();
  auto second = (*pool)->Acquire();
  ASSERT_TRUE(first.has_value() && second.has_value());
  auto third = (*pool)->Acquire();
  ASSERT_FALSE(third.has_value());
  EXPECT_EQ(third.error().code, ErrorCode::kStorage);
  EXPECT_NE(third.error().detail.find("pool exhausted"), std::string::npos) << third.error().detail;
  EXPECT_EQ((*pool)->open_count(), 2u);
  {
    auto released = std::move(*first);
  }
  EXPECT_TRUE((*pool)->Acquire().has_value());  // the returned connection is handed out again
  EXPECT_EQ((*pool)->open_count(), 2u);
}

TEST_F(PostgresStoreTest, StatementOverTheStatementTimeoutIsCancelled) {
  auto pool = OpenPool(1, milliseconds{1000}, milliseconds{100});
  ASSERT_TRUE(pool.has_value()) << pool.error().detail;
  auto slept = (*pool)->Run("sleep", [](pqxx::connection_base& connection) -> Status {
    pqxx::nontransaction transaction(connection);
    transaction.exec("SELECT pg_sleep(30)");
    return {};
  });
  ASSERT_FALSE(slept.has_value());
  EXPECT_EQ(slept.error().code, ErrorCode::kStorage);
  EXPECT_NE(slept.error().detail.find("57014"), std::string::npos) << slept.error().detail;
  // The connection survives a cancelled statement.
  auto after = (*pool)->Run("select", [](pqxx::connection_base& connection) -> Status {
    pqxx::nontransaction(connection).exec("SELECT 1");
    return {};
  });
  EXPECT_TRUE(after.has_value());
  EXPECT_EQ((*pool)->open_count(), 1u);
}

// Another instance holds the session's row lock and never lets go: the rotation gives up
// with kStorage after statement_timeout instead of hanging the request, and changes nothing.
TEST_F(PostgresStoreTest, RotationBlockedOnAHeldSessionLockTimesOut) {
  options_.statement_timeout = milliseconds{200};
  options_.lock_timeout = milliseconds{0};
  auto store = Open();
  ASSERT_TRUE(store.has_value()) << store.error().detail;
  AddSessionOfNewUser(**store);

  auto holder = test_util::AdminConnection(server_);
  pqxx::work lock(*holder);
  lock.exec("SET LOCAL search_path = " + schema_);
  lock.exec("SELECT id FROM sessions WHERE id = 'sess-a' FOR UPDATE");
  auto blocked = (*store)->RotateRefresh(Request(HashNo(1), HashNo(2)));
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, ErrorCode::kStorage);
  EXPECT_NE(blocked.error().detail.find("57014"), std::string::npos) << blocked.error().detail;
  lock.abort();

  auto rotated = (*store)->RotateRefresh(Request(HashNo(1), HashNo(2)));
  ASSERT_TRUE(rotated.has_value()) << rotated.error().detail;
  EXPECT_EQ(rotated->outcome, RefreshOutcome::kRotated);
}

TEST_F(PostgresStoreTest, RevocationBlockedOnAHeldSessionLockHitsTheLockTimeout) {
  options_.statement_timeout = milliseconds{5000};
  options_.lock_timeout = milliseconds{100};
  auto store = Open();
  ASSERT_TRUE(store.has_value()) << store.error().detail;
  AddSessionOfNewUser(**store);

  auto holder = test_util::AdminConnection(server_);
  pqxx::work lock(*holder);
  lock.exec("SET LOCAL search_path = " + schema_);
  lock.exec("SELECT id FROM sessions WHERE id = 'sess-a' FOR UPDATE");
  auto blocked = (*store)->RevokeSession("sess-a", kT0 + seconds{1}, "logout");
  ASSERT_FALSE(blocked.has_value());
  EXPECT_NE(blocked.error().detail.find("55P03"), std::string::npos) << blocked.error().detail;
  lock.abort();
  EXPECT_TRUE((*store)->RevokeSession("sess-a", kT0 + seconds{1}, "logout").value());
}

// ---- recovery ----

// As after a PostgreSQL restart: every connection of the pool is dead at once. The next
// call may fail (it finds out), the one after reconnects — no restart of writ needed.
TEST_F(PostgresStoreTest, StoreRecoversAfterItsConnectionsAreTerminated) {
  auto store = Open();
  ASSERT_TRUE(store.has_value()) << store.error().detail;
  AddSessionOfNewUser(**store);
  // Several connections open and idle: hold them at once through the pool's bound.
  {
    constexpr int kThreads = 4;
    std::latch start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&] {
        start.arrive_and_wait();
        EXPECT_TRUE((*store)->Ping().has_value());
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
  }
  ASSERT_GE(TerminateStoreConnections(), 1);

  int failures = 0;
  auto first = (*store)->FindSession("sess-a");
  if (!first.has_value()) {
    ++failures;
    EXPECT_EQ(first.error().code, ErrorCode::kStorage);
    EXPECT_NE(first.error().detail.find("connection lost"), std::string::npos)
        << first.error().detail;
  }
  for (int call = 0; call < 5; ++call) {
    auto again = (*store)->FindSession("sess-a");
    ASSERT_TRUE(again.has_value()) << "call " << call << ": " << again.error().detail;
    EXPECT_TRUE(again->has_value());
  }
  EXPECT_LE(failures, 1);
  auto rotated = (*store)->RotateRefresh(Request(HashNo(1), HashNo(2)));
  ASSERT_TRUE(rotated.has_value()) << rotated.error().detail;
  EXPECT_EQ(rotated->outcome, RefreshOutcome::kRotated);
}

TEST_F(PostgresStoreTest, PoolDiscardsEveryConnectionOpenedBeforeALostOne) {
  auto pool = OpenPool(3, milliseconds{1000}, milliseconds{5000});
  ASSERT_TRUE(pool.has_value()) << pool.error().detail;
  {
    auto a = (*pool)->Acquire();
    auto b = (*pool)->Acquire();
    auto c = (*pool)->Acquire();
    ASSERT_TRUE(a.has_value() && b.has_value() && c.has_value());
  }
  EXPECT_EQ((*pool)->open_count(), 3u);
  ASSERT_EQ(TerminateStoreConnections(), 3);
  auto ping = [&] {
    return (*pool)->Run("ping", [](pqxx::connection_base& connection) -> Status {
      pqxx::nontransaction(connection).exec("SELECT 1");
      return {};
    });
  };
  EXPECT_FALSE(ping().has_value());  // finds the first dead connection
  EXPECT_TRUE(ping().has_value());   // the other two were dropped unused: a fresh one
  EXPECT_EQ((*pool)->open_count(), 1u);
}

// ---- secrets stay out of errors ----

TEST_F(PostgresStoreTest, WrongPasswordIsRefusedWithoutEchoingIt) {
  const std::string wrong = "Wrong-Pa55word-" + test_util::RandomSchemaName();
  options_.password = SecretBytes::FromString(wrong);
  auto store = Open();
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kStorage);
  EXPECT_NE(store.error().detail.find("password authentication failed"), std::string::npos)
      << store.error().detail;
  EXPECT_EQ(store.error().detail.find(wrong), std::string::npos) << store.error().detail;
  EXPECT_EQ(store.error().detail.find(server_.password), std::string::npos);
}

TEST_F(PostgresStoreTest, ConninfoHoldingAPasswordIsRefusedWithoutEchoingIt) {
  for (const std::string& conninfo :
       {options_.conninfo + " password='" + server_.password + "'",
        "postgresql://writ:" + server_.password + "@127.0.0.1/writ_test",
        "host=127.0.0.1 password=" + server_.password + " dbname"}) {  // does not parse
    options_.conninfo = conninfo;
    auto store = Open();
    ASSERT_FALSE(store.has_value()) << conninfo;
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(store.error().detail.find(server_.password), std::string::npos)
        << store.error().detail;
  }
}

TEST_F(PostgresStoreTest, StatementErrorsCarryTheSqlStateNotTheBoundValues) {
  auto store = Open();
  ASSERT_TRUE(store.has_value()) << store.error().detail;
  const std::int64_t user_id = AddSessionOfNewUser(**store);
  NewSession clash;
  clash.id = "sess-a";  // taken: unique violation, whose server message quotes the key
  clash.user_id = user_id;
  clash.refresh_hash = "SECRET-HASH-0123456789abcdef0123";
  clash.ip = "SECRET-IP";
  auto created = (*store)->CreateSession(clash);
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().code, ErrorCode::kStorage);
  EXPECT_NE(created.error().detail.find("23505"), std::string::npos) << created.error().detail;
  EXPECT_EQ(created.error().detail.find("sess-a"), std::string::npos) << created.error().detail;
  EXPECT_EQ(created.error().detail.find("SECRET"), std::string::npos) << created.error().detail;
}

TEST_F(PostgresStoreTest, PoolSizeOutsideItsRangeIsRefused) {
  for (std::size_t size : {std::size_t{0}, std::size_t{257}}) {
    options_.pool_size = size;
    auto store = Open();
    ASSERT_FALSE(store.has_value());
    EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace writ::store
