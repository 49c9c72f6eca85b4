#include "writ/key.h"

#include <gtest/gtest.h>

#include "core/base64url.h"

namespace writ {
namespace {

constexpr Alg kAllAlgs[] = {Alg::kHs256, Alg::kHs384, Alg::kHs512, Alg::kRs256, Alg::kPs256,
                            Alg::kEs256, Alg::kEs384, Alg::kEs512, Alg::kEdDsa};

std::string AsString(const SecretBytes& secret) {
  return {reinterpret_cast<const char*>(secret.expose_secret().data()), secret.size()};
}

TEST(Key, GenerateBindsTheAlgorithmAndCanSign) {
  for (Alg alg : kAllAlgs) {
    auto key = Key::Generate(alg, "k1");
    ASSERT_TRUE(key.has_value()) << AlgName(alg);
    EXPECT_EQ(key->alg(), alg);
    EXPECT_EQ(key->kid(), "k1");
    EXPECT_TRUE(key->can_sign());
  }
}

TEST(Key, GenerateWithoutKidUsesTheThumbprintForAsymmetricKeys) {
  auto key = Key::Generate(Alg::kEs256);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->kid(), key->Thumbprint());
  EXPECT_EQ(key->kid().size(), 43u);  // base64url of a SHA-256 digest
}

TEST(Key, GenerateWithoutKidGivesHmacKeysARandomIdNotAHashOfTheSecret) {
  auto key = Key::Generate(Alg::kHs256);
  ASSERT_TRUE(key.has_value());
  EXPECT_FALSE(key->kid().empty());
  EXPECT_NE(key->kid(), key->Thumbprint());
}

TEST(Key, PrivateJwkRoundTripsForEveryAlgorithm) {
  for (Alg alg : kAllAlgs) {
    auto key = Key::Generate(alg, "round-trip");
    ASSERT_TRUE(key.has_value());
    auto jwk = key->ToPrivateJwk();
    ASSERT_TRUE(jwk.has_value());
    auto reloaded = Key::FromJwk(AsString(*jwk));
    ASSERT_TRUE(reloaded.has_value()) << AlgName(alg) << ": " << reloaded.error().detail;
    EXPECT_EQ(reloaded->alg(), alg);
    EXPECT_EQ(reloaded->kid(), "round-trip");
    EXPECT_TRUE(reloaded->can_sign());
    EXPECT_EQ(reloaded->Thumbprint(), key->Thumbprint());
  }
}

TEST(Key, PublicJwkHasNoPrivateMembers) {
  for (Alg alg : {Alg::kRs256, Alg::kEs256, Alg::kEdDsa}) {
    auto key = Key::Generate(alg, "pub");
    ASSERT_TRUE(key.has_value());
    auto jwk = key->ToPublicJwk();
    ASSERT_TRUE(jwk.has_value());
    for (const char* member : {"\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "\"k\""}) {
      EXPECT_EQ(jwk->find(member), std::string::npos) << AlgName(alg) << " leaks " << member;
    }
    auto reloaded = Key::FromJwk(*jwk);
    ASSERT_TRUE(reloaded.has_value());
    EXPECT_FALSE(reloaded->can_sign());
  }
}

TEST(Key, HmacKeysHaveNoPublicForm) {
  auto key = Key::Generate(Alg::kHs256, "h");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->ToPublicJwk().error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(key->PublicKey().error().code, ErrorCode::kInvalidKey);
}

TEST(Key, PublicKeyCannotExportPrivateJwk) {
  auto key = Key::Generate(Alg::kEdDsa, "e");
  auto public_key = key->PublicKey();
  ASSERT_TRUE(public_key.has_value());
  EXPECT_FALSE(public_key->can_sign());
  EXPECT_EQ(public_key->kid(), "e");
  EXPECT_EQ(public_key->ToPrivateJwk().error().code, ErrorCode::kInvalidKey);
}

TEST(Key, HmacSecretAtHashLengthIsAccepted) {
  EXPECT_TRUE(Key::FromHmacSecret(Alg::kHs256, SecretBytes::Random(32), "a").has_value());
  EXPECT_TRUE(Key::FromHmacSecret(Alg::kHs384, SecretBytes::Random(48), "a").has_value());
  EXPECT_TRUE(Key::FromHmacSecret(Alg::kHs512, SecretBytes::Random(64), "a").has_value());
}

TEST(Key, HmacSecretOneByteShortIsWeak) {
  EXPECT_EQ(Key::FromHmacSecret(Alg::kHs256, SecretBytes::Random(31), "a").error().code, ErrorCode::kWeakKey);
  EXPECT_EQ(Key::FromHmacSecret(Alg::kHs384, SecretBytes::Random(47), "a").error().code, ErrorCode::kWeakKey);
  EXPECT_EQ(Key::FromHmacSecret(Alg::kHs512, SecretBytes::Random(63), "a").error().code, ErrorCode::kWeakKey);
}

TEST(Key, HmacSecretRequiresAnHmacAlgorithm) {
  EXPECT_FALSE(Key::FromHmacSecret(Alg::kRs256, SecretBytes::Random(64), "a").has_value());
}

TEST(Key, OctJwkWithoutAlgIsRefused) {
  const std::string k = internal::Base64UrlEncode(std::string(32, 'x'));
  auto key = Key::FromJwk(R"({"kty":"oct","k":")" + k + R"("})");
  ASSERT_FALSE(key.has_value());
  EXPECT_EQ(key.error().code, ErrorCode::kInvalidKey);
}

TEST(Key, OctJwkWithAsymmetricAlgIsRefused) {
  const std::string k = internal::Base64UrlEncode(std::string(32, 'x'));
  EXPECT_EQ(Key::FromJwk(R"({"kty":"oct","alg":"RS256","k":")" + k + R"("})").error().code,
            ErrorCode::kInvalidKey);
}

TEST(Key, JwkWithAlgNoneIsRefused) {
  const std::string k = internal::Base64UrlEncode(std::string(32, 'x'));
  EXPECT_EQ(Key::FromJwk(R"({"kty":"oct","alg":"none","k":")" + k + R"("})").error().code,
            ErrorCode::kUnsupportedAlg);
}

TEST(Key, JwkForEncryptionIsRefused) {
  auto key = Key::Generate(Alg::kEs256, "enc");
  std::string jwk = *key->ToPublicJwk();
  jwk.replace(jwk.find("\"use\":\"sig\""), 11, "\"use\":\"enc\"");
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kInvalidKey);
}

TEST(Key, JwkKeyOpsWithoutSignOrVerifyIsRefused) {
  auto key = Key::Generate(Alg::kEs256, "ops");
  std::string jwk = *key->ToPublicJwk();
  jwk.insert(1, R"("key_ops":["encrypt"],)");
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kInvalidKey);
  std::string verify_jwk = *key->ToPublicJwk();
  verify_jwk.insert(1, R"("key_ops":["verify"],)");
  EXPECT_TRUE(Key::FromJwk(verify_jwk).has_value());
}

TEST(Key, EcJwkWithoutAlgTakesItFromTheCurve) {
  auto key = Key::Generate(Alg::kEs384, "c");
  std::string jwk = *key->ToPublicJwk();
  jwk.replace(jwk.find(",\"alg\":\"ES384\""), 14, "");
  auto reloaded = Key::FromJwk(jwk);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().detail;
  EXPECT_EQ(reloaded->alg(), Alg::kEs384);
}

TEST(Key, EcJwkWhoseAlgContradictsTheCurveIsRefused) {
  auto key = Key::Generate(Alg::kEs256, "c");
  std::string jwk = *key->ToPublicJwk();
  jwk.replace(jwk.find("ES256"), 5, "ES384");
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kInvalidKey);
}

TEST(Key, RsaJwkWithoutAlgIsRefused) {
  auto key = Key::Generate(Alg::kRs256, "r");
  std::string jwk = *key->ToPublicJwk();
  jwk.replace(jwk.find(",\"alg\":\"RS256\""), 14, "");
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kInvalidKey);
}

TEST(Key, JwkWithDuplicateMembersIsMalformed) {
  auto key = Key::Generate(Alg::kEdDsa, "d");
  std::string jwk = *key->ToPublicJwk();
  jwk.insert(1, R"("kty":"OKP",)");
  EXPECT_EQ(Key::FromJwk(jwk).error().code, ErrorCode::kMalformed);
}

TEST(Key, Ed25519JwkWhosePublicKeyDoesNotMatchTheSeedIsRefused) {
  auto a = Key::Generate(Alg::kEdDsa, "a");
  auto b = Key::Generate(Alg::kEdDsa, "b");
  std::string private_a(reinterpret_cast<const char*>(a->ToPrivateJwk()->expose_secret().data()),
                        a->ToPrivateJwk()->size());
  const std::string public_b = *b->ToPublicJwk();
  const auto x_of = [](const std::string& jwk) {
    const auto start = jwk.find("\"x\":\"") + 5;
    return jwk.substr(start, jwk.find('"', start) - start);
  };
  const std::string x_a = x_of(private_a);
  private_a.replace(private_a.find(x_a), x_a.size(), x_of(public_b));
  EXPECT_EQ(Key::FromJwk(private_a).error().code, ErrorCode::kInvalidKey);
}

TEST(Key, KidLongerThanTheLimitIsRefused) {
  EXPECT_EQ(Key::Generate(Alg::kEdDsa, std::string(257, 'k')).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Key::Generate(Alg::kEdDsa, std::string(256, 'k')).has_value());
}

TEST(Key, NotAnObjectIsMalformed) {
  EXPECT_EQ(Key::FromJwk("[]").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(Key::FromJwk("").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(Key::FromJwk(R"({"kty":"EC"} trailing)").error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace writ
