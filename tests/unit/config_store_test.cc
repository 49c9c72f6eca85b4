// The store keys of the configuration: store = "sqlite:PATH" | "postgres:CONNINFO",
// store_password = SOURCE and store_pool_size (server/config_apply.cc). The attacks: a
// password written into the conninfo (where it would sit in the file) is refused and never
// echoed.
#include <string>

#include <gtest/gtest.h>

#include "config_loader_fixture.h"

namespace writ::server::testing {
namespace {

TEST_F(ConfigLoader, PostgresStoreTakesItsPasswordFromASource) {
  const std::string password = RandomHex(16);
  WriteFile(dir_ / "pg.password", password + "\n");
  auto config = Load("store = \"postgres:host=db.internal dbname=writ user=writ\"\n"
                     "store_password = \"file:" + Path("pg.password") + "\"\n"
                     "store_pool_size = 16\n" + SecretTables(),
                     true);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->store, "postgres:host=db.internal dbname=writ user=writ");
  EXPECT_EQ(SecretText(config->store_password), password);
  EXPECT_EQ(config->store_pool_size, 16u);
}

TEST_F(ConfigLoader, PostgresPoolSizeDefaultsToEight) {
  auto config = Load("store = \"postgres:postgresql://writ@db.internal/writ\"\n" + SecretTables(),
                     true);
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->store_pool_size, 8u);
  EXPECT_TRUE(config->store_password.empty());
}

TEST_F(ConfigLoader, PasswordInsideThePostgresConninfoIsRefusedAndNotEchoed) {
  const std::string password = "Leaked-" + RandomHex(8);
  for (const std::string& store :
       {"postgres:host=db dbname=writ user=writ password=" + password,
        "postgres:host=db password='" + password + "' user=writ",
        "postgres:postgresql://writ:" + password + "@db/writ",
        "postgres:host=db password=" + password + " dbname"}) {  // does not even parse
    auto config = Load("store = \"" + store + "\"\n" + SecretTables(), true);
    ExpectRefused(config, {"store", "store_password"});
    if (!config) {
      EXPECT_EQ(config.error().detail.find(password), std::string::npos) << config.error().detail;
    }
  }
}

TEST_F(ConfigLoader, StorePoolSizeOutsideOneTo256IsRefused) {
  for (const char* size : {"0", "257", "-1"}) {
    ExpectRefused(Load("store = \"postgres:host=db\"\nstore_pool_size = " + std::string(size) +
                           "\n" + SecretTables(),
                       true),
                  {"store_pool_size"});
  }
}

TEST_F(ConfigLoader, PostgresOnlyKeysWithAnotherStoreAreRefused) {
  WriteFile(dir_ / "pg.password", "x\n");
  ExpectRefused(Load("store = \"sqlite:/tmp/x.db\"\nstore_password = \"file:" +
                         Path("pg.password") + "\"\n" + SecretTables(),
                     true),
                {"store_password"});
  ExpectRefused(Load("store = \"sqlite:/tmp/x.db\"\nstore_pool_size = 4\n" + SecretTables(), true),
                {"store_pool_size"});
}

TEST_F(ConfigLoader, UnknownStoreSchemeIsRefused) {
  ExpectRefused(Load("store = \"mysql:host=db\"\n" + SecretTables(), true),
                {"sqlite:PATH", "postgres:CONNINFO"});
  ExpectRefused(Load("store = \"postgres:\"\n" + SecretTables(), true), {"store"});
}

TEST_F(ConfigLoader, LiteralStorePasswordIsRefused) {
  ExpectRefused(Load("store = \"postgres:host=db\"\nstore_password = \"hunter2\"\n" +
                         SecretTables(),
                     true),
                {"store_password"});
}

}  // namespace
}  // namespace writ::server::testing
