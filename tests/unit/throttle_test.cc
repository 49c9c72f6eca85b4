#include "server/throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace writ::server {
namespace {

using std::chrono::seconds;

// A clock the test moves by hand; atomic so that threads may read it.
class TestClock : public Clock {
 public:
  Seconds Now() const override { return Seconds{seconds{now_.load()}}; }
  void Advance(seconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_{1'800'000'000};
};

struct Fixture {
  explicit Fixture(ThrottlePolicy policy = {}, std::size_t max_entries = 100'000)
      : clock(std::make_shared<TestClock>()), throttle(policy, clock, max_entries) {}
  std::shared_ptr<TestClock> clock;
  Throttle throttle;
};

// Fails `account` `times` times, returning the last decision.
ThrottleDecision FailTimes(Throttle& throttle, std::string_view account, int times) {
  ThrottleDecision last;
  for (int i = 0; i < times; ++i) {
    last = throttle.RecordFailure(account);
  }
  return last;
}

TEST(Throttle, BurstIsAllowedThenIpRateRefuses) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    EXPECT_TRUE(f.throttle.Check("203.0.113.7", "user" + std::to_string(i)).allowed) << i;
  }
  const ThrottleDecision refused = f.throttle.Check("203.0.113.7", "someone-else");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.reason, "ip_rate");
  EXPECT_EQ(refused.retry_after, seconds{1});
}

TEST(Throttle, IpRateRetryAfterFollowsTheRate) {
  ThrottlePolicy policy;
  policy.ip_rate_per_second = 0.1;
  policy.ip_burst = 2;
  Fixture f(policy);
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  EXPECT_EQ(f.throttle.Check("203.0.113.7", "a").retry_after, seconds{10});
  f.clock->Advance(seconds{4});
  EXPECT_EQ(f.throttle.Check("203.0.113.7", "a").retry_after, seconds{6});
}

TEST(Throttle, FractionalTokenRoundsRetryAfterUp) {
  ThrottlePolicy policy;
  policy.ip_rate_per_second = 0.4;
  policy.ip_burst = 1;
  Fixture f(policy);
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  f.clock->Advance(seconds{1});  // 0.4 tokens: 1.5 s more, so 2
  const ThrottleDecision refused = f.throttle.Check("203.0.113.7", "a");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds{2});
}

TEST(Throttle, BucketRefillsWithElapsedTimeUpToTheBurst) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  }
  ASSERT_FALSE(f.throttle.Check("203.0.113.7", "a").allowed);
  f.clock->Advance(seconds{5});
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed) << i;
  }
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "a").allowed);
  f.clock->Advance(seconds{3600});
  int allowed = 0;
  while (f.throttle.Check("203.0.113.7", "a").allowed) {
    ++allowed;
  }
  EXPECT_EQ(allowed, 20);
}

TEST(Throttle, EachIpHasItsOwnBucket) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  }
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "a").allowed);
  EXPECT_TRUE(f.throttle.Check("203.0.113.8", "a").allowed);
}

TEST(Throttle, Ipv6AddressesOfOneSlash64ShareABucket) {
  // Attack: one host rotates through addresses of its /64 to get fresh buckets.
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(f.throttle.Check("2001:db8:1:2::" + std::to_string(i + 1), "a").allowed);
  }
  EXPECT_FALSE(f.throttle.Check("2001:db8:1:2:ffff:ffff:ffff:ffff", "a").allowed);
  EXPECT_FALSE(f.throttle.Check("2001:DB8:1:2:0:0:0:abcd", "a").allowed);
  EXPECT_TRUE(f.throttle.Check("2001:db8:1:3::1", "a").allowed);
}

TEST(Throttle, Ipv4MappedAddressSharesTheIpv4Bucket) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(f.throttle.Check(i % 2 == 0 ? "203.0.113.7" : "::ffff:203.0.113.7", "a").allowed);
  }
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "a").allowed);
  EXPECT_FALSE(f.throttle.Check("::ffff:203.0.113.7", "a").allowed);
}

TEST(Throttle, NinthFailureDoesNotLock) {
  Fixture f;
  const ThrottleDecision ninth = FailTimes(f.throttle, "alice", 9);
  EXPECT_TRUE(ninth.allowed);
  EXPECT_FALSE(ninth.newly_locked);
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "alice").allowed);
}

TEST(Throttle, TenthFailureLocksTheAccount) {
  Fixture f;
  const ThrottleDecision tenth = FailTimes(f.throttle, "alice", 10);
  EXPECT_FALSE(tenth.allowed);
  EXPECT_TRUE(tenth.newly_locked);
  EXPECT_EQ(tenth.reason, "account_locked");
  EXPECT_EQ(tenth.retry_after, seconds{2});
  // The 11th attempt, from any IP, is refused before the password is checked.
  const ThrottleDecision eleventh = f.throttle.Check("198.51.100.1", "alice");
  EXPECT_FALSE(eleventh.allowed);
  EXPECT_EQ(eleventh.reason, "account_locked");
  EXPECT_GE(eleventh.retry_after, seconds{1});
  EXPECT_TRUE(f.throttle.Check("198.51.100.1", "bob").allowed);
}

TEST(Throttle, LockIsReportedAsNewOnlyOnce) {
  Fixture f;
  EXPECT_TRUE(FailTimes(f.throttle, "alice", 10).newly_locked);
  EXPECT_FALSE(f.throttle.RecordFailure("alice").newly_locked);
}

TEST(Throttle, LockExpiresAfterItsDuration) {
  Fixture f;
  FailTimes(f.throttle, "alice", 10);
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "alice").allowed);
  // A 1 s lock on a whole-second clock lasts until the second after next, so that it is
  // never shorter than 1 s in real time.
  f.clock->Advance(seconds{1});
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "alice").allowed);
  f.clock->Advance(seconds{1});
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "alice").allowed);
}

TEST(Throttle, LockGrowsExponentiallyAndCaps) {
  Fixture f;
  std::vector<std::int64_t> durations;
  ThrottleDecision decision = FailTimes(f.throttle, "alice", 10);
  for (int i = 0; i < 13; ++i) {
    durations.push_back(decision.retry_after.count());
    const ThrottleDecision during = f.throttle.Check("203.0.113.7", "alice");
    EXPECT_FALSE(during.allowed);
    EXPECT_EQ(during.retry_after, decision.retry_after);
    f.clock->Advance(decision.retry_after);
    ASSERT_TRUE(f.throttle.Check("203.0.113.7", "alice").allowed);
    decision = f.throttle.RecordFailure("alice");
  }
  EXPECT_EQ(durations, (std::vector<std::int64_t>{2, 3, 5, 9, 17, 33, 65, 129, 257, 513, 901, 901, 901}));
}

TEST(Throttle, BackoffFollowsThePolicy) {
  ThrottlePolicy policy;
  policy.max_account_failures = 3;
  policy.account_backoff_base = seconds{30};
  policy.account_backoff_max = seconds{100};
  Fixture f(policy);
  EXPECT_TRUE(FailTimes(f.throttle, "alice", 2).allowed);
  EXPECT_EQ(f.throttle.RecordFailure("alice").retry_after, seconds{31});
  EXPECT_EQ(f.throttle.RecordFailure("alice").retry_after, seconds{61});
  EXPECT_EQ(f.throttle.RecordFailure("alice").retry_after, seconds{101});
  EXPECT_EQ(FailTimes(f.throttle, "alice", 1'000).retry_after, seconds{101});
}

TEST(Throttle, SuccessClearsFailures) {
  Fixture f;
  FailTimes(f.throttle, "alice", 9);
  f.throttle.RecordSuccess("alice");
  EXPECT_TRUE(FailTimes(f.throttle, "alice", 9).allowed);
  EXPECT_FALSE(f.throttle.RecordFailure("alice").allowed);
}

TEST(Throttle, SuccessAfterALockStartsOver) {
  Fixture f;
  FailTimes(f.throttle, "alice", 15);
  f.clock->Advance(seconds{900});
  f.throttle.RecordSuccess("alice");
  EXPECT_EQ(f.throttle.TrackedAccountCount(), 0u);
  const ThrottleDecision tenth = FailTimes(f.throttle, "alice", 10);
  EXPECT_EQ(tenth.retry_after, seconds{2});
  EXPECT_TRUE(tenth.newly_locked);
}

TEST(Throttle, UnknownAccountNamesAreThrottledTheSame) {
  // Attack: probing names must not reveal which exist; the throttle never asks.
  Fixture f;
  const ThrottleDecision known = FailTimes(f.throttle, "alice", 10);
  const ThrottleDecision unknown = FailTimes(f.throttle, "no-such-user-7f3a", 10);
  EXPECT_EQ(known.allowed, unknown.allowed);
  EXPECT_EQ(known.reason, unknown.reason);
  EXPECT_EQ(known.retry_after, unknown.retry_after);
  EXPECT_EQ(f.throttle.Check("203.0.113.7", "no-such-user-7f3a").reason, "account_locked");
}

TEST(Throttle, AccountNamesAreCaseInsensitive) {
  // Attack: spreading guesses over "Alice", "ALICE", "alice" to dodge the counter.
  Fixture f;
  for (const char* spelling : {"Alice", "ALICE", "alice", "aLiCe", "ALIce"}) {
    FailTimes(f.throttle, spelling, 2);
  }
  const ThrottleDecision locked = f.throttle.Check("203.0.113.7", "alice");
  EXPECT_FALSE(locked.allowed);
  EXPECT_EQ(locked.reason, "account_locked");
  f.throttle.RecordSuccess("ALICE");
  f.clock->Advance(seconds{1});
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", "Alice").allowed);
  EXPECT_TRUE(f.throttle.RecordFailure("alice").allowed);
}

TEST(Throttle, LongAccountNamesStayDistinctAndCaseInsensitive) {
  Fixture f;
  const std::string base(10'000, 'x');
  std::string upper = base + "A";
  FailTimes(f.throttle, base + "a", 5);
  FailTimes(f.throttle, upper, 5);
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", base + "a").allowed);
  EXPECT_TRUE(f.throttle.Check("203.0.113.7", base + "b").allowed);
  EXPECT_EQ(f.throttle.TrackedAccountCount(), 1u);
}

TEST(Throttle, ManyDistinctIpsStayWithinMaxEntries) {
  // Attack: 200k source addresses to exhaust the server's memory.
  Fixture f;
  for (int i = 0; i < 200'000; ++i) {
    const std::string ip = "10." + std::to_string((i >> 16) & 0xff) + "." + std::to_string((i >> 8) & 0xff) + "." +
                           std::to_string(i & 0xff);
    EXPECT_TRUE(f.throttle.Check(ip, "a").allowed);
    ASSERT_LE(f.throttle.TrackedIpCount(), 100'000u) << i;
  }
  EXPECT_GT(f.throttle.TrackedIpCount(), 80'000u);
}

TEST(Throttle, ManyDistinctAccountsStayWithinMaxEntries) {
  Fixture f(ThrottlePolicy{}, 1'000);
  for (int i = 0; i < 200'000; ++i) {
    f.throttle.RecordFailure("user" + std::to_string(i));
    ASSERT_LE(f.throttle.TrackedAccountCount(), 1'000u) << i;
  }
  EXPECT_EQ(f.throttle.TrackedIpCount(), 0u);
}

TEST(Throttle, LockedAccountOutlivesEvictionOfUnlockedOnes) {
  Fixture f(ThrottlePolicy{}, 100);
  FailTimes(f.throttle, "alice", 10);
  for (int i = 0; i < 1'000; ++i) {
    f.throttle.RecordFailure("probe" + std::to_string(i));
  }
  EXPECT_LE(f.throttle.TrackedAccountCount(), 100u);
  EXPECT_EQ(f.throttle.Check("203.0.113.7", "alice").reason, "account_locked");
}

TEST(Throttle, ClockGoingBackwardsAddsNoTokens) {
  Fixture f;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(f.throttle.Check("203.0.113.7", "a").allowed);
  }
  f.clock->Advance(seconds{-3600});
  EXPECT_FALSE(f.throttle.Check("203.0.113.7", "a").allowed);
}

TEST(Throttle, ConcurrentCallersShareOneBucketAndCounter) {
  Fixture f;
  constexpr int kThreads = 8;
  constexpr int kCallsPerThread = 500;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&f, &allowed, t] {
      for (int i = 0; i < kCallsPerThread; ++i) {
        if (f.throttle.Check("203.0.113.7", "never-failed").allowed) {
          ++allowed;
        }
        f.throttle.RecordFailure("shared");
        f.throttle.RecordFailure("own" + std::to_string(t));
        f.throttle.RecordSuccess("own" + std::to_string(t));
        (void)f.throttle.Check("198.51.100." + std::to_string(i % 200), "Shared");
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(allowed.load(), 20);  // the clock stands still: exactly the burst
  EXPECT_EQ(f.throttle.Check("192.0.2.1", "SHARED").reason, "account_locked");
  EXPECT_EQ(f.throttle.TrackedAccountCount(), 1u);
}

}  // namespace
}  // namespace writ::server
