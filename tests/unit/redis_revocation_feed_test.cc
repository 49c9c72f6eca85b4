// Cross-instance revocation through Redis: two instances (RevocationList + RevocationFeed
// each) on one Redis; a logout on one must stop the token on the other at once, also
// across a Redis restart. Notices from Redis can only deny, and malformed ones are ignored.
#include "server/revocation_feed.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include "manual_clock.h"
#include "redis_test_util.h"

namespace writ::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr milliseconds kPropagationLimit{2'000};

struct Instance {
  Instance(const store::RedisOptions& options, std::shared_ptr<const Clock> clock, const std::string& prefix)
      : redis(std::make_shared<store::RedisClient>(options)),
        list(std::make_shared<RevocationList>(clock)),
        feed(std::make_shared<RevocationFeed>(redis, list, clock,
                                              RevocationFeedOptions{.prefix = prefix,
                                                                    .min_backoff = milliseconds{20},
                                                                    .max_backoff = milliseconds{200}})) {}
  std::shared_ptr<store::RedisClient> redis;
  std::shared_ptr<RevocationList> list;
  std::shared_ptr<RevocationFeed> feed;
};

// Polls `condition` up to `limit` (the one place these tests wait on real time: another
// thread's delivery); returns how long it took, or nullopt.
std::optional<milliseconds> WaitFor(const std::function<bool()>& condition, milliseconds limit = kPropagationLimit) {
  const auto started = steady_clock::now();
  while (steady_clock::now() - started < limit) {
    if (condition()) {
      return std::chrono::duration_cast<milliseconds>(steady_clock::now() - started);
    }
    std::this_thread::sleep_for(milliseconds{1});
  }
  return condition() ? std::optional<milliseconds>(limit) : std::nullopt;
}

struct TwoInstances {
  explicit TwoInstances(std::optional<store::RedisOptions> options = testing::FixtureRedis()) {
    if (!options) {
      return;
    }
    a = std::make_unique<Instance>(*options, clock, prefix);
    b = std::make_unique<Instance>(*options, clock, prefix);
    a->feed->Start();
    b->feed->Start();
  }
  bool Subscribed() {
    return WaitFor([&] { return a->feed->subscribed() && b->feed->subscribed(); }).has_value();
  }
  const std::string prefix = testing::UniquePrefix();
  std::shared_ptr<testing::ManualClock> clock = std::make_shared<testing::ManualClock>();
  std::unique_ptr<Instance> a;
  std::unique_ptr<Instance> b;
};

TEST(RevocationNotice, RoundTripsThroughItsWireForm) {
  const RevocationNotice notice{RevocationNotice::Kind::kSession, "abc_DEF-123", Seconds{seconds{1'800'000'900}}};
  const std::string text = FormatRevocationNotice(notice);
  EXPECT_EQ(text, "s:abc_DEF-123 1800000900");
  auto parsed = ParseRevocationNotice(text);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, RevocationNotice::Kind::kSession);
  EXPECT_EQ(parsed->id, "abc_DEF-123");
  EXPECT_EQ(parsed->until, notice.until);
}

TEST(RevocationNotice, MalformedNoticesAreRefused) {
  for (const char* text : {"", "t:abc", "x:abc 1800000000", "t: 1800000000", "t:a b 1800000000", "t:abc 18x",
                           "t:abc -5", "t:abc 0", "t:abc 1800000000 extra", "t:a\nb 1800000000",
                           "t:abc 99999999999999999999"}) {
    EXPECT_FALSE(ParseRevocationNotice(text)) << text;
  }
  EXPECT_FALSE(ParseRevocationNotice("t:" + std::string(129, 'a') + " 1800000000"));
}

TEST(RevocationFeed, RevocationOnOneInstanceIsSeenOnTheOtherAtOnce) {
  TwoInstances f;
  ASSERT_TRUE(f.a);
  ASSERT_TRUE(f.Subscribed());
  const Seconds until = f.clock->Now() + seconds{900};
  // Instance A logs out: its own list first (as SessionService does), then the broadcast.
  f.a->list->DenyToken("jti-1", until);
  ASSERT_TRUE(f.a->feed->Publish({RevocationNotice::Kind::kToken, "jti-1", until}));
  f.a->list->RevokeSession("sid-1", until);
  ASSERT_TRUE(f.a->feed->Publish({RevocationNotice::Kind::kSession, "sid-1", until}));
  auto took = WaitFor([&] { return f.b->list->IsTokenDenied("jti-1") && f.b->list->IsSessionRevoked("sid-1"); });
  ASSERT_TRUE(took) << "instance B never saw the revocation";
  std::cout << "[ measured ] revocation propagation A -> B: " << took->count() << " ms" << std::endl;
  EXPECT_FALSE(f.b->list->IsTokenDenied("jti-2"));
  EXPECT_FALSE(f.b->list->IsSessionRevoked("sid-2"));
}

TEST(RevocationFeed, InstanceStartingLaterLoadsStoredRevocations) {
  auto options = testing::FixtureRedis();
  ASSERT_TRUE(options);
  auto clock = std::make_shared<testing::ManualClock>();
  const std::string prefix = testing::UniquePrefix();
  Instance a(*options, clock, prefix);
  ASSERT_TRUE(a.feed->Publish({RevocationNotice::Kind::kSession, "early", clock->Now() + seconds{60}}));
  ASSERT_TRUE(a.feed->Publish({RevocationNotice::Kind::kToken, "passed", clock->Now() - seconds{1}}));
  Instance late(*options, clock, prefix);
  late.feed->Start();
  ASSERT_TRUE(WaitFor([&] { return late.feed->subscribed(); }));
  EXPECT_TRUE(late.list->IsSessionRevoked("early"));
  EXPECT_FALSE(late.list->IsTokenDenied("passed"));  // already over: never stored
  auto ttl = a.redis->Command({"TTL", prefix + "revocations"});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer, 0);
  EXPECT_LE(ttl->integer, 61);
}

TEST(RevocationFeed, MalformedMessagesOnTheChannelAreIgnored) {
  TwoInstances f;
  ASSERT_TRUE(f.a);
  ASSERT_TRUE(f.Subscribed());
  const std::string channel = f.prefix + "revocations";
  // Whoever can write to the channel can only deny, and only in the exact form.
  for (const char* junk : {"garbage", "t:bad id 1800000900", "s:x -1", "t:ok 1800000900 trailing"}) {
    ASSERT_TRUE(f.a->redis->Command({"PUBLISH", channel, junk}));
  }
  const Seconds until = f.clock->Now() + seconds{60};
  ASSERT_TRUE(f.a->feed->Publish({RevocationNotice::Kind::kToken, "after-junk", until}));
  ASSERT_TRUE(WaitFor([&] { return f.b->list->IsTokenDenied("after-junk"); }));
  EXPECT_FALSE(f.b->list->IsTokenDenied("ok"));
  EXPECT_FALSE(f.b->list->IsTokenDenied("bad"));
  EXPECT_TRUE(f.b->feed->subscribed());
}

TEST(RevocationFeed, SubscriberSurvivesARedisRestartAndReloadsWhatItMissed) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  TwoInstances f(redis.options());
  ASSERT_TRUE(f.a);
  ASSERT_TRUE(f.Subscribed());
  const std::uint64_t before = f.b->feed->subscriptions();

  ASSERT_TRUE(redis.Stop());
  ASSERT_TRUE(WaitFor([&] { return !f.b->feed->subscribed(); }));
  // Published while Redis is down: refused (the caller answers 503), kept, and sent again.
  const Seconds until = f.clock->Now() + seconds{300};
  f.a->list->RevokeSession("during-outage", until);
  EXPECT_FALSE(f.a->feed->Publish({RevocationNotice::Kind::kSession, "during-outage", until}));

  ASSERT_TRUE(redis.Start());  // empty: no persistence
  ASSERT_TRUE(WaitFor([&] { return f.a->feed->subscribed() && f.b->feed->subscriptions() > before; },
                      milliseconds{5'000}));
  auto resent = WaitFor([&] { return f.b->list->IsSessionRevoked("during-outage"); });
  EXPECT_TRUE(resent) << "the notice kept during the outage never reached B";

  // Later revocations still arrive over the new subscription.
  ASSERT_TRUE(f.a->feed->Publish({RevocationNotice::Kind::kToken, "after-restart", until}));
  auto took = WaitFor([&] { return f.b->list->IsTokenDenied("after-restart"); });
  ASSERT_TRUE(took);
  std::cout << "[ measured ] propagation after a Redis restart: " << took->count() << " ms" << std::endl;
}

TEST(RevocationFeed, SubscriberCutByTheServerComesBackAndCatchesUp) {
  testing::PrivateRedis redis;
  ASSERT_TRUE(redis.started());
  auto options = redis.options();
  ASSERT_TRUE(options);
  auto clock = std::make_shared<testing::ManualClock>();
  const std::string prefix = testing::UniquePrefix();
  Instance b(*options, clock, prefix);
  b.feed->Start();
  ASSERT_TRUE(WaitFor([&] { return b.feed->subscribed(); }));
  // B's subscription is cut (CLIENT KILL of pub/sub clients); while it is down another
  // instance stores a notice.
  store::RedisClient admin(*options);
  auto killed = admin.Command({"CLIENT", "KILL", "TYPE", "pubsub"});
  ASSERT_TRUE(killed);
  ASSERT_GE(killed->integer, 1) << "no subscriber was cut: the test would prove nothing";
  Instance a(*options, clock, prefix);
  ASSERT_TRUE(a.feed->Publish({RevocationNotice::Kind::kSession, "meanwhile", clock->Now() + seconds{60}}));
  EXPECT_TRUE(WaitFor([&] { return b.list->IsSessionRevoked("meanwhile"); }));
  // It came over a new subscription: B subscribed again after the cut.
  EXPECT_TRUE(WaitFor([&] { return b.feed->subscriptions() >= 2; }));
}

}  // namespace
}  // namespace writ::server
