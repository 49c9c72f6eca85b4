#include "core/rfc3339.h"

#include <gtest/gtest.h>

namespace writ::internal {
namespace {

TEST(ParseRfc3339, UtcForms) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("2022-01-01T00:00:00+00:00"), 1640995200);
  EXPECT_EQ(ParseRfc3339("2022-01-01t00:00:00z"), 1640995200);
  EXPECT_EQ(ParseRfc3339("2100-01-01T00:00:00Z"), 4102444800);
}

TEST(ParseRfc3339, OffsetsMoveTheInstant) {
  EXPECT_EQ(ParseRfc3339("2022-01-01T01:00:00+01:00"), 1640995200);
  EXPECT_EQ(ParseRfc3339("2021-12-31T19:30:00-04:30"), 1640995200);
}

TEST(ParseRfc3339, FractionsAreTruncated) {
  EXPECT_EQ(ParseRfc3339("2022-01-01T00:00:00.999Z"), 1640995200);
  EXPECT_FALSE(ParseRfc3339("2022-01-01T00:00:00.Z").has_value());
}

TEST(ParseRfc3339, LeapDayOnlyInLeapYears) {
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z").has_value());
  EXPECT_TRUE(ParseRfc3339("2000-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2100-02-29T00:00:00Z").has_value());
}

TEST(ParseRfc3339, LeapSecondCountsAsTheLastSecond) {
  EXPECT_EQ(ParseRfc3339("2016-12-31T23:59:60Z"), ParseRfc3339("2016-12-31T23:59:59Z"));
}

TEST(ParseRfc3339, MalformedFormsAreRefused) {
  for (const char* text : {"", "2022-01-01", "2022-01-01T00:00:00", "2022-01-01 00:00:00Z", "2022-1-01T00:00:00Z",
                           "2022-13-01T00:00:00Z", "2022-00-01T00:00:00Z", "2022-01-32T00:00:00Z",
                           "2022-01-01T24:00:00Z", "2022-01-01T00:60:00Z", "2022-01-01T00:00:61Z",
                           "2022-01-01T00:00:00+0100", "2022-01-01T00:00:00+24:00", "2022-01-01T00:00:00Z ",
                           " 2022-01-01T00:00:00Z", "+2022-01-01T00:00:00Z", "1640995200"}) {
    EXPECT_FALSE(ParseRfc3339(text).has_value()) << text;
  }
}

TEST(ParseRfc3339, OutOfRangeIsRefused) {
  EXPECT_FALSE(ParseRfc3339("1969-12-31T23:59:59Z").has_value());
  EXPECT_FALSE(ParseRfc3339("1970-01-01T00:00:00+00:01").has_value());
  EXPECT_TRUE(ParseRfc3339("9999-12-31T23:59:59Z").has_value());
}

TEST(FormatRfc3339, RoundTrips) {
  for (std::int64_t seconds : {0LL, 951782400LL, 1640995200LL, 4102444800LL, 253402300799LL}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(seconds)), seconds);
  }
  EXPECT_EQ(FormatRfc3339(1640995200), "2022-01-01T00:00:00Z");
}

}  // namespace
}  // namespace writ::internal
