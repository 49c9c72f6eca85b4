#include "core/compact_jws.h"

#include <gtest/gtest.h>

#include "writ/verifier.h"

namespace writ::internal {
namespace {

TEST(SplitCompact, ThreePartsAndTheSigningInput) {
  auto parts = SplitCompact("aaa.bbb.ccc");
  ASSERT_TRUE(parts.has_value());
  EXPECT_EQ(parts->header, "aaa");
  EXPECT_EQ(parts->payload, "bbb");
  EXPECT_EQ(parts->signature, "ccc");
  EXPECT_EQ(parts->signing_input, "aaa.bbb");
}

TEST(SplitCompact, WrongPartCountsAreMalformed) {
  for (const char* token : {"", "a", "a.b", "a.b.c.d", "a.b.c.", "....", "a..b.c"}) {
    EXPECT_EQ(SplitCompact(token).error().code, ErrorCode::kMalformed) << token;
  }
}

TEST(SplitCompact, EmptyHeaderOrPayloadIsMalformed) {
  EXPECT_EQ(SplitCompact(".b.c").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(SplitCompact("a..c").error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(SplitCompact("a.b.").has_value());  // empty signature: refused later as bad_signature
}

TEST(SplitCompact, SizeLimitBoundary) {
  std::string at_limit = "a.b." + std::string(kMaxTokenBytes - 4, 'c');
  EXPECT_TRUE(SplitCompact(at_limit).has_value());
  EXPECT_EQ(SplitCompact(at_limit + "c").error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace writ::internal
