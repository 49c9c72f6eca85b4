#include "server/verified_token_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace writ::server {
namespace {

const Seconds kNow{std::chrono::seconds{1'800'000'000}};

std::shared_ptr<const AccessClaims> ClaimsUntil(Seconds expires_at, std::string jti = "j") {
  auto claims = std::make_shared<AccessClaims>();
  claims->jti = std::move(jti);
  claims->expires_at = expires_at;
  return claims;
}

TEST(VerifiedTokenCacheTest, FindsWhatWasInsertedUntilExp) {
  VerifiedTokenCache cache(100);
  cache.Insert("token-a", ClaimsUntil(kNow + std::chrono::seconds{60}), kNow, cache.generation());
  ASSERT_NE(cache.Find("token-a", kNow), nullptr);
  EXPECT_NE(cache.Find("token-a", kNow + std::chrono::seconds{59}), nullptr);
  EXPECT_EQ(cache.Find("token-a", kNow + std::chrono::seconds{60}), nullptr);  // now >= exp
  EXPECT_EQ(cache.size(), 0u);  // the expired entry was dropped on the way
}

TEST(VerifiedTokenCacheTest, KeyIsTheWholeToken) {
  VerifiedTokenCache cache(100);
  cache.Insert("token-a", ClaimsUntil(kNow + std::chrono::seconds{60}), kNow, cache.generation());
  EXPECT_EQ(cache.Find("token-", kNow), nullptr);
  EXPECT_EQ(cache.Find("token-ab", kNow), nullptr);
  EXPECT_EQ(cache.Find("token-A", kNow), nullptr);
}

TEST(VerifiedTokenCacheTest, AlreadyExpiredClaimsAreNotInserted) {
  VerifiedTokenCache cache(100);
  cache.Insert("token-a", ClaimsUntil(kNow), kNow, cache.generation());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, StaysWithinCapacity) {
  VerifiedTokenCache cache(64);
  for (int i = 0; i < 10'000; ++i) {
    cache.Insert("token-" + std::to_string(i), ClaimsUntil(kNow + std::chrono::seconds{60}), kNow,
                 cache.generation());
  }
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GT(cache.size(), 0u);
}

TEST(VerifiedTokenCacheTest, FullShardDropsExpiredEntriesFirst) {
  VerifiedTokenCache cache(16);  // one entry per shard
  for (int i = 0; i < 200; ++i) {
    cache.Insert("old-" + std::to_string(i), ClaimsUntil(kNow + std::chrono::seconds{1}), kNow,
                 cache.generation());
  }
  const Seconds later = kNow + std::chrono::seconds{5};
  cache.Insert("new", ClaimsUntil(later + std::chrono::seconds{60}), later, cache.generation());
  EXPECT_NE(cache.Find("new", later), nullptr);
}

TEST(VerifiedTokenCacheTest, ZeroCapacityCachesNothing) {
  VerifiedTokenCache cache(0);
  cache.Insert("token-a", ClaimsUntil(kNow + std::chrono::seconds{60}), kNow, cache.generation());
  EXPECT_EQ(cache.Find("token-a", kNow), nullptr);
}

TEST(VerifiedTokenCacheTest, ClearDropsEverything) {
  VerifiedTokenCache cache(100);
  cache.Insert("token-a", ClaimsUntil(kNow + std::chrono::seconds{60}), kNow, cache.generation());
  cache.Clear();
  EXPECT_EQ(cache.Find("token-a", kNow), nullptr);
}

TEST(VerifiedTokenCacheTest, AttackInsertVerifiedBeforeAClearIsIgnored) {
  // A request verified a token with the old keys, then a reload cleared the cache, then the
  // request tries to cache its result: it must not land.
  VerifiedTokenCache cache(100);
  const std::uint64_t before_reload = cache.generation();
  cache.Clear();
  cache.Insert("token-a", ClaimsUntil(kNow + std::chrono::seconds{60}), kNow, before_reload);
  EXPECT_EQ(cache.Find("token-a", kNow), nullptr);
}

}  // namespace
}  // namespace writ::server
