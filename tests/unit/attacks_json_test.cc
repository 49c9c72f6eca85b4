// Attacks through the JSON inside a correctly signed token: duplicate names (plain and
// escaped) in header and claims, invalid UTF-8 and lone surrogates, deep nesting, and
// oversized tokens, which must be refused quickly and without crashing.
// RFC 7515 §4, RFC 7519 §4, RFC 8259 §4 and §8.
#include <gtest/gtest.h>

#include <string>

#include "attack_test_util.h"
#include "writ/writ.h"

namespace writ {
namespace {

using attack_test::B64;
using attack_test::DefaultValidator;
using attack_test::FailsWith;
using attack_test::GenerateKey;
using attack_test::SignEncoded;
using attack_test::SignJson;
using attack_test::Succeeds;
using attack_test::VerifierFor;

const std::string kExp = std::to_string(attack_test::kNowSeconds + 300);

class Fixture {
 public:
  Fixture() : key_(GenerateKey(Alg::kHs256, "k1")), verifier_(VerifierFor({key_})) {}
  Result<VerifiedJwt> Verify(std::string_view token) const {
    return verifier_.Verify(token, DefaultValidator());
  }
  Result<VerifiedJwt> VerifyJson(std::string_view header, std::string_view payload) const {
    return Verify(SignJson(key_, header, payload));
  }
  Result<VerifiedJwt> VerifyClaims(std::string_view payload) const {
    return VerifyJson(R"({"alg":"HS256","kid":"k1"})", payload);
  }
  const Key& key() const { return key_; }

 private:
  Key key_;
  Verifier verifier_;
};

// A claims object whose "a" member nests containers so that the whole object is
// `depth` levels deep (the object itself is level 1).
std::string ClaimsOfDepth(std::size_t depth) {
  return "{\"exp\":" + kExp + ",\"a\":" + std::string(depth - 1, '[') +
         std::string(depth - 1, ']') + "}";
}

TEST(AttackJson, DuplicateAlgInHeaderIsMalformed) {
  Fixture f;
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","alg":"none","kid":"k1"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"none","alg":"HS256","kid":"k1"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","alg":"HS256","kid":"k1"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
}

TEST(AttackJson, EscapedDuplicateAlgInHeaderIsMalformed) {
  Fixture f;
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","\u0061lg":"none","kid":"k1"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.VerifyJson(R"({"\u0061\u006c\u0067":"none","alg":"HS256","kid":"k1"})",
                                     "{\"exp\":" + kExp + "}"),
                        ErrorCode::kMalformed));
}

TEST(AttackJson, DuplicateKidInHeaderIsMalformed) {
  Fixture f;
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","kid":"other","kid":"k1"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
}

TEST(AttackJson, DuplicateClaimNamesAreMalformed) {
  Fixture f;
  ASSERT_TRUE(Succeeds(f.VerifyClaims("{\"sub\":\"alice\",\"exp\":" + kExp + "}")));
  EXPECT_TRUE(
      FailsWith(f.VerifyClaims("{\"sub\":\"alice\",\"sub\":\"admin\",\"exp\":" + kExp + "}"),
                ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.VerifyClaims("{\"exp\":1,\"exp\":" + kExp + "}"), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.VerifyClaims("{\"exp\":" + kExp + ",\"exp\":1}"), ErrorCode::kMalformed));
}

TEST(AttackJson, EscapedDuplicateClaimNamesAreMalformed) {
  Fixture f;
  EXPECT_TRUE(
      FailsWith(f.VerifyClaims("{\"sub\":\"alice\",\"\\u0073ub\":\"admin\",\"exp\":" + kExp + "}"),
                ErrorCode::kMalformed));
  EXPECT_TRUE(
      FailsWith(f.VerifyClaims("{\"role\":\"user\",\"r\\u006fle\":\"admin\",\"exp\":" + kExp + "}"),
                ErrorCode::kMalformed));
}

TEST(AttackJson, DuplicateNamesInNestedClaimAreMalformed) {
  Fixture f;
  EXPECT_TRUE(
      FailsWith(f.VerifyClaims("{\"exp\":" + kExp + ",\"perm\":{\"admin\":false,\"admin\":true}}"),
                ErrorCode::kMalformed));
}

TEST(AttackJson, InvalidUtf8InHeaderIsMalformed) {
  Fixture f;
  for (const char* kid : {"\xff", "k\xc3\x28", "\xc0\xaf", "\xed\xa0\x80"}) {
    SCOPED_TRACE(testing::PrintToString(std::string(kid)));
    std::string header = "{\"alg\":\"HS256\",\"kid\":\"" + std::string(kid) + "\"}";
    EXPECT_TRUE(FailsWith(f.VerifyJson(header, "{\"exp\":" + kExp + "}"), ErrorCode::kMalformed));
  }
}

TEST(AttackJson, InvalidUtf8InPayloadIsMalformed) {
  Fixture f;
  for (const char* sub : {"\xff", "adm\xc3\x28n", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
    SCOPED_TRACE(testing::PrintToString(std::string(sub)));
    EXPECT_TRUE(
        FailsWith(f.VerifyClaims("{\"sub\":\"" + std::string(sub) + "\",\"exp\":" + kExp + "}"),
                  ErrorCode::kMalformed));
  }
  // In a member name too.
  EXPECT_TRUE(
      FailsWith(f.VerifyClaims("{\"\xfe\":1,\"exp\":" + kExp + "}"), ErrorCode::kMalformed));
}

TEST(AttackJson, LoneSurrogateInClaimIsMalformed) {
  Fixture f;
  for (const char* sub : {R"(\ud800)", R"(\udc00)", R"(admin\ud83d)", R"(\ude00\ud83d)"}) {
    SCOPED_TRACE(sub);
    EXPECT_TRUE(
        FailsWith(f.VerifyClaims("{\"sub\":\"" + std::string(sub) + "\",\"exp\":" + kExp + "}"),
                  ErrorCode::kMalformed));
  }
  EXPECT_TRUE(Succeeds(f.VerifyClaims("{\"sub\":\"\\ud83d\\ude00\",\"exp\":" + kExp + "}")));
}

TEST(AttackJson, LoneSurrogateInHeaderIsMalformed) {
  Fixture f;
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","kid":"k1","x":"\udbff"})", "{\"exp\":" + kExp + "}"),
      ErrorCode::kMalformed));
}

TEST(AttackJson, ClaimsNestedExactlyToTheCapVerify) {
  Fixture f;
  EXPECT_TRUE(Succeeds(f.VerifyClaims(ClaimsOfDepth(kMaxJsonDepth))));
}

TEST(AttackJson, ClaimsNestedOneBeyondTheCapAreTooLarge) {
  Fixture f;
  EXPECT_TRUE(FailsWith(f.VerifyClaims(ClaimsOfDepth(kMaxJsonDepth + 1)), ErrorCode::kTooLarge));
  EXPECT_TRUE(FailsWith(f.VerifyClaims(ClaimsOfDepth(500)), ErrorCode::kTooLarge));
}

TEST(AttackJson, HeaderNestedBeyondTheCapIsTooLarge) {
  Fixture f;
  std::string deep = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  EXPECT_TRUE(FailsWith(
      f.VerifyJson(R"({"alg":"HS256","kid":"k1","x":)" + deep + "}", "{\"exp\":" + kExp + "}"),
      ErrorCode::kTooLarge));
}

TEST(AttackJson, TenThousandOpenBracketsAreTooLarge) {
  Fixture f;
  std::string claims =
      "{\"exp\":" + kExp + ",\"a\":" + std::string(10000, '[') + std::string(10000, ']') + "}";
  EXPECT_TRUE(FailsWith(f.VerifyClaims(claims), ErrorCode::kTooLarge));
  std::string unbalanced = "{\"a\":" + std::string(10000, '[');
  EXPECT_TRUE(FailsWith(f.VerifyClaims(unbalanced), ErrorCode::kTooLarge));
}

TEST(AttackJson, HeaderAtSizeCapVerifies) {
  Fixture f;
  std::string header = R"({"alg":"HS256","kid":"k1","x":")";
  header += std::string(kMaxHeaderJsonBytes - header.size() - 2, 'x') + "\"}";
  ASSERT_EQ(header.size(), kMaxHeaderJsonBytes);
  EXPECT_TRUE(Succeeds(f.VerifyJson(header, "{\"exp\":" + kExp + "}")));
}

TEST(AttackJson, HeaderOneByteOverSizeCapIsTooLarge) {
  Fixture f;
  std::string header = R"({"alg":"HS256","kid":"k1","x":")";
  header += std::string(kMaxHeaderJsonBytes + 1 - header.size() - 2, 'x') + "\"}";
  ASSERT_EQ(header.size(), kMaxHeaderJsonBytes + 1);
  EXPECT_TRUE(FailsWith(f.VerifyJson(header, "{\"exp\":" + kExp + "}"), ErrorCode::kTooLarge));
}

// A correctly MACed token of exactly `size` characters (filler in a claim and spaces in
// the header JSON tune the length), or "" if none was found.
std::string TokenOfSize(const Key& key, std::size_t size) {
  for (std::size_t header_pad = 0; header_pad < 4; ++header_pad) {
    std::string header = B64(R"({"alg":"HS256","kid":"k1"})" + std::string(header_pad, ' '));
    for (std::size_t filler = size * 3 / 4 - 300; filler < size * 3 / 4; ++filler) {
      std::string payload =
          B64("{\"exp\":" + kExp + ",\"f\":\"" + std::string(filler, 'f') + "\"}");
      if (header.size() + payload.size() + 2 + 43 == size) {
        return SignEncoded(key, header, payload);
      }
    }
  }
  return "";
}

TEST(AttackJson, TokenAtSizeCapVerifies) {
  Fixture f;
  std::string token = TokenOfSize(f.key(), kMaxTokenBytes);
  ASSERT_EQ(token.size(), kMaxTokenBytes);
  EXPECT_TRUE(Succeeds(f.Verify(token)));
}

TEST(AttackJson, TokenOneByteOverSizeCapIsTooLarge) {
  Fixture f;
  std::string token = TokenOfSize(f.key(), kMaxTokenBytes + 1);
  ASSERT_EQ(token.size(), kMaxTokenBytes + 1);
  EXPECT_TRUE(FailsWith(f.Verify(token), ErrorCode::kTooLarge));
}

TEST(AttackJson, HundredKilobyteTokenIsTooLarge) {
  Fixture f;
  std::string token = TokenOfSize(f.key(), 100 * 1024);
  ASSERT_EQ(token.size(), 100u * 1024u);
  EXPECT_TRUE(FailsWith(f.Verify(token), ErrorCode::kTooLarge));
}

TEST(AttackJson, TenMegabyteTokensAreTooLarge) {
  // Refused on length alone, whatever the contents: well-formed, dot-free, or all dots.
  Fixture f;
  const std::size_t ten_mb = 10 * 1024 * 1024;
  std::string header = B64(R"({"alg":"HS256","kid":"k1"})");
  std::string payload_json = "{\"exp\":" + kExp + ",\"f\":\"" + std::string(ten_mb, 'f') + "\"}";
  std::string token = SignEncoded(f.key(), header, B64(payload_json));
  EXPECT_TRUE(FailsWith(f.Verify(token), ErrorCode::kTooLarge));
  EXPECT_TRUE(FailsWith(f.Verify(std::string(ten_mb, 'A')), ErrorCode::kTooLarge));
  EXPECT_TRUE(FailsWith(f.Verify(std::string(ten_mb, '.')), ErrorCode::kTooLarge));
  EXPECT_TRUE(FailsWith(f.Verify(std::string(ten_mb, '[')), ErrorCode::kTooLarge));
}

}  // namespace
}  // namespace writ
