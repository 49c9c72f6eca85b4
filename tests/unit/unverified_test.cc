#include "writ/unverified.h"

#include <gtest/gtest.h>

#include "core/base64url.h"

namespace writ {
namespace {

using internal::Base64UrlEncode;

TEST(DecodeUnverified, DecodesAllThreeParts) {
  const std::string token = Base64UrlEncode(R"({"alg":"HS256"})") + "." + Base64UrlEncode(R"({"sub":"x"})") +
                            "." + Base64UrlEncode(std::string("\x01\x02", 2));
  auto decoded = DecodeUnverified(token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->header_json, R"({"alg":"HS256"})");
  EXPECT_EQ(decoded->payload_json, R"({"sub":"x"})");
  EXPECT_TRUE(decoded->payload_is_json);
  EXPECT_EQ(decoded->signature, std::string("\x01\x02", 2));
  EXPECT_EQ(decoded->signing_input, token.substr(0, token.rfind('.')));
}

TEST(DecodeUnverified, NonJsonPayloadIsFlaggedNotRefused) {
  const std::string token = Base64UrlEncode(R"({"alg":"HS256"})") + "." + Base64UrlEncode("hello") + ".";
  auto decoded = DecodeUnverified(token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_FALSE(decoded->payload_is_json);
}

TEST(DecodeUnverified, MalformedShapesAreRefused) {
  EXPECT_EQ(DecodeUnverified("a.b").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(DecodeUnverified("a.b.c.d").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(DecodeUnverified(Base64UrlEncode("[]") + ".e30.").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(DecodeUnverified("e30=.e30.").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(DecodeUnverified(std::string(9000, 'a')).error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace writ
