#include "server/revocation_list.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace writ::server {
namespace {

using std::chrono::seconds;

// A clock the test moves by hand; safe to read from several threads.
class SettableClock final : public Clock {
 public:
  explicit SettableClock(Seconds now) : now_(now.time_since_epoch().count()) {}
  Seconds Now() const override { return Seconds(seconds(now_.load())); }
  void Advance(seconds by) { now_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_;
};

constexpr Seconds kStart = Seconds(seconds(1'800'000'000));

struct Fixture {
  std::shared_ptr<SettableClock> clock = std::make_shared<SettableClock>(kStart);
  RevocationList list{clock};
};

TEST(RevocationList, DeniedTokenIsDeniedAndOthersAreNot) {
  Fixture f;
  f.list.DenyToken("jti-1", kStart + seconds(900));
  EXPECT_TRUE(f.list.IsTokenDenied("jti-1"));
  EXPECT_FALSE(f.list.IsTokenDenied("jti-2"));
  EXPECT_FALSE(f.list.IsSessionRevoked("jti-1"));  // separate namespaces
}

TEST(RevocationList, RevokedSessionIsRevokedAndOthersAreNot) {
  Fixture f;
  f.list.RevokeSession("sess-1", kStart + seconds(900));
  EXPECT_TRUE(f.list.IsSessionRevoked("sess-1"));
  EXPECT_FALSE(f.list.IsSessionRevoked("sess-2"));
  EXPECT_FALSE(f.list.IsTokenDenied("sess-1"));
}

TEST(RevocationList, EntryHoldsThroughItsLastSecond) {
  Fixture f;
  f.list.DenyToken("jti", kStart + seconds(10));
  f.list.RevokeSession("sess", kStart + seconds(10));
  f.clock->Advance(seconds(10));  // now == until
  EXPECT_TRUE(f.list.IsTokenDenied("jti"));
  EXPECT_TRUE(f.list.IsSessionRevoked("sess"));
  EXPECT_EQ(f.list.Prune(), 2u);
}

TEST(RevocationList, EntryLapsesAfterUntilAndPruneDropsIt) {
  Fixture f;
  f.list.DenyToken("jti", kStart + seconds(10));
  f.list.RevokeSession("sess", kStart + seconds(10));
  f.list.RevokeSession("long", kStart + seconds(3600));
  EXPECT_EQ(f.list.size(), 3u);
  f.clock->Advance(seconds(11));
  EXPECT_FALSE(f.list.IsTokenDenied("jti"));
  EXPECT_FALSE(f.list.IsSessionRevoked("sess"));
  EXPECT_TRUE(f.list.IsSessionRevoked("long"));
  EXPECT_EQ(f.list.size(), 3u);  // still held until pruned
  EXPECT_EQ(f.list.Prune(), 1u);
  EXPECT_EQ(f.list.size(), 1u);
  EXPECT_TRUE(f.list.IsSessionRevoked("long"));
}

TEST(RevocationList, LaterRevocationExtendsButNeverShortens) {
  Fixture f;
  f.list.RevokeSession("sess", kStart + seconds(100));
  f.list.RevokeSession("sess", kStart + seconds(10));  // must not shorten
  f.clock->Advance(seconds(50));
  EXPECT_TRUE(f.list.IsSessionRevoked("sess"));
  f.list.DenyToken("jti", kStart + seconds(60));
  f.list.DenyToken("jti", kStart + seconds(200));  // extends
  f.clock->Advance(seconds(100));
  EXPECT_TRUE(f.list.IsTokenDenied("jti"));
  EXPECT_FALSE(f.list.IsSessionRevoked("sess"));
  EXPECT_EQ(f.list.size(), 2u);
}

TEST(RevocationList, UntilAlreadyPassedIsNeverListed) {
  Fixture f;
  f.list.DenyToken("old", kStart - seconds(1));
  EXPECT_FALSE(f.list.IsTokenDenied("old"));
  EXPECT_EQ(f.list.Prune(), 0u);
}

TEST(RevocationList, ConcurrentWritersReadersAndPrunesAgree) {
  Fixture f;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  std::atomic<bool> mismatch{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&f, &mismatch, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        f.list.DenyToken(id, kStart + seconds(1000));
        f.list.RevokeSession(id, kStart + seconds(1000));
        if (!f.list.IsTokenDenied(id) || !f.list.IsSessionRevoked(id)) {
          mismatch = true;
        }
        if (i % 50 == 0) {
          f.list.Prune();
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_FALSE(mismatch);
  EXPECT_EQ(f.list.size(), 2u * kThreads * kPerThread);
  f.clock->Advance(seconds(1001));
  EXPECT_EQ(f.list.Prune(), 0u);
}

}  // namespace
}  // namespace writ::server
