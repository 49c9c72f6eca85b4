// The shared throttle as an attacker meets it: two `writ serve` instances (two Throttles) on
// one Redis, and Redis failing under them.
#include "server/redis_throttle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "manual_clock.h"
#include "redis_test_util.h"

namespace writ::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

// Two instances on one Redis under one key prefix, on one clock.
struct TwoInstances {
  explicit TwoInstances(ThrottlePolicy policy = {}, std::optional<store::RedisOptions> options = testing::FixtureRedis()) {
    if (!options) {
      return;
    }
    const std::string prefix = testing::UniquePrefix();
    for (auto* throttle : {&a, &b}) {
      auto redis = std::make_shared<store::RedisClient>(*options);
      *throttle = std::make_unique<Throttle>(policy, clock, std::make_shared<RedisThrottle>(policy, redis, prefix));
    }
  }
  bool ok() const { return a != nullptr && b != nullptr; }
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::unique_ptr<Throttle> a;
  std::unique_ptr<Throttle> b;
};

TEST(RedisThrottle, FailuresThroughOneInstanceLockTheAccountOnTheOther) {
  TwoInstances f;
  ASSERT_TRUE(f.ok());
  // An attacker alternates instances to stay under each one's limit.
  for (int i = 0; i < 9; ++i) {
    Throttle& instance = i % 2 == 0 ? *f.a : *f.b;
    ASSERT_TRUE(instance.Check("198.51.100.1", "victim").allowed) << i;
    EXPECT_TRUE(instance.RecordFailure("victim").allowed) << i;
  }
  const ThrottleDecision tenth = f.b->RecordFailure("Victim");  // case-insensitive too
  EXPECT_FALSE(tenth.allowed);
  EXPECT_TRUE(tenth.newly_locked);
  EXPECT_EQ(tenth.reason, "account_locked");
  EXPECT_EQ(tenth.retry_after, seconds{2});  // base 1 s + the whole-second margin
  for (Throttle* instance : {f.a.get(), f.b.get()}) {
    const ThrottleDecision locked = instance->Check("203.0.113.9", "victim");
    EXPECT_FALSE(locked.allowed);
    EXPECT_FALSE(locked.unavailable);
    EXPECT_EQ(locked.reason, "account_locked");
    EXPECT_GE(locked.retry_after, seconds{1});
  }
  EXPECT_TRUE(f.a->Check("203.0.113.9", "someone-else").allowed);
}

TEST(RedisThrottle, LockExpiresAndGrowsLikeTheInMemoryOne) {
  TwoInstances f;
  ASSERT_TRUE(f.ok());
  for (int i = 0; i < 10; ++i) {
    (void)f.a->RecordFailure("victim");
  }
  f.clock->Advance(seconds{2});
  EXPECT_TRUE(f.b->Check("198.51.100.1", "victim").allowed);
  const ThrottleDecision eleventh = f.b->RecordFailure("victim");
  EXPECT_FALSE(eleventh.newly_locked);
  EXPECT_EQ(eleventh.retry_after, seconds{3});  // 2 s + margin
}

TEST(RedisThrottle, SuccessOnOneInstanceClearsFailuresForBoth) {
  TwoInstances f;
  ASSERT_TRUE(f.ok());
  for (int i = 0; i < 9; ++i) {
    (void)f.a->RecordFailure("user");
  }
  f.b->RecordSuccess("user");
  EXPECT_TRUE(f.a->RecordFailure("user").allowed);  // the count started over
}

TEST(RedisThrottle, IpBucketIsSharedAcrossInstances) {
  ThrottlePolicy policy;
  policy.ip_burst = 4;
  policy.ip_rate_per_second = 0.5;
  TwoInstances f(policy);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.a->Check("203.0.113.7", "u1").allowed);
  EXPECT_TRUE(f.b->Check("203.0.113.7", "u2").allowed);
  EXPECT_TRUE(f.a->Check("203.0.113.7", "u3").allowed);
  EXPECT_TRUE(f.b->Check("203.0.113.7", "u4").allowed);
  const ThrottleDecision refused = f.a->Check("203.0.113.7", "u5");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reason, "ip_rate");
  EXPECT_EQ(refused.retry_after, seconds{2});
  EXPECT_FALSE(f.b->Check("203.0.113.7", "u6").allowed);
  // The same /64 is the same bucket on the other instance too.
  EXPECT_TRUE(f.b->Check("2001:db8::1", "v").allowed);
  f.clock->Advance(seconds{2});
  EXPECT_TRUE(f.b->Check("203.0.113.7", "u7").allowed);
}

TEST(RedisThrottle, KeysExpireByThemselves) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  auto redis = std::make_shared<store::RedisClient>(*options);
  const std::string prefix = testing::UniquePrefix();
  auto clock = std::make_shared<testing::ManualClock>();
  Throttle throttle({}, clock, std::make_shared<RedisThrottle>(ThrottlePolicy{}, redis, prefix));
  ASSERT_TRUE(throttle.Check("192.0.2.1", "ttl-user").allowed);
  (void)throttle.RecordFailure("ttl-user");
  for (const std::string& key : {prefix + "throttle:ip:192.0.2.1", prefix + "throttle:account:ttl-user"}) {
    auto ttl = redis->Command({"TTL", key});
    ASSERT_TRUE(ttl) << ttl.error().detail;
    EXPECT_GT(ttl->integer, 0) << key;
    EXPECT_LE(ttl->integer, 2 * 24 * 3600) << key;
  }
}

TEST(RedisThrottle, DeadRedisRefusesWithinTheTimeoutAndRecoversWithoutRestart) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  TwoInstances f({}, redis.options());
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f.a->Check("198.51.100.1", "user").allowed);
  ASSERT_TRUE(redis.Stop());

  const auto started = steady_clock::now();
  const ThrottleDecision refused = f.a->Check("198.51.100.1", "user");
  const auto took = steady_clock::now() - started;
  EXPECT_FALSE(refused.allowed);  // fail closed: never an unchecked password attempt
  EXPECT_TRUE(refused.unavailable);
  EXPECT_EQ(refused.reason, "throttle_unavailable");
  EXPECT_GE(refused.retry_after, seconds{1});
  EXPECT_LT(took, milliseconds{1'500});
  const ThrottleDecision failure = f.b->RecordFailure("user");
  EXPECT_FALSE(failure.allowed);
  EXPECT_TRUE(failure.unavailable);
  f.b->RecordSuccess("user");  // does not throw or hang

  ASSERT_TRUE(redis.Start());
  EXPECT_TRUE(f.a->Check("198.51.100.1", "user").allowed);
  EXPECT_TRUE(f.b->Check("198.51.100.1", "user").allowed);
}

TEST(RedisThrottle, WrongPasswordRefusesEveryLogin) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  options->password = SecretBytes::FromString("not-the-password");
  TwoInstances f({}, options);
  ASSERT_TRUE(f.ok());
  const ThrottleDecision refused = f.a->Check("198.51.100.1", "user");
  EXPECT_FALSE(refused.allowed);
  EXPECT_TRUE(refused.unavailable);
}

}  // namespace
}  // namespace writ::server
