// Attacks on the token's encoding: part counts and empty parts, base64url tricks in each
// part ('=' padding, '+' and '/', whitespace, non-canonical final characters), and
// headers or payloads that are not objects. Every altered token is re-signed over its
// exact text, so only strict decoding can refuse it. RFC 7515 §7.1, §2; RFC 4648 §5.
#include <gtest/gtest.h>

#include <string>
#include <vector>

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
using attack_test::Split;
using attack_test::Succeeds;
using attack_test::TokenParts;
using attack_test::ValidClaimsJson;
using attack_test::VerifierFor;

// Header and payload texts with aligned ">>>" and "???" runs, whose base64url
// encodings contain '-' and '_' (the characters standard base64 spells '+' and '/').
constexpr std::string_view kHeaderWithSpecials = R"({"alg":"HS256","kid":"k1","x":">>>>>>??????"})";

std::string PayloadWithSpecials() {
  return "{\"sub\":\">>>>>>??????\",\"exp\":" + std::to_string(attack_test::kNowSeconds + 300) +
         "}";
}

class Fixture {
 public:
  Fixture() : key_(GenerateKey(Alg::kHs256, "k1")), verifier_(VerifierFor({key_})) {}

  Result<VerifiedJwt> Verify(std::string_view token) const {
    return verifier_.Verify(token, DefaultValidator());
  }
  // A token over exactly these encoded parts, correctly MACed.
  std::string Sign(std::string_view header, std::string_view payload) const {
    return SignEncoded(key_, header, payload);
  }
  std::string Valid() const { return SignJson(key_, kHeaderWithSpecials, PayloadWithSpecials()); }

 private:
  Key key_;
  Verifier verifier_;
};

// `part` with the lowest unused bit of its final character set: decodes (leniently) to
// the same bytes, but is not the canonical encoding.
std::string NonCanonical(std::string part) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  if (part.size() % 4 == 0) {
    throw std::runtime_error("part has no unused bits");
  }
  std::size_t value = alphabet.find(part.back());
  part.back() = alphabet[value | 1];
  return part;
}

std::string ToStandardAlphabet(std::string part) {
  for (char& c : part) {
    c = c == '-' ? '+' : c == '_' ? '/' : c;
  }
  return part;
}

TEST(AttackEncoding, ControlTokenWithSpecialCharactersVerifies) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  ASSERT_NE(parts.header.find_first_of("-_"), std::string::npos);
  ASSERT_NE(parts.payload.find_first_of("-_"), std::string::npos);
  EXPECT_TRUE(Succeeds(f.Verify(parts.Join())));
}

TEST(AttackEncoding, TwoPartsIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  EXPECT_TRUE(FailsWith(f.Verify(parts.header + "." + parts.payload), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(parts.header + "." + parts.signature), ErrorCode::kMalformed));
}

TEST(AttackEncoding, FourOrFivePartsIsMalformed) {
  Fixture f;
  std::string valid = f.Valid();
  TokenParts parts = Split(valid);
  EXPECT_TRUE(FailsWith(f.Verify(valid + "." + parts.signature), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(valid + "."), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(valid + ".."), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(parts.header + ".." + parts.payload + "." + parts.signature),
                        ErrorCode::kMalformed));
}

TEST(AttackEncoding, EmptyOrDotOnlyTokenIsMalformed) {
  Fixture f;
  for (const char* token : {"", ".", "..", "...", "a", "a.b"}) {
    SCOPED_TRACE(token);
    EXPECT_TRUE(FailsWith(f.Verify(token), ErrorCode::kMalformed));
  }
}

TEST(AttackEncoding, EmptyHeaderPartIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign("", parts.payload)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, EmptyPayloadPartIsMalformed) {
  // A correctly MACed token whose payload is empty: not a JWT claims object.
  Fixture f;
  TokenParts parts = Split(f.Valid());
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(parts.header, "")), ErrorCode::kMalformed));
}

TEST(AttackEncoding, PaddingInHeaderIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  // Whitespace inside the header JSON moves its encoded length off a multiple of four.
  std::string header = B64(std::string(kHeaderWithSpecials) + " ");
  if (header.size() % 4 == 0) {
    header = B64(std::string(kHeaderWithSpecials) + "  ");
  }
  ASSERT_NE(header.size() % 4, 0u);
  ASSERT_TRUE(Succeeds(f.Verify(f.Sign(header, parts.payload))));
  std::string padded = header + std::string(4 - header.size() % 4, '=');
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(padded, parts.payload)), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header + "=", parts.payload)), ErrorCode::kMalformed));
  // Padding on a header that needs none.
  ASSERT_EQ(parts.header.size() % 4, 0u);
  EXPECT_TRUE(
      FailsWith(f.Verify(f.Sign(parts.header + "==", parts.payload)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, PaddingInPayloadIsMalformed) {
  Fixture f;
  // A payload whose encoding needs padding in standard base64.
  std::string payload = B64(ValidClaimsJson() + " ");
  if (payload.size() % 4 == 0) {
    payload = B64(ValidClaimsJson() + "  ");
  }
  ASSERT_NE(payload.size() % 4, 0u);
  std::string padded = payload + std::string(4 - payload.size() % 4, '=');
  std::string header = Split(f.Valid()).header;
  ASSERT_TRUE(Succeeds(f.Verify(f.Sign(header, payload))));
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, padded)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, PaddingInSignatureIsMalformed) {
  Fixture f;
  std::string valid = f.Valid();
  ASSERT_EQ(Split(valid).signature.size(), 43u);
  EXPECT_TRUE(FailsWith(f.Verify(valid + "="), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(valid + "=="), ErrorCode::kMalformed));
}

TEST(AttackEncoding, StandardAlphabetInHeaderIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  std::string header = ToStandardAlphabet(parts.header);
  ASSERT_NE(header, parts.header);
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, parts.payload)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, StandardAlphabetInPayloadIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  std::string payload = ToStandardAlphabet(parts.payload);
  ASSERT_NE(payload, parts.payload);
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(parts.header, payload)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, StandardAlphabetInSignatureIsMalformed) {
  Fixture f;
  // Find a token whose signature encoding contains '-' or '_'.
  for (int attempt = 0; attempt < 200; ++attempt) {
    std::string payload = ValidClaimsJson() + std::string(static_cast<std::size_t>(attempt), ' ');
    TokenParts parts = Split(f.Sign(Split(f.Valid()).header, B64(payload)));
    if (parts.signature.find_first_of("-_") == std::string::npos) {
      continue;
    }
    ASSERT_TRUE(Succeeds(f.Verify(parts.Join())));
    parts.signature = ToStandardAlphabet(parts.signature);
    EXPECT_TRUE(FailsWith(f.Verify(parts.Join()), ErrorCode::kMalformed));
    return;
  }
  FAIL() << "no signature with '-' or '_' found";
}

TEST(AttackEncoding, WhitespaceAroundTokenIsMalformed) {
  Fixture f;
  std::string valid = f.Valid();
  for (const std::string& token : {" " + valid, valid + " ", valid + "\n", valid + "\r\n",
                                   "\t" + valid, "\n" + valid, valid + std::string(1, '\0')}) {
    SCOPED_TRACE(testing::PrintToString(token.substr(0, 2)));
    EXPECT_TRUE(FailsWith(f.Verify(token), ErrorCode::kMalformed));
  }
}

TEST(AttackEncoding, WhitespaceInsidePartsIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  for (const char* space : {" ", "\n", "\r\n", "\t"}) {
    SCOPED_TRACE(testing::PrintToString(std::string(space)));
    std::string header = parts.header;
    header.insert(header.size() / 2, space);
    EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, parts.payload)), ErrorCode::kMalformed));
    std::string payload = parts.payload;
    payload.insert(payload.size() / 2, space);
    EXPECT_TRUE(FailsWith(f.Verify(f.Sign(parts.header, payload)), ErrorCode::kMalformed));
    // Next to the dots.
    EXPECT_TRUE(
        FailsWith(f.Verify(f.Sign(parts.header + space, parts.payload)), ErrorCode::kMalformed));
    EXPECT_TRUE(
        FailsWith(f.Verify(f.Sign(parts.header, space + parts.payload)), ErrorCode::kMalformed));
    TokenParts spaced = parts;
    spaced.signature.insert(10, space);
    EXPECT_TRUE(FailsWith(f.Verify(spaced.Join()), ErrorCode::kMalformed));
  }
}

TEST(AttackEncoding, NonCanonicalLastCharacterInEachPartIsMalformed) {
  Fixture f;
  // Whitespace inside the header JSON tunes its encoded length off a multiple of four.
  std::string header = B64(std::string(kHeaderWithSpecials) + " ");
  if (header.size() % 4 == 0) {
    header = B64(std::string(kHeaderWithSpecials) + "  ");
  }
  std::string payload = B64(PayloadWithSpecials() + " ");
  if (payload.size() % 4 == 0) {
    payload = B64(PayloadWithSpecials() + "  ");
  }
  ASSERT_TRUE(Succeeds(f.Verify(f.Sign(header, payload))));
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(NonCanonical(header), payload)), ErrorCode::kMalformed));
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, NonCanonical(payload))), ErrorCode::kMalformed));
  TokenParts parts = Split(f.Sign(header, payload));
  parts.signature = NonCanonical(parts.signature);  // 43 characters: two unused bits
  EXPECT_TRUE(FailsWith(f.Verify(parts.Join()), ErrorCode::kMalformed));
}

TEST(AttackEncoding, PartLengthOneModFourIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  TokenParts longer = parts;
  longer.signature = parts.signature + "AA";  // 45 characters
  ASSERT_EQ(longer.signature.size() % 4, 1u);
  EXPECT_TRUE(FailsWith(f.Verify(longer.Join()), ErrorCode::kMalformed));
}

TEST(AttackEncoding, NonAsciiInPartIsMalformed) {
  Fixture f;
  TokenParts parts = Split(f.Valid());
  std::string header = parts.header;
  header[3] = '\xc3';
  header.insert(4, "\xa9");
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, parts.payload)), ErrorCode::kMalformed));
  std::string with_nul = parts.header;
  with_nul[5] = '\0';
  EXPECT_TRUE(FailsWith(f.Verify(f.Sign(with_nul, parts.payload)), ErrorCode::kMalformed));
}

TEST(AttackEncoding, HeaderNotAnObjectIsMalformed) {
  Fixture f;
  std::string payload = B64(ValidClaimsJson());
  for (const char* header : {"[]", "\"x\"", "1", "null", "true", "[{\"alg\":\"HS256\"}]",
                             "\"{\\\"alg\\\":\\\"HS256\\\"}\"", "alg=HS256", "{"}) {
    SCOPED_TRACE(header);
    EXPECT_TRUE(FailsWith(f.Verify(f.Sign(B64(header), payload)), ErrorCode::kMalformed));
  }
}

TEST(AttackEncoding, PayloadNotAnObjectIsMalformed) {
  Fixture f;
  std::string header = B64(R"({"alg":"HS256","kid":"k1"})");
  for (const char* payload : {"[]", "\"x\"", "1", "null", "true", "not json",
                              "[{\"exp\":99999999999}]", "{\"exp\":99999999999}x", "{"}) {
    SCOPED_TRACE(payload);
    EXPECT_TRUE(FailsWith(f.Verify(f.Sign(header, B64(payload))), ErrorCode::kMalformed));
  }
}

}  // namespace
}  // namespace writ
