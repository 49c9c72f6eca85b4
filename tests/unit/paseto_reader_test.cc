#include "writ/paseto_reader.h"

#include <gtest/gtest.h>

#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_writer.h"

namespace writ {
namespace {

constexpr Seconds kNow{std::chrono::seconds(1764000000)};

std::shared_ptr<const Clock> At(Seconds now) { return std::make_shared<FixedClock>(now); }

Validator MakeValidator(Seconds now = kNow) {
  return *ValidatorBuilder().ExpectIssuer("https://auth.example.com").ExpectAudience("api").SetClock(At(now)).Build();
}

ClaimsBuilder Claims() {
  ClaimsBuilder claims;
  claims.SetIssuer("https://auth.example.com").SetAudience("api").SetSubject("user-1");
  return claims;
}

template <typename WriteKey, typename ReadKey>
void ExpectRoundTrip(const WriteKey& write_key, const ReadKey& read_key) {
  auto writer = PasetoWriter<WriteKey>::Create(write_key, At(kNow));
  ASSERT_TRUE(writer.has_value());
  auto token = writer->Write(Claims());
  ASSERT_TRUE(token.has_value()) << token.error().detail;
  auto reader = PasetoReader<ReadKey>::Create({read_key});
  ASSERT_TRUE(reader.has_value());
  auto verified = reader->Read(*token, MakeValidator());
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->subject(), "user-1");
  EXPECT_EQ(verified->kid(), writer->kid());
  EXPECT_EQ(verified->footer(), "{\"kid\":\"" + writer->kid() + "\"}");
  EXPECT_EQ(verified->issued_at(), kNow);
  EXPECT_EQ(verified->expires_at(), kNow + std::chrono::hours(1));  // default lifetime
}

TEST(PasetoReader, EveryVersionAndPurposeRoundTrips) {
  const V4LocalKey v4_local = V4LocalKey::Generate();
  ExpectRoundTrip(v4_local, v4_local);
  const V3LocalKey v3_local = V3LocalKey::Generate();
  ExpectRoundTrip(v3_local, v3_local);
  const V4SecretKey v4_secret = V4SecretKey::Generate();
  ExpectRoundTrip(v4_secret, v4_secret.public_key());
  const V3SecretKey v3_secret = *V3SecretKey::Generate();
  ExpectRoundTrip(v3_secret, v3_secret.public_key());
}

TEST(PasetoReader, KeyIsChosenByTheFooterKidAmongSeveral) {
  const V4SecretKey old_key = V4SecretKey::Generate();
  const V4SecretKey new_key = V4SecretKey::Generate();
  auto reader = PasetoReader<V4PublicKey>::Create({old_key.public_key(), new_key.public_key()});
  ASSERT_TRUE(reader.has_value());
  for (const V4SecretKey* key : {&old_key, &new_key}) {
    auto token = PasetoWriter<V4SecretKey>::Create(*key, At(kNow))->Write(Claims());
    auto verified = reader->Read(*token, MakeValidator());
    ASSERT_TRUE(verified.has_value()) << verified.error().detail;
    EXPECT_EQ(verified->kid(), paserk::Pid(key->public_key()));
  }
}

TEST(PasetoReader, UnknownKidIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = PasetoWriter<V4LocalKey>::Create(V4LocalKey::Generate(), At(kNow))->Write(Claims());
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kUnknownKid);
}

TEST(PasetoReader, NoKidWithSeveralKeysIsAmbiguous) {
  const V4LocalKey a = V4LocalKey::Generate();
  const V4LocalKey b = V4LocalKey::Generate();
  auto token = paseto::Encrypt(a, Claims().SetString("exp", FormatRfc3339(kNow + std::chrono::hours(1))).Build());
  auto reader = PasetoReader<V4LocalKey>::Create({a, b});
  EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kAmbiguousKey);
  auto single = PasetoReader<V4LocalKey>::Create({a});
  EXPECT_TRUE(single->Read(*token, MakeValidator()).has_value());
}

TEST(PasetoReader, SameKeyTwiceIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  EXPECT_EQ(PasetoReader<V4LocalKey>::Create({key, key}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(PasetoReader<V4LocalKey>::Create({}).error().code, ErrorCode::kInvalidArgument);
}

TEST(PasetoReader, ExpiryIsCheckedWithRfc3339Times) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto writer = PasetoWriter<V4LocalKey>::Create(key, At(kNow));
  PasetoWriteOptions options;
  options.default_lifetime = std::chrono::seconds(60);
  auto token = writer->Write(Claims(), options);
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  EXPECT_TRUE(reader->Read(*token, MakeValidator(kNow + std::chrono::seconds(59))).has_value());
  EXPECT_EQ(reader->Read(*token, MakeValidator(kNow + std::chrono::seconds(60))).error().code, ErrorCode::kExpired);
}

TEST(PasetoReader, IssuerAndAudienceAreChecked) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto writer = PasetoWriter<V4LocalKey>::Create(key, At(kNow));
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  auto other_issuer = writer->Write(Claims().SetIssuer("https://evil.example.com"));
  EXPECT_EQ(reader->Read(*other_issuer, MakeValidator()).error().code, ErrorCode::kIssuerMismatch);
  auto other_audience = writer->Write(Claims().SetAudience("billing"));
  EXPECT_EQ(reader->Read(*other_audience, MakeValidator()).error().code, ErrorCode::kAudienceMismatch);
}

TEST(PasetoReader, NumericDateTimesAreInvalidInPaseto) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto writer = PasetoWriter<V4LocalKey>::Create(key, At(kNow));
  ClaimsBuilder claims = Claims();
  claims.SetExpiresAt(kNow + std::chrono::hours(1));  // a JWT NumericDate, not RFC 3339
  EXPECT_EQ(writer->Write(claims).error().code, ErrorCode::kInvalidClaim);
  auto token = paseto::Encrypt(key, claims.Build());
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kInvalidClaim);
}

TEST(PasetoReader, MissingExpIsRefusedByDefault) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = paseto::Encrypt(key, Claims().Build());
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kMissingClaim);
}

TEST(PasetoReader, ImplicitAssertionMustMatch) {
  const V4SecretKey key = V4SecretKey::Generate();
  auto writer = PasetoWriter<V4SecretKey>::Create(key, At(kNow));
  PasetoWriteOptions options;
  options.implicit = "tenant-7";
  auto token = writer->Write(Claims(), options);
  auto reader = PasetoReader<V4PublicKey>::Create({key.public_key()});
  EXPECT_TRUE(reader->Read(*token, MakeValidator(), "tenant-7").has_value());
  EXPECT_EQ(reader->Read(*token, MakeValidator(), "tenant-8").error().code, ErrorCode::kBadSignature);
  EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kBadSignature);
}

TEST(PasetoWriter, FooterMembersFollowTheKid) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto writer = PasetoWriter<V4LocalKey>::Create(key, At(kNow));
  PasetoWriteOptions options;
  options.footer_members = R"({"app":"billing","n":[1,2]})";
  auto token = writer->Write(Claims(), options);
  ASSERT_TRUE(token.has_value()) << token.error().detail;
  auto verified = PasetoReader<V4LocalKey>::Create({key})->Read(*token, MakeValidator());
  ASSERT_TRUE(verified.has_value()) << verified.error().detail;
  EXPECT_EQ(verified->footer(), "{\"kid\":\"" + writer->kid() + "\",\"app\":\"billing\",\"n\":[1,2]}");
}

TEST(PasetoWriter, FooterMembersThatSetKidOrCarryKeysAreRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto writer = PasetoWriter<V4LocalKey>::Create(key, At(kNow));
  const SecretBytes paserk = paserk::ToPaserk(key);
  const std::string leaked(reinterpret_cast<const char*>(paserk.expose_secret().data()), paserk.size());
  for (const std::string& members : {std::string(R"({"kid":"k4.lid.x"})"), R"({"k":")" + leaked + R"("})",
                                     std::string(R"({"a":1,"a":2})"), std::string("[1]"),
                                     R"({"pad":")" + std::string(kMaxPasetoFooterBytes, 'x') + R"("})"}) {
    PasetoWriteOptions options;
    options.footer_members = members;
    EXPECT_EQ(writer->Write(Claims(), options).error().code, ErrorCode::kInvalidArgument) << members.substr(0, 40);
  }
}

}  // namespace
}  // namespace writ
