// SigningKeySet (keys/signing_key_set.h): create, serialize and parse, rotate, remove.
// The attacks on Parse are in signing_key_set_attack_test.cc.
#include "signing_key_set_test_util.h"

namespace writ::keys {
namespace {

using namespace signing_key_set_test;  // NOLINT(google-build-using-namespace): test helpers
using std::chrono::seconds;

// --- Create ----------------------------------------------------------------------------

TEST(SigningKeySet, CreateMakesAnActiveAndANextKey) {
  SigningKeySet set = MakeSet();
  ASSERT_EQ(set.keys().size(), 2u);
  // "production-20270115-" and 8 lower-case hex digits (no <regex>: g++ 12 warns inside it
  // under ASan at -O1, and warnings are errors).
  const auto kid_shape = [](const std::string& kid) {
    constexpr std::string_view kPrefix = "production-20270115-";
    if (kid.size() != kPrefix.size() + 8 || !kid.starts_with(kPrefix)) {
      return false;
    }
    return kid.find_first_not_of("0123456789abcdef", kPrefix.size()) == std::string::npos;
  };
  EXPECT_TRUE(kid_shape(set.active().key.kid())) << set.active().key.kid();
  ASSERT_NE(set.next(), nullptr);
  EXPECT_TRUE(kid_shape(set.next()->key.kid())) << set.next()->key.kid();
  EXPECT_NE(set.active().key.kid(), set.next()->key.kid());
  EXPECT_EQ(set.active().state, KeyState::kActive);
  EXPECT_EQ(set.active().created, kT0);
  EXPECT_EQ(set.active().activated, kT0);
  EXPECT_EQ(set.next()->state, KeyState::kNext);
  EXPECT_EQ(set.next()->created, kT0);
  EXPECT_FALSE(set.next()->activated.has_value());
  EXPECT_EQ(set.active().key.alg(), Alg::kEdDsa);
  EXPECT_EQ(set.next()->key.alg(), Alg::kEdDsa);
  EXPECT_TRUE(set.active().key.can_sign());
  EXPECT_EQ(set.environment(), "production");
  EXPECT_EQ(set.prepublish(), kDefaultPrepublish);
}

TEST(SigningKeySet, CreateRefusesAnUnknownEnvironment) {
  for (const char* environment : {"prod", "Production", "", "production-x", "test"}) {
    auto set = SigningKeySet::Create(Alg::kEdDsa, environment, kT0);
    ASSERT_FALSE(set.has_value()) << environment;
    EXPECT_EQ(set.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(SigningKeySet::Create(Alg::kEdDsa, "staging", kT0)->environment(), "staging");
  EXPECT_EQ(SigningKeySet::Create(Alg::kEdDsa, "development", kT0)->environment(), "development");
}

TEST(SigningKeySet, CreatePrepublishBoundaries) {
  EXPECT_EQ(SigningKeySet::Create(Alg::kEdDsa, "staging", kT0, kMinPrepublish - seconds{1})
                .error()
                .code,
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(SigningKeySet::Create(Alg::kEdDsa, "staging", kT0, kMinPrepublish).has_value());
  EXPECT_TRUE(SigningKeySet::Create(Alg::kEdDsa, "staging", kT0, kMaxPrepublish).has_value());
  EXPECT_EQ(SigningKeySet::Create(Alg::kEdDsa, "staging", kT0, kMaxPrepublish + seconds{1})
                .error()
                .code,
            ErrorCode::kInvalidArgument);
}

// --- Serialize and Parse ---------------------------------------------------------------

TEST(SigningKeySet, SerializeParseRoundTrip) {
  auto created = SigningKeySet::Create(Alg::kEs256, "staging", kT0, seconds{600});
  ASSERT_TRUE(created.has_value());
  SigningKeySet set = *std::move(created);
  ASSERT_TRUE(set.Rotate(kT0 + seconds{600}).has_value());
  auto parsed = Reparse(set);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed->prepublish(), seconds{600});
  ASSERT_EQ(parsed->keys().size(), set.keys().size());
  for (std::size_t i = 0; i < set.keys().size(); ++i) {
    const ManagedKey& want = set.keys()[i];
    const ManagedKey& got = parsed->keys()[i];
    EXPECT_EQ(got.key.kid(), want.key.kid());
    EXPECT_EQ(got.key.Thumbprint(), want.key.Thumbprint());
    EXPECT_EQ(got.key.alg(), Alg::kEs256);
    EXPECT_TRUE(got.key.can_sign());
    EXPECT_EQ(got.state, want.state);
    EXPECT_EQ(got.created, want.created);
    EXPECT_EQ(got.activated, want.activated);
    EXPECT_EQ(got.retired, want.retired);
  }
  EXPECT_EQ(parsed->environment(), "staging");
}

TEST(SigningKeySet, SerializedActiveKeyIsTheFirstJwkForPlainJwkSetReaders) {
  SigningKeySet set = MakeSet();
  ASSERT_TRUE(set.Rotate(kT0 + kHour).has_value());  // now: active, next, retired
  auto document = set.Serialize();
  ASSERT_TRUE(document.has_value());
  // A verifier or signer reading the file as a plain JWK Set ignores writ_rotation.
  auto plain = KeySet::FromJwks(Text(*document));
  ASSERT_TRUE(plain.has_value()) << plain.error().detail;
  ASSERT_EQ(plain->size(), 3u);
  EXPECT_EQ(plain->keys().front().kid(), set.active().key.kid());
  EXPECT_LE(document->size(), kMaxSecretBytes);
}

TEST(SigningKeySet, HmacSetRoundTripsAndRotatesWithinItsAlgorithm) {
  SigningKeySet set = MakeSet(Alg::kHs256);
  ASSERT_TRUE(set.Rotate(kT0 + kHour).has_value());
  auto parsed = Reparse(set);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  for (const ManagedKey& key : parsed->keys()) {
    EXPECT_EQ(key.key.alg(), Alg::kHs256);
  }
  EXPECT_EQ(parsed->active().key.kid(), set.active().key.kid());
}

TEST(SigningKeySet, PlainJwkIsAcceptedAsTheActiveKey) {
  const std::string kid = "staging-20260101-deadbeef";
  auto set = SigningKeySet::Parse(SecretBytes::FromString(PrivateJwk(kid, Alg::kEs256)));
  ASSERT_TRUE(set.has_value()) << set.error().detail;
  ASSERT_EQ(set->keys().size(), 1u);
  EXPECT_EQ(set->active().key.kid(), kid);
  EXPECT_EQ(set->active().created, Seconds{});
  EXPECT_EQ(set->next(), nullptr);
  EXPECT_EQ(set->prepublish(), kDefaultPrepublish);
  EXPECT_EQ(set->environment(), "staging");
}

TEST(SigningKeySet, PlainJwkSetIsAcceptedAndWrittenBackPlain) {
  auto set = SigningKeySet::Parse(Document({PrivateJwk("first"), PrivateJwk("second")}, ""));
  ASSERT_TRUE(set.has_value()) << set.error().detail;
  ASSERT_EQ(set->keys().size(), 2u);
  EXPECT_EQ(set->active().key.kid(), "first");
  EXPECT_EQ(set->keys()[1].state, KeyState::kRetired);
  EXPECT_FALSE(set->keys()[1].retired.has_value());
  EXPECT_EQ(set->environment(), "");  // "first" names no environment
  auto document = set->Serialize();
  ASSERT_TRUE(document.has_value());
  EXPECT_EQ(Text(*document).find("writ_rotation"), std::string::npos);
  auto again = SigningKeySet::Parse(*document);
  ASSERT_TRUE(again.has_value()) << again.error().detail;
  EXPECT_EQ(again->keys()[1].key.kid(), "second");
}

TEST(SigningKeySet, EnvironmentNeedsTheWholeKidShape) {
  for (const char* kid : {"production-2027011-deadbeef", "production-20270115-DEADBEEF",
                          "production-20270115-deadbee", "qa-20270115-deadbeef",
                          "production20270115-deadbeef", "-20270115-deadbeef"}) {
    auto set = SigningKeySet::Parse(SecretBytes::FromString(PrivateJwk(kid)));
    ASSERT_TRUE(set.has_value()) << kid;
    EXPECT_EQ(set->environment(), "") << kid;
  }
}

TEST(SigningKeySet, HandWrittenDocumentParsesInStateOrder) {
  auto jwks = ThreeJwks();
  auto set = SigningKeySet::Parse(Document(jwks, Rotation({kActiveEntry, kRetiredEntry, kNextEntry})));
  ASSERT_TRUE(set.has_value()) << set.error().detail;
  ASSERT_EQ(set->keys().size(), 3u);
  EXPECT_EQ(set->keys()[0].key.kid(), kActiveKid);
  EXPECT_EQ(set->keys()[1].key.kid(), kNextKid);
  EXPECT_EQ(set->keys()[2].key.kid(), kRetiredKid);
  EXPECT_EQ(set->keys()[2].retired, kT0);
}

// --- Rotate ----------------------------------------------------------------------------

TEST(SigningKeySet, RotateBeforePrepublishIsRefusedAndChangesNothing) {
  SigningKeySet set = MakeSet();
  const std::string active = set.active().key.kid();
  const std::string next = set.next()->key.kid();
  auto status = set.Rotate(kT0 + kHour - seconds{1});
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Mentions(status.error(), "2027-01-15T09:00:00Z")) << status.error().detail;
  EXPECT_EQ(set.active().key.kid(), active);
  EXPECT_EQ(set.next()->key.kid(), next);
  EXPECT_EQ(set.keys().size(), 2u);
}

TEST(SigningKeySet, RotateExactlyAtPrepublishIsAllowed) {
  SigningKeySet set = MakeSet();
  EXPECT_TRUE(set.Rotate(kT0 + kHour).has_value());
}

TEST(SigningKeySet, RotateWithForceBeforePrepublishIsAllowed) {
  SigningKeySet set = MakeSet();
  const std::string next = set.next()->key.kid();
  ASSERT_TRUE(set.Rotate(kT0 + seconds{1}, /*force=*/true).has_value());
  EXPECT_EQ(set.active().key.kid(), next);
}

TEST(SigningKeySet, StatesAfterRotation) {
  SigningKeySet set = MakeSet(Alg::kEs384);
  const std::string first = set.active().key.kid();
  const std::string second = set.next()->key.kid();
  const Seconds t1 = kT0 + 2 * kHour;
  ASSERT_TRUE(set.Rotate(t1).has_value());
  ASSERT_EQ(set.keys().size(), 3u);
  EXPECT_EQ(set.active().key.kid(), second);
  EXPECT_EQ(set.active().activated, t1);
  EXPECT_EQ(set.active().created, kT0);
  ASSERT_NE(set.next(), nullptr);
  const std::string third = set.next()->key.kid();
  EXPECT_NE(third, first);
  EXPECT_NE(third, second);
  EXPECT_EQ(set.next()->created, t1);
  EXPECT_EQ(set.next()->key.alg(), Alg::kEs384);
  EXPECT_EQ(set.environment(), "production");
  const ManagedKey& retired = set.keys()[2];
  EXPECT_EQ(retired.key.kid(), first);
  EXPECT_EQ(retired.state, KeyState::kRetired);
  EXPECT_EQ(retired.activated, kT0);
  EXPECT_EQ(retired.retired, t1);

  // A second rotation: the most recently retired key comes first among the retired.
  const Seconds t2 = t1 + kHour;
  ASSERT_TRUE(set.Rotate(t2).has_value());
  ASSERT_EQ(set.keys().size(), 4u);
  EXPECT_EQ(set.active().key.kid(), third);
  EXPECT_EQ(set.keys()[2].key.kid(), second);
  EXPECT_EQ(set.keys()[2].retired, t2);
  EXPECT_EQ(set.keys()[3].key.kid(), first);
}

TEST(SigningKeySet, RotateWithoutANextKeyIsRefused) {
  auto plain = SigningKeySet::Parse(SecretBytes::FromString(PrivateJwk(kActiveKid)));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->Rotate(kT0, /*force=*/true).error().code, ErrorCode::kInvalidArgument);

  SigningKeySet set = MakeSet();
  ASSERT_TRUE(set.Remove(set.next()->key.kid()).has_value());
  EXPECT_EQ(set.next(), nullptr);
  EXPECT_EQ(set.Rotate(kT0 + kHour).error().code, ErrorCode::kInvalidArgument);
}

TEST(SigningKeySet, RotateRefusesWhenTheActiveKidNamesNoEnvironment) {
  auto jwks = std::vector<std::string>{PrivateJwk("a"), PrivateJwk("b")};
  auto set = SigningKeySet::Parse(
      Document(jwks, Rotation({Entry("a", "active"), Entry("b", "next")})));
  ASSERT_TRUE(set.has_value()) << set.error().detail;
  auto status = set->Rotate(kT0 + kHour);
  ASSERT_FALSE(status.has_value());
  EXPECT_TRUE(Mentions(status.error(), "environment"));
  EXPECT_EQ(set->active().key.kid(), "a");
}

TEST(SigningKeySet, AddNextReplacesARemovedNextKeyWithItsOwnPrepublish) {
  SigningKeySet set = MakeSet(Alg::kEs256);
  const std::string leaked = set.next()->key.kid();
  ASSERT_TRUE(set.Remove(leaked).has_value());
  const Seconds t1 = kT0 + kHour;
  ASSERT_TRUE(set.AddNext(t1).has_value());
  ASSERT_NE(set.next(), nullptr);
  EXPECT_NE(set.next()->key.kid(), leaked);
  EXPECT_EQ(set.next()->created, t1);
  EXPECT_EQ(set.next()->key.alg(), Alg::kEs256);
  EXPECT_FALSE(set.Rotate(t1 + kHour - seconds{1}).has_value());
  EXPECT_TRUE(set.Rotate(t1 + kHour).has_value());
}

TEST(SigningKeySet, AddNextWhenThereIsOneIsRefused) {
  SigningKeySet set = MakeSet();
  EXPECT_EQ(set.AddNext(kT0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(set.keys().size(), 2u);
}

// --- RemoveExpired and Remove ----------------------------------------------------------

TEST(SigningKeySet, RemoveExpiredKeepsAKeyUntilRetiredPlusLifetime) {
  SigningKeySet set = MakeSet();
  const Seconds t1 = kT0 + kHour;
  ASSERT_TRUE(set.Rotate(t1).has_value());
  const seconds lifetime{900};
  EXPECT_TRUE(set.RemoveExpired(t1 + lifetime - seconds{1}, lifetime).empty());
  EXPECT_EQ(set.keys().size(), 3u);
}

TEST(SigningKeySet, RemoveExpiredRemovesAKeyExactlyAtRetiredPlusLifetime) {
  SigningKeySet set = MakeSet();
  const std::string first = set.active().key.kid();
  const Seconds t1 = kT0 + kHour;
  ASSERT_TRUE(set.Rotate(t1).has_value());
  const seconds lifetime{900};
  EXPECT_EQ(set.RemoveExpired(t1 + lifetime, lifetime), std::vector<std::string>{first});
  ASSERT_EQ(set.keys().size(), 2u);
  EXPECT_EQ(set.keys()[0].state, KeyState::kActive);
  EXPECT_EQ(set.keys()[1].state, KeyState::kNext);
}

TEST(SigningKeySet, RemoveExpiredNeverRemovesActiveNextOrUntimedKeys) {
  SigningKeySet set = MakeSet();
  EXPECT_TRUE(set.RemoveExpired(kT0 + 1000 * kHour, seconds{0}).empty());
  EXPECT_EQ(set.keys().size(), 2u);
  auto plain = SigningKeySet::Parse(Document({PrivateJwk("a"), PrivateJwk("b")}, ""));
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain->RemoveExpired(kT0 + 1000 * kHour, seconds{0}).empty());
}

TEST(SigningKeySet, RemoveExpiredTreatsANegativeLifetimeAsZero) {
  SigningKeySet set = MakeSet();
  ASSERT_TRUE(set.Rotate(kT0 + kHour).has_value());
  EXPECT_TRUE(set.RemoveExpired(kT0 + kHour - seconds{1}, seconds{-3600}).empty());
  EXPECT_EQ(set.RemoveExpired(kT0 + kHour, seconds{-3600}).size(), 1u);
}

TEST(SigningKeySet, RemoveTheActiveKeyIsRefused) {
  SigningKeySet set = MakeSet();
  auto status = set.Remove(set.active().key.kid());
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(set.keys().size(), 2u);
}

TEST(SigningKeySet, RemoveAnUnknownKidIsRefused) {
  SigningKeySet set = MakeSet();
  EXPECT_EQ(set.Remove("production-20270115-ffffffff").error().code, ErrorCode::kInvalidArgument);
}

TEST(SigningKeySet, RemoveARetiredKeyAtOnce) {
  SigningKeySet set = MakeSet();
  const std::string first = set.active().key.kid();
  ASSERT_TRUE(set.Rotate(kT0 + kHour).has_value());
  ASSERT_TRUE(set.Remove(first).has_value());
  EXPECT_EQ(set.keys().size(), 2u);
  auto parsed = Reparse(set);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed->keys().size(), 2u);
}

}  // namespace
}  // namespace writ::keys
