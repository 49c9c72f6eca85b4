#include "server/token_keys.h"

#include <gtest/gtest.h>

#include "keys/signing_key_set.h"

namespace writ::server {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Seconds kNow{seconds{1'800'000'000}};

std::string Text(const SecretBytes& secret) {
  auto bytes = secret.expose_secret();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

SecretBytes Secret(std::string_view text) {
  return SecretBytes(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

SecretBytes Document(const keys::SigningKeySet& set) { return set.Serialize().value(); }

keys::SigningKeySet NewSet(std::string_view environment, Alg alg = Alg::kEdDsa) {
  return keys::SigningKeySet::Create(alg, environment, kNow - hours(2)).value();
}

TokenKeyRules Rules(Environment environment) {
  return TokenKeyRules{.environment = environment,
                       .access_ttl = minutes(15),
                       .jwks_max_age = minutes(10),
                       .now = kNow};
}

TEST(TokenKeys, ActiveSignsAndActiveNextRetiredVerifyAndArePublished) {
  auto set = NewSet("production");
  const std::string first_active = set.active().key.kid();
  ASSERT_TRUE(set.Rotate(kNow - minutes(5)));  // the first active key is retired 5 min ago
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(set), "tokens.signing_keys",
                            Rules(Environment::kProduction), warnings);
  ASSERT_TRUE(keys) << keys.error().detail;
  EXPECT_EQ(keys->signing_key.kid(), set.active().key.kid());
  EXPECT_TRUE(keys->signing_key.can_sign());
  ASSERT_EQ(keys->verification_keys.size(), 3u);
  ASSERT_EQ(keys->published.size(), 3u);
  for (const PublishedKey& published : keys->published) {
    EXPECT_FALSE(published.public_key.can_sign()) << "a private key in the JWKS";
    EXPECT_EQ(published.retired.has_value(), published.public_key.kid() == first_active);
  }
  EXPECT_EQ(keys->jwks_max_age, minutes(10));
  EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(TokenKeys, JwksMaxAgeNeverExceedsThePrepublishTime) {
  auto set = keys::SigningKeySet::Create(Alg::kEdDsa, "production", kNow, minutes(5)).value();
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(set), "k", Rules(Environment::kProduction), warnings);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->jwks_max_age, minutes(5));
}

TEST(TokenKeys, RetiredKeyLeavesOnceItsTokensHaveExpired) {
  auto set = NewSet("production");
  const std::string old_kid = set.active().key.kid();
  ASSERT_TRUE(set.Rotate(kNow - minutes(15)));  // retired exactly one access_ttl ago
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(set), "k", Rules(Environment::kProduction), warnings);
  ASSERT_TRUE(keys);
  EXPECT_EQ(keys->verification_keys.size(), 2u);
  for (const Key& key : keys->verification_keys) {
    EXPECT_NE(key.kid(), old_kid);
  }
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("writ keys retire"), std::string::npos);
}

TEST(TokenKeys, AttackStagingKeysAreRefusedInProduction) {
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(NewSet("staging")), "tokens.signing_keys",
                            Rules(Environment::kProduction), warnings);
  ASSERT_FALSE(keys);
  EXPECT_EQ(keys.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(keys.error().detail.find("belongs to staging, not production"), std::string::npos)
      << keys.error().detail;
}

TEST(TokenKeys, AttackProductionKeysAreRefusedInStaging) {
  // Production keys copied to staging would let staging mint production-valid tokens.
  std::vector<std::string> warnings;
  EXPECT_FALSE(LoadTokenKeys(Document(NewSet("production")), "k", Rules(Environment::kStaging),
                             warnings));
}

TEST(TokenKeys, AttackDevModeKeyIsRefusedInProduction) {
  auto dev_key = Key::Generate(Alg::kEdDsa, "dev-0123456789abcdef").value();
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(dev_key.ToPrivateJwk().value(), "k", Rules(Environment::kProduction),
                            warnings);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().detail.find("made by --dev"), std::string::npos) << keys.error().detail;
}

TEST(TokenKeys, AttackARetiredKeyOfAnotherEnvironmentIsRefusedToo) {
  // Not only the active key: a staging key slipped into the set behind the active one
  // would verify staging tokens in production.
  auto active = Key::Generate(Alg::kEdDsa, "production-20261129-0a1b2c3d").value();
  auto staging = Key::Generate(Alg::kEdDsa, "staging-20261129-0a1b2c3d").value();
  const std::string set = "{\"keys\":[" + Text(active.ToPrivateJwk().value()) + "," +
                          Text(staging.ToPrivateJwk().value()) + "]}";
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Secret(set), "k", Rules(Environment::kProduction), warnings);
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().detail.find("staging-20261129-0a1b2c3d"), std::string::npos);
}

TEST(TokenKeys, OtherEnvironmentKeysAreOnlyAWarningInDevelopment) {
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(NewSet("staging")), "k", Rules(Environment::kDevelopment),
                            warnings);
  ASSERT_TRUE(keys);
  EXPECT_FALSE(warnings.empty());
}

TEST(TokenKeys, KeyWithoutNextIsWarnedAndGetsAShortJwksMaxAge) {
  auto key = Key::Generate(Alg::kEdDsa, "production-20261129-0a1b2c3d").value();
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(key.ToPrivateJwk().value(), "tokens.signing_keys",
                            Rules(Environment::kProduction), warnings);
  ASSERT_TRUE(keys) << keys.error().detail;
  EXPECT_EQ(keys->jwks_max_age, kJwksMaxAgeWithoutNextKey);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no next key"), std::string::npos);
}

TEST(TokenKeys, KidWithoutEnvironmentIsWarnedInProduction) {
  auto key = Key::Generate(Alg::kEdDsa, "signing-1").value();
  std::vector<std::string> warnings;
  ASSERT_TRUE(LoadTokenKeys(key.ToPrivateJwk().value(), "k", Rules(Environment::kProduction),
                            warnings));
  bool named = false;
  for (const std::string& warning : warnings) {
    named = named || warning.find("does not name its environment") != std::string::npos;
  }
  EXPECT_TRUE(named);
}

TEST(TokenKeys, HmacKeysVerifyButAreNeverPublished) {
  auto set = NewSet("production", Alg::kHs256);
  std::vector<std::string> warnings;
  auto keys = LoadTokenKeys(Document(set), "k", Rules(Environment::kProduction), warnings);
  ASSERT_TRUE(keys) << keys.error().detail;
  EXPECT_EQ(keys->verification_keys.size(), 2u);
  EXPECT_TRUE(keys->published.empty());
  bool warned = false;
  for (const std::string& warning : warnings) {
    warned = warned || warning.find("prefer EdDSA") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

TEST(TokenKeys, KidEnvironmentNeedsTheDash) {
  EXPECT_EQ(KidEnvironment("production-20261129-0a1b2c3d"), Environment::kProduction);
  EXPECT_EQ(KidEnvironment("staging-x"), Environment::kStaging);
  EXPECT_EQ(KidEnvironment("dev-0011"), Environment::kDevelopment);
  EXPECT_EQ(KidEnvironment("productionkey"), std::nullopt);
  EXPECT_EQ(KidEnvironment("devops-1"), std::nullopt);
}

}  // namespace
}  // namespace writ::server
