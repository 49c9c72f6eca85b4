// Attacks on SigningKeySet::Parse: hand-built key set documents that must be refused, each
// for its own reason, without quoting key material.
#include "signing_key_set_test_util.h"

namespace writ::keys {
namespace {

using namespace signing_key_set_test;  // NOLINT(google-build-using-namespace): test helpers
using std::chrono::seconds;

// --- attacks on Parse --------------------------------------------------------------------

TEST(SigningKeySetAttack, PublicOnlyKeyIsRefused) {
  auto key = *Key::Generate(Alg::kEdDsa, kNextKid);
  auto jwks = ThreeJwks();
  jwks[1] = *key.ToPublicJwk();
  Error error = ParseError(Document(jwks, Rotation(kThreeEntries)));
  EXPECT_EQ(error.code, ErrorCode::kInvalidKey);
  EXPECT_TRUE(Mentions(error, kNextKid)) << error.detail;
  // A plain public JWK (a JWKS entry handed over by mistake) is no signing key either.
  EXPECT_EQ(ParseError(SecretBytes::FromString(*key.ToPublicJwk())).code, ErrorCode::kInvalidKey);
}

TEST(SigningKeySetAttack, TwoActiveKeysAreRefused) {
  Error error = ParseError(Document(
      ThreeJwks(), Rotation({kActiveEntry, Entry(kNextKid, "active"), kRetiredEntry})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "exactly one key must be active")) << error.detail;
}

TEST(SigningKeySetAttack, NoActiveKeyIsRefused) {
  Error error = ParseError(
      Document(ThreeJwks(), Rotation({Entry(kActiveKid, "next"), kNextEntry, kRetiredEntry})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
}

TEST(SigningKeySetAttack, TwoNextKeysAreRefused) {
  Error error = ParseError(
      Document(ThreeJwks(), Rotation({kActiveEntry, kNextEntry, Entry(kRetiredKid, "next")})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "next")) << error.detail;
}

TEST(SigningKeySetAttack, ActiveKeyThatIsNotTheFirstJwkIsRefused) {
  auto jwks = ThreeJwks();
  std::swap(jwks[0], jwks[1]);
  Error error = ParseError(Document(jwks, Rotation(kThreeEntries)));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "first")) << error.detail;
}

TEST(SigningKeySetAttack, MetadataEntryForAnUnknownKidIsRefused) {
  const std::string stranger = "production-20270115-99999999";
  Error error = ParseError(
      Document(ThreeJwks(), Rotation({kActiveEntry, kNextEntry, kRetiredEntry,
                                      Entry(stranger, "retired", ",\"retired\":1800000000")})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, stranger)) << error.detail;
}

TEST(SigningKeySetAttack, KeyWithoutAMetadataEntryIsRefused) {
  Error error = ParseError(Document(ThreeJwks(), Rotation({kActiveEntry, kNextEntry})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, kRetiredKid)) << error.detail;
}

TEST(SigningKeySetAttack, DuplicateKidIsRefused) {
  Error error = ParseError(Document({PrivateJwk(kActiveKid), PrivateJwk(kActiveKid)},
                                    Rotation({kActiveEntry})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, kActiveKid)) << error.detail;
  // Also without metadata: two keys under one kid would make kid selection ambiguous.
  EXPECT_EQ(ParseError(Document({PrivateJwk("x"), PrivateJwk("x")}, "")).code,
            ErrorCode::kMalformed);
}

TEST(SigningKeySetAttack, DuplicateMetadataEntryIsRefused) {
  Error error = ParseError(Document(
      ThreeJwks(), Rotation({kActiveEntry, kNextEntry, kRetiredEntry, Entry(kNextKid, "next")})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "two writ_rotation entries")) << error.detail;
}

TEST(SigningKeySetAttack, VersionTwoIsRefused) {
  Error error = ParseError(Document(
      ThreeJwks(), Rotation(kThreeEntries, "\"version\":2,\"prepublish\":3600,\"new\":true")));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "version 2")) << error.detail;
  EXPECT_EQ(ParseError(Document(ThreeJwks(), Rotation(kThreeEntries, "\"prepublish\":3600"))).code,
            ErrorCode::kMalformed);
  EXPECT_EQ(ParseError(Document(ThreeJwks(),
                                Rotation(kThreeEntries, "\"version\":\"1\",\"prepublish\":3600")))
                .code,
            ErrorCode::kMalformed);
}

TEST(SigningKeySetAttack, RetiredKeyWithoutARetiredTimeIsRefused) {
  Error error = ParseError(Document(
      ThreeJwks(), Rotation({kActiveEntry, kNextEntry, Entry(kRetiredKid, "retired")})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, kRetiredKid)) << error.detail;
}

TEST(SigningKeySetAttack, TimesOnTheWrongStateAreRefused) {
  EXPECT_EQ(ParseError(Document(ThreeJwks(),
                                Rotation({Entry(kActiveKid, "active", ",\"retired\":1800000000"),
                                          kNextEntry, kRetiredEntry})))
                .code,
            ErrorCode::kMalformed);
  EXPECT_EQ(ParseError(Document(ThreeJwks(),
                                Rotation({kActiveEntry, Entry(kNextKid, "next", ",\"activated\":1"),
                                          kRetiredEntry})))
                .code,
            ErrorCode::kMalformed);
}

TEST(SigningKeySetAttack, TimesThatAreNotWholeSecondsInRangeAreRefused) {
  for (const char* created : {"1.5", "\"1800000000\"", "-1", "253402300800", "1e9", "null",
                              "18446744073709551615"}) {
    std::string entry = "{\"kid\":\"" + kActiveKid + "\",\"state\":\"active\",\"created\":" +
                        created + "}";
    Error error = ParseError(Document({PrivateJwk(kActiveKid)}, Rotation({entry})));
    EXPECT_EQ(error.code, ErrorCode::kMalformed) << created;
  }
  std::string without_created = "{\"kid\":\"" + kActiveKid + "\",\"state\":\"active\"}";
  EXPECT_EQ(ParseError(Document({PrivateJwk(kActiveKid)}, Rotation({without_created}))).code,
            ErrorCode::kMalformed);
  std::string latest = "{\"kid\":\"" + kActiveKid +
                       "\",\"state\":\"active\",\"created\":253402300799}";
  EXPECT_TRUE(SigningKeySet::Parse(Document({PrivateJwk(kActiveKid)}, Rotation({latest})))
                  .has_value());
}

TEST(SigningKeySetAttack, UnknownStateIsRefused) {
  for (const char* state : {"revoked", "Active", "ACTIVE", ""}) {
    Error error = ParseError(
        Document(ThreeJwks(), Rotation({kActiveEntry, kNextEntry, Entry(kRetiredKid, state)})));
    EXPECT_EQ(error.code, ErrorCode::kMalformed) << state;
    EXPECT_TRUE(Mentions(error, "state")) << error.detail;
  }
}

TEST(SigningKeySetAttack, UnknownMetadataMembersAreRefused) {
  EXPECT_EQ(ParseError(Document(ThreeJwks(),
                                Rotation(kThreeEntries, "\"version\":1,\"prepublish\":3600,\"x\":1")))
                .code,
            ErrorCode::kMalformed);
  Error error = ParseError(Document(
      ThreeJwks(), Rotation({Entry(kActiveKid, "active", ",\"retierd\":1800000000"), kNextEntry,
                             kRetiredEntry})));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "retierd")) << error.detail;
}

TEST(SigningKeySetAttack, DuplicateMemberNamesAreRefused) {
  Error error = ParseError(Document(
      ThreeJwks(), Rotation(kThreeEntries, "\"version\":1,\"prepublish\":3600,\"prepublish\":60")));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
}

TEST(SigningKeySetAttack, PrepublishOutOfRangeIsRefused) {
  for (const char* head : {"\"version\":1,\"prepublish\":59", "\"version\":1,\"prepublish\":2592001",
                           "\"version\":1,\"prepublish\":\"1h\"", "\"version\":1"}) {
    EXPECT_EQ(ParseError(Document(ThreeJwks(), Rotation(kThreeEntries, head))).code,
              ErrorCode::kMalformed)
        << head;
  }
}

TEST(SigningKeySetAttack, KeysOfSeveralAlgorithmsAreRefused) {
  auto jwks = ThreeJwks();
  jwks[1] = PrivateJwk(kNextKid, Alg::kEs256);
  Error error = ParseError(Document(jwks, Rotation(kThreeEntries)));
  EXPECT_EQ(error.code, ErrorCode::kMalformed);
  EXPECT_TRUE(Mentions(error, "one algorithm")) << error.detail;
}

TEST(SigningKeySetAttack, OversizedDocumentIsRefused) {
  std::string text = "{\"keys\":[" + PrivateJwk(kActiveKid) + "]}";
  text.insert(1, kMaxSecretBytes - text.size(), ' ');
  ASSERT_EQ(text.size(), kMaxSecretBytes);
  EXPECT_TRUE(SigningKeySet::Parse(SecretBytes::FromString(text)).has_value());
  text.insert(1, " ");
  EXPECT_EQ(ParseError(SecretBytes::FromString(text)).code, ErrorCode::kTooLarge);
}

TEST(SigningKeySetAttack, TooManyKeysAreRefused) {
  std::vector<std::string> jwks;
  for (std::size_t i = 0; i <= KeySet::kMaxKeys; ++i) {
    jwks.push_back(PrivateJwk("k" + std::to_string(i), Alg::kHs256));
  }
  EXPECT_EQ(ParseError(Document(jwks, "")).code, ErrorCode::kTooLarge);
}

TEST(SigningKeySetAttack, MisshapenDocumentsAreRefused) {
  const std::string jwk = PrivateJwk(kActiveKid);
  for (const std::string& text :
       {std::string("{\"keys\":[]}"), std::string("{\"keys\":{}}"), std::string("[]"),
        std::string("{}"), "{\"keys\":[" + jwk + "],\"writ_rotation\":[]}",
        "{\"kty\":\"OKP\",\"writ_rotation\":" + Rotation({kActiveEntry}) + "}",
        "{\"keys\":[" + jwk + "],\"writ_rotation\":{\"version\":1,\"prepublish\":3600}}",
        "{\"keys\":[" + jwk + "],\"writ_rotation\":" + Rotation({"1"}) + "}",
        "{\"keys\":[" + jwk + "]} trailing", std::string("")}) {
    auto set = SigningKeySet::Parse(SecretBytes::FromString(text));
    EXPECT_FALSE(set.has_value()) << text.substr(0, 80);
  }
}

TEST(SigningKeySetAttack, ErrorsNeverQuoteKeyMaterial) {
  const std::string jwk = PrivateJwk(kActiveKid);
  const auto d_start = jwk.find("\"d\":\"") + 5;
  const std::string d = jwk.substr(d_start, jwk.find('"', d_start) - d_start);
  ASSERT_GT(d.size(), 20u);
  Error error = ParseError(Document({jwk}, Rotation({Entry(kActiveKid, "retired")})));
  EXPECT_FALSE(Mentions(error, d)) << error.detail;
}

}  // namespace
}  // namespace writ::keys
