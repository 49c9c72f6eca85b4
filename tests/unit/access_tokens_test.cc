#include "server/access_tokens.h"

#include <gtest/gtest.h>

#include "manual_clock.h"
#include "writ/signer.h"
#include "writ/unverified.h"

namespace writ::server {
namespace {

class AccessTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = Key::Generate(Alg::kEdDsa, "access-test");
    ASSERT_TRUE(key);
    config_.signing_key = *key;
    config_.verification_keys = {*key->PublicKey()};
    config_.issuer = "https://auth.test";
    config_.audience = "app";
    auto tokens = AccessTokens::Create(config_, revocations_, clock_);
    ASSERT_TRUE(tokens) << tokens.error().detail;
    tokens_.emplace(std::move(*tokens));
  }

  AccessTokenSubject Alice() const {
    AccessTokenSubject subject;
    subject.user_id = 7;
    subject.username = "alice";
    subject.roles = {"user", "admin"};
    subject.session_id = "session-1";
    return subject;
  }

  // A token with our key but claims chosen by the test (what an insider or a bug could make).
  std::string SignRaw(ClaimsBuilder claims, std::string typ = "at+jwt") {
    auto signer = Signer::Create(*config_.signing_key);
    SignOptions options;
    options.type = std::move(typ);
    return *signer->Sign(claims, options);
  }

  ClaimsBuilder ValidClaims() {
    ClaimsBuilder claims;
    claims.SetIssuer("https://auth.test").SetAudience("app").SetSubject("7")
        .SetIssuedAt(clock_->Now()).SetExpiresAt(clock_->Now() + std::chrono::minutes{15})
        .SetJwtId("jti-1").SetString("sid", "s").SetString("name", "alice")
        .SetStringList("roles", {"user"});
    return claims;
  }

  ServerConfig config_;
  std::shared_ptr<testing::ManualClock> clock_ = std::make_shared<testing::ManualClock>();
  std::shared_ptr<RevocationList> revocations_ = std::make_shared<RevocationList>(clock_);
  std::optional<AccessTokens> tokens_;
};

TEST_F(AccessTokensTest, IssuedTokenChecksWithAllClaims) {
  auto issued = tokens_->Issue(Alice());
  ASSERT_TRUE(issued);
  EXPECT_EQ(issued->expires_at, clock_->Now() + std::chrono::minutes{15});
  auto claims = tokens_->Check(issued->jwt);
  ASSERT_TRUE(claims) << claims.error().detail;
  EXPECT_EQ(claims->user_id, 7);
  EXPECT_EQ(claims->username, "alice");
  EXPECT_EQ(claims->roles, (std::vector<std::string>{"user", "admin"}));
  EXPECT_EQ(claims->session_id, "session-1");
  EXPECT_EQ(claims->jti, issued->jti);
}

TEST_F(AccessTokensTest, HeaderTypeIsAtJwt) {
  auto issued = tokens_->Issue(Alice());
  auto decoded = DecodeUnverified(issued->jwt);
  ASSERT_TRUE(decoded);
  EXPECT_NE(decoded->header_json.find("\"typ\":\"at+jwt\""), std::string::npos);
  EXPECT_NE(decoded->header_json.find("\"alg\":\"EdDSA\""), std::string::npos);
  EXPECT_NE(decoded->payload_json.find("\"sid\":\"session-1\""), std::string::npos);
}

TEST_F(AccessTokensTest, EachTokenHasItsOwnJti) {
  EXPECT_NE(tokens_->Issue(Alice())->jti, tokens_->Issue(Alice())->jti);
}

TEST_F(AccessTokensTest, TokenAtExpIsExpired) {
  auto issued = tokens_->Issue(Alice());
  clock_->Advance(std::chrono::minutes{15});
  auto claims = tokens_->Check(issued->jwt);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().code, ErrorCode::kExpired);
}

TEST_F(AccessTokensTest, DeniedJtiIsRefused) {
  auto issued = tokens_->Issue(Alice());
  revocations_->DenyToken(issued->jti, issued->expires_at);
  auto claims = tokens_->Check(issued->jwt);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().detail, "revoked");
}

TEST_F(AccessTokensTest, RevokedSessionRefusesAllItsTokens) {
  auto first = tokens_->Issue(Alice());
  auto second = tokens_->Issue(Alice());
  revocations_->RevokeSession("session-1", clock_->Now() + std::chrono::minutes{15});
  EXPECT_FALSE(tokens_->Check(first->jwt));
  EXPECT_FALSE(tokens_->Check(second->jwt));
}

// The verified-token cache must never outlive what it caches: exp, a logout, a reload.
TEST_F(AccessTokensTest, CachedTokenExpiresAtExp) {
  auto issued = tokens_->Issue(Alice());
  ASSERT_TRUE(tokens_->Check(issued->jwt));  // verified, now cached
  clock_->Advance(std::chrono::minutes{15} - std::chrono::seconds{1});
  EXPECT_TRUE(tokens_->Check(issued->jwt));
  clock_->Advance(std::chrono::seconds{1});
  auto claims = tokens_->Check(issued->jwt);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().code, ErrorCode::kExpired);
}

TEST_F(AccessTokensTest, CachedTokenIsRefusedOnceDenied) {
  auto issued = tokens_->Issue(Alice());
  ASSERT_TRUE(tokens_->Check(issued->jwt));
  revocations_->DenyToken(issued->jti, issued->expires_at);
  auto claims = tokens_->Check(issued->jwt);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().detail, "revoked");
}

TEST_F(AccessTokensTest, CachedTokenIsRefusedOnceItsSessionIsRevoked) {
  auto issued = tokens_->Issue(Alice());
  ASSERT_TRUE(tokens_->Check(issued->jwt));
  revocations_->RevokeSession("session-1", issued->expires_at);
  EXPECT_FALSE(tokens_->Check(issued->jwt));
}

TEST_F(AccessTokensTest, AttackTamperedCopyOfACachedTokenIsVerifiedAfresh) {
  // The cache is keyed by the whole token: a cached token with one changed signature
  // character is another key, and fails the signature check.
  auto issued = tokens_->Issue(Alice());
  ASSERT_TRUE(tokens_->Check(issued->jwt));
  std::string tampered = issued->jwt;
  tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
  auto claims = tokens_->Check(tampered);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().code, ErrorCode::kBadSignature);
}

TEST_F(AccessTokensTest, ReplacedKeysSignFromNowOnAndOldTokensStillVerify) {
  auto before = tokens_->Issue(Alice());
  auto next = Key::Generate(Alg::kEdDsa, "access-next");
  ASSERT_TRUE(next);
  ASSERT_TRUE(tokens_->ReplaceKeys(*next, {*next->PublicKey(), *config_.signing_key->PublicKey()}));
  auto after = tokens_->Issue(Alice());
  ASSERT_TRUE(after);
  EXPECT_NE(DecodeUnverified(after->jwt)->header_json.find("\"kid\":\"access-next\""),
            std::string::npos);
  EXPECT_TRUE(tokens_->Check(before->jwt));
  EXPECT_TRUE(tokens_->Check(after->jwt));
}

TEST_F(AccessTokensTest, AttackCachedTokenOfARemovedKeyIsRefusedAfterReload) {
  // A leaked key is removed from the set: tokens it signed must stop at once, even those
  // the cache already holds.
  auto leaked = tokens_->Issue(Alice());
  ASSERT_TRUE(tokens_->Check(leaked->jwt));
  auto fresh = Key::Generate(Alg::kEdDsa, "access-fresh");
  ASSERT_TRUE(tokens_->ReplaceKeys(*fresh, {*fresh->PublicKey()}));
  auto claims = tokens_->Check(leaked->jwt);
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().code, ErrorCode::kUnknownKid);
}

TEST_F(AccessTokensTest, ReplaceKeysRefusesAKeyThatCannotSign) {
  auto fresh = Key::Generate(Alg::kEdDsa, "access-fresh");
  EXPECT_FALSE(tokens_->ReplaceKeys(*fresh->PublicKey(), {*fresh->PublicKey()}));
  auto issued = tokens_->Issue(Alice());  // the old key still signs
  ASSERT_TRUE(issued);
  EXPECT_TRUE(tokens_->Check(issued->jwt));
}

TEST_F(AccessTokensTest, AttackOtherTypIsRefused) {
  // An ID token or any other JWT signed by the same key must not pass as an access token.
  auto claims = tokens_->Check(SignRaw(ValidClaims(), "JWT"));
  ASSERT_FALSE(claims);
  EXPECT_EQ(claims.error().code, ErrorCode::kTypeMismatch);
}

TEST_F(AccessTokensTest, AttackOtherAudienceIsRefused) {
  ClaimsBuilder claims = ValidClaims();
  claims.SetAudience("billing");
  auto checked = tokens_->Check(SignRaw(claims));
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::kAudienceMismatch);
}

TEST_F(AccessTokensTest, AttackForeignKeyIsRefused) {
  auto other = Key::Generate(Alg::kEdDsa, "access-test");
  auto signer = Signer::Create(*other);
  SignOptions options;
  options.type = "at+jwt";
  auto checked = tokens_->Check(*signer->Sign(ValidClaims(), options));
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::kBadSignature);
}

TEST_F(AccessTokensTest, MissingSessionClaimIsRefused) {
  ClaimsBuilder claims = ValidClaims();
  claims.Remove("sid");
  EXPECT_FALSE(tokens_->Check(SignRaw(claims)));
}

TEST_F(AccessTokensTest, NonNumericSubjectIsRefused) {
  ClaimsBuilder claims = ValidClaims();
  claims.SetSubject("7; DROP");
  auto checked = tokens_->Check(SignRaw(claims));
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, ErrorCode::kInvalidClaim);
}

TEST_F(AccessTokensTest, NoneAlgorithmIsRefused) {
  // {"alg":"none","typ":"at+jwt"} . valid claims . empty signature
  std::string token = "eyJhbGciOiJub25lIiwidHlwIjoiYXQrand0In0." +
                      std::string("eyJzdWIiOiI3In0") + ".";
  EXPECT_FALSE(tokens_->Check(token));
}

}  // namespace
}  // namespace writ::server
