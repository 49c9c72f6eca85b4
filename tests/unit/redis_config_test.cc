// `redis` and `redis_password` in the configuration of `writ serve` (docs/configuration.md,
// "Several instances"): the password only from a source, never from the URL or the file.
#include <gtest/gtest.h>

#include "config_loader_fixture.h"
#include "server/config_lint.h"

namespace writ::server {
namespace {

using testing::ConfigLoader;
using testing::SecretText;
using testing::WriteFile;

class RedisConfig : public ConfigLoader {};

TEST_F(RedisConfig, UrlAndPasswordSourceAreLoaded) {
  WriteFile(dir_ / "redis.pw", "s3cret-redis-pw\n");
  auto config = Load("redis = \"redis://10.0.0.5:6380/2\"\nredis_password = \"file:" + Path("redis.pw") +
                     "\"\n" + SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(config->redis, "redis://10.0.0.5:6380/2");
  EXPECT_EQ(SecretText(config->redis_password), "s3cret-redis-pw");
  for (const std::string& finding : LintServerConfig(*config)) {
    EXPECT_EQ(finding.find("redis"), std::string::npos) << finding;
  }
}

TEST_F(RedisConfig, PasswordFromTheEnvironmentOverride) {
  env_["WRIT_REDIS"] = "redis://127.0.0.1:6379/0";
  env_["WRIT_REDIS_PASSWORD"] = "env:TEST_REDIS_PW_THAT_IS_SET";
  ::setenv("TEST_REDIS_PW_THAT_IS_SET", "from-env", 1);
  auto config = Load(SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  EXPECT_EQ(SecretText(config->redis_password), "from-env");
}

TEST_F(RedisConfig, AttackPasswordInTheUrlIsRefusedWithoutRepeatingIt) {
  auto config = Load("redis = \"redis://:hunter2-in-url@127.0.0.1:6379/0\"\n" + SecretTables());
  ExpectRefused(config, {"redis", "redis_password"});
  EXPECT_EQ(config.error().detail.find("hunter2"), std::string::npos) << config.error().detail;
}

TEST_F(RedisConfig, AttackLiteralPasswordIsRefusedWithoutRepeatingIt) {
  auto config = Load("redis = \"redis://127.0.0.1:6379/0\"\nredis_password = \"hunter2-literal\"\n" +
                     SecretTables());
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().detail.find("redis_password"), std::string::npos) << config.error().detail;
  EXPECT_EQ(config.error().detail.find("hunter2"), std::string::npos) << config.error().detail;
}

TEST_F(RedisConfig, PasswordWithoutRedisIsRefused) {
  WriteFile(dir_ / "redis.pw", "pw\n");
  ExpectRefused(Load("redis_password = \"file:" + Path("redis.pw") + "\"\n" + SecretTables()),
                {"redis_password", "redis"});
}

TEST_F(RedisConfig, TlsUrlIsRefusedWithTheReason) {
  ExpectRefused(Load("redis = \"rediss://127.0.0.1:6379/0\"\n" + SecretTables()), {"redis", "TLS"});
}

TEST_F(RedisConfig, ProductionRedisWithoutPasswordIsAFinding) {
  auto config = Load("redis = \"redis://127.0.0.1:6379/0\"\n" + SecretTables());
  ASSERT_TRUE(config) << config.error().detail;
  bool found = false;
  for (const std::string& finding : LintServerConfig(*config)) {
    found = found || finding.starts_with("redis_password");
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace writ::server
