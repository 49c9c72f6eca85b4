#include "core/cache_control.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace writ::internal {
namespace {

using std::chrono::seconds;

constexpr FreshnessPolicy kPolicy{seconds(30), seconds(3600), seconds(300)};

seconds Lifetime(std::vector<std::string> lines) { return FreshnessLifetime(lines, kPolicy); }

TEST(CacheControl, MaxAgeIsTheLifetime) {
  EXPECT_EQ(Lifetime({"max-age=600"}), seconds(600));
  EXPECT_EQ(Lifetime({"public, max-age=600"}), seconds(600));
  EXPECT_EQ(Lifetime({"public,max-age=600 , must-revalidate"}), seconds(600));
  EXPECT_EQ(Lifetime({"MAX-AGE=600"}), seconds(600));
  EXPECT_EQ(Lifetime({"max-age=\"600\""}), seconds(600));
  EXPECT_EQ(Lifetime({"public", "max-age=600"}), seconds(600));
}

TEST(CacheControl, NoHeaderOrNoMaxAgeIsTheFallback) {
  EXPECT_EQ(Lifetime({}), seconds(300));
  EXPECT_EQ(Lifetime({"public"}), seconds(300));
  EXPECT_EQ(Lifetime({""}), seconds(300));
  EXPECT_EQ(Lifetime({" , ,"}), seconds(300));
}

TEST(CacheControl, SMaxAgeIsIgnored) {
  EXPECT_EQ(Lifetime({"s-maxage=600"}), seconds(300));
  EXPECT_EQ(Lifetime({"s-maxage=10, max-age=600"}), seconds(600));
}

TEST(CacheControl, MaxAgeIsClampedToFloorAndCap) {
  EXPECT_EQ(Lifetime({"max-age=0"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=29"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=30"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=3600"}), seconds(3600));
  EXPECT_EQ(Lifetime({"max-age=3601"}), seconds(3600));
  EXPECT_EQ(Lifetime({"max-age=99999999999999999999999999999"}), seconds(3600));
}

TEST(CacheControl, FallbackIsClampedToo) {
  EXPECT_EQ(FreshnessLifetime({}, FreshnessPolicy{seconds(30), seconds(100), seconds(300)}), seconds(100));
  EXPECT_EQ(FreshnessLifetime({}, FreshnessPolicy{seconds(30), seconds(100), seconds(10)}), seconds(30));
}

TEST(CacheControl, NoStoreAndNoCacheAreTheFloor) {
  EXPECT_EQ(Lifetime({"no-store"}), seconds(30));
  EXPECT_EQ(Lifetime({"no-cache"}), seconds(30));
  EXPECT_EQ(Lifetime({"No-Cache"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600, no-cache"}), seconds(30));
  EXPECT_EQ(Lifetime({"no-cache=\"Set-Cookie, X-Foo\", max-age=600"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600", "no-store"}), seconds(30));
}

TEST(CacheControl, DuplicateOrInvalidMaxAgeIsTheFloor) {
  EXPECT_EQ(Lifetime({"max-age=600, max-age=600"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600", "max-age=900"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=-1"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=1.5"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600x"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=\"\""}), seconds(30));
}

TEST(CacheControl, UnparsableFieldIsTheFloor) {
  EXPECT_EQ(Lifetime({"max-age=600, \"quoted\""}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600 public"}), seconds(30));
  EXPECT_EQ(Lifetime({"private=\"unterminated, max-age=600"}), seconds(30));
  EXPECT_EQ(Lifetime({"max-age=600, =1"}), seconds(30));
}

TEST(CacheControl, QuotedStringsMayHoldCommasAndEscapes) {
  EXPECT_EQ(Lifetime({"private=\"a, b\\\"c\", max-age=600"}), seconds(600));
}

}  // namespace
}  // namespace writ::internal
