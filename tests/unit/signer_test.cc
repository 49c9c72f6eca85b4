#include "writ/signer.h"

#include <gtest/gtest.h>

#include "writ/unverified.h"
#include "writ/verifier.h"

namespace writ {
namespace {

constexpr Seconds kNow{std::chrono::seconds(1764000000)};

ClaimsBuilder ValidClaims() {
  ClaimsBuilder claims;
  claims.SetSubject("user-1").SetIssuedAt(kNow).SetExpiresAt(kNow + std::chrono::minutes(15));
  return claims;
}

TEST(Signer, PublicKeyCannotSign) {
  auto key = Key::Generate(Alg::kEs256, "k");
  EXPECT_EQ(Signer::Create(*key->PublicKey()).error().code, ErrorCode::kInvalidKey);
}

TEST(Signer, HeaderCarriesAlgTypAndKidFromTheKey) {
  auto signer = Signer::Create(*Key::Generate(Alg::kEdDsa, "key-7"));
  auto token = signer->Sign(ValidClaims(), SignOptions{.type = "at+jwt"});
  ASSERT_TRUE(token.has_value());
  auto decoded = DecodeUnverified(*token);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->header_json, R"({"alg":"EdDSA","typ":"at+jwt","kid":"key-7"})");
}

TEST(Signer, TokenWithoutExpIsRefusedByDefault) {
  auto signer = Signer::Create(*Key::Generate(Alg::kHs256, "k"));
  ClaimsBuilder claims;
  claims.SetSubject("user-1");
  EXPECT_EQ(signer->Sign(claims).error().code, ErrorCode::kMissingClaim);
  EXPECT_TRUE(signer->Sign(claims, SignOptions{.allow_missing_expiration = true}).has_value());
}

TEST(Signer, EveryAlgorithmRoundTripsThroughTheVerifier) {
  for (Alg alg : {Alg::kHs256, Alg::kHs384, Alg::kHs512, Alg::kRs256, Alg::kRs384, Alg::kRs512,
                  Alg::kPs256, Alg::kPs384, Alg::kPs512, Alg::kEs256, Alg::kEs384, Alg::kEs512,
                  Alg::kEdDsa}) {
    auto key = Key::Generate(alg, "k");
    ASSERT_TRUE(key.has_value());
    auto token = Signer::Create(*key)->Sign(ValidClaims());
    ASSERT_TRUE(token.has_value()) << AlgName(alg);
    Key verification_key = IsSymmetric(alg) ? *key : *key->PublicKey();
    auto verifier = Verifier::Create(*KeySet::Create({verification_key}));
    auto validator = ValidatorBuilder().SetClock(std::make_shared<FixedClock>(kNow)).Build();
    auto verified = verifier->Verify(*token, *validator);
    ASSERT_TRUE(verified.has_value()) << AlgName(alg) << ": " << verified.error().detail;
    EXPECT_EQ(verified->subject(), "user-1");
    EXPECT_EQ(verified->alg(), alg);
  }
}

TEST(Signer, OversizedClaimsAreRefused) {
  auto signer = Signer::Create(*Key::Generate(Alg::kHs256, "k"));
  ClaimsBuilder claims = ValidClaims();
  claims.SetString("blob", std::string(kMaxTokenBytes, 'a'));
  EXPECT_EQ(signer->Sign(claims).error().code, ErrorCode::kTooLarge);
}

}  // namespace
}  // namespace writ
