#include "writ/claims_builder.h"

#include <gtest/gtest.h>

namespace writ {
namespace {

TEST(ClaimsBuilder, BuildsMembersInOrder) {
  ClaimsBuilder claims;
  claims.SetIssuer("https://auth.example.com").SetSubject("u1").SetInteger("exp", 42).SetBool("admin", false);
  EXPECT_EQ(claims.Build(), R"({"iss":"https://auth.example.com","sub":"u1","exp":42,"admin":false})");
}

TEST(ClaimsBuilder, SettingAnExistingNameReplacesIt) {
  ClaimsBuilder claims;
  claims.SetSubject("a").SetSubject("b");
  EXPECT_EQ(claims.Build(), R"({"sub":"b"})");
}

TEST(ClaimsBuilder, EscapesStrings) {
  ClaimsBuilder claims;
  claims.SetString("name", "quote\" backslash\\ newline\n nul\x01");
  EXPECT_EQ(claims.Build(), R"({"name":"quote\" backslash\\ newline\n nul\u0001"})");
}

TEST(ClaimsBuilder, FromJsonKeepsValuesAndRefusesDuplicates) {
  auto claims = ClaimsBuilder::FromJson(R"({"roles":["a","b"],"n":1.5,"nested":{"x":null}})");
  ASSERT_TRUE(claims.has_value());
  EXPECT_EQ(claims->Build(), R"({"roles":["a","b"],"n":1.5,"nested":{"x":null}})");
  EXPECT_EQ(ClaimsBuilder::FromJson(R"({"a":1,"a":2})").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(ClaimsBuilder::FromJson(R"(["a"])").error().code, ErrorCode::kMalformed);
}

TEST(ClaimsBuilder, SetJsonChecksTheValue) {
  ClaimsBuilder claims;
  EXPECT_TRUE(claims.SetJson("ok", R"({"x":[1,2]})").has_value());
  EXPECT_FALSE(claims.SetJson("bad", R"({"x":1,"x":2})").has_value());
  EXPECT_FALSE(claims.SetJson("bad", "[1,]").has_value());
  EXPECT_FALSE(claims.Has("bad"));
}

TEST(ClaimsBuilder, AudiencesBecomeAnArray) {
  ClaimsBuilder claims;
  claims.SetAudiences({"api", "web"});
  EXPECT_EQ(claims.Build(), R"({"aud":["api","web"]})");
}

TEST(ClaimsBuilder, RemoveDropsTheMember) {
  ClaimsBuilder claims;
  claims.SetSubject("a").SetJwtId("j");
  claims.Remove("sub");
  EXPECT_FALSE(claims.Has("sub"));
  EXPECT_EQ(claims.Build(), R"({"jti":"j"})");
}

}  // namespace
}  // namespace writ
