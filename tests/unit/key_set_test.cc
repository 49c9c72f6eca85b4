#include "writ/key_set.h"

#include <gtest/gtest.h>

namespace writ {
namespace {

Key Make(Alg alg, const std::string& kid) { return *Key::Generate(alg, kid); }

TEST(KeySet, DuplicateKidsAreRefused) {
  auto set = KeySet::Create({Make(Alg::kEs256, "same"), Make(Alg::kEdDsa, "same")});
  ASSERT_FALSE(set.has_value());
  EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
}

TEST(KeySet, MoreThanTheMaximumIsRefused) {
  std::vector<Key> keys;
  for (std::size_t i = 0; i <= KeySet::kMaxKeys; ++i) {
    keys.push_back(Make(Alg::kHs256, "k" + std::to_string(i)));
  }
  EXPECT_EQ(KeySet::Create(keys).error().code, ErrorCode::kTooLarge);
  keys.pop_back();
  EXPECT_TRUE(KeySet::Create(keys).has_value());
}

TEST(KeySet, SelectByKidReturnsThatKey) {
  auto set = KeySet::Create({Make(Alg::kEs256, "a"), Make(Alg::kEs256, "b")});
  auto key = set->Select(std::string_view("b"), Alg::kEs256);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ((*key)->kid(), "b");
}

TEST(KeySet, SelectByUnknownKidIsRefused) {
  auto set = KeySet::Create({Make(Alg::kEs256, "a")});
  EXPECT_EQ(set->Select(std::string_view("z"), Alg::kEs256).error().code, ErrorCode::kUnknownKid);
}

TEST(KeySet, SelectWithKidButOtherAlgIsAlgMismatch) {
  auto set = KeySet::Create({Make(Alg::kRs256, "rsa")});
  EXPECT_EQ(set->Select(std::string_view("rsa"), Alg::kHs256).error().code, ErrorCode::kAlgMismatch);
  EXPECT_EQ(set->Select(std::string_view("rsa"), Alg::kPs256).error().code, ErrorCode::kAlgMismatch);
}

TEST(KeySet, SelectWithoutKidNeedsExactlyOneKeyOfTheAlg) {
  auto one = KeySet::Create({Make(Alg::kEs256, "a"), Make(Alg::kEdDsa, "b")});
  ASSERT_TRUE(one->Select(std::nullopt, Alg::kEdDsa).has_value());
  auto two = KeySet::Create({Make(Alg::kEs256, "a"), Make(Alg::kEs256, "b")});
  EXPECT_EQ(two->Select(std::nullopt, Alg::kEs256).error().code, ErrorCode::kAmbiguousKey);
  EXPECT_EQ(one->Select(std::nullopt, Alg::kHs256).error().code, ErrorCode::kAlgMismatch);
}

TEST(KeySet, PublicJwksLeavesOutHmacKeysAndPrivateMembers) {
  auto set = KeySet::Create({Make(Alg::kHs256, "secret"), Make(Alg::kEs256, "ec"), Make(Alg::kRs256, "rsa")});
  const std::string jwks = set->ToPublicJwks();
  EXPECT_EQ(jwks.find("\"secret\""), std::string::npos);
  EXPECT_EQ(jwks.find("\"d\""), std::string::npos);
  EXPECT_EQ(jwks.find("\"k\""), std::string::npos);
  auto reloaded = KeySet::FromJwks(jwks);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().detail;
  EXPECT_EQ(reloaded->size(), 2u);
  EXPECT_NE(reloaded->FindByKid("ec"), nullptr);
  EXPECT_FALSE(reloaded->FindByKid("ec")->can_sign());
}

TEST(KeySet, JwksWithoutKeysArrayIsMalformed) {
  EXPECT_EQ(KeySet::FromJwks(R"({"keys":{}})").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(KeySet::FromJwks(R"({})").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(KeySet::FromJwks(R"({"keys":[1]})").error().code, ErrorCode::kMalformed);
}

TEST(KeySet, OneBadKeyRefusesTheWholeSet) {
  auto set = KeySet::Create({Make(Alg::kEs256, "good")});
  std::string jwks = set->ToPublicJwks();
  jwks.insert(jwks.find('[') + 1, R"({"kty":"RSA","n":"AQAB","e":"AQAB"},)");
  auto loaded = KeySet::FromJwks(jwks);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("member 0"), std::string::npos);
}

TEST(KeySet, EmptyKeysArrayGivesAnEmptySet) {
  auto set = KeySet::FromJwks(R"({"keys":[]})");
  ASSERT_TRUE(set.has_value());
  EXPECT_EQ(set->size(), 0u);
}

}  // namespace
}  // namespace writ
