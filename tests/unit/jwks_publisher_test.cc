#include "server/jwks_publisher.h"

#include <gtest/gtest.h>

#include "writ/key_set.h"

namespace writ::server {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const Seconds kNow{seconds{1'800'000'000}};

PublishedKey Public(std::string kid, std::optional<Seconds> retired = std::nullopt) {
  return PublishedKey{Key::Generate(Alg::kEdDsa, std::move(kid)).value().PublicKey().value(),
                      retired};
}

TEST(JwksPublisher, DocumentIsAJwkSetOfThePublicKeys) {
  auto publisher = JwksPublisher::Create({Public("a"), Public("b")}, minutes(10), minutes(15));
  ASSERT_TRUE(publisher);
  const JwksDocument document = (*publisher)->Current(kNow);
  auto set = KeySet::FromJwks(document.json);
  ASSERT_TRUE(set) << set.error().detail;
  ASSERT_EQ(set->size(), 2u);
  EXPECT_NE(set->FindByKid("a"), nullptr);
  EXPECT_FALSE(set->FindByKid("a")->can_sign());
  EXPECT_EQ(document.json.find("\"d\""), std::string::npos) << "private member published";
  EXPECT_EQ(document.max_age, minutes(10));
}

TEST(JwksPublisher, RetiredKeyStaysUntilItsLastTokenExpires) {
  auto publisher =
      JwksPublisher::Create({Public("active"), Public("old", kNow)}, minutes(10), minutes(15));
  ASSERT_TRUE(publisher);
  EXPECT_NE((*publisher)->Current(kNow + minutes(15) - seconds(1)).json.find("\"old\""),
            std::string::npos);
  const std::string after = (*publisher)->Current(kNow + minutes(15)).json;
  EXPECT_EQ(after.find("\"old\""), std::string::npos);
  EXPECT_NE(after.find("\"active\""), std::string::npos);
}

TEST(JwksPublisher, EtagFollowsTheDocument) {
  auto publisher = JwksPublisher::Create({Public("a")}, minutes(10), minutes(15));
  ASSERT_TRUE(publisher);
  const JwksDocument before = (*publisher)->Current(kNow);
  EXPECT_EQ(before.etag, (*publisher)->Current(kNow).etag);
  EXPECT_EQ(before.etag.front(), '"');
  ASSERT_TRUE((*publisher)->Replace({Public("a2"), Public("b")}, minutes(5)));
  const JwksDocument after = (*publisher)->Current(kNow);
  EXPECT_NE(before.etag, after.etag);
  EXPECT_EQ(after.max_age, minutes(5));
}

TEST(JwksPublisher, AttackPrivateKeyIsPublishedOnlyAsItsPublicHalf) {
  // Even if a caller hands over a private key, only public members are written.
  auto key = Key::Generate(Alg::kEdDsa, "p").value();
  auto publisher = JwksPublisher::Create({PublishedKey{key, std::nullopt}}, minutes(1), minutes(1));
  ASSERT_TRUE(publisher);
  EXPECT_EQ((*publisher)->Current(kNow).json.find("\"d\""), std::string::npos);
}

}  // namespace
}  // namespace writ::server
