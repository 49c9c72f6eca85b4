#include "writ/verified_jwt.h"

#include <gtest/gtest.h>

#include "writ/signer.h"
#include "writ/verifier.h"

namespace writ {
namespace {

constexpr Seconds kNow{std::chrono::seconds(1764000000)};

Result<VerifiedJwt> SignAndVerify(const ClaimsBuilder& claims) {
  auto key = *Key::Generate(Alg::kHs256, "k");
  auto token = Signer::Create(key)->Sign(claims, SignOptions{.type = "at+jwt"});
  auto verifier = Verifier::Create(*KeySet::Create({key}));
  auto validator = ValidatorBuilder().IgnoreAudience().SetClock(std::make_shared<FixedClock>(kNow)).Build();
  return verifier->Verify(*token, *validator);
}

TEST(VerifiedJwt, RegisteredClaimAccessors) {
  ClaimsBuilder claims;
  claims.SetIssuer("iss-1").SetSubject("sub-1").SetJwtId("jti-1").SetAudiences({"a", "b"});
  claims.SetIssuedAt(kNow).SetNotBefore(kNow).SetExpiresAt(kNow + std::chrono::seconds(60));
  auto token = SignAndVerify(claims);
  ASSERT_TRUE(token.has_value()) << token.error().detail;
  EXPECT_EQ(token->issuer(), "iss-1");
  EXPECT_EQ(token->subject(), "sub-1");
  EXPECT_EQ(token->jwt_id(), "jti-1");
  EXPECT_EQ(token->audiences(), (std::vector<std::string_view>{"a", "b"}));
  EXPECT_EQ(token->issued_at(), kNow);
  EXPECT_EQ(token->not_before(), kNow);
  EXPECT_EQ(token->expires_at(), kNow + std::chrono::seconds(60));
  EXPECT_EQ(token->type(), "at+jwt");
  EXPECT_EQ(token->kid(), "k");
}

TEST(VerifiedJwt, SingleStringAudienceIsAOneElementList) {
  ClaimsBuilder claims;
  claims.SetAudience("api").SetExpiresAt(kNow + std::chrono::seconds(60));
  auto token = SignAndVerify(claims);
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->audiences(), (std::vector<std::string_view>{"api"}));
}

TEST(VerifiedJwt, CustomClaimsByType) {
  ClaimsBuilder claims;
  claims.SetExpiresAt(kNow + std::chrono::seconds(60)).SetString("scope", "read").SetInteger("n", -7);
  claims.SetBool("admin", true).SetStringList("roles", {"user", "admin"});
  ASSERT_TRUE(claims.SetJson("ratio", "0.25").has_value());
  ASSERT_TRUE(claims.SetJson("obj", R"({"a": [1, 2]})").has_value());
  auto token = SignAndVerify(claims);
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->StringClaim("scope"), "read");
  EXPECT_EQ(token->IntegerClaim("n"), -7);
  EXPECT_EQ(token->BoolClaim("admin"), true);
  EXPECT_EQ(token->NumberClaim("ratio"), 0.25);
  EXPECT_EQ(token->StringListClaim("roles"), (std::vector<std::string_view>{"user", "admin"}));
  EXPECT_EQ(token->JsonClaim("obj"), R"({"a":[1,2]})");
  EXPECT_TRUE(token->HasClaim("admin"));
  EXPECT_FALSE(token->HasClaim("missing"));
}

TEST(VerifiedJwt, WrongTypeAccessorsReturnNothing) {
  ClaimsBuilder claims;
  claims.SetExpiresAt(kNow + std::chrono::seconds(60)).SetString("scope", "read").SetStringList("mixed", {"a"});
  ASSERT_TRUE(claims.SetJson("mixed", R"(["a", 1])").has_value());
  auto token = SignAndVerify(claims);
  ASSERT_TRUE(token.has_value());
  EXPECT_FALSE(token->IntegerClaim("scope").has_value());
  EXPECT_FALSE(token->BoolClaim("scope").has_value());
  EXPECT_FALSE(token->StringListClaim("mixed").has_value());
  EXPECT_FALSE(token->StringClaim("missing").has_value());
}

TEST(VerifiedJwt, PayloadIsExactlyWhatWasSigned) {
  ClaimsBuilder claims;
  claims.SetSubject("s").SetExpiresAt(kNow + std::chrono::seconds(60));
  auto token = SignAndVerify(claims);
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->payload_json(), claims.Build());
}

}  // namespace
}  // namespace writ
