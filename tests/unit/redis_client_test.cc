#include "store/redis_client.h"

#include <gtest/gtest.h>

#include <chrono>

#include "redis_test_util.h"
#include "store/redis_url.h"

namespace writ::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(RedisUrl, HostPortAndDbAreParsed) {
  auto url = ParseRedisUrl("redis://127.0.0.1:6380/3");
  ASSERT_TRUE(url) << url.error().detail;
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, 6380);
  EXPECT_EQ(url->db, 3);
  EXPECT_EQ(DescribeRedis(*url), "127.0.0.1:6380/3");
}

TEST(RedisUrl, DefaultsArePort6379AndDb0) {
  auto url = ParseRedisUrl("redis://cache.internal");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->port, 6379);
  EXPECT_EQ(url->db, 0);
}

TEST(RedisUrl, BracketedIpv6HostIsParsed) {
  auto url = ParseRedisUrl("redis://[::1]:7000/0");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 7000);
}

TEST(RedisUrl, PasswordInTheUrlIsRefusedAndNotRepeated) {
  for (const char* text : {"redis://:hunter2-secret@127.0.0.1:6379/0", "redis://default:hunter2-secret@h/0"}) {
    auto url = ParseRedisUrl(text);
    ASSERT_FALSE(url) << text;
    EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(url.error().detail.find("hunter2"), std::string::npos) << url.error().detail;
    EXPECT_NE(url.error().detail.find("redis_password"), std::string::npos) << url.error().detail;
  }
}

TEST(RedisUrl, OtherShapesAreRefused) {
  for (const char* text : {"rediss://127.0.0.1:6379/0", "http://127.0.0.1:6379", "redis://", "redis://h:0/0",
                           "redis://h:65536/0", "redis://h:/0", "redis://h:6379/x", "redis://h:6379/1024",
                           "redis://h:6379/0?password=x", "redis://h h:6379/0", "redis://[::1/0"}) {
    EXPECT_FALSE(ParseRedisUrl(text)) << text;
  }
}

TEST(RedisClient, CommandsRoundTripBinarySafe) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  const std::string key = testing::UniquePrefix() + "k";
  const std::string value("a\0b\r\nc", 6);
  ASSERT_TRUE(client.Command({"SET", key, value, "EX", "60"}));
  auto read = client.Command({"GET", key});
  ASSERT_TRUE(read) << read.error().detail;
  EXPECT_EQ(read->kind, RedisReply::Kind::kString);
  EXPECT_EQ(read->text, value);
  auto missing = client.Command({"GET", key + "-missing"});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->kind, RedisReply::Kind::kNil);
  EXPECT_TRUE(client.Ping());
}

TEST(RedisClient, ErrorReplyIsStorageErrorAndConnectionStaysUsable) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  auto bad = client.Command({"NOSUCHCOMMAND"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kStorage);
  EXPECT_TRUE(bad.error().detail.starts_with("redis unavailable: ")) << bad.error().detail;
  EXPECT_TRUE(client.Ping());
}

TEST(RedisClient, WrongPasswordIsAClearErrorWithoutThePassword) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  const std::string wrong = "wrong-password-7f3c9a";
  options->password = SecretBytes::FromString(wrong);
  RedisClient client(std::move(*options));
  auto ping = client.Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kStorage);
  EXPECT_NE(ping.error().detail.find("refused the password"), std::string::npos) << ping.error().detail;
  EXPECT_EQ(ping.error().detail.find(wrong), std::string::npos) << ping.error().detail;
}

TEST(RedisClient, MissingPasswordIsRefusedByTheServer) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  options->password = SecretBytes();
  RedisClient client(std::move(*options));
  auto ping = client.Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, ErrorCode::kStorage);
  EXPECT_NE(ping.error().detail.find("NOAUTH"), std::string::npos) << ping.error().detail;
}

TEST(RedisClient, DeadPortFailsWithinTheTimeout) {
  testing::PrivateRedis redis;  // a port that was ours and is closed now
  ASSERT_TRUE(redis.started());
  auto dead = redis.options();
  ASSERT_TRUE(dead);
  ASSERT_TRUE(redis.Stop());
  RedisClient client(std::move(*dead));
  const auto started = steady_clock::now();
  auto ping = client.Ping();
  const auto took = steady_clock::now() - started;
  ASSERT_FALSE(ping);
  EXPECT_TRUE(ping.error().detail.starts_with("redis unavailable: ")) << ping.error().detail;
  EXPECT_LT(took, milliseconds{1'500});
}

TEST(RedisClient, ReconnectsOnTheNextCallAfterARestart) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  auto options = redis.options();
  ASSERT_TRUE(options);
  RedisClient client(std::move(*options));
  ASSERT_TRUE(client.Ping());
  ASSERT_TRUE(redis.Stop());
  EXPECT_FALSE(client.Ping());
  ASSERT_TRUE(redis.Start());
  auto ping = client.Ping();
  EXPECT_TRUE(ping) << ping.error().detail;
}

}  // namespace
}  // namespace writ::store
