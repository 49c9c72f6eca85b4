#include "server/duration.h"

#include <gtest/gtest.h>

namespace writ::server {
namespace {

using std::chrono::seconds;

TEST(Duration, EachUnitParses) {
  EXPECT_EQ(ParseDuration("30s").value(), seconds(30));
  EXPECT_EQ(ParseDuration("15m").value(), seconds(15 * 60));
  EXPECT_EQ(ParseDuration("12h").value(), seconds(12 * 3600));
  EXPECT_EQ(ParseDuration("30d").value(), seconds(30 * 86400));
  EXPECT_EQ(ParseDuration("0s").value(), seconds(0));
}

TEST(Duration, NineDigitsIsTheLongestCount) {
  EXPECT_EQ(ParseDuration("999999999d").value(), seconds(999999999LL * 86400));
  auto too_long = ParseDuration("1000000000d");
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
}

TEST(Duration, MalformedTextRefused) {
  for (const char* text : {"", "s", "30", "30x", "-5s", "+5s", " 5s", "5s ", "5 s", "1.5h",
                           "5S", "5ms", "0x10s"}) {
    auto parsed = ParseDuration(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace writ::server
