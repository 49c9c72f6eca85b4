// Attacks on PASETO handling: each builds the malicious token and checks the refusal code.
#include <gtest/gtest.h>

#include "core/base64url.h"
#include "writ/paserk.h"
#include "writ/paseto.h"
#include "writ/paseto_reader.h"
#include "writ/paseto_writer.h"

namespace writ {
namespace {

constexpr Seconds kNow{std::chrono::seconds(1764000000)};

Validator MakeValidator() {
  return *ValidatorBuilder().IgnoreAudience().SetClock(std::make_shared<FixedClock>(kNow)).Build();
}

std::string Payload() {
  return R"({"sub":"user-1","exp":")" + FormatRfc3339(kNow + std::chrono::hours(1)) + R"("})";
}

// Flips one bit of the decoded body and re-encodes, keeping everything else.
std::string FlipBodyBit(const std::string& token, std::size_t header_size, std::size_t byte_index) {
  const std::size_t footer_dot = token.find('.', header_size);
  const std::string body_b64 = token.substr(header_size, footer_dot - header_size);
  std::string body = *internal::Base64UrlDecode(body_b64);
  body[byte_index] = static_cast<char>(body[byte_index] ^ 1);
  return token.substr(0, header_size) + internal::Base64UrlEncode(body) +
         (footer_dot == std::string::npos ? "" : token.substr(footer_dot));
}

TEST(PasetoAttack, VersionConfusionIsRefused) {
  const auto v3_key = V3LocalKey::Generate();
  const auto v4_key = *V4LocalKey::FromBytes(v3_key.secret().expose_secret());  // same bytes
  auto v3_token = paseto::Encrypt(v3_key, Payload());
  auto v4_token = paseto::Encrypt(v4_key, Payload());
  EXPECT_EQ(paseto::Decrypt(v4_key, *v3_token).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paseto::Decrypt(v3_key, *v4_token).error().code, ErrorCode::kMalformed);
  // A token relabelled to the other version does not authenticate either.
  std::string relabelled = "v4." + v3_token->substr(3);
  EXPECT_FALSE(paseto::Decrypt(v4_key, relabelled).has_value());
}

TEST(PasetoAttack, PurposeConfusionIsRefused) {
  const V4SecretKey signing = V4SecretKey::Generate();
  auto public_token = paseto::Sign(signing, Payload());
  // The public key's bytes as a local key: the v4.public token is refused by its header.
  const auto as_local = *V4LocalKey::FromBytes(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(signing.public_key().bytes().data()), 32));
  EXPECT_EQ(paseto::Decrypt(as_local, *public_token).error().code, ErrorCode::kMalformed);
  auto local_token = paseto::Encrypt(as_local, Payload());
  EXPECT_EQ(paseto::Verify(signing.public_key(), *local_token).error().code, ErrorCode::kMalformed);
  // Relabelling a local token as public gives a bad signature, nothing else.
  std::string relabelled = "v4.public." + local_token->substr(std::string("v4.local.").size());
  EXPECT_EQ(paseto::Verify(signing.public_key(), relabelled).error().code, ErrorCode::kBadSignature);
}

TEST(PasetoAttack, FooterTamperingIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = paseto::Encrypt(key, Payload(), R"({"kid":"k4.lid.AAAA"})");
  const std::string swapped = token->substr(0, token->rfind('.') + 1) +
                              internal::Base64UrlEncode(std::string(R"({"kid":"k4.lid.BBBB"})"));
  EXPECT_EQ(paseto::Decrypt(key, swapped).error().code, ErrorCode::kBadSignature);
  const std::string stripped = token->substr(0, token->rfind('.'));
  EXPECT_EQ(paseto::Decrypt(key, stripped).error().code, ErrorCode::kBadSignature);
  auto signer = V4SecretKey::Generate();
  auto signed_token = paseto::Sign(signer, Payload(), "footer-a");
  const std::string resigned_footer = signed_token->substr(0, signed_token->rfind('.') + 1) +
                                      internal::Base64UrlEncode(std::string("footer-b"));
  EXPECT_EQ(paseto::Verify(signer.public_key(), resigned_footer).error().code, ErrorCode::kBadSignature);
}

TEST(PasetoAttack, EveryFlippedBitOfTheBodyIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = paseto::Encrypt(key, Payload());
  const std::size_t body_size = internal::Base64UrlDecode(token->substr(9))->size();
  for (std::size_t i = 0; i < body_size; ++i) {
    EXPECT_EQ(paseto::Decrypt(key, FlipBodyBit(*token, 9, i)).error().code, ErrorCode::kBadSignature) << i;
  }
  const V3SecretKey signer = *V3SecretKey::Generate();
  auto signed_token = paseto::Sign(signer, Payload());
  const std::size_t signed_size = internal::Base64UrlDecode(signed_token->substr(10))->size();
  for (std::size_t i = 0; i < signed_size; i += 7) {
    EXPECT_EQ(paseto::Verify(signer.public_key(), FlipBodyBit(*signed_token, 10, i)).error().code,
              ErrorCode::kBadSignature)
        << i;
  }
}

TEST(PasetoAttack, TruncatedTagsAndBodiesAreRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = paseto::Encrypt(key, Payload());
  const std::string body = *internal::Base64UrlDecode(token->substr(9));
  for (std::size_t cut : {std::size_t{1}, std::size_t{16}, std::size_t{32}, body.size() - 64, body.size() - 1}) {
    const std::string truncated = "v4.local." + internal::Base64UrlEncode(body.substr(0, body.size() - cut));
    EXPECT_FALSE(paseto::Decrypt(key, truncated).has_value()) << cut;
  }
  EXPECT_EQ(paseto::Decrypt(key, "v4.local.").error().code, ErrorCode::kMalformed);
  EXPECT_EQ(paseto::Decrypt(key, "v4.local").error().code, ErrorCode::kMalformed);
  const V4SecretKey signer = V4SecretKey::Generate();
  auto signed_token = paseto::Sign(signer, "x");
  const std::string signed_body = *internal::Base64UrlDecode(signed_token->substr(10));
  EXPECT_EQ(paseto::Verify(signer.public_key(), "v4.public." + internal::Base64UrlEncode(signed_body.substr(0, 63)))
                .error()
                .code,
            ErrorCode::kMalformed);
}

TEST(PasetoAttack, NonCanonicalBase64UrlIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto token = *paseto::Encrypt(key, Payload(), "f");
  for (const std::string& variant : {token + "=", token.substr(0, 12) + "+" + token.substr(13),
                                     token.substr(0, 12) + " " + token.substr(13), token + ".", token + ".x.y"}) {
    EXPECT_EQ(paseto::Decrypt(key, variant).error().code, ErrorCode::kMalformed) << variant;
  }
}

TEST(PasetoAttack, KeysOfTheWrongLengthAreRefused) {
  const std::string bytes(64, 'k');
  const auto span = [&](std::size_t size) {
    return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), size);
  };
  EXPECT_EQ(V4LocalKey::FromBytes(span(31)).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(V4LocalKey::FromBytes(span(33)).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(V3LocalKey::FromBytes(span(16)).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(V4PublicKey::FromBytes(span(31)).error().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(V4SecretKey::FromBytes(span(64)).error().code, ErrorCode::kInvalidKey);  // halves do not match
  EXPECT_EQ(V3PublicKey::FromBytes(span(49)).error().code, ErrorCode::kInvalidKey);  // not a point
  EXPECT_EQ(V3SecretKey::FromBytes(std::span<const std::uint8_t>(std::vector<std::uint8_t>(48, 0))).error().code,
            ErrorCode::kInvalidKey);  // zero scalar
}

TEST(PasetoAttack, KeyMaterialInTheFooterIsRefused) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  const SecretBytes paserk = paserk::ToPaserk(key);
  const std::string leaked(reinterpret_cast<const char*>(paserk.expose_secret().data()), paserk.size());
  std::string escaped = leaked;
  for (std::size_t dot = escaped.find('.'); dot != std::string::npos; dot = escaped.find('.', dot + 6)) {
    escaped.replace(dot, 1, "\\u002e");  // JSON-escaped dots hide the prefix from a raw text scan
  }
  for (const std::string& footer : {R"({"kid":")" + leaked + R"("})", leaked, R"({"note":")" + leaked + R"("})",
                                    R"({"note":")" + escaped + R"("})", R"({"a":[{"b":")" + escaped + R"("}]})"}) {
    auto token = paseto::Encrypt(key, Payload(), footer);
    EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kForbiddenHeader) << footer;
  }
}

TEST(PasetoAttack, FooterKidMustBeAPaserkIdOfTheRightKind) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  for (const char* footer : {R"({"kid":"my-key"})", R"({"kid":"k3.lid.AAAA"})", R"({"kid":"k4.pid.AAAA"})",
                             R"({"kid":7})", R"({"kid":"k4.lid."})"}) {
    auto token = paseto::Encrypt(key, Payload(), footer);
    EXPECT_EQ(reader->Read(*token, MakeValidator()).error().code, ErrorCode::kMalformed) << footer;
  }
}

TEST(PasetoAttack, FooterJsonIsStrict) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  const std::string kid = paserk::Lid(key);
  auto duplicate = paseto::Encrypt(key, Payload(), R"({"kid":")" + kid + R"(","kid":"k4.lid.other"})");
  EXPECT_EQ(reader->Read(*duplicate, MakeValidator()).error().code, ErrorCode::kMalformed);
  auto deep = paseto::Encrypt(key, Payload(), std::string(200, '[') + std::string(200, ']'));
  EXPECT_TRUE(reader->Read(*deep, MakeValidator()).has_value());  // not an object: opaque footer
  auto deep_object = paseto::Encrypt(key, Payload(), "{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}");
  EXPECT_EQ(reader->Read(*deep_object, MakeValidator()).error().code, ErrorCode::kTooLarge);
}

TEST(PasetoAttack, HugeFootersAndTokensAreRefusedBeforeDecoding) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  auto token = *paseto::Encrypt(key, Payload());
  const std::string megabyte_footer = token + "." + std::string(1 << 20, 'A');
  EXPECT_EQ(reader->Read(megabyte_footer, MakeValidator()).error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(paseto::Decrypt(key, megabyte_footer).error().code, ErrorCode::kTooLarge);
  const std::string over_footer_cap = token + "." + internal::Base64UrlEncode(std::string(kMaxPasetoFooterBytes + 1, 'x'));
  EXPECT_EQ(paseto::Decrypt(key, over_footer_cap).error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(paseto::Encrypt(key, "{}", std::string(kMaxPasetoFooterBytes + 1, 'x')).error().code, ErrorCode::kTooLarge);
}

TEST(PasetoAttack, DeepOrDuplicatedClaimsAreRefusedAfterDecryption) {
  const V4LocalKey key = V4LocalKey::Generate();
  auto reader = PasetoReader<V4LocalKey>::Create({key});
  auto deep = paseto::Encrypt(key, "{\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}");
  EXPECT_EQ(reader->Read(*deep, MakeValidator()).error().code, ErrorCode::kTooLarge);
  auto duplicate = paseto::Encrypt(key, R"({"sub":"a","sub":"admin","exp":")" +
                                            FormatRfc3339(kNow + std::chrono::hours(1)) + R"("})");
  EXPECT_EQ(reader->Read(*duplicate, MakeValidator()).error().code, ErrorCode::kMalformed);
  auto not_utf8 = paseto::Encrypt(key, "{\"sub\":\"\xff\"}");
  EXPECT_EQ(reader->Read(*not_utf8, MakeValidator()).error().code, ErrorCode::kMalformed);
}

}  // namespace
}  // namespace writ
